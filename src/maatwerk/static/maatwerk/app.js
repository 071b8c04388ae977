// Open Maatwerk: small progressive enhancements. No inline scripts anywhere (CSP).
document.addEventListener("DOMContentLoaded", () => {
  // Send the CSRF token with every HTMX request.
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) {
    document.body.addEventListener("htmx:configRequest", (event) => {
      event.detail.headers["X-CSRFToken"] = token.value;
    });
  }
});

// Forms marked data-recalculate send themselves (through HTMX) when a value changes, and only
// their #results part is replaced (or the part marked data-recalculate-target, such as the
// calculator's result with its "Make a plan of this"): the fields stay as they are, so nothing
// typed meanwhile is lost and focus stays put. Typing in a search box only searches. Buttons
// and Enter still submit the whole form.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-recalculate]");
  if (!form || event.target.type === "search" || !window.htmx) {
    return;
  }
  const part = form.querySelector("[data-recalculate-target]");
  const target = part && part.id ? `#${part.id}` : "#results";
  // Each line's error boxes come along (out of band), so an error leaves its line as soon as
  // the line is corrected.
  const errorBoxes = [...form.querySelectorAll(".om-row-errors[id], .om-field-errors[id]")];
  // The changed field is the source (htmx sends its whole form): after the form itself was
  // swapped (Enter, a line button), htmx may still count a request as running on the form and
  // would hold this one back.
  window.htmx.ajax("POST", form.getAttribute("action"), {
    source: event.target,
    target,
    select: target,
    selectOOB: errorBoxes.map((box) => `#${box.id}`).join(","),
    swap: "outerHTML",
  });
});

// An answer that adds or removes a line moves the focus on (autofocus: the new line, or "Add a
// provision" after a removal). When the answer arrives after the person has already moved to
// another field, it must not take the focus from there: their next keystrokes would go to a
// button (a Space would press it). The focus only moves when it was lost with the swapped part
// (document.body) or sits inside it.
document.addEventListener("htmx:afterSwap", (event) => {
  const active = document.activeElement;
  const part = event.target;
  if (!active || active === document.body || !active.isConnected || part.contains(active)) {
    return;
  }
  for (const element of [part, ...part.querySelectorAll("[autofocus]")]) {
    element.removeAttribute("autofocus");
  }
});

// After a live update has replaced a line's error boxes, its fields say whether they are
// invalid as the boxes do: aria-invalid for screen readers and the red border.
document.addEventListener("htmx:afterSettle", () => {
  for (const box of document.querySelectorAll("[data-errors-for]")) {
    const invalid = Boolean(box.querySelector("li"));
    const field = document.getElementById(box.dataset.errorsFor);
    if (field && invalid) {
      field.setAttribute("aria-invalid", "true");
    } else if (field) {
      field.removeAttribute("aria-invalid");
    }
    const wrapper = box.closest(".om-field");
    if (wrapper) {
      wrapper.classList.toggle("utrecht-form-field--invalid", invalid);
    }
  }
});

// A form marked data-warn-unsaved asks before the page is left with changes that are not
// saved: after something is typed in it, or when it came back unsaved (data-unsaved: errors,
// or a line added without JavaScript). Sending the form itself (Save) is not leaving.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-warn-unsaved]");
  if (!form) {
    return;
  }
  let dirty = form.hasAttribute("data-unsaved");
  let submitting = false;
  form.addEventListener("input", (event) => {
    if (event.target.type !== "search") {
      dirty = true;
    }
  });
  form.addEventListener("change", (event) => {
    if (event.target.type !== "search") {
      dirty = true;
    }
  });
  // Line buttons (add, remove) change the form in place through HTMX: that is a change too.
  form.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt && event.detail.elt.matches("button[name]")) {
      dirty = true;
    }
  });
  form.addEventListener("submit", () => {
    submitting = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = ""; // older browsers need a value to ask
    }
  });
});

// Enter held down on a button repeats its click: a line added from a search result would be
// added again on every repeat. Only the first press counts.
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.repeat && event.target.closest("form button")) {
    event.preventDefault();
  }
});

// The plan edit form (data-live-triangle) asks the server, while the worker types, what each
// corner of the value triangle still misses; only those boxes are replaced (all out of band),
// so the fields, what is typed in them and the focus stay as they are. Nothing is saved.
let liveTriangleTimer;
const liveTriangle = (event) => {
  const form = event.target.closest && event.target.closest("form[data-live-triangle]");
  if (!form || event.target.type === "search" || !window.htmx) {
    return;
  }
  clearTimeout(liveTriangleTimer);
  liveTriangleTimer = setTimeout(
    () => {
      window.htmx.ajax("POST", form.getAttribute("action"), {
        source: form,
        target: "#live-summary-slot",
        swap: "none", // every box comes out of band
        values: { preview: "1" },
      });
    },
    event.type === "input" ? 400 : 0,
  );
};
document.addEventListener("input", liveTriangle);
document.addEventListener("change", liveTriangle);

// The error summary (_error_summary.html) takes the focus when a form comes back with errors, so
// keyboard and screen reader users start at the list of what to correct. A link in it moves the
// focus to its field (not only scrolls there).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus();
    }
  });
});

// The main menu folds behind a "Menu" button on a narrow screen (the breakpoint is the CSS
// media query below). Without JavaScript the button stays hidden and the menu stays open.
// Enter or Space opens and closes it (a real button); Escape closes it and gives focus back to
// the button.
const MENU_QUERY = "(max-width: 62rem)";
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".om-menu-button");
  const menu = document.getElementById("om-menu");
  if (!button || !menu) {
    return;
  }
  const narrow = window.matchMedia(MENU_QUERY);
  const setOpen = (open) => {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("om-menu--closed", !open);
  };
  const fit = () => {
    button.hidden = !narrow.matches;
    setOpen(!narrow.matches);
  };
  fit();
  narrow.addEventListener("change", fit);
  button.addEventListener("click", () => {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && narrow.matches) {
      setOpen(false);
      button.focus();
    }
  });
});

// A table that scrolls sideways on a narrow screen (app.css) is put in its own region that a
// keyboard can reach and scroll (tabindex=0), named after the table's caption or heading.
// Tables that already sit in such a region (.om-table-scroll) or stack into cards are left alone.
document.addEventListener("DOMContentLoaded", () => {
  for (const table of document.querySelectorAll("main table.om-table:not(.om-table--stack)")) {
    if (table.closest(".om-table-scroll, .om-scroll")) {
      continue;
    }
    const region = document.createElement("div");
    region.className = "om-table-scroll";
    region.setAttribute("role", "region");
    region.tabIndex = 0;
    const caption = table.querySelector("caption");
    const labelledBy = table.getAttribute("aria-labelledby");
    let heading = table.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) {
      heading = heading.previousElementSibling;
    }
    const name = caption
      ? caption.textContent
      : labelledBy && document.getElementById(labelledBy)
        ? document.getElementById(labelledBy).textContent
        : heading
          ? heading.textContent
          : document.title;
    region.setAttribute("aria-label", name.trim());
    table.before(region);
    region.append(table);
  }
});

// After an action and its redirect, the message saying what happened takes the focus (unless a
// form came back with errors: then the error summary has it), so keyboard and screen reader
// users start there instead of at the top of the page.
document.addEventListener("DOMContentLoaded", () => {
  const messages = document.querySelector("[data-messages]");
  if (messages && !document.querySelector("[data-error-summary]")) {
    messages.focus();
  }
});
// A table or chart wider than its box scrolls inside it; on a phone nothing shows that it does.
// Above each such region that overflows now, a hint (the template in base.html) says so; it
// disappears again when the region fits (a wider window, new content).
(() => {
  // The chart says so itself (its own hint, costs/_calculation_result.html); not twice.
  const REGIONS = ".om-scroll, .om-table-scroll, table.om-table";
  const WRAPPERS = ".om-scroll, .om-table-scroll, .om-chart__scroll";
  const mark = () => {
    const template = document.getElementById("om-scroll-hint");
    if (!template) {
      return;
    }
    for (const region of document.querySelectorAll(REGIONS)) {
      if (region.matches("table") && region.parentElement.closest(WRAPPERS)) {
        continue;
      }
      const overflows = region.scrollWidth > region.clientWidth + 1;
      let hint = region.previousElementSibling;
      if (!hint || !hint.classList.contains("om-scroll-hint")) {
        if (!overflows) {
          continue;
        }
        hint = template.content.firstElementChild.cloneNode(true);
        region.before(hint);
      }
      hint.hidden = !overflows;
    }
  };
  let pending = null;
  const later = () => {
    window.clearTimeout(pending);
    pending = window.setTimeout(mark, 100);
  };
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", later);
  document.addEventListener("htmx:afterSettle", later);
})();
