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
  window.aigovkgQuery = { yasgui: yasgui, load: load, examples: examples };
})();
