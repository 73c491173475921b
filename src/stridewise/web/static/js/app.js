/* Stridewise page behaviour. Every page works without this file; it adds the clickable foot
   map, the print button, carrying the runner's description from a result to a provider's
   request form, and focus management after htmx swaps. No inline handlers (CSP). */
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

  // Going on from a result to a provider: remember the runner's description in this tab only
  // (sessionStorage, gone when the tab closes; never sent unless they open the request form),
  // so the provider page can POST it with prefill=1 and the request form starts filled in.
  var CARRY_KEY = "stridewise.runner";
  function store(value) {
    try {
      if (value === null) window.sessionStorage.removeItem(CARRY_KEY);
      else window.sessionStorage.setItem(CARRY_KEY, value);
    } catch (e) { /* storage disabled: the plain link still works */ }
  }
  function initCarryState(scope) {
    if (scope.querySelector("[data-foot-map]")) store(null); // a fresh start forgets it
    var holder = scope.querySelector("[data-runner-state]");
    if (holder) {
      Array.prototype.forEach.call(scope.querySelectorAll("[data-carry-state]"), function (link) {
        if (link.dataset.carryReady) return;
        link.dataset.carryReady = "1";
        link.addEventListener("click", function () {
          store(holder.getAttribute("data-runner-state"));
        });
      });
    }
    var form = scope.querySelector("[data-request-prefill]");
    if (!form) return;
    var saved = null;
    try { saved = JSON.parse(window.sessionStorage.getItem(CARRY_KEY) || "null"); } catch (e) { saved = null; }
    if (!saved || typeof saved.text !== "string" || !saved.text) return;
    form.elements["text"].value = saved.text;
    form.elements["age"].value = saved.age ? String(saved.age) : "";
    form.elements["sex"].value = saved.sex === "female" || saved.sex === "male" ? saved.sex : "";
    form.elements["answers"].value = JSON.stringify(saved.answers || {});
    form.hidden = false;
    var plain = scope.querySelector("[data-request-plain]");
    if (plain) plain.hidden = true;
  }

  function focusFirstProblem(scope) {
    var summary = scope.querySelector("#error-summary");
    if (summary) { summary.focus(); return true; }
    return false;
  }

  function init(scope, afterSwap) {
    initFootMap(scope);
    initPrint(scope);
    initCarryState(scope);
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
