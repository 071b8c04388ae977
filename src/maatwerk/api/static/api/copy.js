// A "Copy" button next to a new token's secret. Made here, not in the page, so that without
// JavaScript there is no button that does nothing (and no inline script for the CSP).
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-label]").forEach(function (field) {
    var button = document.createElement("button");
    var status = document.createElement("span");
    button.type = "button";
    button.className = "button";
    button.textContent = field.dataset.copyLabel;
    status.setAttribute("role", "status");
    status.className = "copy-status";
    button.addEventListener("click", function () {
      field.select();
      // The selection is copied at once; the clipboard API is the fallback where that fails.
      if (!document.execCommand("copy") && navigator.clipboard) {
        navigator.clipboard.writeText(field.value);
      }
      status.textContent = field.dataset.copiedLabel;
    });
    field.insertAdjacentElement("afterend", status);
    field.insertAdjacentElement("afterend", button);
  });
})();
