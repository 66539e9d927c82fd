// copydesk's editor page: the repaired text, calm, with a discreet mark per edit and flag;
// a card per mark beside the text; one key per decision; the source beside the
// translation with its evidence marked; text the editor can type into (the marks follow
// the typing, and an edit whose text was typed over turns stale); reviews saved to the
// service and reopened. User text only ever enters the page through textContent, never
// as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const KEY = "copydesk-api-key";
const CHOSEN = new Set(["applied", "accepted"]); // the new text is in the text
const OPEN = new Set(["applied", "suggested", "flagged"]); // not yet decided by the editor
const STATE_WORDS = {
  applied: "applied", suggested: "suggested", accepted: "accepted", rejected: "rejected",
  flagged: "flagged", confirmed: "confirmed", dismissed: "dismissed", stale: "stale",
};
const ICONS = { suggested: "?", flagged: "!", accepted: "✔", rejected: "✗", confirmed: "‼",
  dismissed: "✗", stale: "~", applied: "" };

let view = null; // the review on screen (see show())

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

function postJson(path, body, method = "POST") {
  return api(path, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
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
  const clicked = performance.now();
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
    const response = await postJson("/v1/repair", body);
    const data = await response.json();
    if (!response.ok) throw new Error(typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail));
    const answered = performance.now();
    noteHandCorrections();
    flushFeedback();
    show(data.results[0], source, body.format);
    $("status").textContent = "";
    requestAnimationFrame(() => requestAnimationFrame(() => {
      window.copydeskTimings = { answer_ms: answered - clicked, paint_ms: performance.now() - clicked };
    }));
    $("result").scrollIntoView({ block: "start" });
  } catch (err) {
    $("status").textContent = "Error: " + err.message;
  } finally {
    clearInterval(ticker);
    $("progress").hidden = true;
  }
}

// ---- the model: items (edits and flags), paragraphs of pieces ------------------------

// Code-point offsets (Python's) to UTF-16 ones (JavaScript's) for one text.
function utf16Offsets(text) {
  const out = [0];
  let at = 0;
  for (const ch of text) { at += ch.length; out.push(at); }
  return out;
}

// Edits shown must not overlap: applied ones first, then the suggestions that fit.
function visibleEdits(edits) {
  const chosen = [];
  const ordered = [...edits].sort((a, b) => (b.applied - a.applied) || (a.start_utf16 - b.start_utf16));
  for (const e of ordered) {
    if (!chosen.some((c) => e.start_utf16 < c.end_utf16 && c.start_utf16 < e.end_utf16)) chosen.push(e);
  }
  return chosen.sort((a, b) => a.start_utf16 - b.start_utf16);
}

function overlaps(a, b) { return a.start < b.end && b.start < a.end; }

function itemsOf(result, source) {
  const items = visibleEdits(result.edits).map((e) => ({
    key: `e${e.id}`, type: "edit", edit: e, start: e.start_utf16, end: e.end_utf16,
    original: e.original, replacement: e.replacement, kind: e.kind, stage: e.stage,
    message: e.message, confidence: e.confidence, rule: e.rule, inline: true,
  }));
  const sourceAt = source ? utf16Offsets(source) : [];
  (result.flags || []).forEach((f, i) => {
    const item = {
      key: `f${i}`, type: "flag", start: f.start_utf16, end: f.end_utf16, original: f.original,
      kind: f.kind, stage: f.check, message: f.message, confidence: f.confidence,
      severity: f.severity, candidates: f.candidates || [], rule: f.check,
    };
    if (source && f.source_start != null && f.source_end != null) {
      item.sourceStart = sourceAt[f.source_start];
      item.sourceEnd = sourceAt[f.source_end];
    }
    item.inline = item.end > item.start && !items.some((o) => o.inline && overlaps(o, item));
    items.push(item);
  });
  const at = utf16Offsets(result.original);
  const segments = (result.segments || []).map((s, i) => ({ ...s, index: i, from: at[s.start], to: at[s.end] }));
  for (const item of items) {
    const seg = segments.find((s) => item.start >= s.from && item.start < Math.max(s.to, s.from + 1));
    item.segment = seg ? seg.index : null;
  }
  items.sort((a, b) => a.start - b.start || a.end - b.end);
  return { items, segments };
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

// The text as paragraphs of pieces: plain strings and {item} marks, with what lies
// between paragraphs kept as it was.
function paragraphsOf(text, items) {
  const ranges = splitParagraphs(text);
  const paras = ranges.map(([start, end]) => {
    const pieces = [];
    let cursor = start;
    for (const item of items) {
      if (!item.inline || item.start < start || item.end > end) continue;
      if (item.start > cursor) pieces.push(text.slice(cursor, item.start));
      pieces.push({ item: item.key });
      cursor = item.end;
    }
    if (end > cursor) pieces.push(text.slice(cursor, end));
    return pieces;
  });
  const gaps = [text.slice(0, ranges[0][0])];
  for (let i = 1; i < ranges.length; i++) gaps.push(text.slice(ranges[i - 1][1], ranges[i][0]));
  gaps.push(text.slice(ranges[ranges.length - 1][1]));
  return { paras, gaps, ranges };
}

function shownState(key) { return view.typed.has(key) ? "stale" : view.state.get(key); }

function shownText(item) {
  if (view.typed.has(item.key)) return view.typed.get(item.key);
  if (item.type === "flag") return item.original;
  return CHOSEN.has(view.state.get(item.key)) ? item.replacement : item.original;
}

function piecesText(pieces) {
  return pieces.map((p) => (typeof p === "string" ? p : shownText(view.byKey.get(p.item)))).join("");
}

// The text on screen is the final text: what copy and download give.
function finalText() {
  if (!view) return "";
  const { paras, gaps } = view;
  let out = gaps[0];
  paras.forEach((pieces, i) => { out += piecesText(pieces) + gaps[i + 1]; });
  return out;
}

// ---- showing a review ---------------------------------------------------------------

function show(result, source, format, saved = null) {
  const { items, segments } = itemsOf(result, source);
  const layout = paragraphsOf(result.original, items);
  view = {
    result, source, format, items, segments, ...layout,
    byKey: new Map(items.map((i) => [i.key, i])),
    state: new Map(items.map((i) => [i.key, i.type === "flag" ? "flagged" : i.edit.applied ? "applied" : "suggested"])),
    typed: new Map(),
    undo: [], redo: [], selected: null, order: "text", segSort: "text", savedId: null,
    review: (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()),
    manual: [], // the hand corrections made (sent as decisions of kind "manual")
  };
  if (saved) {
    for (const [k, s] of Object.entries(saved.decisions || {})) if (view.byKey.has(k)) view.state.set(k, s);
    for (const [k, t] of Object.entries(saved.typed || {})) if (view.byKey.has(k)) view.typed.set(k, t);
    if (Array.isArray(saved.paras) && saved.paras.length === view.paras.length) view.paras = saved.paras;
    view.review = saved.review || view.review;
    view.savedId = saved.id || null;
    if (Array.isArray(saved.manual)) view.manual = saved.manual;
  }
  markHandCorrectionsSeen();
  $("stale").hidden = true;
  $("result").classList.remove("is-stale");
  $("show-source").checked = Boolean(source);
  $("source-toggle-label").hidden = !source;
  $("order").value = "text";
  const kinds = [...new Set(items.map((i) => i.kind))];
  $("filter-kind").replaceChildren(option("all", "any"), ...kinds.map((k) => option(k, k)));
  renderStages(result.stages);
  renderText();
  renderCards();
  renderSegments();
  $("result").hidden = false;
  refresh();
}

function option(value, label) {
  const o = document.createElement("option");
  o.value = value; o.textContent = label;
  return o;
}

function markOf(item) {
  const span = document.createElement("span");
  span.className = `item kind-${item.kind}`;
  span.dataset.item = item.key;
  span.dataset.type = item.type;
  if ($("audit").checked && item.type === "edit" && !view.typed.has(item.key)) {
    const del = document.createElement("del");
    del.textContent = item.original;
    const becomes = document.createElement("span");
    becomes.className = "visually-hidden";
    becomes.textContent = " becomes ";
    const ins = document.createElement("ins");
    ins.textContent = item.replacement;
    span.append(del, becomes, ins);
    span.classList.add("audit");
  } else {
    span.textContent = shownText(item);
  }
  return span;
}

// Paragraph by paragraph, beside the source when there is one (rows keep them aligned).
function renderText() {
  const pairs = $("pairs");
  const audit = $("audit").checked;
  const sources = view.source ? splitParagraphs(view.source) : [];
  const paired = view.source && sources.length === view.paras.length;
  pairs.replaceChildren();
  pairs.classList.toggle("with-source", Boolean(view.source));
  pairs.classList.toggle("source-hidden", !$("show-source").checked);
  pairs.classList.toggle("audit", audit);
  const cell = (pieces, i) => {
    const div = document.createElement("div");
    div.className = "para";
    div.dataset.para = i;
    div.lang = "en";
    if (!audit) {
      div.contentEditable = "plaintext-only";
      div.setAttribute("role", "textbox");
      div.setAttribute("aria-multiline", "true");
      div.setAttribute("aria-label", `Paragraph ${i + 1} of the text`);
      div.spellcheck = false;
    }
    for (const p of pieces) {
      div.append(typeof p === "string" ? document.createTextNode(p) : markOf(view.byKey.get(p.item)));
    }
    return div;
  };
  const sourceCell = ([a, b]) => {
    const src = document.createElement("div");
    src.className = "src";
    src.lang = "ru";
    src.append(...sourceWithMarks(a, b));
    return src;
  };
  if (paired) {
    view.paras.forEach((pieces, i) => {
      const row = document.createElement("div");
      row.className = "row";
      const mt = document.createElement("div");
      mt.className = "mt";
      mt.append(cell(pieces, i));
      row.append(sourceCell(sources[i]), mt);
      pairs.append(row);
    });
  } else {
    const row = document.createElement("div");
    row.className = "row";
    const mt = document.createElement("div");
    mt.className = "mt";
    mt.append(...view.paras.map(cell));
    if (view.source) row.append(sourceCell([0, view.source.length]));
    row.append(mt);
    pairs.append(row);
  }
}

// The source words a name repair rests on: the word the repair quotes, in any of its forms.
const ENDING = /(ск(ий|ая|ое|ой|ого|ому|ом|их|ими|ую|ие)|ами|ями|ом|ой|ей|ем|ам|ах|ях|ы|и|а|е|у|ю|я|о|ь)$/;

function evidenceStems(item) {
  if (item.type !== "edit" || item.kind !== "entity") return [];
  const quoted = item.message.match(/source's word: '([^']+)'/);
  const words = quoted ? [quoted[1]] : (item.message.match(/[\u0400-\u04FF]{3,}/g) || []);
  return words.map((w) => w.toLowerCase().replace(ENDING, "")).filter((s) => s.length >= 3);
}

// The source's slice [a, b) with flags' source spans and name evidence marked.
function sourceWithMarks(a, b) {
  const source = view.source;
  const marks = [];
  for (const item of view.items) {
    if (item.sourceStart != null && item.sourceStart < b && item.sourceEnd > a && item.sourceEnd > item.sourceStart) {
      marks.push({ start: Math.max(item.sourceStart, a), end: Math.min(item.sourceEnd, b), key: item.key, cls: "flag-src" });
    }
    for (const stem of evidenceStems(item)) {
      const words = /[\u0400-\u04FF]+/g;
      words.lastIndex = a;
      let m;
      while ((m = words.exec(source)) !== null && m.index < b) {
        if (m[0].toLowerCase().startsWith(stem)) {
          marks.push({ start: m.index, end: m.index + m[0].length, key: item.key, cls: "evidence-src" });
        }
      }
    }
  }
  marks.sort((x, y) => x.start - y.start);
  const nodes = [];
  let cursor = a;
  for (const mk of marks) {
    if (mk.start < cursor) continue; // overlapping marks: the first keeps the span
    nodes.push(document.createTextNode(source.slice(cursor, mk.start)));
    const mark = document.createElement("mark");
    mark.className = mk.cls;
    mark.dataset.item = mk.key;
    mark.textContent = source.slice(mk.start, mk.end);
    nodes.push(mark);
    cursor = mk.end;
  }
  nodes.push(document.createTextNode(source.slice(cursor, b)));
  return nodes;
}

function level(confidence) {
  return confidence >= 0.9 ? "high" : confidence >= 0.6 ? "medium" : "low";
}

function cardTitle(item) {
  const kind = item.kind[0].toUpperCase() + item.kind.slice(1);
  return item.type === "flag" ? `${kind} flag` : kind;
}

function stageNote(item) {
  const stage = (item.stage || "").replace(/_/g, " ");
  if (!stage || stage.startsWith(item.kind.slice(0, 5))) return ""; // entity / entities
  return item.type === "flag" ? `check: ${stage}` : `stage: ${stage}`;
}

function cardOf(item) {
  const li = document.createElement("li");
  li.className = `card card-${item.type}`;
  li.id = `card-${item.key}`;
  li.dataset.item = item.key;
  li.tabIndex = -1;
  const head = document.createElement("h4");
  const badge = document.createElement("span");
  badge.className = "badge";
  head.append(document.createTextNode(cardTitle(item) + " "), badge);
  li.append(head);
  const change = document.createElement("p");
  change.className = "change";
  if (item.type === "edit") {
    const del = document.createElement("del"); del.textContent = item.original || "(nothing)";
    const arrow = document.createElement("span"); arrow.setAttribute("aria-hidden", "true"); arrow.textContent = " → ";
    const said = document.createElement("span"); said.className = "visually-hidden"; said.textContent = " becomes ";
    const ins = document.createElement("ins"); ins.textContent = item.replacement || "(removed)";
    change.append(del, arrow, said, ins);
  } else {
    const q = document.createElement("q"); q.textContent = item.original;
    change.append(q);
    if (item.candidates.length) change.append(document.createTextNode(` (perhaps: ${item.candidates.join(", ")})`));
  }
  li.append(change);
  const why = document.createElement("p");
  why.className = "why";
  why.textContent = item.message || "—";
  li.append(why);
  const meta = document.createElement("p");
  meta.className = "meta";
  const seg = item.segment != null ? view.segments[item.segment] : null;
  meta.textContent = [
    `confidence ${level(item.confidence)} (${item.confidence.toFixed(2)})`,
    item.severity ? `severity ${item.severity}` : "",
    stageNote(item),
    seg ? `sentence HTER ${seg.hter.toFixed(2)}` : "",
  ].filter(Boolean).join(" · ");
  li.append(meta);
  if (item.sourceStart != null) {
    const src = document.createElement("p");
    src.className = "meta";
    src.lang = "ru";
    src.textContent = "source: " + view.source.slice(item.sourceStart, item.sourceEnd);
    li.append(src);
  }
  const accept = document.createElement("button");
  accept.type = "button";
  accept.className = "accept";
  accept.innerHTML = item.type === "flag" ? "Confirm <kbd>a</kbd>" : "Accept <kbd>a</kbd>";
  accept.addEventListener("click", (ev) => { ev.stopPropagation(); select(item.key); decideSelected("a"); });
  const reject = document.createElement("button");
  reject.type = "button";
  reject.className = "reject";
  reject.innerHTML = item.type === "flag" ? "Dismiss <kbd>r</kbd>" : "Reject <kbd>r</kbd>";
  reject.addEventListener("click", (ev) => { ev.stopPropagation(); select(item.key); decideSelected("r"); });
  li.append(accept, reject);
  li.addEventListener("click", () => select(item.key));
  return li;
}

function renderCards() {
  $("cards").replaceChildren(...orderedItems().map(cardOf));
}

function renderStages(stages) {
  $("stages").replaceChildren(...stages.map((s) => {
    const li = document.createElement("li");
    li.textContent = `${s.name}: ${s.status}` + (s.reason ? ` — ${s.reason}` : "") +
      ` (${s.applied} applied of ${s.proposed}, ${(s.seconds * 1000).toFixed(0)} ms)`;
    return li;
  }));
}

function renderSegments() {
  const text = view.result.original;
  const rows = [...view.segments];
  if (view.segSort === "hter") rows.sort((a, b) => b.hter - a.hter);
  if (view.segSort === "da") rows.sort((a, b) => a.da - b.da);
  $("segments").tBodies[0].replaceChildren(...rows.map((s) => {
    const tr = document.createElement("tr");
    const sentence = text.slice(s.from, s.to);
    const td = document.createElement("td");
    td.textContent = sentence.length > 90 ? sentence.slice(0, 88) + "…" : sentence;
    tr.append(td);
    for (const v of [s.hter, s.da]) { const c = document.createElement("td"); c.textContent = v.toFixed(2); tr.append(c); }
    tr.classList.toggle("risky", s.hter >= 0.3);
    return tr;
  }));
  $("segments").closest("details").hidden = !view.segments.length;
}

// ---- selection, order and filters ---------------------------------------------------

function risk(item) { return item.segment != null ? view.segments[item.segment].hter : 0; }

function orderedItems() {
  const items = [...view.items];
  if (view.order === "risk") items.sort((a, b) => risk(b) - risk(a) || a.start - b.start);
  return items;
}

function matchesFilter(item) {
  const want = $("filter-state").value, kind = $("filter-kind").value;
  const below = Number($("filter-below").value), hter = Number($("filter-hter").value);
  const state = shownState(item.key);
  const okState = want === "all" || (want === "open" ? OPEN.has(state) : state === want);
  return okState && (kind === "all" || item.kind === kind) &&
    (Number.isNaN(below) || below >= 1 || item.confidence < below) &&
    (Number.isNaN(hter) || hter <= 0 || risk(item) >= hter);
}

function shownKeys() { return orderedItems().filter(matchesFilter).map((i) => i.key); }

function marksOf(key) { return document.querySelectorAll(`[data-item="${key}"]:not(.card)`); }

function select(key, { focus = true } = {}) {
  if (!view || !view.byKey.has(key)) return;
  view.selected = key;
  for (const el of document.querySelectorAll(".selected")) el.classList.remove("selected");
  for (const el of marksOf(key)) el.classList.add("selected");
  const card = $(`card-${key}`);
  card.classList.add("selected");
  // The card list scrolls on its own; the text moves only when its mark is out of sight.
  const list = card.closest(".cards-column");
  if (list.scrollHeight > list.clientHeight + 1) {
    const top = card.offsetTop - list.offsetTop;
    if (top < list.scrollTop || top + card.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTop = top - 8;
    }
  }
  if (focus) card.focus({ preventScroll: true });
  const mark = document.querySelector(`#pairs .item[data-item="${key}"]`);
  if (mark) {
    const box = mark.getBoundingClientRect();
    if (box.top < 0 || box.bottom > innerHeight) mark.scrollIntoView({ block: "center" });
  } else if (!visible(card)) {
    card.scrollIntoView({ block: "nearest" });
  }
}

function visible(el) {
  const box = el.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= innerHeight;
}

function move(step) {
  const keys = shownKeys();
  if (!keys.length) return;
  const i = keys.indexOf(view.selected);
  const next = i < 0 ? (step > 0 ? 0 : keys.length - 1) : Math.min(Math.max(i + step, 0), keys.length - 1);
  select(keys[next]);
}

function nextOpen() {
  const keys = shownKeys();
  const i = keys.indexOf(view.selected);
  const rest = [...keys.slice(i + 1), ...keys.slice(0, i + 1)];
  const key = rest.find((k) => OPEN.has(shownState(k)));
  if (key) select(key);
}

function setOrder(order) {
  view.order = order;
  $("order").value = order;
  renderCards();
  refresh();
  const first = shownKeys().find((k) => OPEN.has(shownState(k))) ?? shownKeys()[0];
  if (first) select(first);
  announce(order === "risk" ? "Cards ordered by risk, riskiest sentence first" : "Cards in text order");
}

// ---- decisions ----------------------------------------------------------------------

function decisionFor(item, letter) {
  if (item.type === "flag") return letter === "a" ? "confirmed" : "dismissed";
  return letter === "a" ? "accepted" : "rejected";
}

// a or r on the selected card: decide, then go to the next card shown.
function decideSelected(letter) {
  const key = view.selected;
  if (key === null || view.typed.has(key)) return;
  const keys = shownKeys();
  const next = keys[keys.indexOf(key) + 1];
  decide([key], (item) => decisionFor(item, letter));
  if (next && shownKeys().includes(next)) select(next);
  else if (shownKeys().includes(key)) select(key);
  else if (shownKeys().length) select(shownKeys()[0]);
}

// One decision (or one bulk action) is one step of the history.
function decide(keys, to) {
  const changes = keys.filter((k) => !view.typed.has(k))
    .map((k) => ({ key: k, from: view.state.get(k), to: to(view.byKey.get(k)) }))
    .filter((c) => c.from !== c.to);
  if (changes.length) {
    apply(changes, "to");
    view.undo.push(changes);
    view.redo = [];
    const item = view.byKey.get(changes[0].key);
    announce(changes.length === 1 ? `${changes[0].to}: ${item.original}` + (item.replacement != null ? ` → ${item.replacement}` : "")
      : `${changes[0].to}: ${changes.length} cards`);
  }
  refresh();
}

function apply(changes, side) {
  for (const c of changes) {
    view.state.set(c.key, c[side]);
    if (view.byKey.get(c.key).type === "edit") queueFeedback(c.key);
  }
}

// Undo takes a step off one stack and puts it back as it was ("from"); redo the reverse.
function step(from, to, side, label) {
  const changes = from?.pop();
  if (!changes) return;
  apply(changes, side);
  to.push(changes);
  announce(`${label}: ${changes.length} decision${changes.length > 1 ? "s" : ""}`);
  refresh();
  select(changes[0].key);
}

function undo() { if (view) step(view.undo, view.redo, "from", "undone"); }
function redo() { if (view) step(view.redo, view.undo, "to", "redone"); }

function announce(text) { $("announce").textContent = text; }

// Marks, cards and counts follow the states; a mark's text follows its decision.
function refresh() {
  if (!view) return;
  const audit = $("audit").checked;
  for (const item of view.items) {
    const state = shownState(item.key);
    for (const mark of document.querySelectorAll(`#pairs .item[data-item="${item.key}"]`)) {
      mark.dataset.state = state;
      mark.dataset.tip = item.type === "edit" ? `${STATE_WORDS[state]}: ${item.original} → ${item.replacement}`
        : `${item.kind}: ${item.message}`.slice(0, 140);
      if (!audit && mark.textContent !== shownText(item)) mark.textContent = shownText(item);
    }
    const card = $(`card-${item.key}`);
    if (!card) continue;
    card.dataset.state = state;
    const badge = card.querySelector(".badge");
    badge.textContent = `${ICONS[state] ? ICONS[state] + " " : ""}${STATE_WORDS[state]}`;
    badge.dataset.state = state;
    card.hidden = !matchesFilter(item);
    for (const b of card.querySelectorAll("button")) b.disabled = state === "stale";
  }
  const shown = shownKeys().length;
  $("cards-count").textContent = shown === view.items.length ? `(${shown})` : `(${shown} of ${view.items.length})`;
  renderOverview();
  $("undo").disabled = !view.undo.length;
  $("redo").disabled = !view.redo.length;
}

function renderOverview() {
  const counts = {};
  for (const item of view.items) {
    const s = shownState(item.key);
    counts[s] = (counts[s] || 0) + 1;
  }
  const edits = view.items.filter((i) => i.type === "edit").length;
  const flags = view.items.length - edits;
  const parts = ["applied", "suggested", "accepted", "rejected", "flagged", "confirmed", "dismissed", "stale"]
    .filter((s) => counts[s]).map((s) => {
      const span = document.createElement("span");
      span.className = "count";
      span.dataset.state = s;
      span.textContent = `${counts[s]} ${s}`;
      return span;
    });
  const lead = document.createElement("strong");
  lead.textContent = `${edits} edit${edits === 1 ? "" : "s"}, ${flags} flag${flags === 1 ? "" : "s"}:`;
  $("overview").replaceChildren(lead, ...parts);
}

// ---- typing into the text -------------------------------------------------------------

// A paragraph as typed: its pieces again, each mark still where the typing left it; a mark
// whose text no longer reads as the edit's (or that was deleted) is stale from then on.
function readParagraph(div) {
  const pieces = [];
  const seen = new Set();
  const push = (s) => {
    if (!s) return;
    if (typeof pieces[pieces.length - 1] === "string") pieces[pieces.length - 1] += s;
    else pieces.push(s);
  };
  for (const node of div.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) push(node.data);
    else if (node.dataset?.item && view.byKey.has(node.dataset.item) && !seen.has(node.dataset.item)) {
      const key = node.dataset.item;
      seen.add(key);
      const item = view.byKey.get(key);
      if (node.textContent !== shownText(item)) view.typed.set(key, node.textContent);
      pieces.push({ item: key });
    } else if (node.nodeName === "BR") push("\n");
    else push(node.textContent);
  }
  const i = Number(div.dataset.para);
  for (const p of view.paras[i]) {
    if (typeof p !== "string" && !seen.has(p.item)) view.typed.set(p.item, "");
  }
  view.paras[i] = pieces;
}

$("pairs").addEventListener("input", (ev) => {
  const div = ev.target.closest?.(".para");
  if (!view || !div) return;
  readParagraph(div);
  refresh();
});

// Leaving a paragraph sends the hand corrections typed into it.
$("pairs").addEventListener("focusout", (ev) => {
  const div = ev.target.closest?.(".para");
  if (!view || !div) return;
  if (noteHandCorrections()) flushFeedback();
});

// Typing at either edge of a mark goes beside it, not into it: a word typed after "Idlib"
// does not make that edit stale.
$("pairs").addEventListener("beforeinput", (ev) => {
  if (ev.inputType !== "insertText" || !ev.data || !view) return;
  const sel = getSelection();
  if (!sel.rangeCount || !sel.isCollapsed) return;
  const { startContainer: node, startOffset: at } = sel.getRangeAt(0);
  const mark = node.nodeType === Node.TEXT_NODE ? node.parentElement.closest(".item") : null;
  if (!mark || (at !== 0 && at !== node.data.length) || !mark.textContent) return;
  ev.preventDefault();
  const after = at === node.data.length;
  let text = after ? mark.nextSibling : mark.previousSibling;
  if (!text || text.nodeType !== Node.TEXT_NODE) {
    text = document.createTextNode("");
    if (after) mark.after(text); else mark.before(text);
  }
  const offset = after ? 0 : text.data.length;
  text.insertData(offset, ev.data);
  sel.collapse(text, offset + ev.data.length);
  readParagraph(mark.closest(".para"));
  refresh();
});

// A click on a mark picks out its card; the caret stays where the click put it.
$("pairs").addEventListener("click", (ev) => {
  const mark = ev.target.closest?.("[data-item]");
  if (view && mark) select(mark.dataset.item, { focus: !ev.target.closest(".para:focus") });
});

// e: type at the selected mark (the caret after it).
function editHere() {
  const mark = view.selected && document.querySelector(`#pairs .item[data-item="${view.selected}"]`);
  const para = mark?.closest(".para") || document.querySelector("#pairs .para");
  if (!para || !para.isContentEditable) return;
  para.focus();
  const range = document.createRange();
  if (mark) range.setStartAfter(mark); else range.selectNodeContents(para);
  range.collapse(!mark);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}

// ---- feedback: each decision on an edit sent when made, batched and retried -----------

const outbox = new Map(); // "review:id" -> decision
// Decisions a request, and its bytes: under the service's default body limit (1 MB)
// even where each decision's line is long and of wide characters; a page going away
// may send only 64 KB in all.
const FEEDBACK_BATCH = 200, FEEDBACK_BYTES = 500_000, KEEPALIVE_BYTES = 60_000;
const utf8 = new TextEncoder();
let flushTimer = null, retryDelay = 2000;

function decisionOf(item, review) {
  const state = view.state.get(item.key);
  const accepted = state === "accepted" ? true : state === "rejected" ? false : null;
  const e = item.edit;
  return { kind: e.kind, stage: e.stage, rule: e.rule, confidence: e.confidence, accepted,
    original: e.original, replacement: e.replacement, review, edit: e.id, ...contextOf(e) };
}

// The line an edit was proposed on (at most CONTEXT_CHARS either side of it), and the
// edit's code-point offset there: what the newsroom's judge of edits learns from.
const CONTEXT_CHARS = 1000;
function contextOf(e) {
  const text = view.result.original;
  let from = e.start_utf16 > 0 ? text.lastIndexOf("\n", e.start_utf16 - 1) + 1 : 0;
  let to = text.indexOf("\n", e.end_utf16);
  if (to < 0) to = text.length;
  from = Math.max(from, e.start_utf16 - CONTEXT_CHARS);
  to = Math.min(to, e.end_utf16 + CONTEXT_CHARS);
  if (/[\udc00-\udfff]/.test(text[from] ?? "")) from += 1; // never half a character
  if (/[\ud800-\udbff]/.test(text[to - 1] ?? "") && to > e.end_utf16) to -= 1;
  return { context: text.slice(from, to), start: [...text.slice(from, e.start_utf16)].length };
}

function queueFeedback(key) {
  outbox.set(`${view.review}:${key}`, decisionOf(view.byKey.get(key), view.review));
  clearTimeout(flushTimer);
  flushTimer = setTimeout(flushFeedback, 800);
}

// Edits nobody decided on are recorded as not reviewed (never as rejections).
function queueUnreviewed() {
  for (const item of view.items) {
    if (item.type !== "edit") continue;
    const k = `${view.review}:${item.key}`;
    if (!outbox.has(k) && !view.sent?.has(k)) outbox.set(k, decisionOf(item, view.review));
  }
}

async function flushFeedback({ keepalive = false } = {}) {
  clearTimeout(flushTimer);
  if (!outbox.size) return;
  // A few hundred decisions a request, under the service's body limit; a page going away
  // sends as many as fit in its 64 KB, without their text.
  const batch = new Map(), decisions = [];
  let bytes = 0;
  for (const [k, d] of outbox) {
    const { context, start, ...rest } = d;
    const sent = keepalive ? rest : d;
    const size = utf8.encode(JSON.stringify(sent)).length + 1;
    const full = !keepalive && batch.size >= FEEDBACK_BATCH;
    if (batch.size && (full || bytes + size > (keepalive ? KEEPALIVE_BYTES : FEEDBACK_BYTES))) break;
    batch.set(k, d);
    decisions.push(sent);
    bytes += size;
  }
  for (const k of batch.keys()) outbox.delete(k);
  try {
    const response = await api("/v1/feedback", {
      method: "POST", headers: { "content-type": "application/json" }, keepalive,
      body: JSON.stringify({ decisions }),
    });
    if (!response.ok) throw new Error(String(response.status));
    if (view) { view.sent ??= new Set(); for (const k of batch.keys()) view.sent.add(k); }
    retryDelay = 2000;
    if (outbox.size) flushTimer = setTimeout(flushFeedback, 0);
  } catch {
    for (const [k, v] of batch) if (!outbox.has(k)) outbox.set(k, v);
    flushTimer = setTimeout(flushFeedback, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }
}

addEventListener("pagehide", () => { noteHandCorrections(); flushFeedback({ keepalive: true }); });

// ---- hand corrections: what the editor typed where copydesk proposed nothing ----------

// Words, runs of space, and single other characters: a change covers whole words.
const TOKENS = /[\p{L}\p{M}\p{N}'’_-]+|\s+|[^\p{L}\p{M}\p{N}\s]/gu;

// The word-level changes from a to b, as [original, replacement] pairs: one per run of
// changed words (changed words apart only by unchanged spaces are one change, a phrase).
// glued.left / glued.right: a mark lies against that end of the text, so a change of the
// word there extends into the mark's text: the edit's, not a hand correction (left out).
function wordChanges(a, b, glued = {}) {
  const x = a.match(TOKENS) || [], y = b.match(TOKENS) || [];
  let p = 0;
  while (p < x.length && p < y.length && x[p] === y[p]) p++;
  let q = 0;
  while (q < x.length - p && q < y.length - p && x[x.length - 1 - q] === y[y.length - 1 - q]) q++;
  const xs = x.slice(p, x.length - q), ys = y.slice(p, y.length - q);
  const wordy = (t) => t !== undefined && !/^\s+$/.test(t);
  const changes = [];
  let run = null, spaces = [];
  const close = (i, j) => {
    if (!run) return;
    const left = glued.left && p === 0 && run.i === 0 && run.j === 0 &&
      (wordy(run.a[0]) || wordy(run.b[0]));
    const right = glued.right && q === 0 && i === xs.length && j === ys.length &&
      (wordy(run.a[run.a.length - 1]) || wordy(run.b[run.b.length - 1]));
    const [o, r] = [run.a.join("").trim(), run.b.join("").trim()];
    if (!left && !right && o !== r) changes.push([o, r]);
    run = null; spaces = [];
  };
  const change = (side, token, i, j) => {
    if (run && spaces.length) { run.a.push(...spaces); run.b.push(...spaces); }
    spaces = [];
    run ??= { a: [], b: [], i, j };
    run[side].push(token);
  };
  if (xs.length * ys.length > 4e6) { // too long to align: one change
    run = { a: xs, b: ys, i: 0, j: 0 };
    close(xs.length, ys.length);
    return changes;
  }
  const lcs = Array.from({ length: xs.length + 1 }, () => new Uint32Array(ys.length + 1));
  for (let i = xs.length - 1; i >= 0; i--) {
    for (let j = ys.length - 1; j >= 0; j--) {
      lcs[i][j] = xs[i] === ys[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  let i = 0, j = 0;
  while (i < xs.length || j < ys.length) {
    if (i < xs.length && j < ys.length && xs[i] === ys[j]) {
      if (!wordy(xs[i]) && run) spaces.push(xs[i]); else close(i, j);
      i++; j++;
    } else if (j < ys.length && (i === xs.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      change("b", ys[j], i, j); j++;
    } else {
      change("a", xs[i], i, j); i++;
    }
  }
  close(i, j);
  return changes;
}

// A paragraph's plain text between the marks that both versions still hold; text around a
// mark that is gone (typed away) is the edit's, not a hand correction: left out (null).
function plainRuns(pieces, kept) {
  const runs = [""];
  for (const p of pieces) {
    if (typeof p === "string") { if (runs[runs.length - 1] !== null) runs[runs.length - 1] += p; }
    else if (kept.has(p.item)) runs.push("");
    else runs[runs.length - 1] = null;
  }
  return runs;
}

// What the editor typed since the last look, queued for /v1/feedback as decisions of kind
// "manual": changes in the plain text (never a proposed edit's own text) and a flagged
// span's words retyped. Each change is sent once: what was seen becomes the new baseline.
function noteHandCorrections() {
  if (!view?.seen) return 0;
  const found = [];
  view.paras.forEach((now, i) => {
    const before = view.seen.paras[i] || [];
    const keys = (pieces) => pieces.filter((p) => typeof p !== "string").map((p) => p.item);
    const kept = new Set(keys(now));
    const was = plainRuns(before, kept), is = plainRuns(now, new Set(keys(before)));
    was.forEach((a, k) => {
      const glued = { left: k > 0, right: k < was.length - 1 };
      if (a !== null && is[k] != null) found.push(...wordChanges(a, is[k], glued));
    });
  });
  for (const item of view.items) {
    if (item.type !== "flag" || !view.typed.has(item.key)) continue;
    const typed = view.typed.get(item.key);
    const before = view.seen.typed.has(item.key) ? view.seen.typed.get(item.key) : item.original;
    if (typed && typed !== before) found.push(...wordChanges(before, typed));
  }
  for (const [original, replacement] of found) {
    const decision = { kind: "manual", stage: "manual", accepted: true, original, replacement,
      review: view.review };
    view.manual.push(decision);
    outbox.set(`${view.review}:m${view.manual.length}`, decision);
  }
  markHandCorrectionsSeen();
  return found.length;
}

function markHandCorrectionsSeen() {
  view.seen = { paras: view.paras.map((p) => p.slice()), typed: new Map(view.typed) };
}

// ---- export ---------------------------------------------------------------------------

async function copyFinal() {
  const text = finalText();
  noteHandCorrections();
  queueUnreviewed();
  flushFeedback();
  try { await navigator.clipboard.writeText(text); $("status").textContent = "Copied."; }
  catch { $("status").textContent = "The browser refused the clipboard: use Download text."; }
}

function download(name, type, content) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([content], { type }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

function downloadText() {
  noteHandCorrections();
  queueUnreviewed();
  flushFeedback();
  const [ext, type] = { html: ["html", "text/html"], markdown: ["md", "text/markdown"] }[view.format] || ["txt", "text/plain"];
  download(`copydesk-final.${ext}`, `${type};charset=utf-8`, finalText());
}

function downloadDecisions() {
  if (noteHandCorrections()) flushFeedback();
  const fields = ["start", "end", "original", "replacement", "kind", "stage", "confidence"];
  const edits = view.items.filter((i) => i.type === "edit");
  const accepted = edits.filter((i) => CHOSEN.has(shownState(i.key))).map((i) => Object.fromEntries(fields.map((f) => [f, i.edit[f]])));
  const flags = view.items.filter((i) => i.type === "flag")
    .map((i) => ({ start: i.start, end: i.end, kind: i.kind, message: i.message, state: shownState(i.key) }));
  download("copydesk-decisions.json", "application/json", JSON.stringify({
    original: view.result.original, final: finalText(), edits: accepted, flags,
    decisions: [...edits.map((i) => decisionOf(i, view.review)), ...view.manual],
  }, null, 2));
}

// ---- reviews saved in the service -------------------------------------------------------

function reviewState() {
  return {
    input: { mt: $("mt").value, source: view.source, format: view.format },
    result: view.result, review: view.review,
    decisions: Object.fromEntries(view.state), typed: Object.fromEntries(view.typed), paras: view.paras,
    manual: view.manual,
  };
}

async function saveReview() {
  if (noteHandCorrections()) flushFeedback();
  const first = finalText().split("\n").find((l) => l.trim()) || "review";
  const title = first.trim().slice(0, 80);
  try {
    const path = view.savedId ? `/v1/reviews/${encodeURIComponent(view.savedId)}` : "/v1/reviews";
    const response = await postJson(path, { title, state: reviewState() }, view.savedId ? "PUT" : "POST");
    const body = await response.json();
    if (!response.ok) throw new Error(typeof body.detail === "string" ? body.detail : String(response.status));
    view.savedId = body.id;
    $("status").textContent = `Saved: ${title}`;
  } catch (err) {
    $("status").textContent = "Not saved: " + err.message;
  }
}

async function listReviews() {
  const list = $("reviews-list");
  list.replaceChildren();
  $("reviews").showModal();
  try {
    const response = await api("/v1/reviews");
    const reviews = await response.json();
    if (!response.ok) throw new Error(String(response.status));
    if (!reviews.length) { const li = document.createElement("li"); li.textContent = "None saved yet."; list.append(li); }
    for (const r of reviews) {
      const li = document.createElement("li");
      const open = document.createElement("button");
      open.type = "button";
      open.className = "open-review";
      open.textContent = r.title;
      open.addEventListener("click", () => openReview(r.id));
      const when = document.createElement("span");
      when.textContent = ` ${new Date(r.updated_at).toLocaleString()} `;
      const del = document.createElement("button");
      del.type = "button";
      del.textContent = "Delete";
      del.setAttribute("aria-label", `Delete ${r.title}`);
      del.addEventListener("click", async () => {
        await api(`/v1/reviews/${encodeURIComponent(r.id)}`, { method: "DELETE" });
        li.remove();
      });
      li.append(open, when, del);
      list.append(li);
    }
  } catch (err) {
    const li = document.createElement("li"); li.textContent = "Could not list reviews: " + err.message; list.append(li);
  }
}

async function openReview(id) {
  const response = await api(`/v1/reviews/${encodeURIComponent(id)}`);
  if (!response.ok) { $("status").textContent = `Could not open the review (${response.status}).`; return; }
  const { state } = await response.json();
  $("reviews").close();
  noteHandCorrections();
  flushFeedback();
  $("mt").value = state.input.mt;
  $("source").value = state.input.source || "";
  $("format").value = state.input.format || "text";
  show(state.result, state.input.source || "", state.input.format || "text", { ...state, id });
  $("status").textContent = "Review reopened.";
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

// ---- pasting an article: its markup kept ----------------------------------------------

const LOOKS_HTML = /<(p|div|h[1-6]|a|em|strong|b|i|ul|ol|li|br|blockquote|span)\b[^>]*>/i;
const LOOKS_MARKDOWN = /^(#{1,6} |[*-] |\d+\. |> )|\*\*[^*\n]+\*\*|\[[^\]\n]+\]\([^)\s]+\)/m;

$("mt").addEventListener("paste", (ev) => {
  const html = ev.clipboardData?.getData("text/html");
  const plain = ev.clipboardData?.getData("text/plain") || "";
  if (html && $("format").value === "html") { // rich copy from a page: its HTML, as written
    ev.preventDefault();
    const box = $("mt");
    box.setRangeText(html, box.selectionStart, box.selectionEnd, "end");
    box.dispatchEvent(new Event("input", { bubbles: true }));
    return;
  }
  if ($("format").value === "text") {
    if (LOOKS_HTML.test(plain)) $("format").value = "html";
    else if (LOOKS_MARKDOWN.test(plain)) $("format").value = "markdown";
  }
});

// ---- keys and wiring ----------------------------------------------------------------

function typingIn(target) {
  return ["TEXTAREA", "INPUT", "SELECT"].includes(target.tagName) || target.isContentEditable;
}

document.addEventListener("keydown", (ev) => {
  if (ev.key === "Escape" && ev.target.isContentEditable && view) {
    ev.preventDefault();
    ev.target.blur();
    if (view.selected) select(view.selected);
    return;
  }
  if (!view || typingIn(ev.target) || $("shortcuts").open || $("reviews").open) return;
  const ctrl = ev.ctrlKey || ev.metaKey;
  if (ctrl && (ev.key === "z" || ev.key === "Z")) { ev.preventDefault(); ev.shiftKey ? redo() : undo(); return; }
  if (ctrl && ev.key === "y") { ev.preventDefault(); redo(); return; }
  if (ctrl || ev.altKey) return;
  if (ev.key === "j") move(1);
  else if (ev.key === "k") move(-1);
  else if (ev.key === "n") nextOpen();
  else if (ev.key === "s") setOrder(view.order === "risk" ? "text" : "risk");
  else if (ev.key === "v") { $("audit").checked = !$("audit").checked; rerender(); }
  else if (ev.key === "e") editHere();
  else if (ev.key === "?") $("shortcuts").showModal();
  else if ((ev.key === "a" || ev.key === "r") && view.selected !== null) decideSelected(ev.key);
  else return;
  ev.preventDefault();
});

function rerender() {
  if (!view) return;
  renderText();
  refresh();
  if (view.selected) select(view.selected);
}

for (const id of ["mt", "source", "format"]) {
  $(id).addEventListener("input", () => {
    if (!view) return;
    $("stale").hidden = false;
    $("result").classList.add("is-stale");
  });
}
// A filter takes you to what it shows: the first card shown, if the selected one is not.
function filtered() {
  if (!view) return;
  refresh();
  const keys = shownKeys();
  if (keys.length && !keys.includes(view.selected)) select(keys[0], { focus: false });
}
for (const id of ["filter-state", "filter-kind", "filter-below", "filter-hter"]) $(id).addEventListener("input", filtered);
$("order").addEventListener("change", () => setOrder($("order").value));
$("audit").addEventListener("change", rerender);
$("show-source").addEventListener("change", () => $("pairs").classList.toggle("source-hidden", !$("show-source").checked));
$("accept-shown").addEventListener("click", () => decide(shownKeys(), (i) => decisionFor(i, "a")));
$("reject-shown").addEventListener("click", () => decide(shownKeys(), (i) => decisionFor(i, "r")));
$("sort-hter").addEventListener("click", () => { view.segSort = view.segSort === "hter" ? "text" : "hter"; renderSegments(); });
$("sort-da").addEventListener("click", () => { view.segSort = view.segSort === "da" ? "text" : "da"; renderSegments(); });
$("undo").addEventListener("click", undo);
$("redo").addEventListener("click", redo);
$("help").addEventListener("click", () => $("shortcuts").showModal());
$("repair").addEventListener("click", repair);
$("copy").addEventListener("click", copyFinal);
$("download").addEventListener("click", downloadText);
$("download-decisions").addEventListener("click", downloadDecisions);
$("save-review").addEventListener("click", saveReview);
$("reviews-open").addEventListener("click", listReviews);
loadGlossaries();
