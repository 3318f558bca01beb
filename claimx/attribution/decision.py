"""Decision: which of the proposed claims are kept.

Headlines and "Name:" lines read first, as a whole; then each quote takes its speech tag; then
reporting words propose the reported claims, and each is kept unless it is another reading of
text a claim already holds.
"""

from __future__ import annotations

from spacy.tokens import Doc

from claimx.attribution.candidates import Attribution, Layout
from claimx.attribution.direct import claim_orphan_start, outer_tag, unclaimed_quotes
from claimx.attribution.lines import line_claims
from claimx.attribution.reported import reported
from claimx.cues import Cue
from claimx.entities import mention_span
from claimx.furniture import glued, in_teaser
from claimx.quotes import QuoteScan


def attribute(doc: Doc, scan: QuoteScan, cues: list[Cue], text: str | None = None) -> list[Attribution]:
    """Join cues, sources and contents into attributions, in text order. `text` is `doc.text`,
    passed when the caller has it (spaCy rebuilds it on every access)."""
    lay = Layout(doc, doc.text if text is None else text, scan, cues)
    used_cues: set[int] = set()
    claimed: dict[int, Attribution] = {}  # top-level quote index → the attribution holding it
    found: list[Attribution] = []

    for att in line_claims(lay, claimed):  # a headline reads as a whole before its quotes do
        found.append(att)
        claimed.update((k, att) for k in att.quotes)

    by_cue: dict[tuple[int, int], Attribution] = {}
    for unit in lay.units:
        if any(k in claimed for k in unit):
            continue
        tag = outer_tag(lay, unit)
        if tag is None:
            continue
        if tag.cue in by_cue:  # “A,” she said, “B.”: the second half of a quote split by its tag
            by_cue[tag.cue].parts.extend(lay.content(k) for k in unit)
            by_cue[tag.cue].quotes.extend(unit)
            claimed.update((k, by_cue[tag.cue]) for k in unit)
            continue
        mention = mention_span(tag.source)
        if glued(lay.doc, mention):
            continue
        att = by_cue[tag.cue] = Attribution(
            [lay.content(k) for k in unit], "direct", tag.act, "tag", tag.cue, mention, quotes=list(unit)
        )
        claim_orphan_start(lay, att, unit[0], claimed)
        found.append(att)
        claimed.update((k, att) for k in att.quotes)
        used_cues.add(tag.cue[0])

    # claims can only compete when they share text, hence a paragraph: only those are compared
    by_paragraph: dict[int, list[Attribution]] = {}

    def keep(att: Attribution) -> None:
        for p in range(lay.paragraph(att.start), lay.paragraph(att.end) + 1):
            by_paragraph.setdefault(p, []).append(att)

    for att in found:
        keep(att)
    for cue in cues:
        if cue.head in used_cues or lay.in_quote(cue.head) or cue.direct_only:
            continue
        att = reported(lay, cue, claimed)
        if att is None or any(
            _competes(lay, att, other)
            for p in range(lay.paragraph(att.start), lay.paragraph(att.end) + 1)
            for other in by_paragraph.get(p, ())
        ):
            continue
        found.append(att)
        keep(att)
        used_cues.add(cue.head)
        claimed.update((k, att) for k in att.quotes)

    found.sort(key=lambda a: a.start)
    return [a for a in unclaimed_quotes(lay, found, claimed) if not in_teaser(lay.text, a.start)]


def _overlap(a: Attribution, b: Attribution) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _competes(lay: Layout, new: Attribution, old: Attribution) -> bool:
    """Whether a new claim is another reading of an old one's text, rather than a claim nested in
    it ("X recalled that Y said that …" holds two claims)."""
    if _overlap(new, old) <= (new.end - new.start) / 2:
        return False
    if new.rule != "reported":  # a stance inside reported content ("said the party supports it")
        return True
    cue_at = lay.doc[new.cue[0]].idx if new.cue is not None else new.start
    return not any(start <= cue_at < end for start, end in old.parts)
