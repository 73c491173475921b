/* Stridewise page behaviour. Every page works without this file; it adds the clickable foot
   map, the print button and focus management after htmx swaps. No inline handlers (CSP). */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  function labelOf(region) {
    return region.getAttribute("aria-label");
  }

  function initFootMap(scope) {
    var map = scope.querySelector("[data-foot-map]");
    if (!map || map.dataset.ready) return;
    map.dataset.ready = "1";
    var picked = map.querySelector("[data-map-picked]");
    var regions = Array.prototype.slice.call(map.querySelectorAll("[data-region]"));

    function box(id) {
      return scope.querySelector('[data-region-box="' + id + '"]');
    }
    function announce() {
      var names = regions.filter(function (r) {
        return r.getAttribute("aria-pressed") === "true";
      }).map(labelOf);
      picked.textContent = names.length ? "You picked: " + names.join(", ") + "." : "Nothing picked yet.";
    }
    function toggle(region) {
      var on = region.getAttribute("aria-pressed") !== "true";
      region.setAttribute("aria-pressed", on ? "true" : "false");
      var cb = box(region.dataset.region);
      if (cb) cb.checked = on;
      announce();
    }
    regions.forEach(function (region) {
      region.addEventListener("click", function (ev) {
        ev.preventDefault();
        toggle(region);
      });
      region.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " " || ev.key === "Spacebar") {
          ev.preventDefault();
          toggle(region);
        }
      });
    });
  }

  function initPrint(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll("[data-print]"), function (btn) {
      btn.addEventListener("click", function () { window.print(); });
    });
  }

  function focusFirstProblem(scope) {
    var summary = scope.querySelector("#error-summary");
    if (summary) { summary.focus(); return true; }
    return false;
  }

  function init(scope, afterSwap) {
    initFootMap(scope);
    initPrint(scope);
    if (focusFirstProblem(scope)) return;
    if (afterSwap) {
      var target = scope.querySelector("[data-autofocus]") || scope.querySelector("h1");
      if (target) {
        if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
        target.focus();
      }
      window.scrollTo(0, 0);
    }
  }

  document.addEventListener("DOMContentLoaded", function () { init(document, false); });
  // htmx swaps the whole <main>; re-bind and move focus to the new question or heading so
  // keyboard and screen-reader users land on what changed.
  document.addEventListener("htmx:afterSettle", function () {
    init(document, true);
  });
})();
