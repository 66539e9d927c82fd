"""Write a scoring result as a report folder: JSON, Markdown and a self-contained HTML
page whose plots (per-kind precision and recall share, per-segment delta histograms)
are inline SVG, so the page needs nothing but itself."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from copydesk.eval.scoring import ScoreResult

BAR_COLOURS = ("#2b6cb0", "#dd6b20")


def _fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def markdown_tables(result: ScoreResult) -> str:
    """The report's tables in Markdown (also what ``copydesk score`` prints)."""
    data = result.to_dict()
    metrics = data["metrics"]
    lines = ["| system | " + " | ".join(metrics) + " |", "|---" * (len(metrics) + 1) + "|"]
    for name, system in data["systems"].items():
        cells = []
        for m in metrics:
            cell = _fmt(system["scores"][m])
            versus = system.get("versus_baseline", {}).get(m)
            if versus:
                star = "*" if versus["significant"] else ""
                cell += f" ({versus['delta']:+.2f}{star}, p={versus['p_value']:.3f})"
            cells.append(cell)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    out = ["\n".join(lines)]
    if result.baseline:
        out.append(
            f"Δ against {result.baseline}; * = significant at p < 0.05 by a paired bootstrap "
            f"({result.resamples} resamples, seed {result.seed}). TER: lower is better."
        )
        rows = ["| system | metric | improved | unchanged | worsened |", "|---|---|---|---|---|"]
        for name, system in data["systems"].items():
            for m, v in system.get("versus_baseline", {}).items():
                rows.append(
                    f"| {name} | {m} | {v['improved']:.1%} | {v['unchanged']:.1%} "
                    f"| {v['worsened']:.1%} |"
                )
        if len(rows) > 2:
            out.append("Segments against the baseline:\n\n" + "\n".join(rows))
    edits = {n: s["edits"] for n, s in data["systems"].items() if "edits" in s}
    if edits:
        rows = ["| system | strict P | R | F0.5 | split P | R | F0.5 |", "|---" * 7 + "|"]
        for name, e in edits.items():
            s, t = e["strict"], e["split"]
            rows.append(
                f"| {name} | {s['p']:.4f} | {s['r']:.4f} | {s['f0.5']:.4f} "
                f"| {t['p']:.4f} | {t['r']:.4f} | {t['f0.5']:.4f} |"
            )
        out.append("ERRANT edits (strict = errant_compare; split = per-token partial credit):")
        out.append("\n".join(rows))
        for name, e in edits.items():
            if e.get("by_kind"):
                rows = ["| kind | TP | FP | P | recall share |", "|---|---|---|---|---|"]
                for kind, c in e["by_kind"].items():
                    rows.append(
                        f"| {kind} | {c['tp']} | {c['fp']} | {_fmt(c['p'], 4)} "
                        f"| {_fmt(c['recall_share'], 4)} |"
                    )
                out.append(f"{name} by copydesk edit kind:\n\n" + "\n".join(rows))
            types = {t: c for t, c in e["by_type"].items() if c["tp"] or c["fp"]}
            if types:
                rows = ["| ERRANT type | TP | FP | FN | P | R | F0.5 |", "|---" * 7 + "|"]
                for t, c in sorted(types.items(), key=lambda kv: -(kv[1]["tp"] + kv[1]["fp"])):
                    rows.append(
                        f"| {t} | {c['tp']} | {c['fp']} | {c['fn']} | {c['p']:.4f} "
                        f"| {c['r']:.4f} | {c['f0.5']:.4f} |"
                    )
                out.append(f"{name} by ERRANT type (types it edited):\n\n" + "\n".join(rows))
    out.append(
        "Signatures:\n\n" + "\n".join(f"- {m}: `{s}`" for m, s in data["signatures"].items())
    )
    return "\n\n".join(out) + "\n"


def _bar_chart(by_kind: Mapping[str, Mapping], width: int = 520) -> str:
    kinds = list(by_kind)
    if not kinds:
        return ""
    row, left = 34, 110
    height = row * len(kinds) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">'
    ]
    for i, kind in enumerate(kinds):
        y = 20 + i * row
        parts.append(f'<text x="4" y="{y + 14}" font-size="12">{html.escape(kind)}</text>')
        for j, key in enumerate(("p", "recall_share")):
            value = by_kind[kind].get(key) or 0.0
            w = value * (width - left - 60)
            parts.append(
                f'<rect x="{left}" y="{y + j * 13}" width="{w:.1f}" height="12" '
                f'fill="{BAR_COLOURS[j]}"><title>{key} {value:.3f}</title></rect>'
                f'<text x="{left + w + 4:.1f}" y="{y + j * 13 + 10}" font-size="10">'
                f"{value:.2f}</text>"
            )
    parts.append(
        f'<text x="{left}" y="{height - 6}" font-size="11" fill="{BAR_COLOURS[0]}">precision</text>'
        f'<text x="{left + 80}" y="{height - 6}" font-size="11" fill="{BAR_COLOURS[1]}">'
        "share of reference edits recovered</text></svg>"
    )
    return "".join(parts)


def _histogram(values: Sequence[float], title: str, width: int = 520, bins: int = 21) -> str:
    if not values:
        return ""
    lo, hi = min(values), max(values)
    span = max(hi - lo, 1e-9)
    counts = [0] * bins
    for v in values:
        counts[min(int((v - lo) / span * bins), bins - 1)] += 1
    height, top = 160, max(counts)
    bar = (width - 40) / bins
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height + 40}" role="img">'
    ]
    parts.append(f'<text x="4" y="14" font-size="12">{html.escape(title)}</text>')
    for i, c in enumerate(counts):
        h = (c / top) * (height - 30) if top else 0
        x0 = lo + span * i / bins
        parts.append(
            f'<rect x="{20 + i * bar:.1f}" y="{height - h:.1f}" width="{bar - 2:.1f}" '
            f'height="{h:.1f}" fill="#4a5568"><title>{x0:+.2f}: {c} segments</title></rect>'
        )
    parts.append(
        f'<text x="20" y="{height + 16}" font-size="10">{lo:+.1f}</text>'
        f'<text x="{width - 60}" y="{height + 16}" font-size="10">{hi:+.1f}</text></svg>'
    )
    return "".join(parts)


def _md_to_html_tables(markdown: str) -> str:
    blocks = []
    for block in markdown.strip().split("\n\n"):
        rows = [r for r in block.splitlines() if r.startswith("|")]
        if rows and len(rows) == len(block.splitlines()):
            cells = [[c.strip() for c in r.strip("|").split("|")] for r in rows if "---" not in r]
            head = "".join(f"<th>{html.escape(c)}</th>" for c in cells[0])
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c.strip('`'))}</td>" for c in r) + "</tr>"
                for r in cells[1:]
            )
            blocks.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif block.startswith("- "):
            items = "".join(
                f"<li>{html.escape(r[2:].replace('`', ''))}</li>" for r in block.splitlines()
            )
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append(f"<p>{html.escape(block.replace('`', ''))}</p>")
    return "\n".join(blocks)


def html_page(title: str, result: ScoreResult, meta: Mapping[str, str]) -> str:
    plots = []
    for name, system in result.systems.items():
        if system.edits and system.edits.get("by_kind"):
            plots.append(
                f"<h3>{html.escape(name)}: edits by kind</h3>" + _bar_chart(system.edits["by_kind"])
            )
        for metric, deltas in system.segment_deltas.items():
            plots.append(
                _histogram(deltas, f"{name}: per-segment {metric} change vs {result.baseline}")
            )
    meta_rows = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in meta.items()
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body{{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1a202c}}
table{{border-collapse:collapse;margin:.8rem 0}}
td,th{{border:1px solid #cbd5e0;padding:.25rem .5rem;text-align:left}}
th{{background:#edf2f7}}svg{{display:block;margin:.5rem 0 1rem}}
</style></head><body>
<h1>{html.escape(title)}</h1>
<table>{meta_rows}</table>
{_md_to_html_tables(markdown_tables(result))}
<h2>Plots</h2>
{"".join(plots)}
</body></html>
"""


def write_report(
    out_dir: str | Path,
    title: str,
    result: ScoreResult,
    meta: Mapping[str, str],
    outputs: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """Write report.json, report.md, report.html, the M2 files and each system's output."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = {"title": title, "meta": dict(meta), **result.to_dict()}
    (out / "report.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    md = f"# {title}\n\n" + "".join(f"- {k}: {v}\n" for k, v in meta.items()) + "\n"
    (out / "report.md").write_text(md + markdown_tables(result), "utf-8")
    (out / "report.html").write_text(html_page(title, result, meta), "utf-8")
    write_m2(out, result)
    for name, lines in (outputs or {}).items():
        (out / f"{name}.txt").write_text("\n".join(lines) + "\n", "utf-8")
    return out


def write_m2(folder: Path, result: ScoreResult) -> None:
    """Each system's ERRANT edits (and the references') as ``<name>.m2`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in result.m2.items():
        (folder / f"{name}.m2").write_text(text, "utf-8")
