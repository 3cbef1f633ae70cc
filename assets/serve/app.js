// fupin's live page: pick a story, move the levers, watch the bands fill in.
// No library and no network beyond this server: every asset is in the binary.
"use strict";

const COLORS = ["#4d4d4d", "#c0392b", "#1f6fb2", "#2e8b57", "#d4881e", "#7b4ea3", "#8c6d31", "#d6609f"];
const SINK_COLORS = {
  to_poor_households: "#2e8b57", to_nonpoor_households: "#9ccc65", enterprise_equity: "#1f6fb2",
  enterprise_failed: "#6b6b6b", enterprise_owners: "#d4881e", coop_capital: "#4fa3d9", coop_founders: "#f0b35a",
  diverted: "#c0392b", lost_late: "#8e2d24", admin: "#a0a0a0", unspent: "#d9d9d9", public_works: "#7b4ea3",
  guarantee_capital: "#5b7f95",
};
const FLOWS = ["new_entrants", "exits", "reentries", "in_transition"];
const YEAR_ROWS = [
  ["headcount_rate", 100, 1, "%"], ["poor_people", 1, 0, ""], ["mean_income_pc", 1, 0, ""],
  ["assets_pc", 1, 0, ""], ["registered_households", 1, 0, ""],
];

const page = {
  lang: "en",
  scenarios: [],
  meta: null,
  values: {},
  summary: null,
  year: 0,
  controller: null,
  debounce: null,
  playing: null,
  runs: 0,
  maxReplicates: 200,
  status: null, // [string key, params] of the run's state, redrawn on a language switch
  loading: 0, // counts scenario loads: a late answer to an earlier one is dropped
  resize: null,
};

const $ = (id) => document.getElementById(id);

function t(key, params) {
  const table = STRINGS[page.lang] || STRINGS.en;
  const s = table[key] !== undefined ? table[key] : (STRINGS.en[key] !== undefined ? STRINGS.en[key] : key);
  return s.replace(/\{(\w+)\}/g, (m, k) => (params && params[k] !== undefined ? params[k] : m));
}

function fmt(v, digits) {
  if (v === null || v === undefined || !isFinite(v)) return "–";
  return new Intl.NumberFormat(page.lang === "zh" ? "zh-CN" : "en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(v);
}

// One client per page load (not per sessionStorage, which a duplicated tab
// copies): the server runs one run per client.
const CLIENT = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

const SVG = "http://www.w3.org/2000/svg";
function svgEl(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// ---- language and projector mode ----

function applyStrings() {
  document.documentElement.lang = page.lang;
  document.querySelectorAll("[data-t]").forEach((e) => { e.textContent = t(e.dataset.t); });
  document.title = t("title") + " · fupin";
  if (page.meta) { showStory(); buildLevers(); }
  labelScenarios();
  if (page.status) $("status").textContent = t(page.status[0], page.status[1]);
  $("play").textContent = t($("play").dataset.t || "play");
  render();
}

function setLang(lang) {
  page.lang = lang;
  localStorage.setItem("fupin.lang", lang);
  applyStrings();
}

function setProjector(on) {
  document.body.classList.toggle("projector", on);
  $("projector").setAttribute("aria-pressed", on ? "true" : "false");
  localStorage.setItem("fupin.projector", on ? "1" : "0");
  render();
}

// ---- scenarios and levers ----

function story() {
  return page.scenarios.find((s) => s.name === $("scenario").value);
}

// The picker's entries: the name, then the story's short title in the page's language.
function labelScenarios() {
  for (const o of $("scenario").options) {
    const s = page.scenarios.find((x) => x.name === o.value);
    const title = s && s.story ? s.story["title_" + page.lang] : "";
    o.textContent = title ? `${o.value} — ${title}` : o.value;
  }
}

function showStory() {
  const s = story();
  if (!s) return;
  $("story").textContent = (s.story && s.story[page.lang]) || s.description || "";
}

function leverId(l) { return l.index === undefined ? l.path : l.path + "#" + l.index; }

function leverLabel(l) {
  const params = { subject: l.subject || "" };
  let key = "lever." + l.key;
  const dot = l.key.indexOf(".");
  const head = l.key.slice(0, dot);
  if (head === "share" || head === "transition") {
    key = "lever." + head;
    params.policy = t("p." + l.key.slice(dot + 1));
  }
  if (l.key === "commodity.scripted_price") {
    params.year = page.meta.start_year + l.index;
    const unit = (page.meta.units && page.meta.units[l.subject]) || "unit";
    params.unit = STRINGS[page.lang]["unit." + unit] || unit;
  }
  return t(key, params);
}

function leverText(l, v) {
  if (l.kind === "switch") return v ? t("on") : t("off");
  if (l.kind === "choice") return t("choice." + v);
  return fmt(v, l.integer ? 0 : 2);
}

function buildLevers() {
  const box = $("levers");
  box.textContent = "";
  for (const l of page.meta.levers) {
    const id = leverId(l);
    const wrap = el("div", { class: "lever" });
    const label = el("label", {});
    const name = el("span", { class: "name" }, leverLabel(l) + " ");
    const out = el("output", {}, leverText(l, page.values[id]));
    name.appendChild(out);
    label.appendChild(name);
    let input;
    if (l.kind === "range") {
      input = el("input", { type: "range", min: l.min, max: l.max, step: l.step });
      input.value = page.values[id];
      input.addEventListener("input", () => {
        page.values[id] = parseFloat(input.value);
        out.textContent = leverText(l, page.values[id]);
        schedule();
      });
    } else if (l.kind === "switch") {
      input = el("input", { type: "checkbox" });
      input.checked = !!page.values[id];
      input.addEventListener("change", () => {
        page.values[id] = input.checked;
        out.textContent = leverText(l, page.values[id]);
        schedule();
      });
    } else {
      input = el("select", {});
      for (const c of l.choices) input.appendChild(el("option", { value: c }, t("choice." + c)));
      input.value = page.values[id];
      input.addEventListener("change", () => {
        page.values[id] = input.value;
        out.textContent = leverText(l, page.values[id]);
        schedule();
      });
    }
    input.dataset.lever = id;
    label.appendChild(input);
    wrap.appendChild(label);
    box.appendChild(wrap);
  }
}

function tomlValue(l, v) {
  if (l.kind === "switch") return v ? "true" : "false";
  if (l.kind === "choice") return JSON.stringify(v);
  return l.integer ? String(Math.round(v)) : String(v);
}

// The levers that differ from the scenario, as `--set PATH=VALUE` texts; an
// array (scripted prices) is set whole when any element moved.
function sets() {
  const out = [];
  const arrays = {};
  for (const l of page.meta.levers) {
    const v = page.values[leverId(l)];
    if (l.index !== undefined) {
      const a = arrays[l.path] || (arrays[l.path] = { items: [], changed: false, lever: l });
      a.items[l.index] = v;
      if (v !== l.value) a.changed = true;
    } else if (v !== l.value) {
      out.push(l.path + "=" + tomlValue(l, v));
    }
  }
  for (const [path, a] of Object.entries(arrays)) {
    if (a.changed) out.push(path + "=[" + a.items.map((v) => String(v)).join(", ") + "]");
  }
  return out;
}

async function loadScenario(name) {
  stopPlay();
  const token = ++page.loading;
  const res = await fetch("/api/scenarios/" + encodeURIComponent(name));
  const meta = await res.json();
  if (token !== page.loading) return; // a later choice won
  if (!res.ok) { showError(meta.error); return; }
  page.meta = meta;
  page.values = {};
  for (const l of meta.levers) page.values[leverId(l)] = l.value;
  page.summary = null;
  page.year = 0;
  const asked = parseInt(new URLSearchParams(location.search).get("replicates"), 10);
  $("replicates").value = asked > 0 ? Math.min(asked, page.maxReplicates) : Math.min(meta.replicates, 20, page.maxReplicates);
  $("replicates-value").textContent = $("replicates").value;
  $("seed").value = meta.seed;
  const y = $("year");
  y.min = 0; y.max = meta.years; y.value = 0;
  showStory();
  buildLevers();
  render();
  run();
}

// ---- running ----

function schedule() {
  clearTimeout(page.debounce);
  page.debounce = setTimeout(run, 250);
}

// The run's state (kept as a string key, so that a language switch redraws it).
function setStatus(state, key, params) {
  document.body.dataset.state = state;
  page.status = [key, params];
  $("status").textContent = t(key, params);
}

function showError(message) {
  const box = $("error");
  if (message) {
    $("error-text").textContent = message;
    box.hidden = false;
  } else {
    box.hidden = true;
  }
}

async function run() {
  if (page.controller) page.controller.abort();
  const controller = new AbortController();
  page.controller = controller;
  const body = {
    client: CLIENT,
    scenario: page.meta.name,
    sets: sets(),
    replicates: parseInt($("replicates").value, 10),
    seed: $("seed").value.trim() === "" ? undefined : Number($("seed").value),
  };
  setStatus("running", "status_start");
  $("progress").value = 0;
  let res;
  try {
    res = await fetch("/api/run", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: controller.signal,
    });
  } catch (e) {
    if (controller.signal.aborted) return;
    setStatus("error", "status_error");
    showError(String(e));
    return;
  }
  if (!res.ok) {
    let message = res.statusText;
    try {
      const text = await res.text();
      try { message = JSON.parse(text).error || text; } catch (e) { message = text || message; }
    } catch (e) { /* keep the status text */ }
    if (page.controller === controller) { setStatus("error", "status_error"); showError(message); }
    return;
  }
  showError(null);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const chunk = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (page.controller === controller) handle(chunk);
      }
    }
  } catch (e) {
    if (!controller.signal.aborted) { setStatus("error", "status_error"); showError(String(e)); }
  }
}

function handle(chunk) {
  let name = "message";
  let data = "";
  for (const line of chunk.split("\n")) {
    if (line.startsWith("event:")) name = line.slice(6).trim();
    else if (line.startsWith("data:")) data += line.slice(5).trim();
  }
  if (!data) return;
  const d = JSON.parse(data);
  if (name === "start") {
    $("command").textContent = d.command;
  } else if (name === "progress") {
    page.summary = d.summary;
    $("progress").max = d.total;
    $("progress").value = d.done;
    setStatus("running", "status_progress", { done: d.done, total: d.total });
    render();
  } else if (name === "done") {
    page.runs += 1;
    document.body.dataset.runs = page.runs;
    setStatus("done", "status_done", { total: d.total });
  } else if (name === "cancelled") {
    setStatus("cancelled", "status_cancelled");
  } else if (name === "error") {
    setStatus("error", "status_error");
    showError(d.error);
  }
}

// ---- drawing ----

function niceTicks(lo, hi, n) {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / n;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const m = raw / p;
  const step = (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
  const ticks = [];
  const first = Math.ceil(lo / step);
  // By index, not by adding: a step too small for the values' size would never move v.
  for (let k = 0; k <= 50 && (first + k) * step <= hi + step * 1e-9; k++) {
    const v = (first + k) * step;
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  ticks.digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return ticks;
}

// Every k-th of n labels, so that labels of `width` fit in `span`.
function every(n, width, span) { return Math.max(1, Math.ceil((n * width) / Math.max(span, 1))); }

function fontSize() { return parseFloat(getComputedStyle(document.body).fontSize) * 0.85; }

// A line chart with bands: series = [{name, color, pts: [{mean, lo, hi}]}], one point per x.
function lineChart(box, xs, series, opt) {
  box.textContent = "";
  const W = Math.max(box.clientWidth, 280);
  const fs = fontSize();
  const H = Math.round(W * 0.56);
  const m = { l: fs * 4.6, r: fs * 1.6, t: fs * 0.8, b: fs * 2.2 };
  let lo = Infinity, hi = -Infinity;
  for (const s of series) for (const p of s.pts) for (const v of [p.lo, p.hi, p.mean]) {
    if (v !== null && v !== undefined && isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "font-size": fs });
  box.appendChild(svg);
  if (!isFinite(lo)) {
    svg.appendChild(svgEl("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, t("pending")));
    return;
  }
  if (opt.zero) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
  const pad = (hi - lo) * 0.06 || Math.max(Math.abs(hi) * 0.1, 1);
  lo -= pad; hi += pad;
  const X = (i) => m.l + (xs.length === 1 ? 0.5 : i / (xs.length - 1)) * (W - m.l - m.r);
  const Y = (v) => m.t + (1 - (v - lo) / (hi - lo)) * (H - m.t - m.b);
  const ticks = niceTicks(lo, hi, 5);
  for (const v of ticks) {
    svg.appendChild(svgEl("line", { x1: m.l, x2: W - m.r, y1: Y(v), y2: Y(v), stroke: v === 0 ? "#888" : "#e3e6ea" }));
    svg.appendChild(svgEl("text", { x: m.l - fs * 0.3, y: Y(v) + fs * 0.35, "text-anchor": "end" }, fmt(v, ticks.digits)));
  }
  const k = every(xs.length, fs * 2.8, W - m.l - m.r);
  xs.forEach((x, i) => {
    if (i % k === 0) svg.appendChild(svgEl("text", { x: X(i), y: H - fs * 0.6, "text-anchor": "middle" }, String(x)));
  });
  if (opt.cursor !== undefined && opt.cursor >= 0 && opt.cursor < xs.length) {
    svg.appendChild(svgEl("line", { x1: X(opt.cursor), x2: X(opt.cursor), y1: m.t, y2: H - m.b, stroke: "#333", "stroke-dasharray": "4 4" }));
  }
  for (const s of series) {
    const ok = s.pts.map((p, i) => [i, p]).filter(([, p]) => p && p.lo !== null && p.hi !== null && p.lo !== undefined && isFinite(p.lo));
    if (ok.length > 1) {
      const top = ok.map(([i, p]) => `${X(i)},${Y(p.hi)}`);
      const bottom = ok.slice().reverse().map(([i, p]) => `${X(i)},${Y(p.lo)}`);
      svg.appendChild(svgEl("polygon", { points: top.concat(bottom).join(" "), fill: s.color, "fill-opacity": 0.18 }));
    }
  }
  for (const s of series) {
    const pts = s.pts.map((p, i) => [i, p]).filter(([, p]) => p && p.mean !== null && p.mean !== undefined);
    const d = pts.map(([i, p], k) => `${k ? "L" : "M"}${X(i)},${Y(p.mean)}`).join("");
    svg.appendChild(svgEl("path", { d, fill: "none", stroke: s.color, "stroke-width": fs * 0.18, "data-series": s.name }));
    for (const [i, p] of pts) svg.appendChild(svgEl("circle", { cx: X(i), cy: Y(p.mean), r: fs * 0.2, fill: s.color }));
  }
}

function barChart(box, groups, series) {
  box.textContent = "";
  const W = Math.max(box.clientWidth, 280);
  const fs = fontSize();
  const H = Math.round(W * 0.5);
  const m = { l: fs * 4.6, r: fs * 0.5, t: fs * 0.8, b: fs * 2.4 };
  let hi = 0;
  for (const s of series) for (const v of s.values) if (v !== null && isFinite(v)) hi = Math.max(hi, v);
  hi = hi * 1.08 || 1;
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "font-size": fs });
  box.appendChild(svg);
  const Y = (v) => m.t + (1 - v / hi) * (H - m.t - m.b);
  const ticks = niceTicks(0, hi, 4);
  for (const v of ticks) {
    svg.appendChild(svgEl("line", { x1: m.l, x2: W - m.r, y1: Y(v), y2: Y(v), stroke: "#e3e6ea" }));
    svg.appendChild(svgEl("text", { x: m.l - fs * 0.3, y: Y(v) + fs * 0.35, "text-anchor": "end" }, fmt(v, ticks.digits)));
  }
  const gw = (W - m.l - m.r) / groups.length;
  const bw = (gw * 0.8) / series.length;
  groups.forEach((g, gi) => {
    series.forEach((s, si) => {
      const v = s.values[gi];
      if (v === null || !isFinite(v)) return;
      const x = m.l + gi * gw + gw * 0.1 + si * bw;
      svg.appendChild(svgEl("rect", { x, y: Y(v), width: bw * 0.9, height: Y(0) - Y(v), fill: s.color }));
    });
    svg.appendChild(svgEl("text", { x: m.l + gi * gw + gw / 2, y: H - fs * 0.7, "text-anchor": "middle" }, g));
  });
}

function value(block, metric, scale) {
  const iv = block && block[metric];
  if (!iv) return { mean: null, lo: null, hi: null };
  const s = (v) => (v === null || v === undefined ? null : v * scale);
  return { mean: s(iv.mean), lo: s(iv.lo), hi: s(iv.hi) };
}

function armColor(i) { return COLORS[i % COLORS.length]; }

function render() {
  const s = page.summary;
  const meta = page.meta;
  const years = meta ? meta.years : 0;
  const first = meta ? meta.start_year : 0;
  const xs = [first - 1];
  for (let k = 0; k < years; k++) xs.push(first + k);
  const ref = s ? s.arms[0].name : (meta && meta.arms[0] ? meta.arms[0].name : "");
  $("difference-caption").textContent = t("chart_difference", { ref });
  $("year-value").textContent = xs[page.year] !== undefined ? xs[page.year] : "";
  $("year-title").textContent = t("year_table", { year: xs[page.year] });
  $("flows-title").textContent = t("flows", { year: xs[page.year] });
  $("whole-title").textContent = t("whole_run", { ref, first, last: first + years - 1 });
  const legend = $("legend");
  legend.textContent = "";
  const arms = s ? s.arms : (meta ? meta.arms : []);
  arms.forEach((a, i) => {
    const e = el("span", { style: `--c:${armColor(i)}`, title: a.description || "" }, a.name);
    legend.appendChild(e);
  });
  const series = (metric, scale) => (s ? s.arms : []).map((a, i) => ({
    name: a.name, color: armColor(i), pts: [value(a.initial, metric, scale)].concat(a.years.map((y) => value(y, metric, scale))),
  }));
  lineChart($("chart-headcount"), xs, series("headcount_rate", 100), { digits: 1, cursor: page.year, zero: true });
  lineChart($("chart-income"), xs, series("mean_income_pc", 1), { digits: 0, cursor: page.year });
  lineChart($("chart-assets"), xs, series("assets_pc", 1), { digits: 0, cursor: page.year });
  const diffs = s ? [{ name: ref, color: armColor(0), pts: xs.map((x, i) => (i === 0 ? { mean: null } : { mean: 0, lo: 0, hi: 0 })) }].concat(
    s.differences.map((d, k) => ({ name: d.arm, color: armColor(k + 1), pts: [{ mean: null, lo: null, hi: null }].concat(d.years.map((y) => value(y, "headcount_rate", 100))) })),
  ) : [];
  lineChart($("chart-difference"), xs, diffs, { digits: 1, cursor: page.year, zero: true });
  renderYear(s, xs);
  renderMoney(s);
  renderWhole(s, ref, first, years);
}

function blockAt(arm, k) { return k === 0 ? arm.initial : arm.years[k - 1]; }

function renderYear(s, xs) {
  const table = $("year-table");
  table.textContent = "";
  const flows = $("chart-flows");
  if (!s) { flows.textContent = ""; return; }
  const head = el("tr");
  head.appendChild(el("th", {}, ""));
  s.arms.forEach((a) => head.appendChild(el("th", {}, a.name)));
  table.appendChild(head);
  for (const [metric, scale, digits, unit] of YEAR_ROWS) {
    const tr = el("tr");
    tr.appendChild(el("td", {}, t("m_" + metric)));
    s.arms.forEach((a) => {
      const iv = blockAt(a, page.year)[metric];
      const v = iv ? iv.mean : null;
      const td = el("td", { "data-arm": a.name, "data-metric": metric, "data-year": xs[page.year], "data-value": v === null ? "" : String(v) });
      td.textContent = v === null ? "–" : fmt(v * scale, digits) + unit;
      tr.appendChild(td);
    });
    table.appendChild(tr);
  }
  barChart(flows, FLOWS.map((f) => t("m_" + f)), s.arms.map((a, i) => ({
    name: a.name, color: armColor(i), values: FLOWS.map((f) => { const iv = blockAt(a, page.year)[f]; return iv ? iv.mean : null; }),
  })));
}

function renderMoney(s) {
  const box = $("money");
  box.textContent = "";
  if (!s) return;
  const used = new Set();
  s.arms.forEach((a) => {
    const row = el("div", { class: "arm" });
    row.appendChild(el("span", {}, a.name));
    const bar = el("div", { class: "bar" });
    const budget = a.totals.budget_total ? a.totals.budget_total.mean : 0;
    if (!budget) {
      bar.appendChild(el("span", { class: "small" }, t("no_budget")));
    } else {
      for (const sink of s.sinks) {
        const iv = a.totals["sink_share." + sink];
        const v = iv ? iv.mean : 0;
        if (!v || v < 0.0005) continue;
        used.add(sink);
        const seg = el("div", { style: `width:${(v * 100).toFixed(2)}%;background:${SINK_COLORS[sink] || "#999"}`, title: `${t("sink." + sink)}: ${fmt(v * 100, 1)}%`, "data-sink": sink, "data-value": String(v) });
        bar.appendChild(seg);
      }
    }
    row.appendChild(bar);
    box.appendChild(row);
  });
  const keys = el("div", { class: "keys" });
  for (const sink of s.sinks) if (used.has(sink)) keys.appendChild(el("span", { style: `--c:${SINK_COLORS[sink] || "#999"}` }, t("sink." + sink)));
  box.appendChild(keys);
}

function intervalCell(tr, arm, field, iv, digits, scale) {
  const td = el("td", { "data-arm": arm, "data-field": field, "data-value": iv && iv.mean !== null && iv.mean !== undefined ? String(iv.mean) : "" });
  if (!iv || iv.mean === null || iv.mean === undefined) {
    td.textContent = iv && iv.status && iv.status !== "defined" ? t("undefined_cost") : "–";
  } else {
    td.textContent = fmt(iv.mean * scale, digits) + " ";
    if (iv.lo !== null && iv.lo !== undefined) td.appendChild(el("span", { class: "iv" }, `[${fmt(iv.lo * scale, digits)}, ${fmt(iv.hi * scale, digits)}]`));
  }
  tr.appendChild(td);
}

function renderWhole(s, ref, first, years) {
  const table = $("whole");
  table.textContent = "";
  const headline = $("headline");
  headline.textContent = "";
  if (!s) return;
  const head = el("tr");
  for (const k of ["", "averted", "p_beats", "cost_per_year"]) head.appendChild(el("th", {}, k ? t(k) : ""));
  table.appendChild(head);
  const lines = [];
  for (const c of s.comparisons) {
    if (c.role === "reference") continue;
    const tr = el("tr");
    tr.appendChild(el("td", {}, c.arm));
    intervalCell(tr, c.arm, "poverty_years_averted", c.poverty_years_averted, 0, 1);
    const p = c.p_beats_reference;
    tr.appendChild(el("td", { "data-arm": c.arm, "data-field": "p_beats_reference", "data-value": p === null ? "" : String(p) }, p === null ? "–" : fmt(p * 100, 0) + "%"));
    intervalCell(tr, c.arm, "cost_per_poverty_year_averted", c.cost_per_poverty_year_averted, 0, 1);
    table.appendChild(tr);
    const a = c.poverty_years_averted;
    if (a && a.mean !== null) lines.push(t("headline", { ref, arm: c.arm, first, last: first + years - 1, mean: fmt(a.mean, 0), lo: fmt(a.lo, 0), hi: fmt(a.hi, 0) }));
  }
  headline.textContent = lines.join(" ");
}

// ---- year play ----

function stopPlay() {
  if (page.playing) { clearInterval(page.playing); page.playing = null; }
  $("play").textContent = t("play");
  $("play").dataset.t = "play";
}

function togglePlay() {
  if (page.playing) { stopPlay(); return; }
  if (!page.meta) return;
  if (page.year >= page.meta.years) page.year = 0;
  $("play").dataset.t = "pause";
  $("play").textContent = t("pause");
  page.playing = setInterval(() => {
    if (page.year >= page.meta.years) { stopPlay(); return; }
    page.year += 1;
    $("year").value = page.year;
    render();
  }, 1200);
}

// ---- start ----

async function start() {
  const stored = localStorage.getItem("fupin.lang");
  page.lang = stored || (document.documentElement.lang === "zh" ? "zh" : "en");
  const params = new URLSearchParams(location.search);
  if (params.get("lang") === "zh" || params.get("lang") === "en") page.lang = params.get("lang");
  if (localStorage.getItem("fupin.projector") === "1" || params.get("projector") === "1") document.body.classList.add("projector");
  $("projector").setAttribute("aria-pressed", document.body.classList.contains("projector") ? "true" : "false");
  $("lang").addEventListener("click", () => setLang(page.lang === "zh" ? "en" : "zh"));
  $("projector").addEventListener("click", () => setProjector(!document.body.classList.contains("projector")));
  $("play").addEventListener("click", togglePlay);
  $("year").addEventListener("input", () => { stopPlay(); page.year = parseInt($("year").value, 10); render(); });
  $("replicates").addEventListener("input", () => { $("replicates-value").textContent = $("replicates").value; schedule(); });
  $("seed").addEventListener("change", schedule);
  $("reset").addEventListener("click", () => { if (page.meta) loadScenario(page.meta.name); });
  $("scenario").addEventListener("change", () => loadScenario($("scenario").value));
  window.addEventListener("resize", () => { clearTimeout(page.resize); page.resize = setTimeout(render, 150); });
  applyStrings();
  const res = await fetch("/api/scenarios");
  const list = await res.json();
  page.scenarios = list.scenarios;
  page.maxReplicates = list.max_replicates;
  $("replicates").max = list.max_replicates;
  const select = $("scenario");
  for (const s of list.scenarios) select.appendChild(el("option", { value: s.name }, s.name));
  labelScenarios();
  const wanted = params.get("scenario");
  const first = list.scenarios.find((s) => s.name === wanted) || list.scenarios[0];
  select.value = first.name;
  await loadScenario(first.name);
}

start();
