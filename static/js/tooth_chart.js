// The clickable FDI tooth chart of the order page, and the live price.
// The checkbox list stays the source of truth (it is what the form posts, and what works
// without JavaScript); the SVG mirrors it. Each tooth is a button: Tab to reach it,
// Space or Enter to toggle, aria-pressed tells its state.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var chart = document.querySelector("[data-tooth-chart]");
  var form = document.querySelector("[data-order-form]");
  if (!chart || !form) { return; }
  var perArch = chart.dataset.unit === "arch";
  var boxes = {};
  chart.querySelectorAll("[data-tooth]").forEach(function (box) { boxes[box.dataset.tooth] = box; });
  var archBoxes = {};
  chart.querySelectorAll("[data-arch]").forEach(function (box) { archBoxes[box.dataset.arch] = box; });

  // Viewer's left is the patient's right: upper 18…11 21…28, lower 48…41 31…38.
  var rows = {
    upper: ["18", "17", "16", "15", "14", "13", "12", "11", "21", "22", "23", "24", "25", "26", "27", "28"],
    lower: ["48", "47", "46", "45", "44", "43", "42", "41", "31", "32", "33", "34", "35", "36", "37", "38"]
  };
  // A wide oval where there is room; on a phone a rounder one, drawn larger, so that every
  // tooth stays at least 24 CSS pixels wide under a finger (WCAG 2.2 target size).
  var tall = chart.clientWidth > 0 && chart.clientWidth < 560;
  var layout = tall
    ? { box: "0 0 400 530", cx: 200, upperY: 255, lowerY: 275, rx: 176, ry: 230, narrowest: 34 }
    : { box: "0 0 640 320", cx: 320, upperY: 150, lowerY: 170, rx: 262, ry: 118, narrowest: 30 };
  var svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", layout.box);
  svg.setAttribute("class", "tooth-svg" + (tall ? " is-tall" : ""));
  svg.setAttribute("role", "group");
  svg.setAttribute("aria-describedby", "chart-hint");
  var buttons = {};

  function toothWidth(n) { var p = +n[1]; return Math.max(p >= 6 ? 38 : p >= 4 ? 32 : 30, layout.narrowest); }

  // Points of half an ellipse (left → right), with the arc length walked so far at each.
  function arcPoints(cx, cy, rx, ry, up) {
    var pts = [], length = 0, prev = null;
    for (var i = 0; i <= 400; i++) {
      var a = Math.PI * (1 - i / 400);
      var pt = { x: cx + Math.cos(a) * rx, y: cy + (up ? -1 : 1) * Math.sin(a) * ry };
      if (prev) { length += Math.hypot(pt.x - prev.x, pt.y - prev.y); }
      pt.s = length; pts.push(pt); prev = pt;
    }
    return pts;
  }

  function pointAt(pts, s) {
    for (var i = 1; i < pts.length; i++) {
      if (pts[i].s >= s) {
        var angle = Math.atan2(pts[i].y - pts[i - 1].y, pts[i].x - pts[i - 1].x) * 180 / Math.PI;
        return { x: pts[i].x, y: pts[i].y, angle: angle };
      }
    }
    var last = pts[pts.length - 1];
    return { x: last.x, y: last.y, angle: 0 };
  }

  ["upper", "lower"].forEach(function (arch) {
    var teeth = rows[arch];
    var up = arch === "upper";
    var pts = arcPoints(layout.cx, up ? layout.upperY : layout.lowerY, layout.rx, layout.ry, up);
    var total = pts[pts.length - 1].s;
    var widths = teeth.map(toothWidth);
    var used = widths.reduce(function (a, b) { return a + b; }, 0);
    var gap = (total - used) / (teeth.length - 1);
    var walked = 0;
    teeth.forEach(function (n, i) {
      var w = widths[i], h = 34;
      var at = pointAt(pts, walked + w / 2);
      walked += w + gap;
      var g = document.createElementNS(SVG, "g");
      g.setAttribute("class", "tooth");
      g.setAttribute("role", "button");
      g.setAttribute("tabindex", "0");
      g.setAttribute("aria-label", (chart.dataset.toothLabel || "Tooth") + " " + n);
      g.setAttribute("data-svg-tooth", n);
      var rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("x", (-w / 2).toFixed(1));
      rect.setAttribute("y", (-h / 2).toFixed(1));
      rect.setAttribute("width", w);
      rect.setAttribute("height", h);
      rect.setAttribute("rx", 9);
      rect.setAttribute("transform", "translate(" + at.x.toFixed(1) + " " + at.y.toFixed(1) + ") rotate(" +
                        at.angle.toFixed(1) + ")");
      var label = document.createElementNS(SVG, "text");
      label.setAttribute("x", at.x.toFixed(1));
      label.setAttribute("y", (at.y + 5).toFixed(1));
      label.setAttribute("text-anchor", "middle");
      label.textContent = n;
      g.appendChild(rect);
      g.appendChild(label);
      svg.appendChild(g);
      buttons[n] = g;
      function toggle() { boxes[n].checked = !boxes[n].checked; if (perArch) { syncArchFromTeeth(arch); } refresh(); }
      g.addEventListener("click", toggle);
      g.addEventListener("keydown", function (e) {
        if (e.key === " " || e.key === "Enter") { e.preventDefault(); toggle(); }
      });
    });
  });

  function syncArchFromTeeth(arch) {
    archBoxes[arch].checked = rows[arch].some(function (n) { return boxes[n].checked; });
  }

  // An arch checkbox selects (or clears) all its teeth on a per-unit listing.
  Object.keys(archBoxes).forEach(function (arch) {
    archBoxes[arch].addEventListener("change", function () {
      if (!perArch) { rows[arch].forEach(function (n) { boxes[n].checked = archBoxes[arch].checked; }); }
      refresh();
    });
  });
  Object.keys(boxes).forEach(function (n) { boxes[n].addEventListener("change", refresh); });

  var holder = chart.querySelector("[data-chart-svg]");
  holder.appendChild(svg);
  holder.hidden = false;
  chart.classList.add("has-svg");

  // -- live price -----------------------------------------------------------------------------
  var tiers = JSON.parse(form.dataset.tiers || "[]");
  var currency = (form.dataset.currency || "usd").toUpperCase();
  var fmt = new Intl.NumberFormat(document.documentElement.lang || "en", { style: "currency", currency: currency });
  function unitPrice(q) {
    var price = null;
    tiers.forEach(function (t) { if (q >= t[0]) { price = t[1]; } });
    return price;
  }
  function quantity() {
    if (perArch) { return Object.keys(archBoxes).filter(function (a) { return archBoxes[a].checked; }).length; }
    return Object.keys(boxes).filter(function (n) { return boxes[n].checked; }).length;
  }

  function refresh() {
    Object.keys(boxes).forEach(function (n) {
      var on = boxes[n].checked;
      buttons[n].setAttribute("aria-pressed", on ? "true" : "false");
      var row = chart.querySelector('[data-tooth-row="' + n + '"]');
      if (row) { row.classList.toggle("is-chosen", on); }
    });
    var q = quantity();
    var price = unitPrice(q);
    form.querySelector("[data-quantity]").textContent = q;
    form.querySelector("[data-unit-price]").textContent = price === null ? "—" : fmt.format(price / 100);
    form.querySelector("[data-total]").textContent = price === null || !q ? "—" : fmt.format(price * q / 100);
  }
  refresh();
})();
