// copydesk editor: shows each edit in place; accept/reject; copy the final text.
// User text is only ever put in the page with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
let current = null; // {original, edits: [...], state: Map(id -> accepted)}

function parseGlossary(text) {
  return text.split("\n").map((l) => l.split(";").map((p) => p.trim()).filter(Boolean))
    .filter((parts) => parts.length)
    .map(([term, ...variants]) => ({ term, variants }));
}

async function repair() {
  const text = $("mt").value;
  const body = { text };
  const source = $("source").value.trim();
  if (source) body.source = source;
  const glossary = parseGlossary($("glossary").value);
  if (glossary.length) body.glossary = glossary;
  if ($("glossary-id").value) body.glossary_id = Number($("glossary-id").value);
  $("status").textContent = "Repairing…";
  document.querySelector(".result").hidden = true; // no stale edits while waiting
  try {
    const response = await fetch("/v1/repair", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
    });
    const data = await response.json();
    if (!response.ok) throw new Error(typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail));
    show(data.results[0]);
    $("status").textContent = "";
  } catch (err) {
    $("status").textContent = "Error: " + err.message;
  }
}

// Edits shown in the text must not overlap: applied ones first, then suggestions that fit.
function visibleEdits(edits) {
  const chosen = [];
  const ordered = [...edits].sort((a, b) => (b.applied - a.applied) || (a.start_utf16 - b.start_utf16));
  for (const e of ordered) {
    const clash = chosen.some((c) => e.start_utf16 < c.end_utf16 && c.start_utf16 < e.end_utf16);
    if (!clash) chosen.push(e);
  }
  return chosen.sort((a, b) => a.start_utf16 - b.start_utf16 || a.end_utf16 - b.end_utf16);
}

function show(result) {
  const edits = visibleEdits(result.edits);
  current = { original: result.original, edits, state: new Map(edits.map((e) => [e.id, e.applied])) };
  const box = $("text");
  box.replaceChildren();
  let cursor = 0;
  for (const e of edits) {
    box.append(document.createTextNode(result.original.slice(cursor, e.start_utf16)));
    const span = document.createElement("span");
    span.className = `edit kind-${e.kind}` + (e.applied ? "" : " suggestion");
    span.tabIndex = 0;
    span.dataset.id = e.id;
    span.setAttribute("role", "button");
    const del = document.createElement("del");
    del.textContent = e.original;
    const ins = document.createElement("ins");
    ins.textContent = e.replacement;
    span.append(del, ins);
    span.addEventListener("click", () => toggle(e.id));
    span.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); toggle(e.id); } });
    span.addEventListener("focus", () => tip(span, e));
    span.addEventListener("mouseenter", () => tip(span, e));
    span.addEventListener("blur", () => { $("tip").hidden = true; });
    span.addEventListener("mouseleave", () => { $("tip").hidden = true; });
    box.append(span);
    cursor = e.end_utf16;
  }
  box.append(document.createTextNode(result.original.slice(cursor)));
  const stages = $("stages");
  stages.replaceChildren(...result.stages.map((s) => {
    const li = document.createElement("li");
    li.textContent = `${s.name}: ${s.status}` + (s.reason ? ` — ${s.reason}` : "") +
      ` (${s.applied} applied of ${s.proposed}, ${(s.seconds * 1000).toFixed(0)} ms)`;
    return li;
  }));
  const kinds = [...new Set(edits.map((e) => e.kind))];
  $("kinds").replaceChildren(...kinds.flatMap((k) => [
    button(`Accept all ${k}`, () => setKind(k, true), `accept-${k}`),
    button(`Reject all ${k}`, () => setKind(k, false), `reject-${k}`),
  ]));
  document.querySelector(".result").hidden = false;
  refresh();
}

function button(label, onClick, id) {
  const b = document.createElement("button");
  b.type = "button"; b.textContent = label; b.id = id; b.addEventListener("click", onClick);
  return b;
}

function tip(span, e) {
  const t = $("tip");
  t.textContent = `${e.kind} · ${e.stage} · confidence ${e.confidence.toFixed(2)}: ${e.message}`;
  const r = span.getBoundingClientRect();
  t.style.left = `${window.scrollX + r.left}px`;
  t.style.top = `${window.scrollY + r.bottom + 4}px`;
  t.hidden = false;
}

function toggle(id) { current.state.set(id, !current.state.get(id)); refresh(); }
function setKind(kind, value) {
  for (const e of current.edits) if (e.kind === kind) current.state.set(e.id, value);
  refresh();
}

function finalText() {
  let out = "", cursor = 0;
  for (const e of current.edits) {
    out += current.original.slice(cursor, e.start_utf16);
    out += current.state.get(e.id) ? e.replacement : e.original;
    cursor = e.end_utf16;
  }
  return out + current.original.slice(cursor);
}

function refresh() {
  let accepted = 0;
  for (const span of document.querySelectorAll("#text .edit")) {
    const on = current.state.get(Number(span.dataset.id));
    accepted += on;
    span.classList.toggle("accepted", on);
    span.classList.toggle("rejected", !on);
    span.setAttribute("aria-pressed", String(on));
  }
  $("counts").textContent = `${accepted} of ${current.edits.length} edits accepted`;
  $("final").value = finalText();
}

// What the editor kept and threw away, so precision per stage can be measured from use.
function sendFeedback() {
  const decisions = current.edits.map((e) => ({
    kind: e.kind, stage: e.stage, rule: e.rule, confidence: e.confidence,
    accepted: current.state.get(e.id), original: e.original, replacement: e.replacement,
  }));
  if (!decisions.length || current.feedbackSent) return;
  current.feedbackSent = true;
  fetch("/v1/feedback", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ decisions }),
  }).catch(() => { current.feedbackSent = false; });
}

async function loadGlossaries() {
  try {
    const response = await fetch("/v1/glossaries");
    if (!response.ok) return;
    for (const g of await response.json()) {
      const option = document.createElement("option");
      option.value = g.id;
      option.textContent = `${g.name} (${g.terms} terms)`;
      $("glossary-id").append(option);
    }
  } catch { /* the picker stays empty */ }
}

async function copyFinal() {
  sendFeedback();
  const text = finalText();
  $("final").value = text;
  try { await navigator.clipboard.writeText(text); $("status").textContent = "Copied."; }
  catch { $("final").select(); document.execCommand("copy"); $("status").textContent = "Copied."; }
}

document.addEventListener("keydown", (ev) => {
  if (!current || ev.target.tagName === "TEXTAREA") return;
  const spans = [...document.querySelectorAll("#text .edit")];
  const i = spans.indexOf(document.activeElement);
  if (ev.key === "j" || ev.key === "k") {
    const next = ev.key === "j" ? Math.min(i + 1, spans.length - 1) : Math.max(i - 1, 0);
    spans[next]?.focus();
  } else if ((ev.key === "a" || ev.key === "r") && i >= 0) {
    current.state.set(Number(spans[i].dataset.id), ev.key === "a");
    refresh();
  }
});
$("repair").addEventListener("click", repair);
loadGlossaries();
$("copy").addEventListener("click", copyFinal);
