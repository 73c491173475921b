/* Find care: the Leaflet map of the listed providers and "use my location".
   The list is the content; the map only mirrors it (markers on a plain background when no tile
   server is configured), so nothing is lost without JavaScript or tiles. */
(function () {
  "use strict";

  function initMap() {
    var box = document.querySelector("[data-map]");
    if (!box || typeof L === "undefined") return;
    var here = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)];
    var map = L.map(box, { scrollWheelZoom: false, attributionControl: !!box.dataset.tiles });
    if (box.dataset.tiles) {
      L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution || "", maxZoom: 18 }).addTo(map);
    }
    var points = [here];
    L.circleMarker(here, { radius: 7, color: "#5a0010", fillColor: "#b00020", fillOpacity: 1, weight: 2 })
      .addTo(map).bindTooltip(box.dataset.place || "Your search");
    Array.prototype.forEach.call(document.querySelectorAll("[data-provider]"), function (item, i) {
      var ll = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)];
      if (isNaN(ll[0]) || isNaN(ll[1])) return;
      points.push(ll);
      var link = document.createElement("a");
      link.href = item.dataset.href;
      link.textContent = (i + 1) + ". " + item.dataset.name;
      L.circleMarker(ll, { radius: 8, color: "#08427d", fillColor: "#0b5cad", fillOpacity: 0.9, weight: 2 })
        .addTo(map).bindPopup(link);
    });
    map.fitBounds(L.latLngBounds(points).pad(0.15), { maxZoom: 13 });
    // Leaflet's own controls and markers are mouse conveniences; the list carries the content.
    box.querySelectorAll(".leaflet-interactive").forEach(function (el) { el.setAttribute("aria-hidden", "true"); });
  }

  function initGeo() {
    var btn = document.querySelector("[data-geo]");
    if (!btn || !("geolocation" in navigator)) return;
    btn.hidden = false;
    var status = document.querySelector("[data-geo-status]");
    btn.addEventListener("click", function () {
      status.textContent = "Finding your location\u2026";
      navigator.geolocation.getCurrentPosition(function (pos) {
        var form = btn.form;
        form.querySelector("[data-geo-lat]").value = pos.coords.latitude.toFixed(4);
        form.querySelector("[data-geo-lon]").value = pos.coords.longitude.toFixed(4);
        form.querySelector("#near").value = "";
        form.submit();
      }, function () {
        status.textContent = "We could not get your location. Please type a ZIP code instead.";
      }, { timeout: 10000, maximumAge: 600000 });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initMap();
    initGeo();
  });
})();
