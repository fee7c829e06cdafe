// The interactive layer of /map (Leaflet, served by us): the same places and movements as the
// SVG map drawn on the server, which stays in the page for readers without JavaScript.  The
// outlines are the Natural Earth countries this server ships; tiles are added only where the
// server is configured with a tile server (setting MAP_TILES) that the reader can reach.
(function () {
  "use strict";
  var box = document.getElementById("map-interactive");
  if (!box || typeof L === "undefined" || !window.fetch) {
    return;
  }

  function link(text, href) {
    var a = document.createElement("a");
    a.textContent = text;
    a.href = href;
    return a;
  }

  function popup(lines) {
    var div = document.createElement("div");
    lines.forEach(function (line) {
      var p = document.createElement("p");
      line.forEach(function (part) {
        p.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
      });
      div.appendChild(p);
    });
    return div;
  }

  function figures(flow) {
    var parts = [];
    if (flow.families !== null) { parts.push(flow.families.toLocaleString("en") + " families"); }
    if (flow.people !== null) { parts.push(flow.people.toLocaleString("en") + " people"); }
    return parts.join(", ");
  }

  fetch(box.getAttribute("data-source"), { headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      box.hidden = false;
      var fallback = document.querySelector(".map-static");
      if (fallback) { fallback.hidden = true; }
      var map = L.map(box, { scrollWheelZoom: false, minZoom: 2, maxZoom: 12 });
      var tiles = box.getAttribute("data-tiles");
      if (tiles) {
        L.tileLayer(tiles, { attribution: box.getAttribute("data-tiles-attribution") || "" }).addTo(map);
      }
      map.attributionControl.addAttribution("Outlines: Natural Earth");
      fetch(data.basemap).then(function (r) { return r.ok ? r.json() : null; }).then(function (outlines) {
        if (outlines) {
          L.geoJSON(outlines, { interactive: false, style: { className: "land-outline", weight: 0.6, color: "#a39a85", fillColor: "#ece6d6", fillOpacity: 1 } }).addTo(map).bringToBack();
        }
      });

      var bounds = [];
      var group = typeof L.markerClusterGroup === "function"
        ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 28 }) : L.layerGroup();
      data.places.forEach(function (place) {
        var icon = L.divIcon({ className: "place-marker" + (place.via ? " via" : ""), iconSize: [14, 14] });
        var marker = L.marker([place.lat, place.lon], { icon: icon, title: place.label, alt: place.label });
        var lines = [[link(place.label, place.href || place.row)],
                     [place.events + " events, " + place.documents + " documents"]];
        if (place.via) { lines.push(["drawn at the point of " + place.via + ", which it is part of"]); }
        lines.push([link("the statements behind it", place.row)]);
        marker.bindPopup(popup(lines));
        group.addLayer(marker);
        bounds.push([place.lat, place.lon]);
      });
      data.flows.forEach(function (flow) {
        var line = L.polyline([flow.from, flow.to], {
          className: "flow-line " + flow.status, weight: 3,
          dashArray: flow.status === "planned" ? "8 6" : (flow.status === "cancelled" ? "2 5" : null),
        });
        var text = flow.origin + " → " + flow.destination + " (" + flow.status + ")";
        var numbers = figures(flow);
        line.bindTooltip(text + (numbers ? ": " + numbers : ""), { sticky: true });
        line.bindPopup(popup([[text], [numbers || "no figures given"], [flow.movements.join("; ")],
                              [link("the statements behind it", flow.row)]]));
        line.addTo(map);
      });
      group.addTo(map);
      if (bounds.length) {
        map.fitBounds(bounds, { padding: [30, 30], maxZoom: 6 });
      } else {
        map.setView([40, 100], 3);
      }
      box.setAttribute("data-ready", "true");
    })
    .catch(function () {
      box.hidden = true;
    });
})();
