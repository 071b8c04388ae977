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

// Forms marked data-recalculate submit themselves (through HTMX) when a value changes, so
// results follow the input. Typing in a search box only searches.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-recalculate]");
  if (form && event.target.type !== "search") {
    form.requestSubmit();
  }
});
