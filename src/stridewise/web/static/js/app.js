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
    // The tick-box list stays on the page too: its boxes are the large (24 px+) equivalent of
    // the small map areas (WCAG 2.5.8), so keep the two in step both ways.
    regions.forEach(function (region) {
      var cb = box(region.dataset.region);
      if (cb) {
        cb.addEventListener("change", function () {
          region.setAttribute("aria-pressed", cb.checked ? "true" : "false");
          announce();
        });
      }
    });
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

  // Back after a form post: a question or the result was made by a POST, so the browser's Back
  // button would come back to "resend the form?" or an error, and resending the first form would
  // lose every answer since. Such a page keeps its state in this tab (sessionStorage, gone when
  // the tab closes, like the description above) and turns its history entry into the start
  // page, where Back now lands with a button that posts the state again.
  var RESUME_KEY = "stridewise.resume";
  var RESUMABLE = { "/result": "Back to my result", "/interview": "Carry on with my questions" };
  function initResume(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll("[data-resume-forget]"), function (el) {
      if (el.dataset.forgetReady) return;
      el.dataset.forgetReady = "1";
      el.addEventListener("click", function () {
        try { window.sessionStorage.removeItem(RESUME_KEY); } catch (e) { /* nothing kept */ }
        var offer = scope.querySelector("[data-resume-offer]");
        if (offer) offer.hidden = true;
      });
    });
    var form = scope.querySelector("form[data-resume]");
    if (form) {
      var fields = [];
      Array.prototype.forEach.call(form.querySelectorAll("input[type=hidden]"), function (input) {
        if (input.name && input.name !== "csrf_token" && input.name !== "q") fields.push([input.name, input.value]);
      });
      try {
        window.sessionStorage.setItem(RESUME_KEY, JSON.stringify({ action: form.getAttribute("data-resume"), fields: fields }));
        if (window.history.replaceState) window.history.replaceState(null, "", "/");
      } catch (e) { /* storage disabled: Back behaves as before */ }
      return;
    }
    var offer = scope.querySelector("[data-resume-offer]");
    if (!offer || offer.dataset.ready) return;
    var saved = null;
    try { saved = JSON.parse(window.sessionStorage.getItem(RESUME_KEY) || "null"); } catch (e) { saved = null; }
    if (!saved || !RESUMABLE.hasOwnProperty(saved.action) || !Array.isArray(saved.fields)) return;
    offer.dataset.ready = "1";
    var resume = offer.querySelector("form");
    resume.setAttribute("action", saved.action);
    saved.fields.forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = String(pair[0]);
      input.value = String(pair[1]);
      resume.appendChild(input);
    });
    offer.querySelector("[data-resume-label]").textContent = RESUMABLE[saved.action];
    offer.hidden = false;
  }

  // Emergency result: "Use my location" goes straight to the nearest emergency departments.
  // Without geolocation (or JavaScript) the ZIP form beside it does the same.
  function initGeoEmergency(scope) {
    var btn = scope.querySelector("[data-geo-ed]");
    if (!btn || btn.dataset.ready || !("geolocation" in navigator)) return;
    btn.dataset.ready = "1";
    btn.hidden = false;
    var status = scope.querySelector("[data-geo-ed-status]");
    btn.addEventListener("click", function () {
      status.textContent = "Finding your location\u2026";
      navigator.geolocation.getCurrentPosition(function (pos) {
        window.location.href = btn.getAttribute("data-geo-ed") +
          "&lat=" + pos.coords.latitude.toFixed(4) + "&lon=" + pos.coords.longitude.toFixed(4);
      }, function () {
        status.textContent = "We could not get your location. Type a ZIP code below instead.";
      }, { timeout: 10000, maximumAge: 600000 });
    });
  }

  // A link to a folded section opens it.
  function initFoldLinks(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll("[data-open-fold]"), function (link) {
      link.addEventListener("click", function () {
        var target = document.querySelector(link.getAttribute("href"));
        if (target && target.tagName === "DETAILS") target.open = true;
      });
    });
  }

  // Live character counters for text boxes with a limit (the limit itself is the maxlength,
  // the same number the server enforces; without JavaScript the hint states it).
  function initCounters(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll("textarea[data-counter][maxlength]"), function (box) {
      if (box.dataset.counterReady) return;
      box.dataset.counterReady = "1";
      var max = parseInt(box.getAttribute("maxlength"), 10);
      var out = document.createElement("p");
      out.className = "counter";
      out.id = box.id + "-counter";
      out.setAttribute("aria-live", "polite");
      box.insertAdjacentElement("afterend", out);
      var described = box.getAttribute("aria-describedby");
      box.setAttribute("aria-describedby", (described ? described + " " : "") + out.id);
      var last = -1;
      function update() {
        var left = max - box.value.length;
        // Speak only every 100 characters, and near the limit, so typing is not drowned out.
        var bucket = left <= 100 ? left : Math.floor(left / 100);
        out.textContent = left.toLocaleString("en-US") + " of " + max.toLocaleString("en-US") + " characters left";
        out.classList.toggle("over", left <= 0);
        if (bucket === last) out.setAttribute("aria-live", "off"); else out.setAttribute("aria-live", "polite");
        last = bucket;
      }
      box.addEventListener("input", update);
      update();
    });
  }

  // Copy buttons (the private status link): shown only where the clipboard works.
  function initCopy(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll("[data-copy]"), function (btn) {
      var field = scope.querySelector(btn.getAttribute("data-copy"));
      if (!field || !navigator.clipboard || btn.dataset.ready) return;
      btn.dataset.ready = "1";
      btn.hidden = false;
      var status = scope.querySelector("[data-copy-status]");
      btn.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value || field.href).then(function () {
          if (status) status.textContent = "Link copied.";
        }, function () {
          if (field.select) field.select();
          if (status) status.textContent = "Press and hold the link to copy it.";
        });
      });
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
    initCarryState(scope);
    initResume(scope);
    initGeoEmergency(scope);
    initFoldLinks(scope);
    initCounters(scope);
    initCopy(scope);
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
