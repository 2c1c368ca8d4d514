// The query page: YASGUI against this server's /sparql, with the competency questions as
// named examples. Remote autocompleters (prefix.cc, LOV) are off: the page makes no request
// outside this server.
(function () {
  "use strict";
  var examples = JSON.parse(document.getElementById("examples-data").textContent);
  var endpoint = window.location.origin + "/sparql";
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null,
    yasqe: { autocompleters: ["variables"], resizeable: true },
  });
  var select = document.getElementById("examples");
  examples.forEach(function (example, index) {
    var option = document.createElement("option");
    option.value = String(index);
    option.textContent = example.id + ": " + example.question;
    select.appendChild(option);
  });
  function load(index) {
    var tab = yasgui.getTab();
    tab.setQuery(examples[index].text);
  }
  select.addEventListener("change", function () { if (select.value !== "") { load(Number(select.value)); } });
  translateEditor(document.getElementById("yasgui"),
                  JSON.parse(document.getElementById("editor-words").textContent));
  window.aigovkgQuery = { yasgui: yasgui, load: load, examples: examples };

  // YASGUI draws its own words in English. In another language, the words the server sent
  // (YASGUI's exact English -> the reader's language; "{n}" stands for a number or a column)
  // replace them in text and in title, aria-label and placeholder attributes, now and whenever
  // YASGUI draws again. The query text and the result cells are never touched: a cell that
  // reads "Table" is data.
  function translateEditor(root, words) {
    if (!words.length) { return; }
    var exact = {};
    var patterns = [];
    words.forEach(function (pair) {
      if (pair[0].indexOf("{") < 0) { exact[pair[0]] = pair[1]; return; }
      var names = [];
      var source = pair[0].replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g,
        function (_, name) { names.push(name); return "(.+?)"; });
      patterns.push({ regex: new RegExp("^" + source + "$"), names: names, target: pair[1] });
    });
    function translated(text) {
      var trimmed = text.trim();
      if (!trimmed) { return null; }
      if (Object.prototype.hasOwnProperty.call(exact, trimmed)) {
        return text.replace(trimmed, exact[trimmed]);
      }
      for (var i = 0; i < patterns.length; i++) {
        var match = patterns[i].regex.exec(trimmed);
        if (match) {
          var out = patterns[i].target;
          patterns[i].names.forEach(function (name, k) { out = out.replace("{" + name + "}", match[k + 1]); });
          return text.replace(trimmed, out);
        }
      }
      return null;
    }
    function isData(node) {
      var element = node.nodeType === 1 ? node : node.parentElement;
      return !element || element.closest(".CodeMirror-lines, td, pre, textarea") !== null;
    }
    var ATTRIBUTES = ["title", "aria-label", "placeholder"];
    function visit(node) {
      if (isData(node)) { return; }
      if (node.nodeType === 3) {
        var text = translated(node.nodeValue);
        if (text !== null && text !== node.nodeValue) { node.nodeValue = text; }
        return;
      }
      if (node.nodeType !== 1) { return; }
      ATTRIBUTES.forEach(function (name) {
        var value = node.getAttribute(name);
        var text = value === null ? null : translated(value);
        if (text !== null && text !== value) { node.setAttribute(name, text); }
      });
      for (var child = node.firstChild; child; child = child.nextSibling) { visit(child); }
    }
    visit(root);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        if (change.type === "childList") { change.addedNodes.forEach(visit); }
        else { visit(change.target); }
      });
    }).observe(root, { childList: true, subtree: true, characterData: true,
                       attributes: true, attributeFilter: ATTRIBUTES });
  }
})();
