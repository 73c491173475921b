/* Starts the vendored Swagger UI on /docs. A separate file, not an inline script, because the
   site's Content-Security-Policy allows scripts only from this origin. */
(function () {
  "use strict";
  function start() {
    var root = document.getElementById("swagger-ui");
    if (!root || typeof window.SwaggerUIBundle !== "function") return;
    window.ui = window.SwaggerUIBundle({
      url: root.getAttribute("data-openapi-url") || "/openapi.json",
      dom_id: "#swagger-ui",
      // No deep links: Swagger UI puts each one inside the operation's toggle button (a control
      // nested in a control, and a 14 px target), which axe rightly flags.
      deepLinking: false,
      // No badge from validator.swagger.io: it is another site, which the CSP (rightly) blocks.
      validatorUrl: null,
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
    });
  }
  // Swagger UI's request-body editor is a bare <textarea>; name it for screen readers each time
  // "Try it out" draws one.
  function labelEditors() {
    var boxes = document.querySelectorAll("#swagger-ui textarea:not([aria-label])");
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].setAttribute("aria-label", "Request body (JSON)");
    }
  }
  if (typeof MutationObserver === "function") {
    new MutationObserver(labelEditors).observe(document.documentElement, {
      childList: true,
      subtree: true,
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
