"""Stored glossaries: create, list, get, replace, delete, and import CSV or TBX."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Response
from fastapi import Path as PathParam
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from copydesk.models import ConfigError
from copydesk.models.names.glossary import Glossary
from copydesk.service.api.deps import SessionDep
from copydesk.service.api.schemas import GlossaryTermIn
from copydesk.service.db.tables import GlossaryRow

router = APIRouter(prefix="/glossaries", tags=["glossaries"])
GlossaryId = Annotated[int, PathParam(ge=1, le=2**63 - 1, description="A stored glossary's id.")]


class GlossaryIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    terms: list[GlossaryTermIn]


class GlossaryImport(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    format: Literal["csv", "tbx"]
    content: str = Field(description="The file's text.")


class GlossaryOut(GlossaryIn):
    id: int


class GlossarySummary(BaseModel):
    id: int
    name: str
    terms: int


def to_out(row: GlossaryRow) -> GlossaryOut:
    return GlossaryOut(id=row.id, name=row.name, terms=row.terms)


def glossary_of(row: GlossaryRow) -> Glossary:
    """A stored glossary as the engine's object."""
    return Glossary([GlossaryTermIn(**t).to_term() for t in row.terms], name=row.name)


def stored_glossary(session: SessionDep, glossary_id: int) -> Glossary:
    """The stored glossary as the engine's object; 404 if there is none."""
    row = session.get(GlossaryRow, glossary_id)
    if row is None:
        raise HTTPException(404, f"no glossary {glossary_id}")
    return glossary_of(row)


def _save(session: SessionDep, row: GlossaryRow) -> GlossaryRow:
    try:
        session.add(row)
        session.commit()
    except IntegrityError:
        session.rollback()
        raise HTTPException(409, f"a glossary named {row.name!r} exists") from None
    return row


@router.post("", status_code=201, response_model=GlossaryOut)
def create(body: GlossaryIn, session: SessionDep) -> GlossaryOut:
    terms = [t.model_dump() for t in body.terms]
    return to_out(_save(session, GlossaryRow(name=body.name, terms=terms)))


@router.post("/import", status_code=201, response_model=GlossaryOut)
def import_file(body: GlossaryImport, session: SessionDep) -> GlossaryOut:
    try:
        if body.format == "csv":
            glossary = Glossary.from_csv(body.content)
        else:
            glossary = Glossary.from_tbx(body.content.encode("utf-8"))
    except ConfigError as exc:
        raise HTTPException(422, str(exc)) from exc
    terms = [GlossaryTermIn(term=t.term, variants=list(t.variants), notes=t.notes).model_dump()
             for t in glossary.terms]  # fmt: skip
    return to_out(_save(session, GlossaryRow(name=body.name, terms=terms)))


@router.get("", response_model=list[GlossarySummary])
def list_all(session: SessionDep) -> list[GlossarySummary]:
    rows = session.scalars(select(GlossaryRow).order_by(GlossaryRow.name)).all()
    return [GlossarySummary(id=r.id, name=r.name, terms=len(r.terms)) for r in rows]


@router.get("/{glossary_id}", response_model=GlossaryOut)
def get(
    glossary_id: GlossaryId,
    session: SessionDep,
    format: Literal["json", "csv", "tbx"] = "json",
) -> GlossaryOut | Response:
    """The glossary as JSON, or exported as a CSV or TBX (v3, TBX-Basic) file."""
    row = session.get(GlossaryRow, glossary_id)
    if row is None:
        raise HTTPException(404, f"no glossary {glossary_id}")
    if format == "json":
        return to_out(row)
    glossary = glossary_of(row)
    body, media = ((glossary.to_csv().encode(), "text/csv; charset=utf-8") if format == "csv"
                   else (glossary.to_tbx(), "application/x-tbx+xml"))  # fmt: skip
    disposition = f'attachment; filename="glossary-{glossary_id}.{format}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


@router.put("/{glossary_id}", response_model=GlossaryOut)
def replace(glossary_id: GlossaryId, body: GlossaryIn, session: SessionDep) -> GlossaryOut:
    row = session.get(GlossaryRow, glossary_id)
    if row is None:
        raise HTTPException(404, f"no glossary {glossary_id}")
    row.name, row.terms = body.name, [t.model_dump() for t in body.terms]
    return to_out(_save(session, row))


@router.delete("/{glossary_id}", status_code=204)
def delete(glossary_id: GlossaryId, session: SessionDep) -> Response:
    row = session.get(GlossaryRow, glossary_id)
    if row is None:
        raise HTTPException(404, f"no glossary {glossary_id}")
    session.delete(row)
    session.commit()
    return Response(status_code=204)
