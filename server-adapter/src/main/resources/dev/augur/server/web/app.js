// Augur's page: plain modern JavaScript over the public HTTP API, nothing else.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids) if (kid !== null && kid !== undefined) e.append(kid);
  return e;
};

class ApiError extends Error {
  constructor(problem, status) {
    super(problem.detail || problem.title || ("HTTP " + status));
    this.problem = problem;
    this.status = status;
  }
}

// ---- the API key: asked once when the server wants one, kept for this tab -------------------
const KEY = "augur-api-key";
let asking = null;
function keyHeaders() {
  const k = sessionStorage.getItem(KEY);
  return k ? { "Authorization": "Bearer " + k } : {};
}
function askKey(wrong) {
  // one prompt however many requests were refused at once
  if (asking) return asking;
  const dialog = $("#key-dialog");
  showError($("#key-error"), wrong ? "The server refused that key; check it and try again." : "");
  $("#key-input").value = "";
  asking = new Promise((resolve) => {
    $("#key-form").onsubmit = (e) => {
      e.preventDefault();
      const k = $("#key-input").value.trim();
      if (!k) return;
      sessionStorage.setItem(KEY, k);
      dialog.close();
      asking = null;
      resolve();
    };
  });
  dialog.showModal();
  $("#key-input").focus();
  return asking;
}

async function send(path, options = {}) {
  for (;;) {
    const res = await fetch(path, {
      ...options,
      headers: { "Accept": "application/json", ...(options.body ? { "Content-Type": "application/json" } : {}), ...keyHeaders(), ...(options.headers || {}) },
    });
    if (res.status !== 401 && res.status !== 403) return res;
    await askKey(res.status === 403);
  }
}

async function api(path, options = {}) {
  const res = await send(path, options);
  const type = res.headers.get("content-type") || "";
  if (!res.ok) {
    const problem = type.includes("json") ? await res.json() : { detail: await res.text() };
    throw new ApiError(problem, res.status);
  }
  if (type.startsWith("image/")) return URL.createObjectURL(await res.blob());
  return type.includes("json") ? res.json() : res.text();
}

/** Downloads through fetch, so the request carries the key a plain link could not. */
async function download(path, filename) {
  const res = await send(path, { headers: { "Accept": "text/csv" } });
  if (!res.ok) throw new ApiError({ detail: "the export failed (HTTP " + res.status + ")" }, res.status);
  const url = URL.createObjectURL(await res.blob());
  const a = el("a", { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

const plot = (spec) => api("/plot?format=png", { method: "POST", body: JSON.stringify(spec) });
const fmt = (v, digits = 3) => (v === null || v === undefined) ? "—" : (typeof v === "number" ? Number(v.toFixed(digits)).toLocaleString() : String(v));
const showError = (node, message) => { node.textContent = message || ""; node.hidden = !message; };

// ---- tabs --------------------------------------------------------------------------------
const tabs = [...document.querySelectorAll('[role="tab"]')];
function selectTab(tab) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
  }
  const name = tab.id.replace("tab-", "");
  history.replaceState(null, "", "#" + name);
  if (name === "history") loadHistory();
  if (name === "monitor") loadMonitor();
  if (name === "forecast") initForecast();
}
tabs.forEach((t, i) => {
  t.addEventListener("click", () => selectTab(t));
  t.addEventListener("keydown", (e) => {
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (step) { const next = tabs[(i + step + tabs.length) % tabs.length]; next.focus(); selectTab(next); }
  });
});

window.addEventListener("hashchange", () => {
  const tab = tabs.find((t) => t.id === "tab-" + location.hash.replace("#", ""));
  if (tab && tab.getAttribute("aria-selected") !== "true") selectTab(tab);
});

// ---- models ------------------------------------------------------------------------------
let models = [];
const manifests = new Map();
async function manifest(name) {
  if (!manifests.has(name)) manifests.set(name, await api("/models/" + encodeURIComponent(name)));
  return manifests.get(name);
}

function fillModelSelect(select, filter = () => true) {
  const keep = select.value;
  select.replaceChildren(...models.filter(filter).map((m) =>
    el("option", { value: m.name, text: `${m.name} v${m.version} — ${m.task.replaceAll("_", " ")}` })));
  if (keep && [...select.options].some((o) => o.value === keep)) select.value = keep;
}

// ---- predict -----------------------------------------------------------------------------
const form = $("#predict-form");
const fields = $("#predict-fields");
let current = null;

function rawInput(m, name) { return (m.inputs || []).find((f) => f.name === name) || {}; }

function fieldFor(m, name, schema, value) {
  const type = schema["x-augur-type"];
  const id = "f-" + name.replace(/[^A-Za-z0-9_-]/g, "_");
  const nullable = !(m.input_schema.required || []).includes(name);
  const label = el("label", { for: id, text: name }, el("span", { class: "hint", text: ` ${type}${nullable ? ", optional" : ""}` }));
  const wrap = el("div", { class: "field", "data-field": name });
  let input;
  if (type === "boolean") {
    input = el("input", { id, type: "checkbox", "data-type": type });
    input.checked = value === true;
    wrap.append(el("label", { class: "check", for: id }, input, name));
  } else if (type === "category") {
    const options = (schema.enum || []).filter((o) => o !== null);
    input = el("select", { id, "data-type": type },
      ...(nullable ? [el("option", { value: "", text: "(missing)" })] : []),
      ...options.map((o) => el("option", { value: o, text: o })));
    input.value = value ?? "";
    wrap.append(label, input);
  } else if (type === "number" || type === "integer") {
    input = el("input", { id, type: "number", step: type === "integer" ? "1" : "any", min: schema.minimum, max: schema.maximum, "data-type": type });
    input.value = value ?? "";
    wrap.append(label, input);
  } else if (type === "datetime") {
    input = el("input", { id, type: "datetime-local", step: "1", "data-type": type });
    if (value) input.value = String(value).replace(/Z$|[+-]\d\d:\d\d$/, "").slice(0, 19);
    wrap.append(label, input);
  } else if (type === "text") {
    input = el("textarea", { id, maxlength: schema.maxLength, "data-type": type });
    input.value = value ?? "";
    wrap.append(label, input);
  } else if (type === "series") {
    input = el("textarea", { id, "data-type": type, placeholder: "Paste numbers separated by commas, spaces or new lines" });
    input.value = Array.isArray(value) ? value.join(", ") : (value ?? "");
    wrap.append(label, input);
  } else if (type === "image") {
    const raw = rawInput(m, name);
    const w = raw.width || 28, h = raw.height || 28;
    const canvas = el("canvas", { class: "draw", width: 196, height: 196, id, "aria-label": `Draw ${name} here`, role: "img", tabindex: "0" });
    const file = el("input", { type: "file", accept: "image/png,image/jpeg", id: id + "-file", "aria-label": `Upload a picture for ${name}` });
    input = canvas;
    canvas.dataset.type = type;
    canvas.dataset.width = w;
    canvas.dataset.height = h;
    canvas.dataset.scale = raw.scale || (1 / 255);
    setupCanvas(canvas, Array.isArray(value) ? value : null, raw.scale || (1 / 255));
    file.addEventListener("change", async () => {
      const f = file.files[0];
      if (!f) return;
      canvas.dataset.upload = await new Promise((ok) => { const r = new FileReader(); r.onload = () => ok(r.result); r.readAsDataURL(f); });
      const img = new Image();
      img.onload = () => canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
      img.src = canvas.dataset.upload;
    });
    wrap.append(label, el("div", { class: "canvas-wrap" }, canvas,
      el("div", {}, el("button", { type: "button", onclick: () => clearCanvas(canvas) }, "Clear"), el("p", { class: "muted", text: "Draw with the mouse or a finger, or upload:" }), file)));
  } else {
    input = el("input", { id, type: "text", "data-type": type || "string" });
    input.value = value ?? "";
    wrap.append(label, input);
  }
  input.setAttribute("aria-describedby", id + "-err");
  wrap.append(el("p", { class: "field-error", id: id + "-err", "aria-live": "polite" }));
  return wrap;
}

function clearCanvas(c) {
  const ctx = c.getContext("2d");
  ctx.fillStyle = "#000";
  ctx.fillRect(0, 0, c.width, c.height);
  delete c.dataset.upload;
}

function setupCanvas(c, pixels, scale) {
  clearCanvas(c);
  const ctx = c.getContext("2d");
  if (pixels) {
    const h = pixels.length, w = pixels[0].length, max = 1 / scale;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const v = Math.max(0, Math.min(255, Math.round(255 * pixels[y][x] / max)));
      ctx.fillStyle = `rgb(${v},${v},${v})`;
      ctx.fillRect(x * c.width / w, y * c.height / h, Math.ceil(c.width / w), Math.ceil(c.height / h));
    }
  }
  let drawing = false;
  const pos = (e) => { const r = c.getBoundingClientRect(); return [(e.clientX - r.left) * c.width / r.width, (e.clientY - r.top) * c.height / r.height]; };
  c.addEventListener("pointerdown", (e) => { drawing = true; delete c.dataset.upload; c.setPointerCapture(e.pointerId); const [x, y] = pos(e); ctx.beginPath(); ctx.moveTo(x, y); });
  c.addEventListener("pointermove", (e) => {
    if (!drawing) return;
    const [x, y] = pos(e);
    ctx.strokeStyle = "#fff"; ctx.lineWidth = c.width / 9; ctx.lineCap = "round"; ctx.lineJoin = "round";
    ctx.lineTo(x, y); ctx.stroke();
  });
  c.addEventListener("pointerup", () => { drawing = false; });
}

function canvasValue(c) {
  if (c.dataset.upload) return c.dataset.upload;
  const w = +c.dataset.width, h = +c.dataset.height, max = 1 / +c.dataset.scale;
  const small = el("canvas", { width: w, height: h });
  const ctx = small.getContext("2d");
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(c, 0, 0, w, h);
  const data = ctx.getImageData(0, 0, w, h).data;
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = [];
    for (let x = 0; x < w; x++) row.push(Math.round(data[(y * w + x) * 4] / 255 * max * 1000) / 1000);
    rows.push(row);
  }
  return rows;
}

function readForm() {
  const obs = {};
  for (const wrap of fields.querySelectorAll(".field")) {
    const name = wrap.dataset.field;
    const input = wrap.querySelector("[data-type]");
    const type = input.dataset.type;
    if (type === "boolean") obs[name] = input.checked;
    else if (type === "image") obs[name] = canvasValue(input);
    else if (type === "number" || type === "integer") obs[name] = input.value === "" ? null : Number(input.value);
    else if (type === "series") obs[name] = input.value.split(/[\s,;]+/).filter((s) => s !== "").map(Number);
    else if (type === "datetime") obs[name] = input.value === "" ? null : (input.value.length === 16 ? input.value + ":00" : input.value);
    else obs[name] = input.value === "" ? null : input.value;
  }
  return obs;
}

async function showModel(name) {
  const m = await manifest(name);
  current = m;
  $("#predict-model-info").textContent = `${m.description || ""} (v${m.version}; versions ${m.versions.join(", ")})`;
  const props = m.input_schema.properties;
  fields.replaceChildren(...Object.keys(props).map((f) => fieldFor(m, f, props[f], (m.example || {})[f])));
  $("#predict-result").replaceChildren(el("p", { class: "muted", text: "Fill in the form and press Predict." }));
  showError($("#predict-error"), "");
}

function clearFieldErrors() {
  fields.querySelectorAll(".field-error").forEach((p) => { p.textContent = ""; });
  fields.querySelectorAll(".invalid").forEach((i) => i.classList.remove("invalid"));
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  clearFieldErrors();
  showError($("#predict-error"), "");
  const button = $("#predict-submit");
  button.disabled = true;
  try {
    const obs = readForm();
    const p = await api(`/models/${encodeURIComponent(current.name)}/predict`, { method: "POST", body: JSON.stringify({ observation: obs }) });
    await showPrediction(p, obs);
  } catch (err) {
    const errors = (err.problem && err.problem.errors) || [];
    let unplaced = [];
    for (const v of errors) {
      const wrap = [...fields.querySelectorAll(".field")].find((w) => w.dataset.field === v.field);
      if (wrap) {
        wrap.querySelector(".field-error").textContent = `${v.field} ${v.message}`;
        wrap.querySelector("[data-type]").classList.add("invalid");
      } else unplaced.push(`${v.field} ${v.message}`);
    }
    showError($("#predict-error"), errors.length ? (unplaced.length ? unplaced.join("; ") : "Please correct the fields marked above.") : err.message);
    const first = fields.querySelector(".invalid");
    if (first) first.focus();
  } finally {
    button.disabled = false;
  }
});
$("#predict-reset").addEventListener("click", () => showModel(current.name));
$("#predict-model").addEventListener("change", (e) => showModel(e.target.value));

async function showPrediction(p, obs) {
  const out = $("#predict-result");
  const idLine = el("p", { class: "muted", text: `id ${p.id} · ${p.model} v${p.version} · ${fmt(p.latency_ms, 2)} ms` });
  if (p.label !== undefined) {
    const top = p.probabilities[p.label];
    const img = el("img", { alt: "Class probabilities", id: "predict-chart" });
    out.replaceChildren(el("p", { class: "big", id: "predict-label", text: p.label }), el("p", { text: `probability ${(100 * top).toFixed(1)}%` }), img, idLine);
    img.src = await plot({ kind: "probabilities", probabilities: p.probabilities, width: 560, height: Math.max(160, 60 + 32 * Object.keys(p.probabilities).length) });
  } else if (p.value !== undefined) {
    out.replaceChildren(el("p", { class: "big", id: "predict-value", text: fmt(p.value) }), idLine);
  } else {
    const series = Object.values(obs).find(Array.isArray) || [];
    const history = series.map((y, i) => ({ t: i - series.length + 1, y }));
    const forecast = p.values.map((y, i) => ({ t: i + 1, y }));
    const img = el("img", { alt: "Forecast", id: "predict-chart" });
    out.replaceChildren(el("p", { class: "big", id: "predict-value", text: p.values.map((v) => fmt(v, 1)).join(", ") }), img, idLine);
    img.src = await plot({ kind: "forecast", title: `${p.values.length}-step forecast`, history, forecast, width: 560, height: 340 });
  }
}

// ---- forecast ----------------------------------------------------------------------------
let forecastReady = false;
async function initForecast() {
  if (forecastReady) return;
  forecastReady = true;
  const { sources } = await api("/sources");
  const src = $("#forecast-source");
  src.replaceChildren(...sources.map((s) => el("option", { value: s.name, text: s.name })));
  fillModelSelect($("#forecast-model"), (m) => m.task === "forecast");
  if (!sources.length) { showError($("#forecast-error"), "This server has no data sources (sources.json in the model folder)."); return; }
  await loadKeys();
}
async function loadKeys() {
  const { keys } = await api(`/sources/${encodeURIComponent($("#forecast-source").value)}/keys`);
  $("#forecast-key").replaceChildren(...keys.map((k) => el("option", { value: k, text: k })));
}
$("#forecast-source").addEventListener("change", loadKeys);
$("#forecast-go").addEventListener("click", async () => {
  showError($("#forecast-error"), "");
  const model = $("#forecast-model").value, source = $("#forecast-source").value, key = $("#forecast-key").value;
  if (!model) { showError($("#forecast-error"), "No forecast model is loaded."); return; }
  const button = $("#forecast-go");
  button.disabled = true;
  try {
    const r = await api(`/models/${encodeURIComponent(model)}/forecast?source=${encodeURIComponent(source)}&key=${encodeURIComponent(key)}`, { method: "POST" });
    const img = el("img", { alt: `Forecast of ${key}`, id: "forecast-chart" });
    const rows = r.forecast.map((p) => el("tr", {}, el("td", { text: p.t }), el("td", { text: fmt(p.y, 2) })));
    $("#forecast-result").replaceChildren(
      el("h2", { text: `${key}: ${r.forecast.length}-step forecast` }), img,
      el("details", {}, el("summary", { text: "Forecast values" }),
        el("table", {}, el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Time" }), el("th", { scope: "col", text: "Forecast" }))), el("tbody", {}, ...rows))),
      el("p", { class: "muted", text: `recorded as ${r.id}` }));
    img.src = await api(r.chart + "?width=960&height=480");
  } catch (err) {
    showError($("#forecast-error"), err.message);
  } finally {
    button.disabled = false;
  }
});

// ---- history -----------------------------------------------------------------------------
const cursors = [];
let nextCursor = null;
function summary(obj) {
  return Object.entries(obj).map(([k, v]) => {
    let s = Array.isArray(v) ? `[${v.length} values]` : (typeof v === "string" && v.length > 40 ? v.slice(0, 40) + "…" : JSON.stringify(v));
    return `${k}: ${s}`;
  }).join("\n");
}

function outcomeControl(m, rec) {
  const wrap = el("div", { class: "outcome" });
  let input;
  const label = `True outcome of ${rec.id}`;
  if ((m.output || {}).labels && m.output.labels.length) {
    input = el("select", { "aria-label": label }, el("option", { value: "", text: "—" }), ...m.output.labels.map((l) => el("option", { value: l, text: l })));
  } else {
    input = el("input", { type: "text", "aria-label": label, placeholder: m.task === "forecast" ? "1.0, 2.0, …" : "value", size: 8 });
  }
  const save = el("button", { type: "button", text: "Save" });
  save.addEventListener("click", async () => {
    if (input.value === "") return;
    let outcome = input.value;
    if (input.tagName === "INPUT") outcome = m.task === "forecast" ? outcome.split(/[\s,;]+/).filter(Boolean).map(Number) : Number(outcome);
    try {
      await api(`/models/${encodeURIComponent(m.name)}/predictions/${encodeURIComponent(rec.id)}/outcome`, { method: "PUT", body: JSON.stringify({ outcome }) });
      showError($("#history-error"), "");
      loadHistory(cursors[cursors.length - 1] || null);
    } catch (err) {
      showError($("#history-error"), err.message);
    }
  });
  wrap.append(input, save);
  return wrap;
}

function predictionText(p) {
  if (p.label !== undefined) return `${p.label} (${(100 * p.probabilities[p.label]).toFixed(1)}%)`;
  if (p.value !== undefined) return fmt(p.value);
  return (p.values || []).map((v) => fmt(v, 1)).join(", ");
}

async function loadHistory(before = null) {
  const name = $("#history-model").value;
  if (!name) return;
  try {
    const m = await manifest(name);
    const page = await api(`/models/${encodeURIComponent(name)}/predictions?n=20${before ? "&before=" + encodeURIComponent(before) : ""}`);
    nextCursor = page.next;
    $("#history-older").disabled = !page.next;
    $("#history-newer").disabled = !before;
    const body = $("#history-table tbody");
    body.replaceChildren(...page.items.map((r) => el("tr", { "data-id": r.id },
      el("td", {}, new Date(r.created_at).toLocaleString(), el("br"), el("span", { class: "muted", text: r.id })),
      el("td", {}, el("code", { text: summary(r.observation) })),
      el("td", { class: "prediction", text: predictionText(r.prediction) }),
      el("td", { class: "outcome-cell" }, r.outcome !== null ? el("strong", { text: Array.isArray(r.outcome) ? r.outcome.join(", ") : String(r.outcome) }) : outcomeControl(m, r)))));
    if (!page.items.length) body.append(el("tr", {}, el("td", { colspan: 4, class: "muted", text: "No predictions yet." })));
    showError($("#history-error"), "");
  } catch (err) {
    showError($("#history-error"), err.message);
  }
}
$("#history-model").addEventListener("change", () => { cursors.length = 0; loadHistory(); });
$("#history-csv").addEventListener("click", async () => {
  const name = $("#history-model").value;
  try {
    await download(`/models/${encodeURIComponent(name)}/predictions.csv`, `${name}-predictions.csv`);
  } catch (err) {
    showError($("#history-error"), err.message);
  }
});
$("#history-refresh").addEventListener("click", () => { cursors.length = 0; loadHistory(); });
$("#history-older").addEventListener("click", () => { cursors.push(nextCursor); loadHistory(nextCursor); });
$("#history-newer").addEventListener("click", () => { cursors.length = 0; loadHistory(); });

// ---- monitoring --------------------------------------------------------------------------
const LABELS = { accuracy: "Accuracy", log_loss: "Log loss", brier: "Brier score", roc_auc: "ROC AUC", macro_f1: "Macro F1", mae: "MAE", rmse: "RMSE", mape: "MAPE", r2: "R²", mae_mean: "MAE (mean over steps)" };
let monitorTimer = null;
async function loadMonitor() {
  const name = $("#monitor-model").value;
  if (!name) return;
  const window = $("#monitor-window").value;
  const w = window ? "window=" + window : "";
  try {
    const m = await manifest(name);
    const q = await api(`/models/${encodeURIComponent(name)}/quality${w ? "?" + w : ""}`);
    const cards = [el("div", { class: "metric" }, el("div", { class: "v", id: "metric-labelled", text: q.labelled.toLocaleString() }), el("div", { class: "k", text: "labelled" })),
      el("div", { class: "metric" }, el("div", { class: "v", text: q.unlabelled.toLocaleString() }), el("div", { class: "k", text: "awaiting outcome" }))];
    for (const [k, v] of Object.entries(q.metrics)) {
      if (k === "confusion" || Array.isArray(v)) continue;
      cards.push(el("div", { class: "metric" }, el("div", { class: "v", id: "metric-" + k, text: fmt(v) }), el("div", { class: "k", text: LABELS[k] || k })));
    }
    $("#monitor-metrics").replaceChildren(el("div", { class: "metrics" }, ...cards));
    const total = q.labelled + q.unlabelled;
    const kinds = [];
    if (total > 0) kinds.push(["volume", "Predictions over time"], ["scores", m.task.includes("classification") ? "Predicted probabilities" : "Predicted values"]);
    if (q.labelled > 0) {
      kinds.push(["quality", "Quality over time"]);
      if (m.task === "binary_classification") kinds.push(["calibration", "Calibration"]);
      if (m.task.includes("classification")) kinds.push(["confusion", "Confusion matrix"]);
    }
    const charts = $("#monitor-charts");
    const stamp = Date.now();
    const cardsOut = [];
    for (const [kind, title] of kinds) {
      const img = el("img", { alt: title, id: "chart-" + kind, width: 640, height: 400 });
      cardsOut.push(el("div", { class: "card chart" }, el("h2", { text: title }), img));
      api(`/models/${encodeURIComponent(name)}/charts/${kind}.png?width=640&height=400${w ? "&" + w : ""}&t=${stamp}`).then((u) => { img.src = u; }).catch(() => {});
    }
    if (!kinds.length) cardsOut.push(el("div", { class: "card" }, el("p", { class: "muted", text: "No predictions yet: charts appear once predictions are recorded." })));
    charts.replaceChildren(...cardsOut);
    loadVersions(name, m, w, stamp);
    loadDrift(name);
  } catch (err) {
    $("#monitor-metrics").replaceChildren(el("p", { class: "error", text: err.message }));
  }
}
// with several versions (a traffic split, a shadow): each version's quality and its quality chart
async function loadVersions(name, m, w, stamp) {
  const card = $("#monitor-versions-card");
  const versions = m.versions || [];
  if (versions.length < 2) {
    card.hidden = true;
    $("#monitor-versions").replaceChildren();
    return;
  }
  const base = `/models/${encodeURIComponent(name)}`;
  const columns = [];
  for (const v of versions) {
    const q = await api(`${base}/quality?version=${encodeURIComponent(v)}${w ? "&" + w : ""}`);
    const cards = [el("div", { class: "metric" }, el("div", { class: "v", text: q.labelled.toLocaleString() }), el("div", { class: "k", text: "labelled" }))];
    for (const [k, x] of Object.entries(q.metrics)) {
      if (k === "confusion" || Array.isArray(x)) continue;
      cards.push(el("div", { class: "metric" }, el("div", { class: "v", id: `version-${v}-${k}`, text: fmt(x) }), el("div", { class: "k", text: LABELS[k] || k })));
    }
    const kids = [el("h3", { text: `Version ${v}` + (v === m.version ? " (default)" : "") }), el("div", { class: "metrics" }, ...cards)];
    if (q.labelled > 0) {
      const img = el("img", { alt: `Quality of version ${v} over time`, id: `chart-quality-${v}`, width: 640, height: 400 });
      kids.push(img);
      api(`${base}/charts/quality.png?version=${encodeURIComponent(v)}&width=640&height=400${w ? "&" + w : ""}&t=${stamp}`).then((u) => { img.src = u; }).catch(() => {});
    }
    columns.push(el("div", { class: "version", id: `version-${v}` }, ...kids));
  }
  $("#monitor-versions").replaceChildren(...columns);
  card.hidden = false;
}
// drift of the last 24 hours against the training profile, else against the 24 hours before
async function loadDrift(name) {
  const base = `/models/${encodeURIComponent(name)}`;
  let query = "";
  let note = "Last 24 hours against the training profile (profile.json).";
  let d;
  try {
    try {
      d = await api(`${base}/drift`);
    } catch (err) {
      if (err.status !== 422) throw err;
      const now = Date.now();
      const from = new Date(now - 24 * 3600e3).toISOString();
      query = `reference_from=${encodeURIComponent(new Date(now - 48 * 3600e3).toISOString())}&from=${encodeURIComponent(from)}`;
      note = "No training profile: the last 24 hours against the 24 hours before.";
      d = await api(`${base}/drift?${query}`);
    }
    $("#monitor-drift-note").textContent = `${note} Reference ${d.reference.count.toLocaleString()} rows, current ${d.current.count.toLocaleString()}; drifted at PSI ≥ ${d.threshold}.`;
    const rows = d.features.map((f) => el("tr", { class: f.drifted ? "drifted" : "" },
      el("td", { text: f.name }), el("td", { text: f.type }), el("td", { class: "num", text: fmt(f.value) }),
      el("td", { text: f.value === null ? "too few rows" : (f.drifted ? "drifted" : "stable") })));
    const table = el("table", { id: "drift-table" },
      el("thead", {}, el("tr", {}, el("th", { text: "Feature" }), el("th", { text: "Type" }), el("th", { text: "PSI" }), el("th", { text: "" }))),
      el("tbody", {}, ...rows));
    const kids = [table];
    if (d.features.some((f) => f.value !== null)) {
      const img = el("img", { alt: "Drift per feature", id: "chart-drift", width: 640, height: 400 });
      kids.push(img);
      api(`${base}/charts/drift.png?width=640&height=400${query ? "&" + query : ""}&t=${Date.now()}`).then((u) => { img.src = u; }).catch(() => {});
    }
    $("#monitor-drift").replaceChildren(...kids);
  } catch (err) {
    $("#monitor-drift-note").textContent = "";
    $("#monitor-drift").replaceChildren(el("p", { class: "error", text: err.message }));
  }
}
function scheduleMonitor() {
  clearInterval(monitorTimer);
  if ($("#monitor-auto").checked) monitorTimer = setInterval(() => { if (!$("#panel-monitor").hidden) loadMonitor(); }, 10000);
}
$("#monitor-model").addEventListener("change", loadMonitor);
$("#monitor-window").addEventListener("change", loadMonitor);
$("#monitor-auto").addEventListener("change", scheduleMonitor);

// ---- start -------------------------------------------------------------------------------
(async function start() {
  try {
    models = (await api("/models")).models;
    document.querySelectorAll(".model-select").forEach((s) => fillModelSelect(s));
    const welcome = await api("/");
    if (welcome.default_model) document.querySelectorAll(".model-select").forEach((s) => { s.value = welcome.default_model; });
    await showModel($("#predict-model").value);
    scheduleMonitor();
    const hash = location.hash.replace("#", "");
    const tab = tabs.find((t) => t.id === "tab-" + hash);
    if (tab) selectTab(tab);
  } catch (err) {
    showError($("#predict-error"), "Cannot reach the server: " + err.message);
  }
})();
