"""View: results as people would rather look at them than read them.

`render_html` shows one document with its claims coloured by speech act, speakers boxed, cues
underlined and targets dotted, beside a table of the claims; Jupyter shows an Extraction this way
by itself. `draw_actor_graph` draws who claimed what about whom as a PNG or SVG (needs the
`plot` extra: matplotlib).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from claimx.models import Extraction

if TYPE_CHECKING:
    import networkx as nx

# One colour per speech act, light enough to read text on.
ACT_COLOURS = {
    "claim": "#cfe3ff",
    "accusation": "#ffc9c4",
    "denial": "#e3d0ff",
    "warning": "#ffdcaa",
    "threat": "#ffb3b3",
    "promise": "#c8f0cf",
    "admission": "#c7eeea",
    "question": "#e6e6e6",
    "belief": "#f3e2c7",
    "report": "#d4dbe6",
    "other": "#ecedf5",
}


# Saturated versions for lines in the actor-graph picture.
ACT_LINE_COLOURS = {
    "claim": "#2f6fd0",
    "accusation": "#d62728",
    "denial": "#8e44ad",
    "warning": "#ef8a17",
    "threat": "#8b0000",
    "promise": "#2ca02c",
    "admission": "#17a2a2",
    "question": "#7f7f7f",
    "belief": "#a0522d",
    "report": "#34495e",
    "other": "#b0b4c0",
}


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
        colours=ACT_COLOURS,
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


def draw_actor_graph(graph: nx.MultiDiGraph, path: str | os.PathLike, *, top: int = 40) -> Path:
    """Draw the actor graph (speaker → target, edges coloured by act) as PNG or SVG, by suffix.
    Only the `top` entities with most claims are drawn, so a large corpus stays legible."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.lines import Line2D
    except ImportError as exc:  # pragma: no cover - depends on the environment
        from claimx.errors import ClaimxError

        raise ClaimxError("E120", "drawing needs matplotlib: pip install 'claimx[plot]'") from exc
    import networkx as nx

    from claimx.graph import as_actors

    actors = as_actors(graph)
    busiest = sorted(actors.nodes, key=lambda n: -actors.degree(n))[:top]
    shown = actors.subgraph(n for n in busiest if actors.degree(n))
    fig, ax = plt.subplots(figsize=(13, 10), dpi=110)
    # a circle keeps every label clear of the others; speakers and their targets sit by turns
    pos = nx.circular_layout(sorted(shown, key=lambda n: (-shown.out_degree(n), n)))
    degree = dict(shown.degree())
    sizes = [250 + 90 * degree[n] ** 0.5 * 4 for n in shown]
    nx.draw_networkx_nodes(shown, pos, ax=ax, node_color="#f4f6fa", edgecolors="#34495e", node_size=sizes)
    edges = list(shown.edges(keys=True, data=True))
    nx.draw_networkx_edges(shown, pos, ax=ax, edgelist=[(u, v, k) for u, v, k, _ in edges],
                           edge_color=[ACT_LINE_COLOURS.get(d["act"], "#888") for *_, d in edges], width=1.5,
                           alpha=0.75, arrows=True, arrowsize=12, connectionstyle="arc3,rad=0.12",
                           node_size=sizes)
    labels = {n: _short(shown.nodes[n].get("name", n)) for n in shown}
    nx.draw_networkx_labels(shown, pos, ax=ax, labels=labels, font_size=9,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
    acts = sorted({d["act"] for *_, d in edges})
    ax.legend(handles=[Line2D([0], [0], color=ACT_LINE_COLOURS.get(a, "#888"), lw=2.5, label=a) for a in acts],
              loc="lower left", frameon=False, title="act")
    ax.set_title("Who claimed what about whom", fontsize=13)
    ax.axis("off")
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, format=path.suffix.lstrip(".") or "png")
    plt.close(fig)
    return path


def _short(name: str, width: int = 24) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"
