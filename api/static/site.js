/* Small progressive enhancements; every page works without this file.
   - Provisions in the document viewer show their description in a tooltip on hover and on
     keyboard focus (the same text screen readers get through aria-describedby); Escape hides it.
   - Highlighted clauses inside a scrolling pane are scrolled into view. */
(function () {
  "use strict";
  var tip = null;

  function tooltip() {
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "tooltip";
      tip.id = "provision-tooltip";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      document.body.appendChild(tip);
    }
    return tip;
  }

  function show(el) {
    var descId = el.getAttribute("aria-describedby");
    var desc = descId && document.getElementById(descId);
    if (!desc) return;
    var t = tooltip();
    t.textContent = desc.textContent;
    t.hidden = false;
    var r = el.getBoundingClientRect();
    var top = window.scrollY + r.bottom + 6;
    var left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - t.offsetWidth - 8));
    t.style.top = top + "px";
    t.style.left = left + "px";
  }

  function hide() { if (tip) tip.hidden = true; }

  function closestProvision(node) {
    while (node && node !== document) {
      if (node.classList && node.classList.contains("prov") && node.hasAttribute("aria-describedby")) return node;
      node = node.parentNode;
    }
    return null;
  }

  document.querySelectorAll(".prov[title][aria-describedby]").forEach(function (el) {
    el.removeAttribute("title");   // the tooltip replaces the browser's own
  });
  document.addEventListener("mouseover", function (e) {
    var el = closestProvision(e.target);
    if (el) show(el); else hide();
  });
  document.addEventListener("focusin", function (e) {
    var el = closestProvision(e.target);
    if (el) show(el); else hide();
  });
  document.addEventListener("focusout", hide);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });

  document.querySelectorAll(".doc-pane").forEach(function (pane) {
    var first = pane.querySelector("mark.clause");
    if (first) pane.scrollTop = Math.max(0, first.offsetTop - pane.offsetTop - 40);
  });
})();
