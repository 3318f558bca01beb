"""Layout: where each actor of the who-about-whom network sits, for the picture and the report.

`actor_layout` picks the actors with most claims to or from others, places them with a seeded,
weighted force-directed layout, then gives each a label beside its circle (right, left, above
or below) and nudges circles apart until no label overlaps another label or another actor's
circle. Positions are pixels with y growing downward (SVG's convention), so the HTML report
draws the same layout as `claimx.draw_actor_graph`. Label sizes are estimated from the number
of characters (`label_box`), not measured: the layout needs no font and no matplotlib, and the
same input gives the same output, byte for byte.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import networkx as nx
import numpy as np

from claimx.colours import ACT_COLOURS
from claimx.text import without_surrogates

CHAR_WIDTH = 0.58  # of the font size: a sans-serif character's mean advance, a little generous
LINE_HEIGHT = 1.3  # of the font size: the height of a label's box
MAX_LABEL = 28  # characters; a longer name is shortened with "…"
SEED = 12  # of the force-directed start
GRAVITY = 0.5  # every actor's pull to the centre, against one claim's pull

# Which act a pair's edges list first when two acts have as many claims: a specific act
# (an accusation, a denial) says more than a generic claim or report.
_GENERIC = ("claim", "report", "other")
ACT_PRECEDENCE = (*(act for act in ACT_COLOURS if act not in _GENERIC), *_GENERIC)

_SIDES = ("right", "left", "above", "below")
_ANCHORS = {"right": "start", "left": "end", "above": "middle", "below": "middle"}
_ROUNDS = 600  # of label choice and nudging, before the fallback arrangement


@dataclass(frozen=True)
class PlacedActor:
    """One actor on the canvas: its circle, its label and where the label is anchored."""

    id: str  # the node id in the graph
    name: str  # full name
    label: str  # the label shown: the name, shortened with "…" only when longer than MAX_LABEL
    x: float  # centre, pixels
    y: float
    r: float  # radius, pixels; grows with the square root of `claims`
    label_x: float  # label anchor: x as SVG's text-anchor reads it
    label_y: float  # the label's vertical centre (SVG dominant-baseline="middle")
    anchor: str  # "start" | "middle" | "end" (SVG text-anchor)
    claims: int  # claims the actor made or was the target of, within the shown edges


@dataclass(frozen=True)
class ActorLayout:
    """The shown actors, most claims first, and the edges among them."""

    width: float
    height: float
    actors: tuple[PlacedActor, ...]
    # (speaker id, target id, act, claims): one edge per act of a pair, the pairs in the order
    # of `actors`, and within a pair most claims first, ties in ACT_PRECEDENCE order, so that a
    # pair's first edge is its dominant act
    edges: tuple[tuple[str, str, str, int], ...]


def actor_layout(graph: nx.MultiDiGraph, *, top: int = 30, width: float = 1000.0, height: float = 700.0,
                 font_size: float = 12.0) -> ActorLayout:
    """The `top` actors by claims to or from others, placed on a `width` × `height` canvas with
    no label overlapping another label or another actor's circle. `graph` is a claims graph
    (`claimx.build_graph`), an actor graph (`claimx.actor_graph`) or an actor summary
    (`claimx.actor_summary`). Actors whose name has no letter are left out, and so is an actor
    with no claim to or from another shown actor."""
    summary = _summary(graph)
    counts = _pair_counts(summary)
    names = {node: str(summary.nodes[node].get("name", node)) for node in summary}
    shown = _choose(counts, names, top)
    while shown:
        placed = _place(shown, counts, names, width, height, font_size)
        if placed is not None:
            break
        shown = shown[:-1]  # the canvas cannot hold them all: the actor with fewest claims goes
    else:
        placed = ()
    members = set(shown)
    rank = {node: i for i, node in enumerate(shown)}
    edges = []
    for (u, v), acts in sorted(counts.items(), key=lambda item: (rank.get(item[0][0], -1), rank.get(item[0][1], -1))):
        if u in members and v in members:
            edges.extend((u, v, act, n) for act, n in sorted(acts.items(), key=lambda a: (-a[1], _precedence(a[0]))))
    return ActorLayout(width=float(width), height=float(height), actors=tuple(placed), edges=tuple(edges))


def label_box(actor: PlacedActor, font_size: float = 12.0) -> tuple[float, float, float, float]:
    """The estimated box (left, top, right, bottom) of an actor's label, in pixels."""
    w, h = label_size(actor.label, font_size)
    left = {"start": actor.label_x, "middle": actor.label_x - w / 2, "end": actor.label_x - w}[actor.anchor]
    return left, actor.label_y - h / 2, left + w, actor.label_y + h / 2


def label_size(label: str, font_size: float = 12.0) -> tuple[float, float]:
    """The estimated width and height of a label, in pixels."""
    return len(label) * CHAR_WIDTH * font_size, LINE_HEIGHT * font_size


def short_label(name: str, limit: int = MAX_LABEL) -> str:
    """A name fit to show: one space between words, and cut after a word with "…" when longer
    than `limit` characters (mid-word only when the first word alone is that long)."""
    name = " ".join(without_surrogates(name).split())
    if len(name) <= limit:
        return name
    cut = name[: limit - 1]
    if " " in cut and name[limit - 1] != " ":
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def _precedence(act: str) -> tuple[int, str]:
    return (ACT_PRECEDENCE.index(act), "") if act in ACT_PRECEDENCE else (len(ACT_PRECEDENCE), act)


def _summary(graph: nx.Graph) -> nx.DiGraph:
    """The actor summary of any of the graphs `actor_layout` takes."""
    from claimx.graph import actor_summary

    return graph if not graph.is_multigraph() else actor_summary(graph)


def _pair_counts(summary: nx.DiGraph) -> dict[tuple[str, str], dict[str, int]]:
    """(speaker, target) → claims per act, from the summary's `n_<act>` counts; self-loops left out."""
    counts = {}
    for u, v, data in summary.edges(data=True):
        acts = {key[2:]: int(n) for key, n in data.items() if key.startswith("n_") and n}
        if u != v and acts:
            counts[u, v] = acts
    return counts


def _choose(counts: dict[tuple[str, str], dict[str, int]], names: dict[str, str], top: int) -> list[str]:
    """The actors to show, most claims first (ties by name, then id): the `top` with most claims
    among the actors with a letter in their name, each with a claim to or from another of them."""
    candidates = {node for pair in counts for node in pair if _RE_LETTER.search(names[node])}
    while True:
        total = dict.fromkeys(candidates, 0)
        for (u, v), acts in counts.items():
            if u in candidates and v in candidates:
                total[u] += sum(acts.values())
                total[v] += sum(acts.values())
        ranked = sorted(candidates, key=lambda n: (-total[n], names[n].casefold(), n))[:max(top, 0)]
        chosen = set(ranked)
        linked = {n for pair in counts if set(pair) <= chosen for n in pair}
        if linked == chosen:
            return ranked
        candidates -= chosen - linked  # an actor with no partner among the chosen cannot be shown


_RE_LETTER = re.compile(r"[^\W\d_]")


def _place(shown: list[str], counts: dict[tuple[str, str], dict[str, int]], names: dict[str, str],
           width: float, height: float, font_size: float) -> tuple[PlacedActor, ...] | None:
    """The shown actors placed without overlaps, or None when the canvas cannot hold them."""
    index = {node: i for i, node in enumerate(shown)}
    n = len(shown)
    claims = np.zeros(n)
    weights = np.zeros((n, n))
    for (u, v), acts in counts.items():
        if u in index and v in index:
            k = sum(acts.values())
            claims[index[u]] += k
            claims[index[v]] += k
            weights[index[u], index[v]] += k
            weights[index[v], index[u]] += k
    labels = [short_label(names[node]) for node in shown]
    canvas = _Canvas(width, height, font_size, claims, labels)
    start = _spring(shown, weights)
    xy = canvas.fit(start)
    sides = np.zeros(n, dtype=int)
    for _ in range(_ROUNDS):
        sides = canvas.choose_sides(xy, sides)
        pushes = canvas.pushes(xy, sides)
        if pushes is None:
            break
        xy = canvas.clamp(xy + pushes, sides)
    else:
        packed = canvas.shelves(start)
        if packed is None:
            return None
        xy, sides = packed
    sides = canvas.clear_of_edges(xy, sides, weights > 0)
    placed = []
    for i, node in enumerate(shown):
        side = _SIDES[sides[i]]
        lx, ly = canvas.anchor(xy[i], i, side)
        placed.append(PlacedActor(
            id=node, name=names[node], label=labels[i], x=_round(xy[i, 0]), y=_round(xy[i, 1]),
            r=_round(canvas.r[i]), label_x=_round(lx), label_y=_round(ly), anchor=_ANCHORS[side],
            claims=int(claims[i]),
        ))
    return tuple(placed)


def _round(value: float) -> float:
    return round(float(value), 2)


def _spring(shown: list[str], weights: np.ndarray) -> np.ndarray:
    """A seeded force-directed start, in the order of `shown`: pairs with more claims pull
    closer, but only with the logarithm of their claims, so a hub does not swallow its partners."""
    n = len(shown)
    if n == 1:
        return np.zeros((1, 2))
    graph = nx.Graph()
    graph.add_nodes_from(range(n + 1))
    for i, j in zip(*np.nonzero(np.triu(weights))):
        graph.add_edge(int(i), int(j), weight=1.0 + math.log(weights[i, j]))
    for i in range(n):  # a weak pull to a centre keeps the pieces of a disconnected graph together
        graph.add_edge(i, n, weight=GRAVITY)
    pos = nx.spring_layout(graph, weight="weight", seed=SEED, iterations=200, k=1.6 / math.sqrt(n))
    return np.array([pos[i] for i in range(n)], dtype=float)



class _Canvas:
    """The geometry of one layout: circles, label boxes, their overlaps and the canvas's bounds.
    Positions are an (n, 2) array, sides an (n,) array of indices into _SIDES."""

    def __init__(self, width: float, height: float, font_size: float, claims: np.ndarray, labels: list[str]):
        self.width, self.height = float(width), float(height)
        self.margin = max(4.0, 0.5 * font_size)
        self.gap = 0.3 * font_size  # between a circle and its label
        self.pad = 0.25 * font_size  # kept clear around every label
        self.spacing = 1.2 * font_size  # between two circles: room for an arrow head
        r_min, r_max = 0.4 * font_size, max(0.4 * font_size, min(2.0 * font_size, min(width, height) / 20))
        self.r = r_min + (r_max - r_min) * np.sqrt(claims / claims.max())
        self.w = np.array([label_size(label, font_size)[0] for label in labels])
        self.h = LINE_HEIGHT * font_size
        self.others = ~np.eye(len(labels), dtype=bool)

    # --- boxes

    def every_box(self, xy: np.ndarray) -> np.ndarray:
        """[side, actor] → the actor's label box (left, top, right, bottom) on that side."""
        x, y, r, w, h, g = xy[:, 0], xy[:, 1], self.r, self.w, self.h, self.gap
        return np.stack([
            np.stack([x + r + g, y - h / 2, x + r + g + w, y + h / 2], -1),  # right
            np.stack([x - r - g - w, y - h / 2, x - r - g, y + h / 2], -1),  # left
            np.stack([x - w / 2, y - r - g - h, x + w / 2, y - r - g], -1),  # above
            np.stack([x - w / 2, y + r + g, x + w / 2, y + r + g + h], -1),  # below
        ])

    def boxes(self, xy: np.ndarray, sides: np.ndarray) -> np.ndarray:
        """Every label's box, each on its actor's side."""
        return self.every_box(xy)[sides, np.arange(len(sides))]

    def anchor(self, point: np.ndarray, i: int, side: str) -> tuple[float, float]:
        """The label's anchor: where SVG's text-anchor and dominant-baseline="middle" put it."""
        x, y, r, h, g = float(point[0]), float(point[1]), float(self.r[i]), self.h, self.gap
        return {"right": (x + r + g, y), "left": (x - r - g, y),
                "above": (x, y - r - g - h / 2), "below": (x, y + r + g + h / 2)}[side]

    # --- placement

    def fit(self, pos: np.ndarray) -> np.ndarray:
        """The force-directed positions stretched over the canvas, clear of its margins."""
        if len(pos) == 1:
            return np.array([[self.width / 2, self.height / 2]])
        xy = pos - pos.min(axis=0)
        span = xy.max(axis=0)
        span[span == 0] = 1.0
        lo = np.array([self.margin + self.r.max() + 0.5 * float(np.median(self.w)),
                       self.margin + self.r.max() + self.h])
        size = np.maximum(np.array([self.width, self.height]) - 2 * lo, 1.0)
        return lo + xy / span * size

    def clamp(self, xy: np.ndarray, sides: np.ndarray) -> np.ndarray:
        """Each actor moved, if need be, so that its circle and its label lie within the margins."""
        boxes = self.boxes(xy, sides)
        left = np.minimum(boxes[:, 0], xy[:, 0] - self.r)
        top = np.minimum(boxes[:, 1], xy[:, 1] - self.r)
        right = np.maximum(boxes[:, 2], xy[:, 0] + self.r)
        bottom = np.maximum(boxes[:, 3], xy[:, 1] + self.r)
        m = self.margin
        dx = np.maximum(m - left, 0) - np.maximum(right - (self.width - m), 0)
        dy = np.maximum(m - top, 0) - np.maximum(bottom - (self.height - m), 0)
        return xy + np.stack([dx, dy], axis=1)

    def choose_sides(self, xy: np.ndarray, sides: np.ndarray) -> np.ndarray:
        """Each label's side, most claims first: the side whose box overlaps least of the other
        labels, the other circles and the margins; right, then left, above, below when equal,
        and the current side kept unless another does clearly better (no flip-flopping)."""
        sides = sides.copy()
        every = self.every_box(xy)
        boxes = every[sides, np.arange(len(sides))]
        p, m = self.pad, self.margin
        for i in range(len(sides)):
            mine = every[:, i]  # (side, 4)
            others = self.others[i]
            theirs = boxes[others]
            ox = np.minimum(mine[:, None, 2], theirs[None, :, 2]) - np.maximum(mine[:, None, 0], theirs[None, :, 0]) + p
            oy = np.minimum(mine[:, None, 3], theirs[None, :, 3]) - np.maximum(mine[:, None, 1], theirs[None, :, 1]) + p
            labels = np.sum(np.clip(ox, 0, None) * np.clip(oy, 0, None), axis=1)
            centres = xy[others]
            nearest = np.clip(centres[None], mine[:, None, :2], mine[:, None, 2:])
            gap = np.hypot(*(centres[None] - nearest).transpose(2, 0, 1))
            circles = np.sum(np.clip(self.r[others][None] + p - gap, 0, None), axis=1) * 2 * self.h
            outside = (np.clip(m - mine[:, 0], 0, None) + np.clip(mine[:, 2] - (self.width - m), 0, None)) * self.h \
                + (np.clip(m - mine[:, 1], 0, None) + np.clip(mine[:, 3] - (self.height - m), 0, None)) * self.w[i]
            cost = labels + circles + 4 * outside + 0.01 * self.h ** 2 * np.arange(len(_SIDES))
            cost[sides[i]] -= 0.05 * self.h ** 2
            sides[i] = int(np.argmin(cost))
            boxes[i] = every[sides[i], i]
        return sides

    def pushes(self, xy: np.ndarray, sides: np.ndarray) -> np.ndarray | None:
        """How far to move each actor to undo the overlaps, or None when there are none. Two
        circles part along the line between them, two labels along the axis needing the shorter
        move, a label and another's circle along the line from the label's nearest point."""
        n = len(xy)
        if n < 2:
            return None
        boxes = self.boxes(xy, sides)
        others, p = self.others, self.pad
        move = np.zeros_like(xy)
        found = False
        # two circles closer than their radii and the spacing
        d = xy[None, :, :] - xy[:, None, :]  # [i, j]: from i to j
        dist = np.hypot(d[..., 0], d[..., 1])
        need = np.where(others, self.r[:, None] + self.r[None, :] + self.spacing - dist, 0.0)
        hit = need > 0
        if hit.any():
            found = True
            unit = np.where(dist[..., None] > 1e-9, d / np.maximum(dist, 1e-9)[..., None], _tie_directions(n))
            move -= np.sum(unit * ((need + 0.5) * hit)[..., None], axis=1) / 2
        # two labels, with the pad between them
        ox = np.minimum(boxes[:, None, 2], boxes[None, :, 2]) - np.maximum(boxes[:, None, 0], boxes[None, :, 0]) + p
        oy = np.minimum(boxes[:, None, 3], boxes[None, :, 3]) - np.maximum(boxes[:, None, 1], boxes[None, :, 1]) + p
        hit = others & (ox > 0) & (oy > 0)
        if hit.any():
            found = True
            later = np.triu(others)  # for boxes with one centre: the later actor goes right or down
            cx, cy = boxes[:, 0] + boxes[:, 2], boxes[:, 1] + boxes[:, 3]
            sx = np.where(cx[None, :] == cx[:, None], np.where(later, 1.0, -1.0), np.sign(cx[None, :] - cx[:, None]))
            sy = np.where(cy[None, :] == cy[:, None], np.where(later, 1.0, -1.0), np.sign(cy[None, :] - cy[:, None]))
            along_x = ox < oy
            push = np.stack([np.where(along_x, sx * (ox + 0.5), 0.0), np.where(along_x, 0.0, sy * (oy + 0.5))], -1)
            move -= np.sum(push * hit[..., None], axis=1) / 2
        # a label [i] and another's circle [j]
        nearest = np.clip(xy[None, :, :], boxes[:, None, :2], boxes[:, None, 2:])
        away = xy[None, :, :] - nearest
        gap = np.hypot(away[..., 0], away[..., 1])
        radius = self.r[None, :] + p
        hit = others & (gap < radius)
        if hit.any():
            found = True
            inside = gap <= 1e-9  # a centre inside the box leaves by the box's nearest side
            outs = np.stack([xy[None, :, 0] - boxes[:, None, 0], boxes[:, None, 2] - xy[None, :, 0],
                             xy[None, :, 1] - boxes[:, None, 1], boxes[:, None, 3] - xy[None, :, 1]], -1)
            exits = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, -1.0], [0.0, 1.0]])[np.argmin(outs, axis=-1)]
            depth = np.where(inside, np.min(outs, axis=-1) + radius, radius - gap) + 0.5
            unit = np.where(inside[..., None], exits, away / np.maximum(gap, 1e-9)[..., None])
            push = unit * (depth * hit)[..., None]  # how far j moves away from i's label
            move += np.sum(push, axis=0) / 2
            move -= np.sum(push, axis=1) / 2
        return move * 0.6 if found else None

    def shelves(self, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """The fallback when nudging does not settle: actors in rows, labels to the right, in the
        order of their force-directed positions; None when the rows do not fit the canvas."""
        n = len(pos)
        unit_w = 2 * self.r + self.gap + self.w + self.pad + self.spacing
        unit_h = float(max(2 * self.r.max(), self.h)) + max(self.pad, self.spacing)
        m = self.margin
        xy = np.zeros((n, 2))
        left, top = m, m
        for i in sorted(range(n), key=lambda i: (pos[i, 1], pos[i, 0])):
            if left > m and left + unit_w[i] - self.spacing > self.width - m:
                left, top = m, top + unit_h
            xy[i] = [left + self.r[i], top + unit_h / 2]
            left += unit_w[i]
        sides = np.zeros(n, dtype=int)
        if self.pushes(xy, sides) is not None or not np.allclose(self.clamp(xy, sides), xy):
            return None
        return xy, sides

    def clear_of_edges(self, xy: np.ndarray, sides: np.ndarray, linked: np.ndarray) -> np.ndarray:
        """Each label moved to the side crossed by fewest edges (straight lines between centres,
        here), where it can go without any overlap and inside the margins."""
        sides = sides.copy()
        pairs = [(int(i), int(j)) for i, j in zip(*np.nonzero(np.triu(linked | linked.T)))]
        every = self.every_box(xy)
        for i in range(len(sides)):
            best, best_cost = int(sides[i]), math.inf
            for s in range(len(_SIDES)):
                trial = sides.copy()
                trial[i] = s
                if s != sides[i] and (self.pushes(xy, trial) is not None or
                                      not np.allclose(self.clamp(xy, trial), xy)):
                    continue
                cost = 4 * sum(_crosses(every[s, i], xy[a], xy[b]) for a, b in pairs) + 0.01 * s
                if cost < best_cost - 1e-9:
                    best, best_cost = s, cost
            sides[i] = best
        return sides


def _tie_directions(n: int) -> np.ndarray:
    """Fixed unit vectors [i, j], from i towards j, to part actors at one point."""
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    low, high = np.minimum(i, j), np.maximum(i, j)
    angle = ((low * 7 + high * 13) % 360 + np.where(i < j, 0, 180)) * math.pi / 180
    return np.stack([np.cos(angle), np.sin(angle)], axis=-1)


def _crosses(box: np.ndarray, a: np.ndarray, b: np.ndarray) -> bool:
    """Whether the segment a–b passes through the box (Liang–Barsky clipping)."""
    t0, t1 = 0.0, 1.0
    d = b - a
    for p, q in ((-d[0], a[0] - box[0]), (d[0], box[2] - a[0]), (-d[1], a[1] - box[1]), (d[1], box[3] - a[1])):
        if abs(p) < 1e-12:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True
