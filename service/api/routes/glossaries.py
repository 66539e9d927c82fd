"""Stored glossaries: create, list, get, replace, delete, and import CSV or TBX.

Each belongs to the caller's newsroom; another newsroom's glossary answers 404, as one
that does not exist (an admin reaches every newsroom's).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Response
from fastapi import Path as PathParam
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from copydesk.models import ConfigError
from copydesk.models.names.glossary import Glossary
from copydesk.service.api.deps import CallerDep, SessionDep, visible
from copydesk.service.api.schemas import GlossaryTermIn, GlossaryTermOut, StoredId, XmlText
from copydesk.service.db.tables import GlossaryRow
from copydesk.service.settings import NEWSROOM_NAME, Caller

router = APIRouter(prefix="/glossaries", tags=["glossaries"])
GlossaryId = Annotated[StoredId, PathParam(description="A stored glossary's id.")]
NewsroomQuery = Annotated[
    str | None,
    Query(pattern=NEWSROOM_NAME, description="Admin: only this newsroom's (default: all)."),
]


class GlossaryIn(BaseModel):
    name: XmlText = Field(min_length=1, max_length=200)
    terms: list[GlossaryTermIn] = Field(max_length=100_000)


class GlossaryImport(BaseModel):
    name: XmlText = Field(min_length=1, max_length=200)
    format: Literal["csv", "tbx"]
    content: str = Field(description="The file's text.")


class GlossaryOut(BaseModel):
    id: str
    newsroom: str
    name: str
    terms: list[GlossaryTermOut]


class GlossarySummary(BaseModel):
    id: str
    newsroom: str
    name: str
    terms: int


def to_out(row: GlossaryRow) -> GlossaryOut:
    return GlossaryOut(id=row.id, newsroom=row.newsroom, name=row.name, terms=row.terms)


def glossary_of(row: GlossaryRow) -> Glossary:
    """A stored glossary as the engine's object."""
    return Glossary([GlossaryTermOut(**t).to_term() for t in row.terms], name=row.name)


def owned_row(session: Session, caller: Caller, glossary_id: str) -> GlossaryRow:
    """The glossary if the caller may reach it; 404 alike for none and another newsroom's."""
    row = session.get(GlossaryRow, glossary_id)
    if row is None or not caller.sees(row.newsroom):
        raise HTTPException(404, f"no glossary {glossary_id}")
    return row


def stored_glossary(session: Session, caller: Caller, glossary_id: str) -> Glossary:
    """The stored glossary as the engine's object; 404 if the caller has none of that id."""
    return glossary_of(owned_row(session, caller, glossary_id))


def _save(session: Session, row: GlossaryRow) -> GlossaryRow:
    try:
        session.add(row)
        session.commit()
    except IntegrityError:
        session.rollback()
        raise HTTPException(409, f"the newsroom has a glossary named {row.name!r}") from None
    return row


@router.post("", status_code=201, response_model=GlossaryOut)
def create(body: GlossaryIn, session: SessionDep, caller: CallerDep) -> GlossaryOut:
    terms = [t.model_dump() for t in body.terms]
    row = GlossaryRow(newsroom=caller.newsroom, name=body.name, terms=terms)
    return to_out(_save(session, row))


@router.post("/import", status_code=201, response_model=GlossaryOut)
def import_file(body: GlossaryImport, session: SessionDep, caller: CallerDep) -> GlossaryOut:
    try:
        if body.format == "csv":
            glossary = Glossary.from_csv(body.content)
        else:
            glossary = Glossary.from_tbx(body.content.encode("utf-8"))
        terms = [
            GlossaryTermIn(term=t.term, variants=list(t.variants), notes=t.notes).model_dump()
            for t in glossary.terms
        ]
    except ConfigError as exc:
        raise HTTPException(422, str(exc)) from exc
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise HTTPException(422, f"a term of the file: {where}: {problem['msg']}") from None
    row = GlossaryRow(newsroom=caller.newsroom, name=body.name, terms=terms)
    return to_out(_save(session, row))


@router.get("", response_model=list[GlossarySummary])
def list_all(
    session: SessionDep, caller: CallerDep, newsroom: NewsroomQuery = None
) -> list[GlossarySummary]:
    """The newsroom's glossaries (an admin's: every newsroom's, or the one named)."""
    query = select(GlossaryRow).order_by(GlossaryRow.newsroom, GlossaryRow.name)
    shown = visible(caller, newsroom)
    if shown is not None:
        query = query.where(GlossaryRow.newsroom == shown)
    return [
        GlossarySummary(id=r.id, newsroom=r.newsroom, name=r.name, terms=len(r.terms))
        for r in session.scalars(query)
    ]


@router.get("/{glossary_id}", response_model=GlossaryOut)
def get(
    glossary_id: GlossaryId,
    session: SessionDep,
    caller: CallerDep,
    format: Literal["json", "csv", "tbx"] = "json",
) -> GlossaryOut | Response:
    """The glossary as JSON, or exported as a CSV or TBX (v3, TBX-Basic) file."""
    row = owned_row(session, caller, glossary_id)
    if format == "json":
        return to_out(row)
    glossary = glossary_of(row)
    try:
        body, media = (
            (glossary.to_csv().encode(), "text/csv; charset=utf-8")
            if format == "csv"
            else (glossary.to_tbx(), "application/x-tbx+xml")
        )
    except ValueError as exc:  # a row stored before control characters were refused
        raise HTTPException(422, f"the glossary cannot be written as {format}: {exc}") from None
    disposition = f'attachment; filename="glossary-{glossary_id}.{format}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


@router.put("/{glossary_id}", response_model=GlossaryOut)
def replace(
    glossary_id: GlossaryId, body: GlossaryIn, session: SessionDep, caller: CallerDep
) -> GlossaryOut:
    row = owned_row(session, caller, glossary_id)
    row.name, row.terms = body.name, [t.model_dump() for t in body.terms]
    return to_out(_save(session, row))


@router.delete("/{glossary_id}", status_code=204)
def delete(glossary_id: GlossaryId, session: SessionDep, caller: CallerDep) -> Response:
    session.delete(owned_row(session, caller, glossary_id))
    session.commit()
    return Response(status_code=204)
