/* The SPARQL editor: YASGUI pointed at this server's /sparql, one tab per named query, and a
   small bar-chart result view for results that have a numeric column. No data is written into
   the page as HTML: every label goes in through textContent. */
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  var source = document.getElementById("named-queries");
  if (!root || !source || typeof Yasgui === "undefined") return;
  var tabs = JSON.parse(source.textContent || "[]");
  var endpoint = new URL("/sparql", window.location.href).href;
  var NUMERIC = /#(integer|decimal|double|float|int|long|short|nonNegativeInteger|positiveInteger)$/;
  var MAX_BARS = 60;

  /* Bar chart: one label column and the first numeric column, when there are few enough rows. */
  function chartData(results) {
    if (!results || !results.getVariables || !results.getBindings) return null;
    var vars = results.getVariables() || [];
    var rows = results.getBindings() || [];
    if (!rows.length || rows.length > MAX_BARS || vars.length < 2) return null;
    var numeric = vars.filter(function (v) {
      return rows.every(function (r) {
        var t = r[v];
        return t && t.type !== "uri" && (NUMERIC.test(t.datatype || "") || /^-?\d+(\.\d+)?$/.test(t.value)) && !isNaN(parseFloat(t.value));
      });
    });
    if (!numeric.length) return null;
    var value = numeric[numeric.length - 1];
    var labels = vars.filter(function (v) { return v !== value; });
    return rows.map(function (r) {
      var name = labels.map(function (v) { return r[v] ? r[v].value.replace(/^.*[\/#]/, "") : ""; }).join(" · ");
      return { label: name, value: parseFloat(r[value].value), column: value };
    });
  }

  function ChartPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 2;
    this.label = "Chart";
  }
  ChartPlugin.prototype.canHandleResults = function () { return !!chartData(this.yasr.results); };
  ChartPlugin.prototype.getIcon = function () {
    var span = document.createElement("span");
    span.textContent = "▮";
    span.setAttribute("aria-hidden", "true");
    return span;
  };
  ChartPlugin.prototype.draw = function () {
    var data = chartData(this.yasr.results);
    if (!data) return;
    var NS = "http://www.w3.org/2000/svg", barH = 22, labelW = 260, width = 900;
    var max = Math.max.apply(null, data.map(function (d) { return Math.abs(d.value); })) || 1;
    var figure = document.createElement("figure");
    figure.className = "chart";
    var caption = document.createElement("figcaption");
    caption.textContent = data[0].column + " by row";
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + (data.length * barH + 10));
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Bar chart of " + data[0].column);
    data.forEach(function (d, i) {
      var y = i * barH + 5;
      var text = document.createElementNS(NS, "text");
      text.setAttribute("x", labelW - 6);
      text.setAttribute("y", y + barH * 0.65);
      text.setAttribute("text-anchor", "end");
      text.textContent = d.label.length > 40 ? d.label.slice(0, 39) + "…" : d.label;
      var bar = document.createElementNS(NS, "rect");
      bar.setAttribute("class", "bar");
      bar.setAttribute("x", labelW);
      bar.setAttribute("y", y + 3);
      bar.setAttribute("height", barH - 6);
      bar.setAttribute("width", Math.max(1, (width - labelW - 60) * Math.abs(d.value) / max));
      var title = document.createElementNS(NS, "title");
      title.textContent = d.label + ": " + d.value;
      bar.appendChild(title);
      var val = document.createElementNS(NS, "text");
      val.setAttribute("x", labelW + 6 + (width - labelW - 60) * Math.abs(d.value) / max);
      val.setAttribute("y", y + barH * 0.65);
      val.textContent = String(d.value);
      svg.appendChild(text);
      svg.appendChild(bar);
      svg.appendChild(val);
    });
    figure.appendChild(svg);
    figure.appendChild(caption);
    this.yasr.resultsEl.appendChild(figure);
  };
  Yasgui.Yasr.registerPlugin("chart", ChartPlugin);

  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,          // always start from the named queries, not a stale local copy
    autoAddOnInit: false,
    populateFromUrl: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasr: { pluginOrder: ["table", "response", "chart"], defaultPlugin: "table" }
  });
  tabs.forEach(function (t, i) {
    yasgui.addTab(i === 0, {
      name: t.name,
      requestConfig: { endpoint: endpoint, method: "POST" },
      yasqe: { value: t.query }
    });
  });
  if (!tabs.length) yasgui.addTab(true, { requestConfig: { endpoint: endpoint } });
  window.torkgYasgui = yasgui;    // for tests and the curious
})();
