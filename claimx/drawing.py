"""Drawing: who claimed what about whom as a picture (PNG or SVG), with the `plot` extra (matplotlib)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from claimx.colours import ACT_COLOURS

if TYPE_CHECKING:
    import networkx as nx


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
                           edge_color=[ACT_COLOURS.get(d["act"], "#888") for *_, d in edges], width=1.5,
                           alpha=0.75, arrows=True, arrowsize=12, connectionstyle="arc3,rad=0.12",
                           node_size=sizes)
    labels = {n: _short(shown.nodes[n].get("name", n)) for n in shown}
    nx.draw_networkx_labels(shown, pos, ax=ax, labels=labels, font_size=9,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
    acts = sorted({d["act"] for *_, d in edges})
    ax.legend(handles=[Line2D([0], [0], color=ACT_COLOURS.get(a, "#888"), lw=2.5, label=a) for a in acts],
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
