"""The explain page: its HTML skeleton, CSS and JavaScript (no libraries, nothing fetched).

:func:`dptoolkit._explain.page` fills ``%TITLE%``, ``%CSS%``, ``%DATA%``
(the run as JSON) and ``%JS%``. The script replays the run's events: event
``[0, i]`` is call ``i`` (a hit returns at once), ``[1, i]`` the return of
miss ``i``, which stores its value in the table.
"""

from __future__ import annotations

__all__ = ["CSS", "JS", "TEMPLATE"]

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%TITLE%</title>
<style>%CSS%</style>
</head>
<body>
<header>
  <h1 id="title"></h1>
  <p id="summary"></p>
  <p class="facts"><span class="k">instance</span> <code id="instance"></code>
     <span class="k">value</span> <code id="value"></code></p>
  <p class="facts" id="recurrence-line"><span class="k">recurrence</span> <code id="recurrence"></code></p>
</header>
<section id="modes" aria-label="which run to replay">replay
  <button id="mode-top_down" class="mode on" title="memoized recursion: the calls the goal needs">top_down: memoized recursion</button>
  <button id="mode-bottom_up" class="mode" title="the declared states, in order">bottom_up: the table in its order</button>
</section>
<section id="controls" aria-label="controls">
  <button id="reset" title="back to the start (Home)">&#x21E4; start</button>
  <button id="prev" title="one step back (←)">&#x25C0; back</button>
  <button id="play" title="play or pause (space)">&#x25B6; play</button>
  <button id="next" title="one step forward (→)">step &#x25B6;</button>
  <button id="end" title="jump to the end (End)">end &#x21E5;</button>
  <label>speed <select id="speed"><option value="900">slow</option>
    <option value="350" selected>normal</option><option value="90">fast</option></select></label>
  <input id="scrub" type="range" min="0" value="0" aria-label="step">
  <span id="step"></span>
</section>
<section id="counters" aria-label="counters">
  <div class="counter"><b id="calls">0</b><span>calls</span></div>
  <div class="counter miss"><b id="misses">0</b><span>misses (body ran)</span></div>
  <div class="counter hit"><b id="hits">0</b><span id="hits-label">hits (from the cache)</span></div>
  <div class="counter"><b id="filled">0</b><span id="filled-label">cells filled</span></div>
  <p id="status"></p>
</section>
<main>
  <section class="panel" id="table-panel"><h2>The table <small id="table-how">(top_down fills it in this order)</small></h2>
    <div id="table-box"></div><div id="table-legend" class="legend"></div><p id="table-note" class="note"></p></section>
  <section class="panel" id="tree-panel"><h2>The call tree <small>(the goal on top; each call below its caller)</small></h2>
    <div id="tree-box"></div><p id="tree-note" class="note" hidden>bottom_up makes no recursive calls: it
    computes every declared state once, in order, and each call of the body is a read of a cell filled
    before (a hit). The arrows on the table show what each state reads.</p>
    <div class="legend" id="tree-legend"><span class="sw miss"></span>computed (a miss)
      <span class="sw hit"></span>answered from the cache (a hit)
      <span class="sw live"></span>running now</div></section>
</main>
<section class="panel" id="witness-panel"><h2>The answer</h2><div id="witness"></div></section>
<section class="panel" id="growth-panel"><h2>Calls against n, every strategy</h2><div id="growth"></div>
  <p class="note" id="growth-note">naive recomputes shared subproblems, so its calls grow fastest; top_down computes each
  state once (plus one hit per extra read); bottom_up computes every declared state, needed or not.</p></section>
<footer>made by dptoolkit explain: one self-contained file, nothing fetched</footer>
<script type="application/json" id="data">%DATA%</script>
<script>%JS%</script>
</body>
</html>
"""

CSS = """
:root { --miss: #4c78a8; --hit: #f58518; --live: #f2c14e; --goal: #d62728; --path: #7b2cbf; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto;
  padding: 12px 20px 30px; max-width: 1500px; color: #1d1d1d; background: #fff; }
h1 { font-size: 22px; margin: 4px 0 2px; } h2 { font-size: 15px; margin: 0 0 6px; }
h2 small { font-weight: normal; color: #666; }
header p { margin: 2px 0; } .k { color: #666; margin-right: 4px; } .k + code { margin-right: 16px; }
code { font: 13px ui-monospace, Menlo, Consolas, monospace; background: #f4f4f4; padding: 1px 4px; border-radius: 3px; }
#value { font-weight: bold; }
#modes { margin: 10px 0 0; color: #444; } .mode { margin-left: 6px; }
.mode.on { background: #2b4c7e; color: #fff; border-color: #2b4c7e; }
#controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 10px 0 6px;
  padding: 8px; background: #f6f6f6; border-radius: 6px; }
button { font: inherit; padding: 4px 12px; border: 1px solid #bbb; border-radius: 4px; background: #fff; cursor: pointer; }
button:hover { background: #eef3fb; } button:disabled { color: #aaa; cursor: default; background: #fff; }
#play { min-width: 90px; font-weight: bold; }
#scrub { flex: 1; min-width: 160px; } #step { min-width: 120px; color: #444; }
#counters { display: flex; gap: 10px; align-items: stretch; flex-wrap: wrap; margin-bottom: 10px; }
.counter { border: 1px solid #ddd; border-radius: 6px; padding: 4px 12px; min-width: 96px; text-align: center; }
.counter b { display: block; font-size: 22px; } .counter span { font-size: 12px; color: #555; }
.counter.miss b { color: var(--miss); } .counter.hit b { color: var(--hit); }
#status { flex: 1; min-width: 300px; margin: 0; padding: 6px 10px; background: #fffbe9; border: 1px solid #f0e2a8;
  border-radius: 6px; display: flex; align-items: center; }
main { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 12px; }
#tree-panel { min-width: 0; } #table-panel .legend, #table-panel .note { max-width: 460px; }
.panel { border: 1px solid #ddd; border-radius: 6px; padding: 10px; margin-bottom: 12px; overflow: hidden; }
#tree-box, #table-box { overflow: auto; max-height: 560px; }
#tree-box { max-width: 100%; }
.legend { font-size: 12px; color: #444; margin-top: 6px; display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; }
.sw { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -2px; margin-right: 4px; }
.sw.miss { background: var(--miss); } .sw.hit { background: var(--hit); } .sw.live { background: var(--live); }
.ramp { display: inline-block; width: 90px; height: 12px; vertical-align: -2px; margin: 0 5px; border-radius: 2px; }
.note { font-size: 12px; color: #555; margin: 6px 0 0; }
svg text { font-family: system-ui, sans-serif; }
.node { transition: opacity .15s; } .node.off { display: none; }
.node rect { stroke: #fff; stroke-width: 1; } .node text { fill: #fff; font-size: 11px; pointer-events: none; }
.node.miss rect { fill: var(--miss); } .node.hit rect { fill: var(--hit); }
.node.live rect { fill: var(--live); } .node.live text { fill: #1d1d1d; }
.node.now rect { stroke: #111; stroke-width: 2.5; }
#now-label text { fill: #fff; font-size: 11px; }
.edge { stroke: #a9a9a9; stroke-width: 1.2; } .edge.off { display: none; }
.cell rect { stroke: #fff; stroke-width: 1; } .cell text { font-size: 12px; pointer-events: none; }
.cell.empty rect { fill: #fbfbfb; stroke: #e3e3e3; } .cell.empty text { display: none; }
.cell.live rect { fill: var(--live) !important; stroke: #fff; }
.cell.now rect { stroke: #111; stroke-width: 2.5; }
.cell.read rect { stroke: var(--hit); stroke-width: 2.5; }
.tick { font-size: 11px; fill: #444; } .axis { font-size: 12px; fill: #222; font-weight: bold; }
#witness { font-size: 14px; } #witness .field { margin: 2px 0; }
#witness-panel.pending #witness { color: #777; }
footer { color: #888; font-size: 12px; text-align: center; margin-top: 12px; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } }
"""

JS = r"""
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("data").textContent);
  var R = D.records, E = D.events, T = D.table;
  var NS = "http://www.w3.org/2000/svg";
  function $(id) { return document.getElementById(id); }
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function txt(parent, x, y, s, cls, anchor) {
    var t = el("text", {x: x, y: y, "class": cls || "", "text-anchor": anchor || "middle"}, parent);
    t.textContent = s; return t;
  }
  $("title").textContent = "explain: " + D.title;
  $("summary").textContent = D.summary;
  $("instance").textContent = D.instance;
  $("value").textContent = D.value;
  if (D.recurrence) $("recurrence").textContent = D.recurrence; else $("recurrence-line").style.display = "none";

  // ---- the table -------------------------------------------------------------
  var cells = [], tableSvg = null, arrows = null, pathLine = null, goalBox = null;
  var CS = 30, TL = 0, TT = 0;
  function cellCentre(c) { return [TL + c[1] * CS + CS / 2, TT + c[0] * CS + CS / 2]; }
  if (T && !T.skipped) {
    var widestTick = 1;
    T.rowTicks.forEach(function (t) { widestTick = Math.max(widestTick, t.length); });
    CS = T.cols > 24 ? 22 : T.cols <= 12 && T.rows <= 12 ? 38 : 30;
    TL = T.rows > 1 ? 26 + 6.4 * widestTick : 10;
    var twoNames = T.rows > 1 && T.rowName;  // the row axis's name on a line of its own
    TT = twoNames ? 56 : 40;
    var tw = Math.max(TL + T.cols * CS + 14, TL + 6.6 * (T.colName.length + 2),
                      12 + 6.6 * ((T.rowName || "").length + 2)), th = TT + T.rows * CS + 12;
    tableSvg = el("svg", {id: "table", width: tw, height: th, viewBox: "0 0 " + tw + " " + th}, $("table-box"));
    var defs = el("defs", {}, tableSvg);
    var marker = el("marker", {id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 5,
                              markerHeight: 5, orient: "auto-start-reverse"}, defs);
    el("path", {d: "M 0 0 L 10 5 L 0 10 z", fill: "#e4572e"}, marker);
    txt(tableSvg, TL, 12, T.colName + " \u2192", "axis", "start");
    if (twoNames) txt(tableSvg, 4, 30, "\u2193 " + T.rowName, "axis", "start");
    for (var c = 0; c < T.cols; c++) txt(tableSvg, TL + c * CS + CS / 2, TT - 6, T.colTicks[c], "tick");
    for (var r = 0; r < T.rows; r++) {
      if (T.rows > 1) txt(tableSvg, TL - 6, TT + r * CS + CS / 2 + 4, T.rowTicks[r], "tick", "end");
      cells[r] = [];
      for (var c2 = 0; c2 < T.cols; c2++) {
        var g2 = el("g", {"class": "cell empty"}, tableSvg);
        var fill = T.colours[r][c2];
        el("rect", {x: TL + c2 * CS, y: TT + r * CS, width: CS, height: CS, fill: fill}, g2);
        var t = txt(g2, TL + c2 * CS + CS / 2, TT + r * CS + CS / 2 + 4, T.texts[r][c2]);
        t.setAttribute("fill", dark(fill) ? "#fff" : "#1a1a1a");
        cells[r][c2] = g2;
      }
    }
    if (T.path && T.path.length > 1) {
      var d = [];
      for (var k = 1; k < T.path.length; k++) {
        var p = T.path[k - 1], q = T.path[k], a = cellCentre(p), b = cellCentre(q);
        var steps = Math.abs(p[0] - q[0]) + Math.abs(p[1] - q[1]);
        if ((p[0] === q[0] || p[1] === q[1]) && steps > 1) {
          var cx = (a[0] + b[0]) / 2 - (b[1] - a[1]) * 0.35, cy = (a[1] + b[1]) / 2 + (b[0] - a[0]) * 0.35;
          d.push("M" + a[0] + "," + a[1] + " Q" + cx + "," + cy + " " + b[0] + "," + b[1]);
        } else {
          d.push("M" + a[0] + "," + a[1] + " L" + b[0] + "," + b[1]);
        }
      }
      pathLine = el("g", {id: "witness-path", visibility: "hidden", opacity: 0.85}, tableSvg);
      el("path", {d: d.join(" "), fill: "none", stroke: "var(--path)", "stroke-width": 4, "stroke-linejoin": "round"}, pathLine);
      T.path.forEach(function (c) { var m = cellCentre(c); el("circle", {cx: m[0], cy: m[1], r: 4, fill: "var(--path)"}, pathLine); });
    }
    if (T.goal) {
      goalBox = el("rect", {x: TL + T.goal[1] * CS, y: TT + T.goal[0] * CS, width: CS, height: CS,
        fill: "none", stroke: "var(--goal)", "stroke-width": 3, id: "goal-cell"}, tableSvg);
    }
    arrows = el("g", {id: "arrows"}, tableSvg);
    var legend = $("table-legend");
    if (T.ramp) {
      var s = document.createElement("span");
      s.innerHTML = "<span class='k'></span>";
      s.firstChild.textContent = T.legend[0][1];
      var bar = document.createElement("span"); bar.className = "ramp";
      bar.style.background = "linear-gradient(to right, " + T.ramp.join(", ") + ")";
      s.appendChild(bar); s.appendChild(document.createTextNode(T.legend[1][1]));
      legend.appendChild(s);
      T.legend.slice(2).forEach(function (e) { addSwatch(legend, e[0], e[1]); });
    } else {
      T.legend.forEach(function (e) { addSwatch(legend, e[0], e[1]); });
    }
    addSwatch(legend, "#d62728", "goal (outlined)", true);
    if (pathLine) addSwatch(legend, "#7b2cbf", "witness path (at the end)");
    addSwatch(legend, "#e4572e", "arrows: the cells the current one reads");
    $("table-note").textContent = (T.note ? "Shown: " + T.note + ". " : "") +
      "A yellow cell is being computed; a cell takes its colour when its value is stored.";
  } else {
    $("table-box").textContent = T && T.skipped ? T.skipped : "This run keeps no table to show.";
  }
  function addSwatch(parent, colour, text, outline) {
    var s = document.createElement("span");
    var sw = document.createElement("span"); sw.className = "sw";
    if (outline) { sw.style.border = "2px solid " + colour; } else { sw.style.background = colour; }
    s.appendChild(sw); s.appendChild(document.createTextNode(text)); parent.appendChild(s);
  }
  function dark(hex) {
    var r = parseInt(hex.substr(1, 2), 16) / 255, g = parseInt(hex.substr(3, 2), 16) / 255, b = parseInt(hex.substr(5, 2), 16) / 255;
    return 0.299 * r + 0.587 * g + 0.114 * b < 0.55;
  }
  function arrow(from, to) {
    // straight from the current cell to the one it reads, unless that line would run
    // through the cells in between (same row or column, not adjacent): then bent
    var a = cellCentre(from), b = cellCentre(to), dx = b[0] - a[0], dy = b[1] - a[1];
    var len = Math.sqrt(dx * dx + dy * dy) || 1, steps = Math.abs(from[0] - to[0]) + Math.abs(from[1] - to[1]);
    var bend = (from[0] === to[0] || from[1] === to[1]) && steps > 1 ? Math.min(0.3 * len, 30) : 0;
    var cx = (a[0] + b[0]) / 2 - dy / len * bend, cy = (a[1] + b[1]) / 2 + dx / len * bend;
    var s = CS * 0.22, ux = (cx - a[0]), uy = (cy - a[1]), ul = Math.hypot(ux, uy) || 1;
    var vx = (b[0] - cx), vy = (b[1] - cy), vl = Math.hypot(vx, vy) || 1;
    var sx = a[0] + ux / ul * s, sy = a[1] + uy / ul * s, ex = b[0] - vx / vl * s, ey = b[1] - vy / vl * s;
    el("path", {d: "M" + sx + "," + sy + " Q" + cx + "," + cy + " " + ex + "," + ey, fill: "none",
      stroke: "#e4572e", "stroke-width": 2, "marker-end": "url(#arrow)", "class": "dep"}, arrows);
  }

  // ---- the call tree -------------------------------------------------------
  var widest = 1;
  R.forEach(function (r) { widest = Math.max(widest, r.label.length); });
  var PAD = 14, maxX = 0, maxD = 0;
  R.forEach(function (r) { maxX = Math.max(maxX, r.x); maxD = Math.max(maxD, r.depth); });
  var boxW = Math.max(300, $("tree-box").clientWidth || 600), full = Math.max(24, 6.6 * widest + 12);
  // a tree wider than its panel is drawn small (dots), so its whole shape shows; the
  // current call is labelled, and every dot names its call on hover
  var compact = (maxX + 1) * full + 2 * PAD > boxW * 2.2;  // up to twice as wide: labelled, scrolled
  var DX = compact ? Math.max(6, (boxW - 2 * PAD - 4) / (maxX + 1)) : full, DY = compact ? 30 : 42;
  var treeW = PAD * 2 + (maxX + 1) * DX, treeH = PAD * 2 + 22 + (maxD + 1) * DY;
  var tree = el("svg", {id: "tree", width: treeW, height: treeH, viewBox: "0 0 " + treeW + " " + treeH}, $("tree-box"));
  function pos(i) { return [PAD + DX / 2 + R[i].x * DX, PAD + 22 + R[i].depth * DY]; }
  var edges = [], nodes = [];
  R.forEach(function (r, i) {
    if (r.parent >= 0) {
      var a = pos(r.parent), b = pos(i);
      edges[i] = el("line", {x1: a[0], y1: a[1], x2: b[0], y2: b[1], "class": "edge off"}, tree);
    }
  });
  R.forEach(function (r, i) {
    var p = pos(i), w = 6.6 * r.label.length + 10;
    var g = el("g", {"class": "node off", "data-i": i}, tree);
    if (compact) {
      var rad = Math.max(2.5, Math.min(7, DX * 0.42));
      el("rect", {x: p[0] - rad, y: p[1] - rad, width: 2 * rad, height: 2 * rad, rx: rad}, g);
    } else {
      el("rect", {x: p[0] - w / 2, y: p[1] - 10, width: w, height: 20, rx: 5}, g);
      txt(g, p[0], p[1] + 4, r.label);
    }
    var title = el("title", {}, g);
    title.textContent = r.name + " = " + r.value + (r.hit ? " (hit: from the cache)" : "");
    nodes[i] = g;
  });
  var nowLabel = el("g", {id: "now-label", visibility: "hidden"}, tree);
  var nowRect = el("rect", {rx: 4, fill: "#111", opacity: 0.85}, nowLabel);
  var nowText = txt(nowLabel, 0, 0, "", "now-text");
  function labelNow(i) {
    if (!compact || i === null) { nowLabel.setAttribute("visibility", "hidden"); return; }
    var p = pos(i), s = R[i].label, w = 6.6 * s.length + 10;
    var x = Math.min(Math.max(p[0], w / 2 + 2), treeW - w / 2 - 2), y = p[1] - 16;
    nowText.textContent = s; nowText.setAttribute("x", x); nowText.setAttribute("y", y + 4);
    nowRect.setAttribute("x", x - w / 2); nowRect.setAttribute("y", y - 10);
    nowRect.setAttribute("width", w); nowRect.setAttribute("height", 19);
    nowLabel.setAttribute("visibility", "visible");
  }

  // ---- the witness and the growth plot -------------------------------------
  var fields = Object.keys(D.witness);
  function showWitness(done) {
    var box = $("witness"); box.innerHTML = "";
    var lines = [["value", D.value]].concat(fields.map(function (f) { return [f, D.witness[f]]; }));
    if (!done) {
      box.textContent = "Step to the end to see the answer: the goal's value" +
        (fields.length ? " and its witness (" + fields.join(", ") + "), read back along the recorded choices." : ".");
      $("witness-panel").className = "panel pending"; return;
    }
    $("witness-panel").className = "panel";
    lines.forEach(function (l) {
      var p = document.createElement("div"); p.className = "field";
      var k = document.createElement("span"); k.className = "k"; k.textContent = l[0];
      var v = document.createElement("code"); v.textContent = l[1];
      p.appendChild(k); p.appendChild(v); box.appendChild(p);
    });
    if (pathLine) { var n = document.createElement("p"); n.className = "note";
      n.textContent = "The purple line on the table is the witness path: from the goal, each cell's recorded choice leads to the next.";
      box.appendChild(n); }
  }
  $("growth").innerHTML = D.growth.svg || "<p class='note'>No family of sizes for this goal (it is not a tuple of integers).</p>";
  if (!D.growth.svg) $("growth-note").style.display = "none";

  // ---- replay ------------------------------------------------------------------
  var step = 0, timer = null, scrub = $("scrub"), mode = "top_down", BU = D.bottomUp;
  function total() { return mode === "top_down" ? E.length : BU.steps.length; }
  scrub.max = E.length;
  if (!BU) $("mode-bottom_up").disabled = true;
  function setMode(m) {
    pause(); mode = m; scrub.max = total();
    $("mode-top_down").className = "mode" + (m === "top_down" ? " on" : "");
    $("mode-bottom_up").className = "mode" + (m === "bottom_up" ? " on" : "");
    $("tree").style.display = m === "top_down" ? "" : "none";
    $("tree-note").hidden = m === "top_down";
    $("tree-legend").style.display = m === "top_down" ? "" : "none";
    $("hits-label").textContent = m === "top_down" ? "hits (from the cache)" : "hits (reads of the table)";
    $("table-how").textContent = m === "top_down" ? "(top_down fills it in this order)" : "(bottom_up fills every declared state, in order)";
    go(0);
  }
  $("mode-top_down").onclick = function () { setMode("top_down"); };
  $("mode-bottom_up").onclick = function () { if (BU) setMode("bottom_up"); };
  var cellCount = 0;
  if (T && !T.skipped) cellCount = T.rows * T.cols;
  function children(i) { var out = []; for (var j = i + 1; j < R.length; j++) { if (R[j].parent === i) out.push(j); } return out; }
  function renderBottomUp() {
    var S = BU.steps, misses = 0, hits = 0, filled = {}, last = step > 0 ? S[step - 1] : null;
    for (var s = 0; s < step; s++) {
      misses++; hits += S[s].reads.length;
      if (S[s].cell) filled[S[s].cell[0] + "," + S[s].cell[1]] = true;
    }
    for (var r = 0; r < cells.length; r++) for (var c = 0; c < cells[r].length; c++) {
      cells[r][c].setAttribute("class", filled[r + "," + c] ? "cell" : "cell empty");
    }
    while (arrows.firstChild) arrows.removeChild(arrows.firstChild);
    var done = step === S.length;
    if (last && last.cell && !done) {
      cells[last.cell[0]][last.cell[1]].setAttribute("class", "cell now");
      last.reads.forEach(function (to) { arrow(last.cell, to); });
    }
    if (pathLine) pathLine.setAttribute("visibility", done ? "visible" : "hidden");
    $("calls").textContent = misses + hits; $("hits").textContent = hits; $("misses").textContent = misses;
    $("filled").textContent = misses + (cellCount ? " / " + cellCount : "");
    $("step").textContent = "step " + step + " of " + S.length;
    scrub.value = step;
    if (!last) $("status").textContent = "Press play or step to replay the bottom-up run: every declared state, in order, each reading cells filled before.";
    else if (done) $("status").textContent = "Done: all " + S.length + " states computed in order, with " + hits +
      " reads of cells filled before" + (S.length > D.misses ? "; " + (S.length - D.misses) + " of them the goal never needed (top_down skips those)." : ".");
    else $("status").textContent = last.name + " = " + last.value + (last.readNames.length ? " from " + last.readNames.join(", ") + " (read from the table)" : " (a base case)") + "; stored in the table.";
    $("prev").disabled = $("reset").disabled = step === 0;
    $("next").disabled = $("end").disabled = done;
    showWitness(done);
  }
  function render() {
    if (mode === "bottom_up") { renderBottomUp(); return; }
    var calls = 0, hits = 0, misses = 0, filled = 0, live = {}, last = null;
    var state = new Array(R.length);  // undefined: not called; "live" / "miss" / "hit"
    var fillState = {};
    for (var s = 0; s < step; s++) {
      var ev = E[s], i = ev[1];
      if (ev[0] === 0) {
        calls++; if (R[i].hit) { hits++; state[i] = "hit"; } else { misses++; state[i] = "live"; }
      } else {
        state[i] = "miss"; filled++;
        if (R[i].cell) fillState[R[i].cell[0] + "," + R[i].cell[1]] = true;
      }
      last = ev;
    }
    for (var k = 0; k < R.length; k++) {
      var cls = state[k] ? "node " + state[k] : "node off";
      if (last && last[1] === k) cls += " now";
      nodes[k].setAttribute("class", cls);
      if (edges[k]) edges[k].setAttribute("class", state[k] ? "edge" : "edge off");
    }
    if (cells.length) {
      for (var r = 0; r < cells.length; r++) for (var c = 0; c < cells[r].length; c++) {
        cells[r][c].setAttribute("class", fillState[r + "," + c] ? "cell" : "cell empty");
      }
      for (var k2 = 0; k2 < R.length; k2++) {
        if (state[k2] === "live" && R[k2].cell) cells[R[k2].cell[0]][R[k2].cell[1]].setAttribute("class", "cell empty live");
      }
      while (arrows.firstChild) arrows.removeChild(arrows.firstChild);
      if (last && step < E.length) {
        var cur = R[last[1]];
        if (cur.cell) {
          var g = cells[cur.cell[0]][cur.cell[1]];
          g.setAttribute("class", g.getAttribute("class") + (cur.hit ? " read" : " now"));
          if (last[0] === 1) {
            children(last[1]).forEach(function (j) { if (R[j].cell) arrow(cur.cell, R[j].cell); });
          } else if (cur.hit && cur.parent >= 0 && R[cur.parent].cell) {
            arrow(R[cur.parent].cell, cur.cell);
          }
        }
      }
      var done = step === E.length;
      if (pathLine) pathLine.setAttribute("visibility", done ? "visible" : "hidden");
    }
    $("calls").textContent = calls; $("hits").textContent = hits; $("misses").textContent = misses;
    $("filled").textContent = filled + (cellCount ? " / " + cellCount : "");
    $("filled-label").textContent = cellCount ? "cells filled / in the table" : "states stored";
    $("step").textContent = "step " + step + " of " + E.length;
    scrub.value = step;
    $("status").textContent = describe(last, step);
    $("prev").disabled = $("reset").disabled = step === 0;
    $("next").disabled = $("end").disabled = step === E.length;
    showWitness(step === E.length);
    labelNow(last ? last[1] : null);
    if (last) scrollInto(nodes[last[1]]);
  }
  function describe(ev, s) {
    if (!ev) return "Press play or step to replay the memoized (top_down) run of " + D.goal + ", one call at a time.";
    var r = R[ev[1]], caller = r.parent >= 0 ? " (called by " + R[r.parent].name + ")" : " (the goal)";
    if (s === E.length) {
      var unused = cellCount ? cellCount - D.misses : 0;
      return "Done: " + D.goal + " = " + D.traceValue + " after " + D.calls + " calls: " + D.misses + " computed, " +
        D.hits + " answered from the cache." + (unused > 0 ? " " + unused + " cells of the table were never needed." : "");
    }
    if (ev[0] === 0 && r.hit) return r.name + " = " + r.value + ": a hit, read from the cache" + caller + ".";
    if (ev[0] === 0) return "call " + r.name + caller + ": not in the cache yet, so its body runs.";
    var kids = children(ev[1]).map(function (j) { return R[j].name; });
    return r.name + " = " + r.value + (kids.length ? " from " + kids.join(", ") : " (a base case)") + "; stored in the cache.";
  }
  function scrollInto(node) {
    var box = $("tree-box"), b = node.getBBox ? node.getBBox() : null;
    if (!b) return;
    var left = b.x - box.clientWidth / 2, top = b.y - box.clientHeight / 2;
    if (b.x < box.scrollLeft + 20 || b.x > box.scrollLeft + box.clientWidth - 40) box.scrollLeft = Math.max(0, left);
    if (b.y < box.scrollTop + 20 || b.y > box.scrollTop + box.clientHeight - 40) box.scrollTop = Math.max(0, top);
  }
  function go(s) { step = Math.max(0, Math.min(total(), s)); render(); }
  function pause() { if (timer) { clearInterval(timer); timer = null; } $("play").innerHTML = "&#x25B6; play"; }
  function play() {
    if (step === total()) go(0);
    $("play").innerHTML = "&#x275A;&#x275A; pause";
    timer = setInterval(function () { if (step >= total()) { pause(); return; } go(step + 1); }, +$("speed").value);
  }
  $("play").onclick = function () { if (timer) pause(); else play(); };
  $("next").onclick = function () { pause(); go(step + 1); };
  $("prev").onclick = function () { pause(); go(step - 1); };
  $("reset").onclick = function () { pause(); go(0); };
  $("end").onclick = function () { pause(); go(total()); };
  $("speed").onchange = function () { if (timer) { pause(); play(); } };
  scrub.oninput = function () { pause(); go(+scrub.value); };
  document.addEventListener("keydown", function (e) {
    if (e.target && e.target.tagName === "SELECT") return;
    if (e.key === "ArrowRight") { pause(); go(step + 1); }
    else if (e.key === "ArrowLeft") { pause(); go(step - 1); }
    else if (e.key === " ") { e.preventDefault(); if (timer) pause(); else play(); }
    else if (e.key === "Home") { pause(); go(0); }
    else if (e.key === "End") { pause(); go(total()); }
  });
  var m = /[#&]step=(\d+)/.exec(location.hash);
  if (/[#&]mode=bottom_up/.test(location.hash) && BU) setMode("bottom_up");
  go(m ? +m[1] : 0);
})();
"""
