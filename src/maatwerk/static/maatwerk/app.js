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
