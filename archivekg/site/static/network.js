// Draws /network with Cytoscape.js (served by us) from /network.json, with the page's filters.
// Selecting a line shows the statements behind it (with links to them) in the panel beside the
// drawing; selecting a person or an organization opens its page.  The relations stay listed as
// text in the page for readers without JavaScript.
(function () {
  "use strict";
  var box = document.getElementById("network-graph");
  var panel = document.getElementById("network-panel");
  if (!box || typeof cytoscape !== "function" || !window.fetch) {
    return;
  }
  var COLOURS = {
    "met": "#2e8b57", "criticised": "#c0504d", "reported on": "#d98c1f", "appointed": "#4f81bd",
    "expelled": "#8a1f11", "expelled from": "#8a1f11", "removed": "#8064a2", "removed from": "#8064a2",
    "served in": "#7f8c8d", "member of": "#7f8c8d", "part of": "#95a5a6", "opposed": "#e74c3c",
    "associate of": "#16a085",
  };

  function text(tag, content, className) {
    var element = document.createElement(tag);
    element.textContent = content;
    if (className) { element.className = className; }
    return element;
  }

  function link(content, href, className) {
    var a = text("a", content, className);
    a.href = href;
    return a;
  }

  function show(edge) {
    var data = edge.data();
    panel.textContent = "";
    panel.appendChild(text("h3", data.label));
    var list = document.createElement("ul");
    list.className = "sources";
    data.statements.forEach(function (s) {
      var item = document.createElement("li");
      item.appendChild(text("q", s.quote));
      item.appendChild(document.createTextNode(" — "));
      item.appendChild(s.documentHref ? link(s.document, s.documentHref) : text("span", s.document));
      if (s.href) {
        item.appendChild(document.createTextNode(" "));
        item.appendChild(link("statement", s.href, "factoid"));
      }
      list.appendChild(item);
    });
    if (data.more) { list.appendChild(text("li", "and " + data.more + " more statements", "muted")); }
    panel.appendChild(list);
    panel.appendChild(link("this relation in the list", data.row, "more"));
    panel.hidden = false;
  }

  fetch(box.getAttribute("data-source"), { headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      if (!data.nodes.length) { return; }
      box.hidden = false;
      // Cytoscape.js adds an inline <style> (position: relative for its container) unless an
      // element with this id exists; the page's Content-Security-Policy forbids inline styles,
      // and site.css already gives the container that rule.
      if (!document.getElementById("__________cytoscape_stylesheet")) {
        var stand_in = document.createElement("meta");
        stand_in.id = "__________cytoscape_stylesheet";
        document.head.appendChild(stand_in);
      }
      var cy = cytoscape({
        container: box,
        elements: { nodes: data.nodes, edges: data.edges },
        style: [
          { selector: "node", style: {
            "label": "data(label)", "font-size": 10, "text-wrap": "ellipsis", "text-max-width": 110,
            "width": "mapData(degree, 1, 20, 14, 40)", "height": "mapData(degree, 1, 20, 14, 40)",
            "background-color": "#1f5f8b", "color": "#1d2731", "text-valign": "bottom", "text-margin-y": 3 } },
          { selector: "node[kind = 'organization']", style: { "shape": "round-rectangle", "background-color": "#7f8c8d" } },
          { selector: "edge", style: {
            "width": 2, "curve-style": "bezier", "line-color": "#95a5a6", "target-arrow-color": "#95a5a6",
            "opacity": 0.85 } },
          { selector: "edge[?directed]", style: { "target-arrow-shape": "triangle" } },
          { selector: "edge:selected", style: { "width": 5, "opacity": 1 } },
        ].concat(Object.keys(COLOURS).map(function (relation) {
          return { selector: "edge[relation = '" + relation + "']",
                   style: { "line-color": COLOURS[relation], "target-arrow-color": COLOURS[relation] } };
        })),
        layout: { name: "null" },
      });
      cy.on("tap", "edge", function (event) { show(event.target); });
      cy.on("tap", "node", function (event) {
        var href = event.target.data("href");
        if (href) { window.location.href = href; }
      });
      // Ready when the nodes are where they will stay: cose may place them after this script
      // returns, and a click on an edge before that misses it.
      var layout = cy.layout(data.nodes.length <= 400
        ? { name: "cose", animate: false, randomize: false, nodeRepulsion: 9000, idealEdgeLength: 90, numIter: 1500 }
        : { name: "concentric", concentric: function (n) { return n.data("degree"); }, levelWidth: function () { return 3; } });
      layout.one("layoutstop", function () {
        window.archivekgNetwork = cy;
        box.setAttribute("data-ready", "true");
      });
      layout.run();
    });
})();
