// The graph explorer: starts from one party, adds a party's neighbours when it is
// clicked, opens its page on a double click; relation types and stances filter the edges.
// Data comes from /cases/{case}/neighbours?entity=...; every label is set as text.
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box || typeof cytoscape === "undefined") { return; }
  var casePath = "/cases/" + encodeURIComponent(box.dataset.case);
  var detail = document.getElementById("graph-detail");
  var expanded = {};

  var cy = cytoscape({
    container: box,
    style: [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 120,
        "background-color": "#7b8794", "width": 18, "height": 18 } },
      { selector: "node[?sanctioned]", style: { "background-color": "#b00020", "width": 24, "height": 24 } },
      { selector: "node[level != 'none'][!sanctioned]", style: { "background-color": "#e08a00" } },
      { selector: "node.expanded", style: { "border-width": 2, "border-color": "#1f2933" } },
      { selector: "edge", style: {
        "curve-style": "bezier", "target-arrow-shape": "triangle", "width": 1.5,
        "line-color": "#9aa5b1", "target-arrow-color": "#9aa5b1",
        "label": "data(type)", "font-size": 8, "text-rotation": "autorotate" } },
      { selector: "edge[stance = 'denied']", style: { "line-style": "dashed", "line-color": "#b00020", "target-arrow-color": "#b00020" } },
      { selector: "edge[stance = 'unconfirmed']", style: { "line-style": "dashed", "line-color": "#e08a00", "target-arrow-color": "#e08a00" } }
    ]
  });
  window.redthreadGraph = cy;  // for the browser tests

  function checked(selector) {
    var values = {};
    document.querySelectorAll(selector).forEach(function (input) {
      values[input.value] = input.checked;
    });
    return values;
  }

  function applyFilters() {
    var types = checked(".type-filter"), stances = checked(".stance-filter");
    cy.edges().forEach(function (edge) {
      var shown = types[edge.data("type")] !== false && stances[edge.data("stance")] !== false;
      edge.style("display", shown ? "element" : "none");
    });
  }

  function add(data) {
    data.nodes.forEach(function (node) {
      if (cy.getElementById(node.id).empty()) { cy.add({ group: "nodes", data: node }); }
    });
    data.edges.forEach(function (edge) {
      if (cy.getElementById(edge.id).empty()) { cy.add({ group: "edges", data: edge }); }
    });
    applyFilters();
    cy.layout({ name: "cose", animate: false, randomize: false, fit: true }).run();
  }

  function expand(id) {
    if (expanded[id]) { return Promise.resolve(); }
    expanded[id] = true;
    return fetch(casePath + "/neighbours?entity=" + encodeURIComponent(id), {
      headers: { "Accept": "application/json" }, credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      add(data);
      cy.getElementById(id).addClass("expanded");
      box.dataset.expanded = Object.keys(expanded).length;
    }).catch(function (error) {
      expanded[id] = false;
      detail.textContent = "Could not load the neighbours: " + error.message;
    });
  }

  function show(node) {
    detail.replaceChildren();
    var title = document.createElement("h3");
    title.textContent = node.data("label");
    var level = document.createElement("p");
    level.textContent = node.data("schema") + " · exposure: " + node.data("level");
    var link = document.createElement("a");
    link.href = casePath + "/entities/" + encodeURIComponent(node.id());
    link.textContent = "Open its page";
    detail.append(title, level, link);
  }

  cy.on("tap", "node", function (event) { show(event.target); expand(event.target.id()); });
  cy.on("dbltap", "node", function (event) {
    window.location.href = casePath + "/entities/" + encodeURIComponent(event.target.id());
  });
  document.querySelectorAll(".type-filter, .stance-filter").forEach(function (input) {
    input.addEventListener("change", applyFilters);
  });
  if (box.dataset.entity) { expand(box.dataset.entity); }
})();
