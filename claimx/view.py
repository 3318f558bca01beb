"""View: results as people would rather look at them than read them.

`render_html` shows one document with its claims coloured by speech act, speakers boxed, cues
underlined and targets dotted, beside a table of the claims; Jupyter shows an Extraction this way
by itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from claimx.colours import ACT_TINTS
from claimx.models import Extraction

@cache
def _template():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("claimx", "templates"), autoescape=select_autoescape(default=True))
    return env.get_template("document.html")


def render_html(extraction: Extraction, *, standalone: bool = True, title: str | None = None) -> str:
    """One document as HTML. `standalone=False` gives a fragment, as Jupyter embeds it."""
    from claimx import __version__

    return _template().render(
        standalone=standalone,
        title=title or extraction.doc_id or "document",
        segments=_segments(extraction),
        claims=extraction.claims,
        entities=len(extraction.entities),
        acts={c.act for c in extraction.claims},
        colours=ACT_TINTS,
        version=__version__,
    )


def write_html(extractions: Extraction | Iterable[Extraction], path: str | os.PathLike) -> Path | None:
    """Write one document, or several one after another, as a standalone HTML page."""
    from claimx.exports import write_text

    docs = [extractions] if isinstance(extractions, Extraction) else list(extractions)
    body = "\n<hr>\n".join(render_html(d, standalone=False) for d in docs)
    page = f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>claimx</title></head><body>\n{body}\n</body></html>\n'
    return write_text(path, lambda out: out.write(page))


def _segments(extraction: Extraction) -> list[dict[str, str]]:
    """The text cut at every annotation boundary; each piece with the classes that cover it."""
    text = extraction.text
    marks: list[tuple[int, int, str, str]] = []  # start, end, class, tooltip
    for claim in extraction.claims:
        speaker = claim.speaker.name if claim.speaker else "no speaker"
        tip = f"{speaker} — {claim.act}, {claim.kind}, confidence {claim.confidence:.2f}"
        for part in claim.parts or (claim.content,):
            marks.append((part.start, part.end, f"claim act-{claim.act} {claim.kind}", tip))
        if claim.cue is not None:
            marks.append((claim.cue.start, claim.cue.end, "cue", f"cue of: {tip}"))
        if claim.speaker is not None:
            marks.append((claim.speaker.mention.start, claim.speaker.mention.end, "speaker", speaker))
        for target in claim.targets:
            names = {target.name, *extraction.entity(target.id).aliases}
            for name in filter(None, names):
                at = text.find(name, claim.content.start, claim.content.end)
                while at >= 0:
                    marks.append((at, at + len(name), "target", f"about: {target.name}"))
                    at = text.find(name, at + len(name), claim.content.end)
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    segments = []
    for start, end in zip(cuts, cuts[1:]):
        covering = [m for m in marks if m[0] <= start and end <= m[1]]
        classes = " ".join(dict.fromkeys(c for m in covering for c in m[2].split()))
        title = next((m[3] for m in reversed(covering) if m[2].startswith("claim")), "")
        segments.append({"text": text[start:end], "classes": classes, "title": title})
    return segments
