"""Windows: how a text too long for one parse is read, in flat memory and linear time.

A book, a hearing transcript or a parliamentary record can run to millions of characters; one
Doc over it takes gigabytes. Such a text is cut at paragraph ends into chunks, and each chunk is
parsed and analysed as a window that also holds some of the text before it and after it. A
claim belongs to the window whose own chunk it starts in, so each is kept once; the context
before a chunk carries what crosses a seam (the last speakers, the quote still open, a pronoun's
person) and the context after lets a claim that starts near the end run on past it. Full names
given earlier travel on from window to window, so a surname alone far into the text still finds
its person; entities are merged across windows by their resolver key. Each window's Doc is freed
before the next is parsed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from claimx.models import Claim, Entity, EntityRef, Extraction, Span, Speaker
from claimx.text import chunks

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Longest stretch parsed at once. A Doc costs about 3.5 GB per million characters at its peak
# (parse and analysis together), so windows of 100,000 keep one document near 0.4 GB.
LONG_TEXT = 100_000
# Context on each side of a chunk: several paragraphs, as far as a speaker or a quote carries.
CONTEXT = 8_000


@dataclass(frozen=True)
class Window:
    """A stretch `[start, end)` of the text to parse, and the chunk `[own_start, own_end)` in
    it whose claims are its own."""

    start: int
    own_start: int
    own_end: int
    end: int


def window_size(max_length: int) -> int:
    """The longest text parsed in one piece, for a pipeline's `max_length`."""
    return min(max_length, LONG_TEXT)


def windows(text: str, size: int) -> list[Window]:
    """Windows of at most `size` characters over `text`: chunks of half of it, cut after
    paragraphs where possible, each with up to a quarter of `size` before and after it, starting
    and ending at paragraph edges where one is in reach."""
    context = min(CONTEXT, size // 4)
    out = []
    for own_start, chunk in chunks(text, size - 2 * context):
        own_end = own_start + len(chunk)
        start = own_start if own_start == 0 else _edge(text, own_start - context, own_start, text.find)
        end = own_end if own_end == len(text) else _edge(text, own_end, min(len(text), own_end + context), text.rfind)
        out.append(Window(start, own_start, own_end, end))
    return out


def _edge(text: str, lo: int, hi: int, find: Callable[[str, int, int], int]) -> int:
    """Where context between `lo` and `hi` should start or end: after a line break, else after a
    sentence end, else after a space; `find` searches forwards (a start: the widest context) or
    backwards (an end)."""
    for mark in ("\n", ". ", " "):
        at = find(mark, lo, hi)
        if at >= 0:
            return at + len(mark)
    return lo if find == text.find else hi


def extract_windows(
    text: str, size: int, parse: Callable[[str], Doc], analyse: Callable[..., tuple[Extraction, dict[str, str], Any]],
) -> Extraction:
    """The Extraction of a long (cleaned) `text`, window by window. `parse` gives a window's
    Doc; `analyse(doc, text=, base=, known_names=, line_base=)` its result, entity keys and
    resolver (`component.analyse_window`)."""
    # surname → (offset in text, full name) of the full names given in earlier windows' own
    # chunks. A surname alone names the one given last before it, so forms older than the last
    # one before a window are dropped as windows advance, and what is carried stays small.
    known: dict[str, list[tuple[int, str]]] = {}
    entities: dict[str, dict[str, Any]] = {}  # resolver key → what the Entity is made of
    firsts: dict[str, int] = {}  # resolver key → offset of its first mention anywhere
    claims: list[tuple[Claim, tuple[str, ...], tuple[str, ...]]] = []  # a claim, its speakers' and targets' keys
    lines, counted = 0, 0  # line breaks before `counted`
    for window in windows(text, size):
        lines += text.count("\n", counted, window.start)
        counted = window.start
        piece = text[window.start : window.end]
        doc = parse(piece)
        local_names = {}
        for surname, forms in known.items():
            before = [k for k, (at, _) in enumerate(forms) if at < window.start]
            if before:
                del forms[: before[-1]]  # the last form before the window, and those after it
                at, name = forms[0]
                local_names[surname] = [(at - window.start, name)]
        result, keys, resolver = analyse(doc, text=piece, base=window.start, known_names=local_names,
                                         line_base=lines)
        del doc
        if resolver is not None:
            for record in resolver.entities.values():
                firsts[record.key] = min(firsts.get(record.key, window.start + record.first),
                                         window.start + record.first)
            for surname, forms in resolver.full_names.items():
                known.setdefault(surname, []).extend(
                    (window.start + at, name) for at, name in forms
                    if window.own_start <= window.start + at < window.own_end)
        for entity in result.entities:
            seen = entities.setdefault(keys[entity.id], {"name": entity.name, "kind": entity.kind, "aliases": {},
                                                         "kb_id": entity.kb_id})
            seen["aliases"].update(dict.fromkeys(entity.aliases))
        for claim in result.claims:
            if window.own_start <= window.start + claim.content.start < window.own_end:
                speakers = () if claim.speaker is None else tuple(
                    keys[i] for i in (claim.speaker.entity_ids or (claim.speaker.entity_id,)) if i is not None)
                claims.append((_shifted(claim, window.start, text), speakers,
                               tuple(keys[t.id] for t in claim.targets)))
    return _joined(text, claims, entities, firsts)


def _joined(text: str, claims: list, entities: dict[str, dict[str, Any]], firsts: dict[str, int]) -> Extraction:
    """One Extraction from the windows' claims: entities numbered in order of first mention,
    as one parse numbers them, claims in text order."""
    used = {key for _, speakers, targets in claims for key in (*speakers, *targets)}
    ordered = sorted(used, key=lambda key: (firsts.get(key, 0), entities[key]["name"]))
    ids = {key: f"e{n}" for n, key in enumerate(ordered)}
    out = []
    for n, (claim, speakers, targets) in enumerate(claims):
        speaker = claim.speaker
        if speaker is not None and speakers:
            speaker = speaker.model_copy(update={"entity_id": ids[speakers[0]],
                                                 "entity_ids": tuple(ids[k] for k in speakers)})
        out.append(claim.model_copy(update={
            "id": f"c{n}", "speaker": speaker,
            "targets": tuple(EntityRef(id=ids[k], name=entities[k]["name"])
                             for k in sorted(targets, key=lambda k: firsts.get(k, 0)))}))  # as find_targets orders them
    return Extraction(text=text, claims=tuple(out), entities=tuple(
        Entity(id=ids[key], name=entities[key]["name"], kind=entities[key]["kind"],
               aliases=tuple(entities[key]["aliases"]), kb_id=entities[key]["kb_id"]) for key in ordered))


def _shifted(claim: Claim, by: int, text: str) -> Claim:
    """The claim with every span moved `by` characters on, into the whole text."""

    def span(s: Span | None) -> Span | None:
        return None if s is None else Span(start=s.start + by, end=s.end + by, text=text[s.start + by : s.end + by])

    speaker = claim.speaker
    if speaker is not None:
        speaker = Speaker(mention=span(speaker.mention), name=speaker.name, entity_id=speaker.entity_id,
                          entity_ids=speaker.entity_ids)
    return claim.model_copy(update={"content": span(claim.content), "parts": tuple(span(p) for p in claim.parts),
                                    "cue": span(claim.cue), "speaker": speaker})
