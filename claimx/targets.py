"""Targets: whom each claim is about.

The named entities in a claim's content, the named entities its third-person pronouns stand for,
and the object of "said of X" / "spoke about X" on its cue. The speaker is not a target of their
own claim unless the content names them.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from claimx.attribution import Attribution
from claimx.entities import EntityRecord, Resolver

_ABOUT = frozenset({"of", "about"})


def find_targets(
    doc: Doc, att: Attribution, resolver: Resolver, speakers: Sequence[EntityRecord] = ()
) -> list[EntityRecord]:
    """The entities a claim is about, in order of first mention, once each. A pronoun standing
    for one of the claim's `speakers` ("he said he would") does not make them a target."""
    spans = list(att.parts)
    if att.cue is not None:
        cue = doc[att.cue[0]]
        for child in cue.children:
            if child.dep_ == "prep" and child.lower_ in _ABOUT and child.i > cue.i:
                spans.append((child.idx, child.right_edge.idx + len(child.right_edge)))
    found: dict[str, EntityRecord] = {}
    speaking = {r.key for r in speakers}
    for start, end in spans:
        for record in resolver.named_in(start, end):
            found.setdefault(record.key, record)
        content = doc.char_span(start, end, alignment_mode="contract")
        for tok in content if content is not None else ():
            record = resolver.referent(tok) if tok.pos_ == "PRON" else None
            if record is not None and record.key not in speaking:
                found.setdefault(record.key, record)
    return sorted(found.values(), key=lambda r: r.first)
