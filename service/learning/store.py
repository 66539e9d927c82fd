"""A newsroom's learned things in the database: relearning from its stored decisions,
listing, approving a candidate into its glossary, and undoing.

Everything here is one newsroom's: each query names it, and nothing one newsroom's
decisions teach is read for another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from copydesk.models.house import HouseRules
from copydesk.models.learning import DEFAULT_PRECISION, MANUAL, Decision, learn
from copydesk.models.learning.edit_judge import EditJudge
from copydesk.models.names.glossary import Glossary
from copydesk.models.names.glossary_term import GlossaryTerm
from copydesk.service.db.tables import FeedbackRow, GlossaryRow, LearnedRow, LearningRunRow

# The glossary approved candidates go to; every repair of the newsroom uses it.
LEARNED_GLOSSARY = "Learned from editors"
ACTIVE, PROPOSED, APPROVED, UNDONE = "active", "proposed", "approved", "undone"
# The newsroom's judge of edits: one learned entry, its weights and bars in its value.
JUDGE, JUDGE_KEY = "judge", "edits"


@dataclass
class Run:
    """One relearning: how many decisions it read and what it changed."""

    newsroom: str
    source: str
    decisions: int
    changes: list[str] = field(default_factory=list)
    at: datetime | None = None


def stored_decisions(session: Session, newsroom: str) -> list[Decision]:
    """The newsroom's decisions in the feedback store, oldest first."""
    rows = session.scalars(
        select(FeedbackRow)
        .where(FeedbackRow.newsroom == newsroom, FeedbackRow.decision == "decided")
        .order_by(FeedbackRow.id)
    )
    return [
        Decision(
            kind=r.kind,
            stage=r.stage,
            rule=r.rule,
            confidence=r.confidence,
            accepted=r.accepted,
            original=r.original,
            replacement=r.replacement,
            context=r.context or "",
            start=r.start if r.context and r.start is not None else -1,
        )
        for r in rows
    ]


def store_decisions(session: Session, newsroom: str, decisions: Iterable[Decision]) -> int:
    """Add decisions (an export, implied ones) to the newsroom's feedback store."""
    rows = [
        FeedbackRow(
            newsroom=newsroom,
            kind=d.kind,
            stage=d.stage or MANUAL,
            rule=d.rule,
            confidence=d.confidence,
            accepted=bool(d.accepted),
            decision="decided" if d.decided else "not_reviewed",
            original=d.original,
            replacement=d.replacement,
            context=d.context or None,
            start=d.start if d.context else None,
        )
        for d in decisions
    ]
    session.add_all(rows)
    session.commit()
    return len(rows)


def newsrooms_with_feedback(session: Session) -> list[str]:
    query = select(FeedbackRow.newsroom).distinct().order_by(FeedbackRow.newsroom)
    return list(session.scalars(query))


def relearn(
    session: Session,
    newsroom: str,
    *,
    source: str = "feedback",
    precision: float = DEFAULT_PRECISION,
    shipped: Mapping[str, float] | None = None,
) -> Run:
    """Learn again from the newsroom's stored decisions and bring its learned rows in
    line: new cutoffs and protected words take effect, ones no longer supported lapse,
    new candidates are proposed. Whatever an editor undid stays undone."""
    decisions = stored_decisions(session, newsroom)
    learned = learn(decisions, precision=precision, shipped=shipped)
    rows = {(r.kind, r.key): r for r in session.scalars(_rows(newsroom))}
    run = Run(newsroom, source, len(decisions))
    wanted: dict[tuple[str, str], dict] = {}
    for key, cutoff in learned.cutoffs.items():
        wanted["cutoff", key] = {"cutoff": cutoff, **learned.calibrations[key].to_dict()}
    for p in learned.protected:
        wanted["protected", p.word] = p.to_dict()
    if learned.judge is not None:
        wanted[JUDGE, JUDGE_KEY] = learned.judge.to_dict()
    for (kind, key), value in wanted.items():
        row = rows.get((kind, key))
        if row is None:
            session.add(
                LearnedRow(newsroom=newsroom, kind=kind, key=key, status=ACTIVE, value=value)
            )
            run.changes.append(f"+ {_describe(kind, key, value)}")
        elif row.status == UNDONE:
            continue
        else:
            if row.status != ACTIVE or _headline(kind, row.value) != _headline(kind, value):
                run.changes.append(f"~ {_describe(kind, key, value)}")
            row.status, row.value = ACTIVE, value
    for (kind, key), row in rows.items():
        lapses = kind in ("cutoff", "protected", JUDGE)
        if lapses and row.status == ACTIVE and (kind, key) not in wanted:
            session.delete(row)
            run.changes.append(f"- {_describe(kind, key, row.value)}")
    for c in learned.candidates:
        key = f"{c.variant} -> {c.term}"
        row = rows.get(("candidate", key))
        if row is None:
            session.add(
                LearnedRow(
                    newsroom=newsroom, kind="candidate", key=key, status=PROPOSED, value=c.to_dict()
                )
            )
            run.changes.append(f"? glossary candidate {key} ({c.support} corrections)")
        elif row.status == PROPOSED:
            row.value = c.to_dict()
    record = LearningRunRow(
        newsroom=newsroom, source=source, decisions=run.decisions, changes=run.changes
    )
    session.add(record)
    session.commit()
    run.at = record.created_at
    return run


def _headline(kind: str, value: dict) -> object:
    if kind == JUDGE:
        return value.get("keep"), value.get("promote"), value.get("weights")
    return value.get("cutoff") if kind == "cutoff" else value.get("word")


def _describe(kind: str, key: str, value: dict) -> str:
    if kind == JUDGE:
        check = value.get("check", {})
        return (
            f"judge of edits ({value['decisions']} decisions; applies from "
            f"{value['keep']:g} what the cutoffs apply, from {value['promote']:g} what they "
            f"offer; out of fold {check.get('left')} edits left against "
            f"{check.get('left_by_cutoffs')})"
        )
    if kind == "cutoff":
        return f"cutoff {key} = {value['cutoff']:g} ({value['decisions']} decisions)"
    return f"protected {key!r} ({value.get('rejected', 0)} rejections)"


def _rows(newsroom: str):  # noqa: ANN202 - a select of LearnedRow
    return (
        select(LearnedRow)
        .where(LearnedRow.newsroom == newsroom)
        .order_by(LearnedRow.kind, LearnedRow.key)
    )


def entries(session: Session, newsroom: str, kind: str | None = None) -> list[LearnedRow]:
    """The newsroom's learned rows, undone ones included (an undo is itself a choice)."""
    query = _rows(newsroom)
    if kind is not None:
        query = query.where(LearnedRow.kind == kind)
    return list(session.scalars(query))


def house_rules(session: Session, newsroom: str) -> HouseRules:
    """The newsroom's learned protected words, cutoffs and judge of edits in force."""
    rows = session.scalars(
        select(LearnedRow).where(
            LearnedRow.newsroom == newsroom,
            LearnedRow.status == ACTIVE,
            LearnedRow.kind.in_(("cutoff", "protected", JUDGE)),
        )
    ).all()
    words = [r.key for r in rows if r.kind == "protected"]
    cutoffs = {r.key: float(r.value["cutoff"]) for r in rows if r.kind == "cutoff"}
    judges = [EditJudge.from_dict(r.value) for r in rows if r.kind == JUDGE]
    return HouseRules.of(words, cutoffs, judges[0] if judges else None)


def _learned_glossary_row(session: Session, newsroom: str) -> GlossaryRow | None:
    return session.scalars(
        select(GlossaryRow).where(
            GlossaryRow.newsroom == newsroom, GlossaryRow.name == LEARNED_GLOSSARY
        )
    ).first()


def learned_glossary(session: Session, newsroom: str) -> Glossary | None:
    """The glossary of the newsroom's approved candidates, None while it has none."""
    row = _learned_glossary_row(session, newsroom)
    if row is None or not row.terms:
        return None
    terms = [
        GlossaryTerm(t["term"], tuple(t.get("variants", [])), t.get("notes", "")) for t in row.terms
    ]
    return Glossary(terms, name=LEARNED_GLOSSARY)


def approve(session: Session, row: LearnedRow) -> GlossaryRow:
    """Add a proposed candidate to the newsroom's learned glossary."""
    glossary = _learned_glossary_row(session, row.newsroom)
    if glossary is None:
        glossary = GlossaryRow(newsroom=row.newsroom, name=LEARNED_GLOSSARY, terms=[])
        session.add(glossary)
    term, variant = row.value["term"], row.value["variant"]
    terms = [dict(t) for t in glossary.terms]
    entry = next((t for t in terms if t["term"] == term), None)
    if entry is None:
        terms.append({"term": term, "variants": [variant], "notes": "learned: " + row.key})
    elif variant not in entry["variants"]:
        entry["variants"] = [*entry["variants"], variant]
    glossary.terms = terms
    row.status = APPROVED
    session.commit()
    return glossary


def undo(session: Session, row: LearnedRow) -> None:
    """Undo a learned thing: it stops applying (an approved entry leaves the glossary) and
    relearning does not bring it back."""
    if row.kind == "candidate" and row.status == APPROVED:
        glossary = _learned_glossary_row(session, row.newsroom)
        if glossary is not None:
            term, variant = row.value["term"], row.value["variant"]
            terms = []
            for t in glossary.terms:
                if t["term"] == term:
                    t = {**t, "variants": [v for v in t["variants"] if v != variant]}
                    if not t["variants"]:
                        continue
                terms.append(t)
            glossary.terms = terms
    row.status = UNDONE
    session.commit()


def last_run(session: Session, newsroom: str) -> LearningRunRow | None:
    return session.scalars(
        select(LearningRunRow)
        .where(LearningRunRow.newsroom == newsroom)
        .order_by(LearningRunRow.id.desc())
        .limit(1)
    ).first()
