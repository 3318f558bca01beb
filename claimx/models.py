"""The public result types: frozen pydantic models that serialise to plain JSON.

Every `Span` indexes the caller's original text: `text[span.start:span.end] == span.text`.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from claimx.errors import bad_date

if TYPE_CHECKING:  # networkx is imported only when a graph is asked for
    import networkx

Kind = Literal["direct", "indirect", "mixed"]
Act = Literal[
    "claim", "accusation", "denial", "warning", "threat", "promise", "admission", "question", "belief", "report",
    "stance", "intention", "other",
]
EntityKind = Literal["person", "organization", "place", "group", "unnamed", "unknown"]


class FrozenModel(BaseModel):
    """Frozen, strict: the base of every claimx model."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(FrozenModel):
    """A stretch of the input text, by character offsets."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start or len(self.text) != self.end - self.start:
            raise ValueError(f"span [{self.start}, {self.end}) does not match its text of {len(self.text)} characters")
        return self


class EntityRef(FrozenModel):
    """A pointer to an entity of the same extraction: its id and canonical name."""

    id: str
    name: str


class Speaker(FrozenModel):
    """Who made a claim: the surface mention and the entity it resolves to.

    Several speakers ("the mayor and the governor insisted") share one mention; `name` joins
    their names and `entity_ids` lists them all, `entity_id` being the first.
    """

    mention: Span
    name: str
    entity_id: str | None = None
    entity_ids: tuple[str, ...] = ()


class Entity(FrozenModel):
    """A person, organisation, place, group or unnamed source seen in the text.

    `kb_id` is the knowledge-base id the pipeline's entity linker gave it (spaCy's `kb_id_`),
    None without a linker; it is the entity's identity across documents.
    """

    id: str
    name: str
    kind: EntityKind
    aliases: tuple[str, ...] = ()
    kb_id: str | None = None


class Claim(FrozenModel):
    """One attributed statement.

    `content` is the whole claim; for a quote interrupted by its speech tag ("…," he said, "…")
    it is the hull of the quoted `parts`. `cue` is the word(s) that report the speech, `act` the
    speech act the cue expresses. `confidence` is higher for stronger evidence (a speech verb
    with its subject) than for weaker (a quote continuing the last speaker).
    """

    id: str
    content: Span
    parts: tuple[Span, ...] = ()
    kind: Kind
    cue: Span | None = None
    act: Act = "claim"
    speaker: Speaker | None = None
    targets: tuple[EntityRef, ...] = ()
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)

    @property
    def text(self) -> str:
        """The claim's own words, as listings show them: a split quote's parts joined by " … ",
        without the speech tag between them; otherwise the content's text."""
        return " … ".join(part.text for part in self.parts) if len(self.parts) > 1 else self.content.text


METADATA = ("outlet", "published", "url", "title")  # a document's metadata fields, in Extraction's order


def published_moment(value: str) -> datetime:
    """The moment an ISO date or datetime names, taken as UTC when it names no zone; ValueError if
    `value` is neither."""
    moment = datetime.fromisoformat(value.strip())
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


class Extraction(FrozenModel):
    """Everything claimx found in one text, with the document's metadata as its caller gave it:
    `outlet` (who published it), `published` (an ISO date or datetime, kept as written), `url`
    and `title`; None where not given."""

    text: str
    doc_id: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    title: str | None = None
    claims: tuple[Claim, ...] = ()
    entities: tuple[Entity, ...] = ()

    @field_validator(*METADATA, mode="before")
    @classmethod
    def _metadata(cls, value: Any) -> Any:
        """Blank is not given; a date or datetime object (a Parquet timestamp) is its ISO form."""
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        if isinstance(value, str):
            return value.strip() or None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Extraction:
        """Ids are unique, every reference resolves and `published` is a date, so a graph, a
        report or a table made from a hand-built or edited result cannot mix two claims up, lose
        an entity or misorder reports."""
        if self.published is not None:
            try:
                published_moment(self.published)
            except ValueError:
                raise ValueError(str(bad_date(self.doc_id or "", self.published))) from None
        entity_ids = {entity.id for entity in self.entities}
        if len(entity_ids) != len(self.entities):
            raise ValueError("two entities share an id")
        if len({claim.id for claim in self.claims}) != len(self.claims):
            raise ValueError("two claims share an id")
        for claim in self.claims:
            speaker = claim.speaker
            refs = [t.id for t in claim.targets]
            if speaker is not None:
                refs += [i for i in (speaker.entity_id, *speaker.entity_ids) if i is not None]
            missing = [ref for ref in refs if ref not in entity_ids]
            if missing:
                raise ValueError(f"claim {claim.id!r} refers to entity {missing[0]!r}, which is not among the entities")
        return self

    def entity(self, entity_id: str) -> Entity:
        """The entity with this id; KeyError names the id if there is none."""
        for entity in self.entities:
            if entity.id == entity_id:
                return entity
        raise KeyError(entity_id)

    def graph(self) -> networkx.MultiDiGraph:
        """This document's graph: entity —said→ claim —about→ entity."""
        from claimx.graph import build_graph

        return build_graph([self])

    def _repr_html_(self) -> str:
        """Jupyter shows an Extraction as its highlighted document."""
        from claimx.view import render_html

        return render_html(self, standalone=False)
