/* ember.js: the interactive views of the report and the web app, in plain JavaScript.
 *
 *   EmberViews.mountMap(el, data, options)       data: report/views.py map_data()
 *   EmberViews.mountTimeline(el, data, options)  data: report/views.py timeline_data()
 *   EmberViews.mountReport(document)             the report page: reads #ember-data
 *   EmberViews.eventMatches(event, filters), EmberViews.entryMatches(entry, filters)
 *
 * mountMap and mountTimeline return {update(visibleIds)}: a Set of event ids to show, or
 * null for all. mountMap also returns select(id). options.docHref(docId) gives the link
 * to a document (default "#doc-<id>", the report's sources list).
 *
 * Every string from a document reaches the page through textContent or setAttribute on
 * a harmless attribute (data-*, aria-label, title); never innerHTML, never an href. */
(function (root) {
  "use strict";

  const SVG_NS = "http://www.w3.org/2000/svg";
  const LAYERS = ["land", "lakes", "admin1", "admin0", "coast"];
  const MAX_ZOOM = 24;
  const DRAG_THRESHOLD = 4; // view-box pixels before a press becomes a drag, not a click

  // --- building nodes --------------------------------------------------------------

  function setAttrs(node, attrs) {
    Object.keys(attrs || {}).forEach((name) => {
      const value = attrs[name];
      if (value !== null && value !== undefined) node.setAttribute(name, String(value));
    });
    return node;
  }

  function html(tag, attrs, text) {
    const node = setAttrs(document.createElement(tag), attrs);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attrs, text) {
    const node = setAttrs(document.createElementNS(SVG_NS, tag), attrs);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function number(n) {
    return Number(n).toLocaleString("en");
  }

  function plural(n, noun, many) {
    return number(n) + " " + (n === 1 ? noun : many || noun + "s");
  }

  function defaultDocHref(id) {
    return "#doc-" + encodeURIComponent(id);
  }

  // --- filters ---------------------------------------------------------------------

  // ISO dates compare as strings. With a period set, what has no date is left out.
  function overlaps(start, end, from, to) {
    if (!from && !to) return true;
    if (!start) return false;
    const last = end || start;
    return (!from || last >= from) && (!to || start <= to);
  }

  function eventMatches(event, f) {
    return (!f.type || event.type === f.type)
      && (!f.actor || event.actors.indexOf(f.actor) >= 0)
      && (!f.place || event.places.indexOf(f.place) >= 0)
      && overlaps(event.date.start, event.date.end, f.from, f.to);
  }

  // A ledger estimate: by actor, place and the date its figure held; not by event type.
  function entryMatches(entry, f) {
    return (!f.actor || entry.actor === f.actor)
      && (!f.place || (entry.places || []).indexOf(f.place) >= 0)
      && overlaps(entry.start, entry.end, f.from, f.to);
  }

  // --- legend ----------------------------------------------------------------------

  function legend(types, counts) {
    const list = html("ul", { class: "legend" });
    types.forEach((t) => {
      const item = html("li", { "data-type": t.name });
      const swatch = html("span", { class: "swatch" });
      swatch.style.background = t.colour;
      item.appendChild(swatch);
      item.appendChild(html("span", { class: "name" }, t.name));
      item.appendChild(html("span", { class: "n" }, counts ? number(counts[t.name] || 0) : ""));
      list.appendChild(item);
    });
    return list;
  }

  function updateLegend(list, counts) {
    list.querySelectorAll("li[data-type]").forEach((item) => {
      const n = item.querySelector(".n");
      if (n) n.textContent = number(counts[item.getAttribute("data-type")] || 0);
    });
  }

  // --- the map ---------------------------------------------------------------------

  function markerLabel(f) {
    const where = f.place ? f.place + (f.precision === 3 ? " (province or country only)" : "") : "no place named";
    const parts = [f.sub_type, f.date_label, where];
    if (f.fatalities !== null && f.fatalities !== undefined) parts.push(f.fatalities + " killed");
    parts.push(plural(f.reports, "report"));
    return parts.join(" · ");
  }

  function infoRow(list, label, value) {
    if (value === null || value === undefined || value === "") return;
    list.appendChild(html("dt", null, label));
    list.appendChild(html("dd", null, value));
  }

  function fatalityText(f) {
    if (f.fatalities === null || f.fatalities === undefined) return "unknown";
    let text = number(f.fatalities) + " (lowest credible figure)";
    if (f.fatalities_reported && f.fatalities_reported.length > 1) {
      text += "; reported: " + f.fatalities_reported.map(number).join(", ");
    }
    return text;
  }

  function showInfo(panel, f, docHref) {
    clear(panel);
    panel.appendChild(html("h4", null, f.sub_type));
    panel.appendChild(html("div", { class: "muted" }, f.type));
    const facts = html("dl");
    infoRow(facts, "Date", f.date_label);
    infoRow(facts, "Place", [f.place].concat(f.places.slice(1)).filter(Boolean).join(", ") || "—");
    infoRow(facts, "Actors", f.actors.length ? f.actors.join("; ") : "—");
    infoRow(facts, "Killed", fatalityText(f));
    infoRow(facts, "Wounded", f.wounded);
    infoRow(facts, "Arrested", f.arrested);
    infoRow(facts, "Kidnapped", f.kidnapped);
    panel.appendChild(facts);
    if (f.text) panel.appendChild(html("p", { class: "muted" }, "“" + f.text.trim() + "”"));
    panel.appendChild(html("strong", null, plural(f.reports, "report") + ":"));
    const sources = html("ul");
    (f.sources || []).forEach((s) => {
      const page = s.page ? ", p. " + s.page : "";
      const link = html("a", null, s.outlet + " — " + (s.title || "(untitled)") + " (" + s.date + page + ")");
      link.setAttribute("href", docHref(s.id));
      const item = html("li");
      item.appendChild(link);
      sources.appendChild(item);
    });
    panel.appendChild(sources);
  }

  function mountMap(container, data, options) {
    const opts = options || {};
    const docHref = opts.docHref || defaultDocHref;
    clear(container);
    const frame = html("div", { class: "ember-map-frame" });
    container.appendChild(frame);
    if (!data || !data.basemap) {
      frame.appendChild(html("p", { class: "empty" }, "No event has coordinates: there is nothing to map."));
      return { update() {}, select() {} };
    }
    const bm = data.basemap;
    const proj = bm.projection;
    const W = bm.width;
    const H = bm.height;

    const stage = html("div", { class: "ember-map-stage" });
    const map = svg("svg", {
      class: "ember-map", viewBox: "0 0 " + W + " " + H, role: "group",
      "aria-label": "Map of events: drag to pan, wheel or buttons to zoom",
    });
    map.appendChild(svg("rect", { class: "sea", x: 0, y: 0, width: W, height: H }));
    const view = svg("g", { class: "viewport" });
    LAYERS.forEach((name) => {
      if (bm.layers[name]) view.appendChild(svg("path", { class: name, d: bm.layers[name] }));
    });
    const layer = svg("g", { class: "markers" });
    view.appendChild(layer);
    map.appendChild(view);
    stage.appendChild(map);

    const markers = {};
    data.features.forEach((f) => {
      const x = (f.lon - proj.west) * proj.kx;
      const y = (proj.north - f.lat) * proj.ky;
      const circle = svg("circle", {
        class: "marker" + (f.corroborated ? " corroborated" : "") + (f.precision === 3 ? " area" : ""),
        cx: x.toFixed(1), cy: y.toFixed(1), r: f.r, fill: f.colour,
        "data-type": f.type, "data-id": f.id, tabindex: 0, role: "button",
        "aria-label": markerLabel(f),
      });
      circle.appendChild(svg("title", null, markerLabel(f)));
      if (f.precision === 3) circle.style.stroke = f.colour;  // an area, ringed in its colour
      layer.appendChild(circle);
      markers[f.id] = { feature: f, node: circle };
    });

    const controls = html("div", { class: "map-controls" });
    const zoomIn = html("button", { type: "button", class: "map-zoom-in", "aria-label": "Zoom in", title: "Zoom in" }, "+");
    const zoomOut = html("button", { type: "button", class: "map-zoom-out", "aria-label": "Zoom out", title: "Zoom out" }, "−");
    const reset = html("button", { type: "button", class: "map-reset", "aria-label": "Show the whole map", title: "Show the whole map" }, "⟲");
    [zoomIn, zoomOut, reset].forEach((b) => controls.appendChild(b));
    stage.appendChild(controls);
    frame.appendChild(stage);

    const side = html("div", { class: "map-side" });
    const info = html("div", { class: "map-info", "aria-live": "polite" });
    info.appendChild(html("p", { class: "hint" }, "Click a marker to see the event, every figure reported and its sources."));
    side.appendChild(info);
    const counts = {};
    data.features.forEach((f) => { counts[f.type] = (counts[f.type] || 0) + 1; });
    const key = legend(data.types || [], counts);
    side.appendChild(key);
    side.appendChild(html("div", { class: "legend size" }, "Marker area grows with the lowest credible death toll; a dark ring marks an event several reports tell."));
    frame.appendChild(side);

    // Pan and zoom: the viewport group is translated then scaled; markers keep their
    // screen size (radius divided by the zoom).
    const state = { k: 1, x: 0, y: 0 };
    function apply() {
      view.setAttribute("transform", "translate(" + state.x.toFixed(2) + " " + state.y.toFixed(2) + ") scale(" + state.k.toFixed(4) + ")");
      Object.keys(markers).forEach((id) => {
        markers[id].node.setAttribute("r", (markers[id].feature.r / state.k).toFixed(2));
      });
    }
    function clampPan() {
      state.x = Math.min(0, Math.max(W - W * state.k, state.x));
      state.y = Math.min(0, Math.max(H - H * state.k, state.y));
    }
    function zoomAt(px, py, factor) {
      const k = Math.max(1, Math.min(MAX_ZOOM, state.k * factor));
      const ratio = k / state.k;
      state.x = px - (px - state.x) * ratio;
      state.y = py - (py - state.y) * ratio;
      state.k = k;
      clampPan();
      apply();
    }
    function toView(evt) {
      const ctm = map.getScreenCTM();
      if (!ctm) return { x: W / 2, y: H / 2 };
      const point = map.createSVGPoint();
      point.x = evt.clientX;
      point.y = evt.clientY;
      const p = point.matrixTransform(ctm.inverse());
      return { x: p.x, y: p.y };
    }
    map.addEventListener("wheel", (evt) => {
      evt.preventDefault();
      const p = toView(evt);
      const step = evt.deltaMode === 1 ? 0.05 : 0.0015;
      zoomAt(p.x, p.y, Math.exp(-evt.deltaY * step));
    }, { passive: false });
    map.addEventListener("dblclick", (evt) => {
      const p = toView(evt);
      zoomAt(p.x, p.y, evt.shiftKey ? 0.5 : 2);
    });
    zoomIn.addEventListener("click", () => zoomAt(W / 2, H / 2, 1.6));
    zoomOut.addEventListener("click", () => zoomAt(W / 2, H / 2, 1 / 1.6));
    reset.addEventListener("click", () => { state.k = 1; state.x = 0; state.y = 0; apply(); });

    let drag = null;
    let dragged = false;
    map.addEventListener("pointerdown", (evt) => {
      if (evt.button !== 0) return;
      drag = { id: evt.pointerId, start: toView(evt), x: state.x, y: state.y };
      dragged = false;
    });
    map.addEventListener("pointermove", (evt) => {
      if (!drag || evt.pointerId !== drag.id) return;
      const p = toView(evt);
      const dx = p.x - drag.start.x;
      const dy = p.y - drag.start.y;
      if (!dragged && Math.abs(dx) + Math.abs(dy) < DRAG_THRESHOLD) return;
      if (!dragged) {
        dragged = true;
        map.classList.add("dragging");
        map.setPointerCapture(evt.pointerId);
      }
      state.x = drag.x + dx;
      state.y = drag.y + dy;
      clampPan();
      apply();
    });
    function endDrag(evt) {
      if (!drag || evt.pointerId !== drag.id) return;
      drag = null;
      map.classList.remove("dragging");
    }
    map.addEventListener("pointerup", endDrag);
    map.addEventListener("pointercancel", endDrag);

    let selected = null;
    function select(id) {
      const marker = markers[id];
      if (!marker) return;
      if (selected) selected.node.classList.remove("selected");
      selected = marker;
      marker.node.classList.add("selected");
      showInfo(info, marker.feature, docHref);
    }
    layer.addEventListener("click", (evt) => {
      if (dragged) return;
      const id = evt.target.getAttribute && evt.target.getAttribute("data-id");
      if (id) select(id);
    });
    layer.addEventListener("keydown", (evt) => {
      if (evt.key !== "Enter" && evt.key !== " ") return;
      const id = evt.target.getAttribute && evt.target.getAttribute("data-id");
      if (id) { evt.preventDefault(); select(id); }
    });

    function update(visible) {
      const shown = {};
      Object.keys(markers).forEach((id) => {
        const on = !visible || visible.has(id);
        if (on) {
          markers[id].node.removeAttribute("display");
          const type = markers[id].feature.type;
          shown[type] = (shown[type] || 0) + 1;
        } else {
          markers[id].node.setAttribute("display", "none");
        }
      });
      updateLegend(key, shown);
    }

    apply();
    return { update, select, svg: map };
  }

  // --- the timeline ----------------------------------------------------------------

  function niceStep(max) {
    const rough = Math.max(max / 4, 1);
    const power = Math.pow(10, Math.floor(Math.log10(rough)));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough);
    return Math.max(1, step);
  }

  // Which period keys get a label: years for long monthly series, else every nth key.
  function labelled(keys, period, barWidth) {
    const marks = [];
    if (period === "month" && keys.length > 24) {
      const every = Math.max(1, Math.ceil(48 / (barWidth * 12)));
      keys.forEach((k, i) => {
        const year = Number(k.slice(0, 4));
        if (k.slice(5, 7) === "01" && year % every === 0) marks.push([i, k.slice(0, 4)]);
      });
      return marks;
    }
    const step = Math.max(1, Math.ceil(70 / barWidth));
    keys.forEach((k, i) => { if (i % step === 0) marks.push([i, k]); });
    return marks;
  }

  function mountTimeline(container, data, options) {
    const opts = options || {};
    const W = opts.width || 960;
    const H = opts.height || 230;
    const M = { left: 40, right: 12, top: 12, bottom: 30 };
    clear(container);
    let period = data.default_period || "month";
    let visible = null;

    const controls = html("div", { class: "timeline-controls", role: "group", "aria-label": "Period" });
    const buttons = {};
    ["week", "month"].forEach((p) => {
      const button = html("button", { type: "button", "data-period": p }, "By " + p);
      button.addEventListener("click", () => { period = p; render(); });
      buttons[p] = button;
      controls.appendChild(button);
    });
    const note = html("p", { class: "note" });
    controls.appendChild(note);
    const chart = html("div", { class: "timeline-chart" });
    const key = legend(data.types || [], null);
    container.appendChild(controls);
    container.appendChild(chart);
    container.appendChild(key);

    function render() {
      Object.keys(buttons).forEach((p) => buttons[p].setAttribute("aria-pressed", String(p === period)));
      const keys = (data.periods && data.periods[period]) || [];
      const index = {};
      keys.forEach((k, i) => { index[k] = i; });
      const stacks = keys.map(() => ({}));
      const totals = keys.map(() => 0);
      let shown = 0;
      let unplaced = 0;
      data.events.forEach((e) => {
        if (visible && !visible.has(e.id)) return;
        shown += 1;
        const i = e[period] ? index[e[period]] : undefined;
        if (i === undefined) { unplaced += 1; return; }
        stacks[i][e.type] = (stacks[i][e.type] || 0) + 1;
        totals[i] += 1;
      });
      note.textContent = unplaced
        ? plural(unplaced, "event") + " of " + number(shown) + " not placed: undated, or dated less precisely than a " + period + "."
        : plural(shown, "event") + " shown.";
      clear(chart);
      if (!keys.length) {
        chart.appendChild(html("p", { class: "empty" }, "No dated events to chart."));
        return;
      }
      const innerW = W - M.left - M.right;
      const innerH = H - M.top - M.bottom;
      const step = niceStep(Math.max(1, ...totals));
      const top = Math.max(step, Math.ceil(Math.max(1, ...totals) / step) * step);
      const plot = svg("svg", { class: "ember-timeline", viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "Events per " + period + " by type" });
      const grid = svg("g", { class: "grid axis", transform: "translate(" + M.left + " " + M.top + ")" });
      for (let v = 0; v <= top; v += step) {
        const y = innerH - (v / top) * innerH;
        grid.appendChild(svg("line", { x1: 0, x2: innerW, y1: y.toFixed(1), y2: y.toFixed(1) }));
        grid.appendChild(svg("text", { x: -6, y: (y + 4).toFixed(1), "text-anchor": "end" }, number(v)));
      }
      plot.appendChild(grid);
      const bars = svg("g", { class: "bars", transform: "translate(" + M.left + " " + M.top + ")" });
      const slot = innerW / keys.length;
      const gap = slot > 6 ? slot * 0.18 : 0;
      const types = (data.types || []).map((t) => t);
      keys.forEach((k, i) => {
        let base = innerH;
        types.forEach((t) => {
          const n = stacks[i][t.name];
          if (!n) return;
          const h = (n / top) * innerH;
          base -= h;
          const bar = svg("rect", {
            class: "bar", x: (i * slot + gap / 2).toFixed(2), y: base.toFixed(2),
            width: Math.max(slot - gap, 0.8).toFixed(2), height: h.toFixed(2), fill: t.colour,
            "data-type": t.name, "data-period": k, "data-count": n,
          });
          bar.appendChild(svg("title", null, k + " · " + t.name + ": " + plural(n, "event")));
          bars.appendChild(bar);
        });
      });
      plot.appendChild(bars);
      const axis = svg("g", { class: "axis", transform: "translate(" + M.left + " " + (M.top + innerH) + ")" });
      axis.appendChild(svg("line", { x1: 0, x2: innerW, y1: 0, y2: 0 }));
      labelled(keys, period, slot).forEach(([i, text]) => {
        const x = (i * slot + slot / 2).toFixed(1);
        axis.appendChild(svg("line", { x1: x, x2: x, y1: 0, y2: 4 }));
        axis.appendChild(svg("text", { x: x, y: 18, "text-anchor": "middle" }, text));
      });
      plot.appendChild(axis);
      chart.appendChild(plot);
    }

    render();
    return {
      update(ids) { visible = ids; render(); },
      setPeriod(p) { if (data.periods && data.periods[p]) { period = p; render(); } },
    };
  }

  // --- the report page -------------------------------------------------------------

  function mountReport(doc) {
    const source = doc.getElementById("ember-data");
    if (!source) return null;
    const data = JSON.parse(source.textContent);
    const outside = new Set((data.map && data.map.outside) || []);
    const features = data.events
      .filter((e) => e.lat !== null && e.lon !== null && !outside.has(e.id))
      .sort((a, b) => b.r - a.r);
    const map = mountMap(doc.getElementById("map"), {
      basemap: data.map ? data.map.basemap : null, features, types: data.map ? data.map.types : [],
    });
    const timeline = mountTimeline(doc.getElementById("timeline"), data.timeline);

    const field = (id) => doc.getElementById(id);
    const inputs = {
      actor: field("filter-actor"), place: field("filter-place"), type: field("filter-type"),
      from: field("filter-from"), to: field("filter-to"),
    };
    const entries = {};
    data.ledger.groups.forEach((g) => g.entries.forEach((e) => { entries[e.id] = e; }));
    const eventRows = doc.querySelectorAll("#events-table tbody tr[data-event-id]");
    const groups = doc.querySelectorAll("#ledger .ledger-group");

    function filters() {
      const f = {};
      Object.keys(inputs).forEach((name) => { f[name] = inputs[name] ? inputs[name].value : ""; });
      return f;
    }

    function apply() {
      const f = filters();
      const shown = new Set(data.events.filter((e) => eventMatches(e, f)).map((e) => e.id));
      eventRows.forEach((row) => { row.hidden = !shown.has(row.getAttribute("data-event-id")); });
      const noEvents = field("events-none");
      if (noEvents) noEvents.hidden = shown.size > 0;
      let estimates = 0;
      groups.forEach((group) => {
        let any = false;
        group.querySelectorAll("tr[data-entry-id]").forEach((row) => {
          const entry = entries[row.getAttribute("data-entry-id")];
          const on = !entry || entryMatches(entry, f);
          row.hidden = !on;
          any = any || on;
          if (on) estimates += 1;
        });
        group.hidden = !any;
      });
      const noEstimates = field("ledger-none");
      if (noEstimates) noEstimates.hidden = estimates > 0 || groups.length === 0;
      const count = field("shown-count");
      if (count) count.textContent = number(shown.size) + " of " + number(data.events.length) + " events";
      const all = shown.size === data.events.length;
      map.update(all ? null : shown);
      timeline.update(all ? null : shown);
    }

    Object.keys(inputs).forEach((name) => {
      if (!inputs[name]) return;
      inputs[name].addEventListener("change", apply);
      inputs[name].addEventListener("input", apply);
    });
    const form = field("filters");
    if (form) form.addEventListener("submit", (evt) => evt.preventDefault());
    const reset = field("filter-reset");
    if (reset) {
      reset.addEventListener("click", () => {
        Object.keys(inputs).forEach((name) => { if (inputs[name]) inputs[name].value = ""; });
        apply();
      });
    }
    apply(); // a reload may keep the browser's remembered filter values
    return { data, map, timeline, apply };
  }

  root.EmberViews = { mountMap, mountTimeline, mountReport, eventMatches, entryMatches };
  if (root.document && root.document.getElementById("ember-data")) mountReport(root.document);
})(window);
