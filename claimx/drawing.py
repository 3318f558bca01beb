"""Drawing: who claimed what about whom as a picture (PNG or SVG), with the `plot` extra (matplotlib).

The picture draws `claimx.layout.actor_layout` as it is, so it shows what the HTML report's
network shows: one arrow per speaker → target pair, as wide as the pair's claims and coloured
by its most frequent act, curved so that A → B and B → A stay apart, and every label where the
layout put it, clear of the others.
"""

from __future__ import annotations

import math
import os
from collections import defaultdict
from pathlib import Path
from typing import IO, TYPE_CHECKING

from claimx.colours import ACT_COLOURS
from claimx.layout import GENERIC_ACTS, actor_layout, edge_curve, has_letter

if TYPE_CHECKING:
    import networkx as nx

    from claimx.layout import ActorLayout

WIDTH, HEIGHT, FONT = 1200.0, 760.0, 13.0  # the layout's canvas and label size, pixels
HEADER, FOOTER = 62.0, 58.0  # room above the canvas for the title, below it for the legend
DPI = 100  # one layout pixel is one figure pixel at this resolution
PNG_DPI = 150  # a PNG is drawn 1.5 times larger, for sharp text
INK, MUTED, SPEAKER, TARGET = "#222222", "#555555", "#4a5a6c", "#ffffff"
WIDTH_SAMPLES = (1, 5, 15)  # claims, for the legend's line widths


def draw_actor_graph(graph: nx.MultiDiGraph, path: str | os.PathLike, *, top: int = 30) -> Path:
    """Draw who claimed what about whom among the `top` actors with most claims to or from others,
    as PNG or SVG by the path's suffix. `graph` is a claims graph, an actor graph or an actor
    summary, as `claimx.layout.actor_layout` takes."""
    try:
        from matplotlib import rc_context
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - depends on the environment
        from claimx.errors import ClaimxError

        raise ClaimxError("E120", "drawing needs matplotlib: pip install 'claimx[plot]'") from exc
    layout = actor_layout(graph, top=top, width=WIDTH, height=HEIGHT, font_size=FONT)
    total = HEADER + HEIGHT + FOOTER
    fig = Figure(figsize=(WIDTH / DPI, total / DPI), dpi=DPI, facecolor="white")
    ax = fig.add_axes((0, FOOTER / total, 1, HEIGHT / total))
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(HEIGHT, 0)  # the layout's y grows downward
    ax.axis("off")
    acts = _draw_edges(ax, layout)
    _draw_actors(ax, layout)
    shown, total_actors, claims, docs = _counts(graph, layout)
    fig.text(12 / WIDTH, 1 - 10 / total, "Who claimed what about whom", ha="left", va="top",
             fontsize=_pt(19), fontweight="bold", color=INK)
    fig.text(12 / WIDTH, 1 - 38 / total, _subtitle(shown, total_actors, claims, docs), ha="left", va="top",
             fontsize=_pt(13), color=MUTED)
    _legend(fig, acts, bool(layout.edges))
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".") or "png"
    from claimx.exports import write_bytes

    def save(out: IO[bytes]) -> None:
        if suffix == "png":
            _save_png(fig, out)
        else:
            fig.savefig(out, format=suffix, dpi=DPI, facecolor="white", metadata=_METADATA.get(suffix))

    # SVG ids from a fixed salt: same input, same file; written as every output is, never clobbering
    with rc_context({"svg.hashsalt": "claimx"}):
        write_bytes(path, save)
    return path


def _save_png(fig, out: IO[bytes]) -> None:
    """The figure as a PNG of at most 256 colours: a line drawing loses nothing to it, and the
    file is a third of the size. (Pillow comes with matplotlib.)"""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=PNG_DPI, facecolor="white", metadata=_METADATA["png"])
    with Image.open(buffer) as image:
        palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette.save(out, format="png", optimize=True)


_METADATA = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}  # same input, same file
_HA = {"start": "left", "middle": "center", "end": "right"}


def _pt(pixels: float) -> float:
    """Layout pixels as points, the unit matplotlib sizes text and lines in."""
    return pixels * 72 / DPI


def _draw_edges(ax, layout: ActorLayout) -> list[str]:
    """One arrow per speaker → target pair, from rim to rim; the dominant acts drawn, in legend order."""
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path as Curve

    at = {actor.id: actor for actor in layout.actors}
    pairs: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for source, target, act, claims in layout.edges:
        pairs[source, target].append((act, claims))  # the layout lists a pair's dominant act first
    drawn = set()
    # a specific act (an accusation, a denial) above the generic claims and reports, the widest
    # on top within each; the sort is stable, so ties keep the layout's order
    for (source, target), acts in sorted(pairs.items(), key=lambda item: (
            item[1][0][0] not in GENERIC_ACTS, sum(n for _, n in item[1]))):
        a, b = at[source], at[target]
        claims = sum(n for _, n in acts)
        act = acts[0][0]
        drawn.add(act)
        width = _pt(_line_width(claims))
        curve = Curve(edge_curve(a, b), [Curve.MOVETO, Curve.CURVE3, Curve.CURVE3])
        ax.add_patch(FancyArrowPatch(
            path=curve, arrowstyle="-|>,head_length=0.55,head_width=0.3",
            mutation_scale=_pt(13 + 3.2 * math.sqrt(claims)), linewidth=width,
            color=_colour(act), zorder=1, joinstyle="miter",
        ))
    return [act for act in ACT_COLOURS if act in drawn] + sorted(drawn - ACT_COLOURS.keys())


def _colour(act: str) -> tuple[float, float, float]:
    """The act's colour; a generic act's mixed with white, so that the acts that say more stand
    out. Solid, not transparent: where arrow heads pile up at a busy actor, each stays clean."""
    from matplotlib.colors import to_rgb

    rgb = to_rgb(ACT_COLOURS.get(act, ACT_COLOURS["other"]))
    share = 0.6 if act in GENERIC_ACTS else 1.0
    return tuple(1 - (1 - c) * share for c in rgb)


def _line_width(claims: int) -> float:
    """An arrow's width in pixels: its area, not its width, grows with the claims."""
    return 0.9 + 1.3 * math.sqrt(claims)


def _draw_actors(ax, layout: ActorLayout) -> None:
    """Circles (filled for actors who made claims, hollow for those only spoken about) and labels."""
    from matplotlib import patheffects
    from matplotlib.patches import Circle

    speakers = {source for source, *_ in layout.edges}
    halo = [patheffects.withStroke(linewidth=_pt(4), foreground="white")]
    for actor in layout.actors:
        spoke = actor.id in speakers
        ax.add_patch(Circle((actor.x, actor.y), actor.r, facecolor=SPEAKER if spoke else TARGET,
                            edgecolor=SPEAKER, linewidth=_pt(1.6), zorder=2))
        ax.text(actor.label_x, actor.label_y, actor.label, ha=_HA[actor.anchor], va="center_baseline",
                fontsize=_pt(FONT), color=INK, zorder=3, path_effects=halo)


def _counts(graph: nx.Graph, layout: ActorLayout) -> tuple[int, int, int, int]:
    """Shown actors, actors with a claim to or from another, claims among the shown actors, documents."""
    from claimx.graph import SEPARATOR, as_actors

    shown = {actor.id for actor in layout.actors}
    docs: set[str] = set()
    for _, data in graph.nodes(data=True):
        if data.get("type") == "claim":
            docs.add(str(data.get("doc", "")))
        elif data.get("docs"):
            docs.update(str(data["docs"]).split(SEPARATOR))
    docs.update(str(d["doc"]) for *_, d in graph.edges(data=True) if d.get("doc"))  # an actor graph's
    docs.discard("")
    if graph.is_multigraph():
        actors = as_actors(graph)
        edges = [(u, v, k) for u, v, k in actors.edges(keys=True) if u != v]
        claims = len({k for u, v, k in edges if u in shown and v in shown})
    else:  # an actor summary: each edge weighs its claims
        edges = [(u, v, None) for u, v in graph.edges() if u != v]
        claims = sum(int(d.get("weight", 1)) for u, v, d in graph.edges(data=True) if u in shown and v in shown)
    linked = {node for u, v, _ in edges for node in (u, v)}
    names = graph.nodes
    total = sum(1 for node in linked if has_letter(str(names[node].get("name", node))))
    return len(shown), total, claims, len(docs)


def _subtitle(shown: int, total: int, claims: int, docs: int) -> str:
    """What the picture shows, in one line."""
    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    where = f" · {n(docs, 'document')}" if docs else ""
    if not shown:
        return f"No claim by one actor about another{where}."
    which = f"All {n(shown, 'actor')}" if shown == total else f"The top {shown} of {n(total, 'actor')}"
    return (f"{which} by claims made or received · {n(claims, 'claim')} among them{where}. "
            "Arrows run from speaker to the actor spoken about.")


def _legend(fig, acts: list[str], any_edges: bool) -> None:
    """The acts drawn, what width and fill mean, in one row under the canvas."""
    from matplotlib.lines import Line2D

    if not any_edges:
        return
    act_handles = [Line2D([], [], color=_colour(a), lw=_pt(4), label=a) for a in acts]
    first = fig.legend(handles=act_handles, loc="lower left", bbox_to_anchor=(0.005, 0.0), ncol=len(act_handles),
                       frameon=False, fontsize=_pt(12), title="colour: each pair's most frequent act",
                       title_fontsize=_pt(12), alignment="left", handlelength=1.6, columnspacing=1.1,
                       labelcolor=INK)
    first.get_title().set_color(MUTED)
    key = [Line2D([], [], color="#777777", lw=_pt(_line_width(n)), label=f"{n}") for n in WIDTH_SAMPLES]
    key += [Line2D([], [], ls="none", marker="o", ms=_pt(11), mfc=SPEAKER, mec=SPEAKER, label="made claims"),
            Line2D([], [], ls="none", marker="o", ms=_pt(11), mfc=TARGET, mec=SPEAKER, label="only spoken about")]
    second = fig.legend(handles=key, loc="lower right", bbox_to_anchor=(0.995, 0.0), ncol=len(key), frameon=False,
                        fontsize=_pt(12), title="width: claims · circle: claims made or received",
                        title_fontsize=_pt(12), alignment="left", handlelength=1.6, columnspacing=1.1,
                        labelcolor=INK)
    second.get_title().set_color(MUTED)
