"""View: one article as people would rather look at it than read it.

`render_html` shows a document with its claims tinted by speech act, speakers boxed, cues
underlined and targets dotted, beside a table of its claims; Jupyter shows an Extraction this way
by itself. `article_pieces` cuts the text for any page that shows it (the corpus report too):
a speaker's box stays one box when other marks overlap it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from claimx.colours import ACT_TINTS
from claimx.models import Extraction
from claimx.text import without_surrogates


@dataclass(frozen=True)
class Piece:
    """A stretch of text under one set of marks: its classes, its tooltip, and the anchors of
    the claims it belongs to."""

    text: str
    classes: str = ""
    title: str = ""
    claims: tuple[str, ...] = ()
    starts: tuple[str, ...] = ()  # anchors of the claims that begin here


@dataclass(frozen=True)
class Box:
    """A speaker mention, kept whole around the pieces inside it."""

    title: str
    pieces: tuple[Piece, ...] = field(default_factory=tuple)


@cache
def environment():
    """The template environment of every claimx page: autoescaped, from the package."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("claimx", "templates"), autoescape=select_autoescape(default=True),
                       trim_blocks=True, lstrip_blocks=True)


def render_html(extraction: Extraction, *, standalone: bool = True, title: str | None = None) -> str:
    """One document as HTML. `standalone=False` gives a fragment, as Jupyter embeds it."""
    from claimx import __version__

    return without_surrogates(environment().get_template("document.html").render(
        standalone=standalone,
        title=title or extraction.doc_id or "document",
        pieces=article_pieces(extraction),
        claims=extraction.claims,
        entities=len(extraction.entities),
        acts={c.act for c in extraction.claims},
        colours=ACT_TINTS,
        version=__version__,
    ))  # a lone surrogate anywhere (a name, a title) would make the page unwritable as UTF-8


def claim_tip(claim) -> str:
    """A claim's tooltip: its speaker, act, kind and confidence."""
    speaker = claim.speaker.name if claim.speaker else "no speaker"
    return without_surrogates(f"{speaker} — {claim.act}, {claim.kind}, confidence {claim.confidence:.2f}")


def article_pieces(extraction: Extraction, anchor: str = "") -> list[Piece | Box]:
    """The text cut at every mark's edge, each piece with the classes that cover it; speaker
    mentions become boxes around their pieces. A speaker mention that crosses another one's
    edge is shown by its class alone. With an `anchor`, each piece names the claims it belongs
to, and the first piece of a claim starts it: `<anchor><claim id>`, a link target."""
    text = extraction.text
    marks: list[tuple[int, int, str, str, str]] = []  # start, end, classes, tooltip, claim anchor
    speakers: dict[tuple[int, int], str] = {}
    begins: dict[int, list[str]] = {}
    for claim in extraction.claims:
        tip = claim_tip(claim)
        if anchor:
            begins.setdefault((claim.parts or (claim.content,))[0].start, []).append(anchor + claim.id)
        for part in claim.parts or (claim.content,):
            marks.append((part.start, part.end, f"claim act-{claim.act} {claim.kind}", tip,
                          anchor + claim.id if anchor else ""))
        if claim.cue is not None:
            marks.append((claim.cue.start, claim.cue.end, "cue", f"cue of: {tip}", ""))
        if claim.speaker is not None:
            mention = claim.speaker.mention
            speakers.setdefault((mention.start, mention.end), without_surrogates(claim.speaker.name))
        for target in claim.targets:
            names = {target.name, *extraction.entity(target.id).aliases}
            for name in filter(None, names):
                at = text.find(name, claim.content.start, claim.content.end)
                while at >= 0:
                    marks.append((at, at + len(name), "target", without_surrogates(f"about: {target.name}"), ""))
                    at = text.find(name, at + len(name), claim.content.end)
    boxes = _disjoint(speakers)
    marks += [(s, e, "speaker", name, "") for (s, e), name in speakers.items() if boxes.get(s) != e]
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks), *boxes, *boxes.values()})
    out: list[Piece | Box] = []
    open_box: tuple[int, int] | None = None
    inside: list[Piece] = []
    for start, end in zip(cuts, cuts[1:]):
        if open_box is None and start in boxes:
            open_box = (start, boxes[start])
        covering = [m for m in marks if m[0] <= start and end <= m[1]]
        piece = Piece(
            text=without_surrogates(text[start:end]),
            classes=" ".join(dict.fromkeys(c for m in covering for c in m[2].split())),
            title=next((m[3] for m in reversed(covering) if m[2].startswith("claim")), ""),
            claims=tuple(dict.fromkeys(m[4] for m in covering if m[4])),
            starts=tuple(begins.pop(start, ())),
        )
        (inside if open_box else out).append(piece)
        if open_box is not None and end == open_box[1]:
            out.append(Box(title=speakers[open_box], pieces=tuple(inside)))
            open_box, inside = None, []
    return out


def _disjoint(spans: dict[tuple[int, int], str]) -> dict[int, int]:
    """start → end of the spans that overlap no other kept span: earlier first, then longer."""
    kept: dict[int, int] = {}
    last_end = -1
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if start >= last_end and end > start:
            kept[start] = end
            last_end = end
    return kept
