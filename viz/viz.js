/* aigovkg viz: the controls of one page. Data strings arrive HTML-escaped; `dec` turns them back
   into plain text, which only ever goes to the canvas, textContent, option values or (for http(s)
   URLs) an href -- never innerHTML -- so a label such as <img src=x onerror=...> stays text. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("viz-data").textContent);
  var UI = DATA.ui;  // the interface words in the page's language
  var ENTITIES = { lt: "<", gt: ">", quot: "\"", "#x27": "'", amp: "&" };
  function dec(s) {
    return typeof s === "string"
      ? s.replace(/&(lt|gt|quot|#x27|amp);/g, function (m, e) { return ENTITIES[e]; })
      : s;
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  function webHref(url) {
    var u = dec(url || "");
    return /^https?:\/\//i.test(u) ? u : null;
  }

  var byId = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; });
  var edgeById = {};
  DATA.edges.forEach(function (e) { edgeById[e.id] = e; });
  var lang = DATA.languages.indexOf("en") >= 0 ? "en" : DATA.languages[0];
  var sizeByDegree = true;
  var selected = null;

  function labelOf(n) {
    var l = n.labels || {};
    return dec(l[lang] || l.en || l[""] || n.label);
  }
  function visNode(n) {
    return {
      id: n.id, label: labelOf(n), color: n.color, shape: "dot",
      value: sizeByDegree ? n.degree + 1 : 1, opacity: 1, hidden: false
    };
  }
  var nodes = new vis.DataSet(DATA.nodes.map(visNode));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    return { id: e.id, from: e.from, to: e.to, label: dec(e.label) };
  }));
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);
  var state = { network: network, nodes: nodes, edges: edges, data: DATA, stable: false,
                stabilizedAt: null, select: selectNode, applyFilters: applyFilters };
  window.aigovViz = state;

  function markStable() {
    if (!state.stable && !DATA.physicsAfterStable) {
      network.setOptions({ physics: { enabled: false } });
      document.getElementById("physics").checked = false;
    }
    if (!state.stable) {
      state.stable = true;
      state.stabilizedAt = performance.now();
      document.body.setAttribute("data-stable", "true");
    }
  }
  network.once("stabilizationIterationsDone", markStable);
  network.on("stabilized", markStable);
  // A white background, so the exported PNG is readable.
  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });

  /* ---- details panel ---- */
  function nodeLink(id, text) {
    var a = el("a", text, "node-link");
    a.href = "#";
    a.addEventListener("click", function (ev) { ev.preventDefault(); selectNode(id, true); });
    return a;
  }
  function valueElement(text, node, href) {
    if (node && byId[node]) { return nodeLink(node, dec(text)); }
    var url = webHref(href);
    if (url) {
      var a = el("a", dec(text));
      a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
      return a;
    }
    return el("span", dec(text));
  }
  function sourceList(sources) {
    var ul = el("ul");
    sources.forEach(function (s) {
      var li = el("li");
      li.appendChild(valueElement(s[0], null, s[2]));
      ul.appendChild(li);
    });
    return ul;
  }
  function showDetails(id) {
    var panel = document.getElementById("details");
    panel.textContent = "";
    if (!id) { panel.appendChild(el("p", dec(UI.hint), "hint")); return; }
    var n = byId[id];
    var info = DATA.details[id] || { facts: [], sources: [] };
    panel.appendChild(el("h2", labelOf(n)));
    panel.appendChild(el("p", dec((DATA.classLabels || {})[n.cls] || n.cls), "class"));
    var iri = webHref(id);
    var p = el("p", null, "iri");
    if (iri) { var a = el("a", iri); a.href = iri; a.target = "_blank"; a.rel = "noopener noreferrer"; p.appendChild(a); }
    else { p.textContent = dec(id); }
    panel.appendChild(p);
    if (info.sources.length) {
      panel.appendChild(el("h3", dec(UI.sources)));
      panel.appendChild(sourceList(info.sources));
    }
    var links = network.getConnectedEdges(id).map(function (eid) { return edges.get(eid); })
      .filter(Boolean);
    if (links.length) {
      panel.appendChild(el("h3", dec(UI.links)));
      var ul = el("ul", null, "links");
      links.forEach(function (e) {
        var raw = edgeById[e.id];
        var li = el("li");
        var outgoing = e.from === id;
        li.appendChild(el("span", outgoing ? e.label + " \u2192 " : "\u2190 " + e.label + ": "));
        var other = outgoing ? e.to : e.from;
        li.appendChild(nodeLink(other, labelOf(byId[other])));
        var evidence = raw && raw.evidence ? DATA.evidence[raw.evidence] || [] : [];
        if (evidence.length) {
          li.appendChild(el("span", " \u2014 " + dec(UI.sources_colon)));
          li.appendChild(sourceList(evidence));
        }
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
    if (info.facts.length) {
      panel.appendChild(el("h3", dec(UI.facts)));
      var dl = el("dl");
      var last = null;
      info.facts.forEach(function (f) {
        if (f[0] !== last) { dl.appendChild(el("dt", dec(f[0]))); last = f[0]; }
        var dd = el("dd");
        dd.appendChild(valueElement(f[1], f[2], f[3]));
        dl.appendChild(dd);
      });
      panel.appendChild(dl);
    }
  }

  /* ---- neighbour highlighting and selection ---- */
  function highlight(id) {
    var keep = {};
    if (id) {
      keep[id] = true;
      network.getConnectedNodes(id).forEach(function (n) { keep[n] = true; });
    }
    nodes.update(DATA.nodes.map(function (n) {
      return { id: n.id, opacity: !id || keep[n.id] ? 1 : 0.2 };
    }));
  }
  function selectNode(id, focus) {
    if (!byId[id]) { return false; }
    selected = id;
    network.selectNodes([id]);
    if (focus) { network.focus(id, { scale: 1.3, animation: false }); }
    highlight(id);
    showDetails(id);
    return true;
  }
  network.on("click", function (params) {
    if (params.nodes.length) { selectNode(params.nodes[0], false); }
    else if (!params.edges.length) { selected = null; highlight(null); showDetails(null); }
  });

  /* ---- search ---- */
  var search = document.getElementById("search");
  function refreshSearchList() {
    var list = document.getElementById("search-list");
    list.textContent = "";
    DATA.nodes.map(labelOf).sort().forEach(function (label) {
      var o = document.createElement("option");
      o.value = label;
      list.appendChild(o);
    });
  }
  function findNode(query) {
    var q = query.trim().toLowerCase();
    if (!q) { return null; }
    var exact = null, partial = null;
    DATA.nodes.forEach(function (n) {
      var texts = [dec(n.id)].concat(Object.keys(n.labels || {}).map(function (k) { return dec(n.labels[k]); }));
      texts.forEach(function (t) {
        var s = t.toLowerCase();
        if (!exact && (s === q || s.endsWith("/" + q))) { exact = n.id; }
        if (!partial && s.indexOf(q) >= 0) { partial = n.id; }
      });
    });
    return exact || partial;
  }
  function runSearch() {
    var status = document.getElementById("search-status");
    var id = findNode(search.value);
    if (id && nodes.get(id) && !nodes.get(id).hidden) { selectNode(id, true); status.textContent = ""; }
    else if (id) { status.textContent = dec(UI.hidden); }
    else { status.textContent = dec(UI.no_match); }
  }
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { runSearch(); } });
  search.addEventListener("change", runSearch);

  /* ---- language, size, physics, export ---- */
  var languageSelect = document.getElementById("language");
  DATA.languages.forEach(function (l) {
    var o = document.createElement("option");
    o.value = dec(l); o.textContent = dec(l);
    if (l === lang) { o.selected = true; }
    languageSelect.appendChild(o);
  });
  languageSelect.addEventListener("change", function () {
    lang = languageSelect.value;
    nodes.update(DATA.nodes.map(function (n) { return { id: n.id, label: labelOf(n) }; }));
    refreshSearchList();
    if (selected) { showDetails(selected); }
  });
  document.getElementById("size-by-degree").addEventListener("change", function (ev) {
    sizeByDegree = ev.target.checked;
    nodes.update(DATA.nodes.map(function (n) {
      return { id: n.id, value: sizeByDegree ? n.degree + 1 : 1 };
    }));
  });
  document.getElementById("physics").addEventListener("change", function (ev) {
    network.setOptions({ physics: { enabled: ev.target.checked } });
  });
  document.getElementById("fit").addEventListener("click", function () { network.fit(); });
  document.getElementById("export-png").addEventListener("click", function () {
    var canvas = container.querySelector("canvas");
    var a = document.createElement("a");
    a.href = canvas.toDataURL("image/png");
    a.download = "aigovkg-" + dec(DATA.view) + ".png";
    document.body.appendChild(a);
    a.click();
    a.remove();
  });

  /* ---- filters: class (legend), jurisdiction, summit, instrument status ---- */
  var classOn = {};
  var legend = document.getElementById("legend");
  DATA.classes.forEach(function (c) {
    classOn[c[0]] = true;
    var li = el("li");
    var label = el("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true;
    box.setAttribute("data-class", dec(c[0]));
    box.addEventListener("change", function () { classOn[c[0]] = box.checked; applyFilters(); });
    var swatch = el("span", null, "swatch");
    swatch.style.background = c[1];
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(el("span", dec((DATA.classLabels || {})[c[0]] || c[0])));
    label.appendChild(el("span", String(c[2]), "count"));
    li.appendChild(label);
    legend.appendChild(li);
  });
  function fillSelect(id, pairs) {
    var select = document.getElementById(id);
    pairs.forEach(function (p) {
      var o = document.createElement("option");
      o.value = dec(p[0]); o.textContent = dec(p[1]);
      select.appendChild(o);
    });
    select.addEventListener("change", applyFilters);
    return select;
  }
  var jurSelect = fillSelect("filter-jurisdiction", DATA.jurisdictions);
  var sumSelect = fillSelect("filter-summit", DATA.summits);
  var statusSelect = fillSelect("filter-status", DATA.statuses.map(function (s) { return [s, (DATA.statusLabels || {})[s] || s]; }));
  function has(list, value) {
    return (list || []).some(function (x) { return dec(x) === value; });
  }
  function visible(n) {
    if (!classOn[n.cls]) { return false; }
    if (jurSelect.value && !has(n.jur, jurSelect.value)) { return false; }
    if (sumSelect.value && !has(n.sum, sumSelect.value)) { return false; }
    if (statusSelect.value && n.inst && dec(n.status || "") !== statusSelect.value) { return false; }
    return true;
  }
  function applyFilters() {
    var shown = 0;
    nodes.update(DATA.nodes.map(function (n) {
      var v = visible(n);
      if (v) { shown += 1; }
      return { id: n.id, hidden: !v };
    }));
    document.getElementById("node-count").textContent = String(shown);
  }
  refreshSearchList();
}());
