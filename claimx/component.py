"""The `claimx` spaCy component: runs the stages in order over a parsed Doc and stores the
result as `doc._.claimx` (an Extraction), with `doc._.claims` as a shortcut to its claims.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from claimx.attribution import Attribution, Decision, attribute, load_decision
from claimx.cues import find_cues
from claimx.entities import EntityRecord, Resolver
from claimx.models import Claim, Entity, EntityRef, Extraction, Span, Speaker
from claimx.quotes import scan_quotes
from claimx.targets import find_targets

DEFAULT_MODEL = "default"  # the attribution model shipped with claimx
RULES_ONLY = "rules"  # no learned decision: the rules alone

# The result travels with the Doc as plain JSON-ready data, so Docs still serialise (to_bytes,
# DocBin) and cross process boundaries (nlp.pipe(n_process=…)); the getters rebuild the models.
if not Doc.has_extension("claimx_data"):
    Doc.set_extension("claimx_data", default=None)
if not Doc.has_extension("claimx"):
    Doc.set_extension("claimx", getter=lambda doc: _from_data(doc._.claimx_data))
if not Doc.has_extension("claims"):
    Doc.set_extension("claims", getter=lambda doc: doc._.claimx.claims if doc._.claimx_data is not None else ())


def _from_data(data: dict | None) -> Extraction | None:
    return None if data is None else Extraction.model_validate(data)


@Language.component(
    "claimx_paragraphs",
    assigns=["token.is_sent_start"],
)
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so the parser never joins a heading or a caption
    to the paragraph after it, and after a dateline ("OSLO, Norway — Ana Ruiz said …"), which
    the parser otherwise makes the subject. Runs before the parser, which keeps boundaries
    already set."""
    from spacy.attrs import IS_SPACE

    from claimx.furniture import dateline_end

    starts = [0] + [i + 1 for i in doc.to_array(IS_SPACE).nonzero()[0].tolist()  # only spaces hold line breaks
                    if i + 1 < len(doc) and "\n" in doc[i].text]
    for i in starts:
        if i:
            doc[i].is_sent_start = True
        after = dateline_end(doc, i)
        if after is not None:
            doc[after].is_sent_start = True
    return doc


@Language.factory(
    "claimx",
    default_config={"min_confidence": 0.0, "attribution_model": DEFAULT_MODEL},
    requires=["token.dep", "token.head", "token.pos", "token.lemma", "doc.ents"],
    assigns=["doc._.claimx", "doc._.claims"],
)
def make_claimx(nlp: Language, name: str, *, min_confidence: float, attribution_model: str) -> ClaimxComponent:
    return ClaimxComponent(name, min_confidence=min_confidence, attribution_model=attribution_model)


class ClaimxComponent:
    """Finds the claims of a parsed Doc. Claims under `min_confidence` are dropped.
    `attribution_model` is "default" (the learned decision shipped with claimx), "rules" (the
    rules alone) or the path of a model `claimx train` wrote; it is read once per process."""

    def __init__(self, name: str = "claimx", *, min_confidence: float = 0.0,
                 attribution_model: str = DEFAULT_MODEL) -> None:
        self.name = name
        self.min_confidence = min_confidence
        self.attribution_model = attribution_model
        self.decision = decision_for(attribution_model)

    def __call__(self, doc: Doc) -> Doc:
        doc._.claimx_data = analyse(doc, min_confidence=self.min_confidence, decision=self.decision).model_dump(
            mode="json")
        return doc


def decision_for(attribution_model: str | None) -> Decision | None:
    """The learned decision an `attribution_model` setting names (None: the rules alone)."""
    if attribution_model in (None, DEFAULT_MODEL):
        return load_decision()
    if attribution_model == RULES_ONLY:
        return None
    return load_decision(str(attribution_model))


def analyse(
    doc: Doc, *, min_confidence: float = 0.0, text: str | None = None, decision: Decision | None = None
) -> Extraction:
    """Every claim in a parsed Doc, with speakers resolved and targets named. `text` is
    `doc.text`, passed when the caller has it (spaCy rebuilds it on every access). `decision` is
    the learned attribution model (None: the rules alone)."""
    return analyse_window(doc, min_confidence=min_confidence, text=text, decision=decision)[0]


def analyse_window(
    doc: Doc, *, min_confidence: float = 0.0, text: str | None = None, decision: Decision | None = None,
    base: int | None = None, known_names: dict[str, list[tuple[int, str]]] | None = None, line_base: int = 0,
) -> tuple[Extraction, dict[str, str], Resolver | None]:
    """`analyse`, with what reading a long text window by window needs: the result, each
    entity's resolver key by id, and the resolver. With a `base` (the window's offset in the
    text) names are indexed even when the window has no claim, since later windows use them,
    `known_names` are the full names earlier windows gave (see `Resolver`), and `line_base` the
    line breaks before the window."""
    text = doc.text if text is None else text
    attributions = [
        a for a in attribute(doc, scan_quotes(text), find_cues(doc), text, decision, line_base=line_base)
        if a.confidence >= min_confidence
    ]
    if not attributions and base is None:  # nothing to resolve: skip indexing the names
        return Extraction(text=text), {}, None
    resolver = Resolver(doc, _reported_stretches(doc, attributions), text, base=base or 0, known_names=known_names)
    speakers = [None if pair is None else (pair[0], _unique(map(resolver.identified, pair[1])))
                for pair in _speakers(doc, text, attributions, resolver)]
    targets = [_unique(map(resolver.identified, find_targets(doc, a, resolver, pair[1] if pair else ())))
               for a, pair in zip(attributions, speakers)]

    referenced = {rec.key: rec for pair in speakers if pair is not None for rec in pair[1]}
    for found in targets:
        referenced.update((rec.key, rec) for rec in found)
    ordered = sorted(referenced.values(), key=lambda r: (r.first, r.name))
    ids = {rec.key: f"e{n}" for n, rec in enumerate(ordered)}
    entities = tuple(Entity(id=ids[r.key], name=r.name, kind=r.kind, aliases=tuple(r.aliases), kb_id=r.kb_id) for r in ordered)

    claims = []
    for n, (att, speaker, found) in enumerate(zip(attributions, speakers, targets)):
        claims.append(
            Claim(
                id=f"c{n}",
                content=_span(text, att.start, att.end),
                parts=tuple(_span(text, s, e) for s, e in att.parts) if len(att.parts) > 1 else (),
                kind=att.kind,
                cue=_token_span(doc, text, att.cue),
                act=att.act,
                speaker=None if speaker is None else _speaker(speaker, ids),
                targets=tuple(EntityRef(id=ids[r.key], name=r.name) for r in found),
                confidence=att.confidence,
            )
        )
    return (Extraction(text=text, claims=tuple(claims), entities=entities), {i: key for key, i in ids.items()},
            resolver)


def _unique(records: Iterable[EntityRecord]) -> list[EntityRecord]:
    return list({id(r): r for r in records}.values())


def _reported_stretches(doc: Doc, attributions: list[Attribution]) -> list[tuple[int, int]]:
    """The contents whose speaker stands outside them: names there are the speaker's words. A
    content holding its own speaker ("X acknowledged that …, he said, …") tells nothing."""
    stretches = []
    for att in attributions:
        if att.source is None or not att.start <= doc[att.source[0]].idx < att.end:
            stretches.append((att.start, att.end))
    return stretches


def _speakers(
    doc: Doc, text: str, attributions: list[Attribution], resolver: Resolver
) -> list[tuple[Span, list[EntityRecord]] | None]:
    """Each attribution's speaker mention and entities (several for "X and Y said"); a follow-on
    quote shares its leader's."""
    result: list[tuple[Span, list[EntityRecord]] | None] = []
    resolved: dict[int, tuple[Span, list[EntityRecord]]] = {}  # id(attribution) → its speaker
    previous: EntityRecord | None = None
    outer_end = -1  # the end of the last claim that was not nested in another
    for att in attributions:
        nested = att.end <= outer_end
        outer_end = max(outer_end, att.end)
        leader = att
        while leader.source is None and leader.follows is not None:
            leader = leader.follows  # a follow-on quote speaks for its leader's speaker
        pair = resolved.get(id(leader))
        if pair is None and leader.source is not None:  # the leader may have been filtered out
            mention = doc[leader.source[0] : leader.source[1]]
            pair = (_span(text, mention.start_char, mention.end_char), resolver.resolve_all(mention, previous))
            resolved[id(leader)] = pair
        if pair is not None and not nested:  # the speaker of a nested claim is not the salient one
            previous = pair[1][0] if len(pair[1]) == 1 else None
        result.append(pair)
    return result


def _speaker(pair: tuple[Span, list[EntityRecord]], ids: dict[str, str]) -> Speaker:
    mention, records = pair
    return Speaker(
        mention=mention,
        name=" and ".join(r.name for r in records),
        entity_id=ids[records[0].key],
        entity_ids=tuple(ids[r.key] for r in records),
    )


def _span(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=text[start:end])


def _token_span(doc: Doc, text: str, tokens: tuple[int, int] | None) -> Span | None:
    if tokens is None:
        return None
    span = doc[tokens[0] : tokens[1]]
    return _span(text, span.start_char, span.end_char)
