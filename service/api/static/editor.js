// copydesk's editor page: every edit shown as old -> new with its state, a card per edit,
// decisions that can be undone, source beside the translation, filters, export, and
// feedback sent as decisions are made. User text only ever enters the page through
// textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const KEY = "copydesk-api-key";
const STATES = ["applied", "suggested", "accepted", "rejected"];
const MARKS = { applied: "✓", suggested: "?", accepted: "✔", rejected: "✗" };
const CHOSEN = new Set(["applied", "accepted"]); // the new text is in the final text

let view = null; // the repair being reviewed (see show())

// ---- talking to the server ----------------------------------------------------------

async function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  const key = sessionStorage.getItem(KEY);
  if (key) headers["X-API-Key"] = key;
  const response = await fetch(path, { ...options, headers });
  if (response.status === 401) {
    askForKey(key ? "The server refused this key. Enter another one." : "This server needs an API key.");
    throw new Error(key ? "the API key was refused" : "an API key is needed");
  }
  return response;
}

function askForKey(message) {
  $("key-message").textContent = message;
  $("key-form").hidden = false;
  $("api-key").focus();
}

$("key-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const key = $("api-key").value.trim();
  if (!key) return;
  sessionStorage.setItem(KEY, key); // the browser session only; never in the URL
  $("api-key").value = "";
  $("key-form").hidden = true;
  loadGlossaries();
  if ($("mt").value.trim()) repair();
});

function parseGlossary(text) {
  return text.split("\n").map((l) => l.split(";").map((p) => p.trim()).filter(Boolean))
    .filter((parts) => parts.length)
    .map(([term, ...variants]) => ({ term, variants }));
}

async function repair() {
  const body = { text: $("mt").value, format: $("format").value };
  const source = $("source").value.trim();
  if (source) body.source = source;
  const glossary = parseGlossary($("glossary").value);
  if (glossary.length) body.glossary = glossary;
  if ($("glossary-id").value) body.glossary_id = $("glossary-id").value; // a random id
  const started = Date.now();
  $("progress").hidden = false;
  $("status").textContent = "Repairing…";
  const ticker = setInterval(() => {
    $("status").textContent = `Repairing… ${Math.round((Date.now() - started) / 1000)} s` +
      " (the first repair starts LanguageTool and can take a while)";
  }, 1000);
  try {
    const response = await api("/v1/repair", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
    });
    const data = await response.json();
    if (!response.ok) throw new Error(typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail));
    flushFeedback();
    show(data.results[0], source, body.format);
    $("status").textContent = "";
    $("result").scrollIntoView({ behavior: "smooth", block: "start" });
  } catch (err) {
    $("status").textContent = "Error: " + err.message;
  } finally {
    clearInterval(ticker);
    $("progress").hidden = true;
  }
}

// ---- the review ---------------------------------------------------------------------

// Edits shown must not overlap: applied ones first, then the suggestions that fit.
function visibleEdits(edits) {
  const chosen = [];
  const ordered = [...edits].sort((a, b) => (b.applied - a.applied) || (a.start_utf16 - b.start_utf16));
  for (const e of ordered) {
    if (!chosen.some((c) => e.start_utf16 < c.end_utf16 && c.start_utf16 < e.end_utf16)) chosen.push(e);
  }
  return chosen.sort((a, b) => a.start_utf16 - b.start_utf16 || a.end_utf16 - b.end_utf16);
}

function show(result, source, format) {
  const edits = visibleEdits(result.edits);
  view = {
    result, edits, source, format,
    byId: new Map(edits.map((e) => [e.id, e])),
    state: new Map(edits.map((e) => [e.id, e.applied ? "applied" : "suggested"])),
    undo: [], redo: [], selected: null,
    review: (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()),
  };
  $("stale").hidden = true;
  $("result").classList.remove("is-stale");
  renderText();
  renderStages(result.stages);
  const kinds = [...new Set(edits.map((e) => e.kind))];
  $("filter-kind").replaceChildren(option("all", "any"), ...kinds.map((k) => option(k, k)));
  $("result").hidden = false;
  $("card").hidden = true;
  refresh();
}

function option(value, label) {
  const o = document.createElement("option");
  o.value = value; o.textContent = label;
  return o;
}

function editSpan(e) {
  const span = document.createElement("span");
  span.className = `edit kind-${e.kind}`;
  span.tabIndex = 0;
  span.dataset.id = e.id;
  span.setAttribute("role", "button");
  span.setAttribute("aria-describedby", "card");
  const mark = document.createElement("span");
  mark.className = "mark";
  mark.setAttribute("aria-hidden", "true");
  const said = document.createElement("span"); // what a screen reader says before the texts
  said.className = "visually-hidden said";
  const del = document.createElement("del");
  del.textContent = e.original;
  const becomes = document.createElement("span");
  becomes.className = "visually-hidden";
  becomes.textContent = " becomes ";
  const ins = document.createElement("ins");
  ins.textContent = e.replacement;
  span.append(said, mark, del, becomes, ins);
  span.addEventListener("click", () => select(e.id));
  span.addEventListener("focus", () => select(e.id, false));
  span.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" || ev.key === " ") {
      ev.preventDefault();
      decide([e.id], CHOSEN.has(view.state.get(e.id)) ? "rejected" : "accepted");
    }
  });
  return span;
}

// The text with its edits, in one box, or paragraph by paragraph beside the source.
function renderText() {
  const text = view.result.original;
  const paragraphs = splitParagraphs(text);
  const sources = view.source ? splitParagraphs(view.source).map(([a, b]) => view.source.slice(a, b)) : [];
  const paired = view.source && sources.length === paragraphs.length;
  $("text").hidden = Boolean(view.source);
  $("pairs").hidden = !view.source;
  const rows = paired ? paragraphs.map((p, i) => [p, sources[i]]) : [[[0, text.length], view.source]];
  const target = view.source ? $("pairs") : $("text");
  target.replaceChildren();
  for (const [[start, end], source] of rows) {
    const mt = document.createElement("div");
    mt.className = "mt text";
    let cursor = start;
    for (const e of view.edits.filter((x) => x.start_utf16 >= start && x.end_utf16 <= end)) {
      mt.append(document.createTextNode(text.slice(cursor, e.start_utf16)), editSpan(e));
      cursor = e.end_utf16;
    }
    mt.append(document.createTextNode(text.slice(cursor, end)));
    if (!view.source) { target.append(mt); continue; }
    const row = document.createElement("div");
    row.className = "pair";
    const src = document.createElement("div");
    src.className = "src";
    src.lang = "ru";
    src.append(...sourceWithEvidence(source || "", view.edits.filter((x) => x.start_utf16 >= start && x.end_utf16 <= end)));
    row.append(src, mt);
    target.append(row);
  }
}

function splitParagraphs(text) {
  const out = [];
  const breaks = /\n[ \t]*\n\s*/g;
  let cursor = 0, m;
  while ((m = breaks.exec(text)) !== null) {
    if (m.index > cursor) out.push([cursor, m.index]);
    cursor = m.index + m[0].length;
  }
  if (cursor < text.length || !out.length) out.push([cursor, text.length]);
  return out;
}

// A name repair's evidence in the source (the source words its message quotes), marked.
function sourceWithEvidence(source, edits) {
  const words = new Map();
  for (const e of edits) {
    if (e.kind !== "entity") continue;
    for (const w of (e.message.match(/[\u0400-\u04FF]{3,}/g) || [])) words.set(w, e.id);
  }
  if (!words.size) return [document.createTextNode(source)];
  const pattern = new RegExp([...words.keys()].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  const nodes = [];
  let cursor = 0, m;
  while ((m = pattern.exec(source)) !== null) {
    nodes.push(document.createTextNode(source.slice(cursor, m.index)));
    const mark = document.createElement("mark");
    mark.textContent = m[0];
    mark.dataset.edit = words.get(m[0]);
    nodes.push(mark);
    cursor = m.index + m[0].length;
  }
  nodes.push(document.createTextNode(source.slice(cursor)));
  return nodes;
}

function renderStages(stages) {
  $("stages").replaceChildren(...stages.map((s) => {
    const li = document.createElement("li");
    li.textContent = `${s.name}: ${s.status}` + (s.reason ? ` — ${s.reason}` : "") +
      ` (${s.applied} applied of ${s.proposed}, ${(s.seconds * 1000).toFixed(0)} ms)`;
    return li;
  }));
}

function level(confidence) {
  return confidence >= 0.9 ? "high" : confidence >= 0.6 ? "medium" : "low";
}

function select(id, focus = true) {
  if (!view) return;
  view.selected = id;
  const e = view.byId.get(id);
  const state = view.state.get(id);
  $("card-old").textContent = e.original || "(nothing)";
  $("card-new").textContent = e.replacement || "(removed)";
  $("card-state").textContent = state;
  $("card-kind").textContent = `${e.kind} (${e.stage})`;
  $("card-reason").textContent = e.message || "—";
  $("card-level").textContent = level(e.confidence);
  $("card-number").textContent = e.confidence.toFixed(3);
  $("card-rule").textContent = e.rule || "—";
  $("card").hidden = false;
  for (const span of document.querySelectorAll(".edit.selected")) span.classList.remove("selected");
  const span = spanOf(id);
  span?.classList.add("selected");
  for (const mark of document.querySelectorAll("#pairs mark")) {
    mark.classList.toggle("evidence", Number(mark.dataset.edit) === id);
  }
  if (focus && span && document.activeElement !== span) span.focus();
}

function spanOf(id) { return document.querySelector(`.edit[data-id="${id}"]:not(.sample)`); }

function shownSpans() {
  return [...document.querySelectorAll("#text .edit, #pairs .edit")].filter((s) => !s.classList.contains("filtered-out"));
}

function move(step) {
  const spans = shownSpans();
  if (!spans.length) return;
  const i = spans.findIndex((s) => Number(s.dataset.id) === view.selected);
  const next = i < 0 ? 0 : Math.min(Math.max(i + step, 0), spans.length - 1);
  select(Number(spans[next].dataset.id));
}

// One decision (or one bulk action) is one step of the history.
function decide(ids, to, { advance = false } = {}) {
  const changes = ids.map((id) => ({ id, from: view.state.get(id), to })).filter((c) => c.from !== c.to);
  if (changes.length) {
    apply(changes, "to");
    view.undo.push(changes);
    view.redo = [];
    const e = view.byId.get(changes[0].id);
    announce(changes.length === 1 ? `${to}: ${e.original} → ${e.replacement}` : `${to}: ${changes.length} edits`);
  }
  if (advance) move(1);
  refresh();
}

function apply(changes, side) {
  for (const c of changes) {
    view.state.set(c.id, c[side]);
    queueFeedback(c.id);
  }
}

// Undo takes a step off one stack and puts it back as it was ("from"); redo the reverse.
function step(source, target, side, label) {
  const changes = source?.pop();
  if (!changes) return;
  apply(changes, side);
  target.push(changes);
  announce(`${label}: ${changes.length} decision${changes.length > 1 ? "s" : ""}`);
  select(changes[0].id);
  refresh();
}

function undo() { if (view) step(view.undo, view.redo, "from", "undone"); }
function redo() { if (view) step(view.redo, view.undo, "to", "redone"); }

function announce(text) { $("announce").textContent = text; }

function matchesFilter(e) {
  const state = $("filter-state").value, kind = $("filter-kind").value;
  const below = Number($("filter-below").value);
  return (state === "all" || view.state.get(e.id) === state) &&
    (kind === "all" || e.kind === kind) && (Number.isNaN(below) || below >= 1 || e.confidence < below);
}

function refresh() {
  if (!view) return;
  for (const e of view.edits) {
    const span = spanOf(e.id);
    if (!span) continue;
    const state = view.state.get(e.id);
    span.dataset.state = state;
    span.querySelector(".mark").textContent = MARKS[state];
    span.querySelector(".said").textContent = `${e.kind} edit, ${state}: `;
    span.classList.toggle("filtered-out", !matchesFilter(e));
  }
  renderOverview();
  $("undo").disabled = !view.undo.length;
  $("redo").disabled = !view.redo.length;
  $("final").value = finalText();
  if (view.selected !== null) $("card-state").textContent = view.state.get(view.selected);
}

function renderOverview() {
  const counts = {};
  for (const e of view.edits) {
    counts[e.kind] ??= Object.fromEntries(STATES.map((s) => [s, 0]));
    counts[e.kind][view.state.get(e.id)] += 1;
  }
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const h of ["kind", ...STATES, "total"]) {
    const th = document.createElement("th"); th.scope = "col"; th.textContent = h; head.append(th);
  }
  const body = table.createTBody();
  const totals = Object.fromEntries(STATES.map((s) => [s, 0]));
  for (const [kind, byState] of Object.entries(counts)) {
    const row = body.insertRow();
    const th = document.createElement("th"); th.scope = "row"; th.textContent = kind; row.append(th);
    for (const s of STATES) { row.insertCell().textContent = byState[s]; totals[s] += byState[s]; }
    row.insertCell().textContent = STATES.reduce((n, s) => n + byState[s], 0);
  }
  const foot = table.createTFoot().insertRow();
  const th = document.createElement("th"); th.scope = "row"; th.textContent = "all"; foot.append(th);
  for (const s of STATES) foot.insertCell().textContent = totals[s];
  foot.insertCell().textContent = view.edits.length;
  $("overview").replaceChildren(table);
}

function finalText() {
  const text = view.result.original;
  let out = "", cursor = 0;
  for (const e of view.edits) {
    out += text.slice(cursor, e.start_utf16) + (CHOSEN.has(view.state.get(e.id)) ? e.replacement : e.original);
    cursor = e.end_utf16;
  }
  return out + text.slice(cursor);
}

// ---- feedback: each decision sent when made, batched and retried ----------------------

const outbox = new Map(); // "review:id" -> decision
let flushTimer = null, retryDelay = 2000;

function decisionOf(e, review) {
  const state = view.state.get(e.id);
  const accepted = state === "accepted" ? true : state === "rejected" ? false : null;
  return { kind: e.kind, stage: e.stage, rule: e.rule, confidence: e.confidence, accepted,
    original: e.original, replacement: e.replacement, review, edit: e.id };
}

function queueFeedback(id) {
  outbox.set(`${view.review}:${id}`, decisionOf(view.byId.get(id), view.review));
  clearTimeout(flushTimer);
  flushTimer = setTimeout(flushFeedback, 800);
}

// Edits nobody decided on are recorded as not reviewed (never as rejections).
function queueUnreviewed() {
  for (const e of view.edits) {
    const key = `${view.review}:${e.id}`;
    if (!outbox.has(key) && !view.sent?.has(key)) outbox.set(key, decisionOf(e, view.review));
  }
}

async function flushFeedback({ keepalive = false } = {}) {
  clearTimeout(flushTimer);
  if (!outbox.size) return;
  const batch = new Map(outbox);
  outbox.clear();
  try {
    const response = await api("/v1/feedback", {
      method: "POST", headers: { "content-type": "application/json" }, keepalive,
      body: JSON.stringify({ decisions: [...batch.values()] }),
    });
    if (!response.ok) throw new Error(String(response.status));
    if (view) { view.sent ??= new Set(); for (const k of batch.keys()) view.sent.add(k); }
    retryDelay = 2000;
  } catch {
    for (const [k, v] of batch) if (!outbox.has(k)) outbox.set(k, v);
    flushTimer = setTimeout(flushFeedback, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }
}

addEventListener("pagehide", () => flushFeedback({ keepalive: true }));

// ---- export ---------------------------------------------------------------------------

async function copyFinal() {
  const text = finalText();
  queueUnreviewed();
  flushFeedback();
  try { await navigator.clipboard.writeText(text); }
  catch { $("final").select(); document.execCommand("copy"); }
  $("status").textContent = "Copied.";
}

function download(name, type, content) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([content], { type }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

function downloadText() {
  queueUnreviewed();
  flushFeedback();
  const [ext, type] = { html: ["html", "text/html"], markdown: ["md", "text/markdown"] }[view.format] || ["txt", "text/plain"];
  download(`copydesk-final.${ext}`, `${type};charset=utf-8`, finalText());
}

function downloadDecisions() {
  const fields = ["start", "end", "original", "replacement", "kind", "stage", "confidence"];
  const accepted = view.edits.filter((e) => CHOSEN.has(view.state.get(e.id)))
    .map((e) => Object.fromEntries(fields.map((f) => [f, e[f]])));
  const decisions = view.edits.map((e) => decisionOf(e, view.review));
  download("copydesk-decisions.json", "application/json",
    JSON.stringify({ original: view.result.original, edits: accepted, decisions }, null, 2));
}

async function loadGlossaries() {
  try {
    const response = await api("/v1/glossaries");
    if (!response.ok) return;
    const picker = $("glossary-id");
    picker.replaceChildren(option("", "(none)"));
    for (const g of await response.json()) picker.append(option(g.id, `${g.name} (${g.terms} terms)`));
  } catch { /* the picker stays empty; a key prompt may be showing */ }
}

// ---- keys and wiring ----------------------------------------------------------------

document.addEventListener("keydown", (ev) => {
  const typing = ["TEXTAREA", "INPUT", "SELECT"].includes(ev.target.tagName);
  if (!view || typing || $("shortcuts").open) return;
  const ctrl = ev.ctrlKey || ev.metaKey;
  if (ctrl && (ev.key === "z" || ev.key === "Z")) { ev.preventDefault(); ev.shiftKey ? redo() : undo(); return; }
  if (ctrl && ev.key === "y") { ev.preventDefault(); redo(); return; }
  if (ctrl || ev.altKey) return;
  if (ev.key === "j") move(1);
  else if (ev.key === "k") move(-1);
  else if (ev.key === "?") $("shortcuts").showModal();
  else if ((ev.key === "a" || ev.key === "r") && view.selected !== null) {
    decide([view.selected], ev.key === "a" ? "accepted" : "rejected", { advance: true });
  } else return;
  ev.preventDefault();
});

for (const id of ["mt", "source", "format"]) {
  $(id).addEventListener("input", () => {
    if (!view) return;
    $("stale").hidden = false;
    $("result").classList.add("is-stale");
  });
}
for (const id of ["filter-state", "filter-kind", "filter-below"]) $(id).addEventListener("input", refresh);
$("accept-shown").addEventListener("click", () => decide(shownSpans().map((s) => Number(s.dataset.id)), "accepted"));
$("reject-shown").addEventListener("click", () => decide(shownSpans().map((s) => Number(s.dataset.id)), "rejected"));
$("card-accept").addEventListener("click", () => decide([view.selected], "accepted", { advance: true }));
$("card-reject").addEventListener("click", () => decide([view.selected], "rejected", { advance: true }));
$("undo").addEventListener("click", undo);
$("redo").addEventListener("click", redo);
$("help").addEventListener("click", () => $("shortcuts").showModal());
$("repair").addEventListener("click", repair);
$("copy").addEventListener("click", copyFinal);
$("download").addEventListener("click", downloadText);
$("download-decisions").addEventListener("click", downloadDecisions);
loadGlossaries();
