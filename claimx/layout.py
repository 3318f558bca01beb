"""Layout: where each actor of the who-about-whom network sits, for the picture and the report.

`actor_layout` picks the actors with most claims to or from others and places them: a seeded,
weighted force-directed start (networkx's spring layout), evened out so a hub and its partners
do not huddle; then each label takes a place beside its circle (right, left, above, below, or
a diagonal) and actors are nudged apart until no label overlaps another label or another
actor's circle, labels keeping off the edges where they can. Of a few seeded starts, the one
whose labels fewest edges cross is kept. Edges are curves (`edge_curve`), so A → B and B → A
stay apart. Positions are pixels with y growing downward (SVG's convention), so the HTML
report draws the same layout as `claimx.draw_actor_graph`. Label sizes are estimated from the
number of characters (`label_box`), not measured: the layout needs no font and no matplotlib,
and the same input gives the same output, byte for byte.
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
MAX_LABEL = 36  # characters; a longer name is shortened with "…"
BOW = 0.22  # an edge's curve: its control point this share of its length off the straight line
SEEDS = (1, 2, 3, 4, 5, 6)  # of the force-directed starts tried
GRAVITY = 0.5  # every actor's pull to the centre, against one claim's pull
EVEN = 1.0  # how far the start moves towards filling a disc evenly (0: not at all, 1: wholly)
ROOM = 1.4  # more room around an actor with more partners, by the square root of their number
EDGE_COST = 4.0  # of an edge through a label, against overlaps, in label heights squared
SPREAD = 14.0  # font sizes per square root of the actors: how far a small graph spreads, at most

# Which act a pair's edges list first when two acts have as many claims: a specific act
# (an accusation, a denial) says more than a generic claim or report.
GENERIC_ACTS = ("claim", "report", "other")
ACT_PRECEDENCE = (*(act for act in ACT_COLOURS if act not in GENERIC_ACTS), *GENERIC_ACTS)

# where a label may go, in order of preference; the diagonals for where the four sides are taken
_SIDES = ("right", "left", "above", "below", "upper right", "lower right", "upper left", "lower left")
_ANCHORS = ("start", "end", "middle", "middle", "start", "start", "end", "end")
_ROUNDS = 200  # of label choice and nudging, before a start is given up
_PATIENCE = 40  # rounds without fewer actors overlapping, before a start is given up
CROWDED = 0.35  # the share of the canvas circles and labels may cover (see _Canvas.crowded)
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


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
    placed: tuple[PlacedActor, ...] = ()
    while shown:
        placed = _place(shown, counts, names, width, height, font_size)
        if placed is not None:
            break
        # the canvas cannot hold them all: a tenth fewer (at least one), those with fewest claims
        shown = _choose(counts, names, len(shown) - max(1, len(shown) // 10))
    placed = placed or ()
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


def edge_curve(source: PlacedActor, target: PlacedActor, bow: float = BOW
               ) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
    """An edge as a quadratic Bézier curve (start, control, end), start on the source's rim and
    end on the target's. It bows to the left of its direction of travel (as seen on screen), so
    the edges A → B and B → A never lie on one another; a larger `bow` draws a second edge of the
    pair beside the first. The layout keeps labels off the curves of the default bow."""
    start, control, end = _curves(np.array([[source.x, source.y]]), np.array([[target.x, target.y]]),
                                  np.array([source.r]), np.array([target.r]), bow)
    return tuple(map(float, start[0])), tuple(map(float, control[0])), tuple(map(float, end[0]))


def _curves(a: np.ndarray, b: np.ndarray, ra: np.ndarray, rb: np.ndarray, bow: float = BOW
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start, control and end points of the curves from centres a to centres b, radii ra and rb."""
    chord = b - a
    length = np.maximum(np.hypot(chord[:, 0], chord[:, 1]), 1e-9)[:, None]
    left = np.stack([chord[:, 1], -chord[:, 0]], axis=-1) / length  # y grows downward: (dy, -dx) is left
    control = (a + b) / 2 + left * bow * length
    return _towards(a, control, ra + 1.0), control, _towards(b, control, rb + 1.5)


def _towards(points: np.ndarray, aims: np.ndarray, distance: np.ndarray) -> np.ndarray:
    step = aims - points
    return points + step / np.maximum(np.hypot(step[:, 0], step[:, 1]), 1e-9)[:, None] * distance[:, None]


def _curve_points(a: np.ndarray, b: np.ndarray, ra: np.ndarray, rb: np.ndarray, samples: int = 8) -> np.ndarray:
    """[curve, point]: points along each curve, start to end."""
    start, control, end = _curves(a, b, ra, rb)
    t = np.linspace(0.0, 1.0, samples + 1)[None, :, None]
    return (1 - t) ** 2 * start[:, None] + 2 * (1 - t) * t * control[:, None] + t ** 2 * end[:, None]


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
    candidates = {node for pair in counts for node in pair if has_letter(names[node])}
    while True:
        chosen = set(_ranked(counts, names, candidates)[:max(top, 0)])
        linked = {node for pair in counts if set(pair) <= chosen for node in pair}
        if linked == chosen:
            return _ranked(counts, names, chosen)  # counting only claims among the chosen
        candidates -= chosen - linked  # an actor with no partner among the chosen cannot be shown


def _ranked(counts: dict[tuple[str, str], dict[str, int]], names: dict[str, str], members: set[str]) -> list[str]:
    """The members, most claims to or from other members first, ties by name, then id."""
    total = dict.fromkeys(members, 0)
    for (u, v), acts in counts.items():
        if u in members and v in members:
            total[u] += sum(acts.values())
            total[v] += sum(acts.values())
    return sorted(members, key=lambda node: (-total[node], names[node].casefold(), node))


def has_letter(name: str) -> bool:
    """Whether a name has a letter: one without ("--", "2015") is extraction junk, not an actor."""
    return _LETTER.search(name) is not None


_LETTER = re.compile(r"[^\W\d_]")


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
    directed = np.zeros((n, n), dtype=bool)
    for u, v in counts:
        if u in index and v in index:
            directed[index[u], index[v]] = True
    canvas = _Canvas(width, height, font_size, claims, labels, directed)
    if canvas.crowded():
        return None
    best, failed = None, 0
    for seed in SEEDS:  # a few starts; the one whose labels fewest edges cross is kept
        arranged = _arrange(canvas, _spring(shown, weights, seed))
        if arranged is None:
            failed += 1
            if failed == 2 and best is None:
                break  # a canvas this full will not settle from any start
        else:
            xy, sides = arranged
            crossed = int(canvas.crossings(canvas.boxes(xy, sides), canvas.segments(xy)).sum())
            if best is None or crossed < best[0]:
                best = (crossed, xy, sides)
            if crossed == 0:
                break
    if best is None:  # no start settled: rows
        packed = canvas.shelves(_spring(shown, weights, SEEDS[0]))
        if packed is None:
            return None
        best = (0, packed[0], canvas.clear_of_edges(*packed))
    _, xy, sides = best
    boxes = canvas.boxes(xy, sides)
    placed = []
    for i, node in enumerate(shown):
        lx, ly = canvas.anchor(boxes[i], int(sides[i]))
        placed.append(PlacedActor(
            id=node, name=names[node], label=labels[i], x=_round(xy[i, 0]), y=_round(xy[i, 1]),
            r=_round(canvas.r[i]), label_x=_round(lx), label_y=_round(ly), anchor=_ANCHORS[sides[i]],
            claims=int(claims[i]),
        ))
    return tuple(placed)


def _arrange(canvas: _Canvas, start: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Positions and label sides without overlaps from a force-directed start, or None if they
    do not settle: labels choose their sides and actors are nudged apart until nothing overlaps.
    Then each label takes the free side that fewest edges cross."""
    xy = canvas.fit(start)
    sides = np.zeros(len(xy), dtype=int)
    fewest, since = len(xy) + 1, 0
    for round_ in range(_ROUNDS):
        sides = canvas.choose_sides(xy, sides)
        pushes = canvas.pushes(xy, sides)
        if pushes is None:
            return xy, canvas.clear_of_edges(xy, sides)
        move, involved = pushes
        fewest, since = (int(involved.sum()), 0) if involved.sum() < fewest else (fewest, since + 1)
        if since > _PATIENCE:
            return None
        moved = canvas.clamp(xy + move, sides)
        if np.abs(moved - xy).max() < 0.05:  # pushes that cancel out: kick the actors involved
            moved = canvas.clamp(xy + involved[:, None] * canvas.kicks(round_), sides)
        xy = moved
    return None


def _round(value: float) -> float:
    return round(float(value), 2)


def _spring(shown: list[str], weights: np.ndarray, seed: int) -> np.ndarray:
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
    pos = nx.spring_layout(graph, weight="weight", seed=seed, iterations=200, k=1.6 / math.sqrt(n))
    return np.array([pos[i] for i in range(n)], dtype=float)



class _Canvas:
    """The geometry of one layout: circles, label boxes, their overlaps and the canvas's bounds.
    Positions are an (n, 2) array, sides an (n,) array of indices into _SIDES."""

    def __init__(self, width: float, height: float, font_size: float, claims: np.ndarray, labels: list[str],
                 directed: np.ndarray):
        self.width, self.height = float(width), float(height)
        self.margin = max(4.0, 0.5 * font_size)
        self.gap = 0.3 * font_size  # between a circle and its label
        self.pad = 0.25 * font_size  # kept clear around every label
        self.spacing = 1.2 * font_size  # between two circles: room for an arrow head
        # around a circle many arrows meet at, room for their heads to be told apart
        self.room = self.spacing * (1 + ROOM * np.sqrt(np.count_nonzero(directed | directed.T, axis=1)))
        self.sources, self.targets = np.nonzero(directed)
        r_min, r_max = 0.4 * font_size, max(0.4 * font_size, min(2.0 * font_size, min(width, height) / 20))
        self.r = r_min + (r_max - r_min) * np.sqrt(claims / claims.max())
        self.w = np.array([label_size(label, font_size)[0] for label in labels])
        self.h = LINE_HEIGHT * font_size
        self.others = ~np.eye(len(labels), dtype=bool)

    # --- boxes

    def every_box(self, xy: np.ndarray) -> np.ndarray:
        """[side, actor] → the actor's label box (left, top, right, bottom) on that side."""
        x, y, r, w, h, g = xy[:, 0], xy[:, 1], self.r, self.w, self.h, self.gap
        d = r / math.sqrt(2) + g / 2  # a diagonal label's corner, just off the circle
        return np.stack([
            np.stack([x + r + g, y - h / 2, x + r + g + w, y + h / 2], -1),  # right
            np.stack([x - r - g - w, y - h / 2, x - r - g, y + h / 2], -1),  # left
            np.stack([x - w / 2, y - r - g - h, x + w / 2, y - r - g], -1),  # above
            np.stack([x - w / 2, y + r + g, x + w / 2, y + r + g + h], -1),  # below
            np.stack([x + d, y - d - h, x + d + w, y - d], -1),  # upper right
            np.stack([x + d, y + d, x + d + w, y + d + h], -1),  # lower right
            np.stack([x - d - w, y - d - h, x - d, y - d], -1),  # upper left
            np.stack([x - d - w, y + d, x - d, y + d + h], -1),  # lower left
        ])

    def boxes(self, xy: np.ndarray, sides: np.ndarray) -> np.ndarray:
        """Every label's box, each on its actor's side."""
        return self.every_box(xy)[sides, np.arange(len(sides))]

    @staticmethod
    def anchor(box: np.ndarray, side: int) -> tuple[float, float]:
        """A label's anchor: where SVG's text-anchor and dominant-baseline="middle" put its box."""
        x = {"start": box[0], "middle": (box[0] + box[2]) / 2, "end": box[2]}[_ANCHORS[side]]
        return float(x), float((box[1] + box[3]) / 2)

    # --- placement

    def fit(self, pos: np.ndarray) -> np.ndarray:
        """The force-directed positions, evened out, stretched over the canvas clear of its
        margins; a small graph only as far as SPREAD, in the middle."""
        if len(pos) == 1:
            return np.array([[self.width / 2, self.height / 2]])
        xy = _even(pos)
        xy = xy - xy.min(axis=0)
        span = xy.max(axis=0)
        span[span == 0] = 1.0
        lo = np.array([self.margin + self.r.max() + 0.5 * float(np.median(self.w)),
                       self.margin + self.r.max() + self.h])
        room = np.maximum(np.array([self.width, self.height]) - 2 * lo, 1.0)
        size = np.minimum(room, SPREAD * self.h / LINE_HEIGHT * math.sqrt(len(pos)))
        return lo + (room - size) / 2 + xy / span * size

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

    def segments(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """[edge, piece]: the starts and ends of short straight pieces along every edge's curve."""
        points = _curve_points(xy[self.sources], xy[self.targets], self.r[self.sources], self.r[self.targets])
        return points[:, :-1], points[:, 1:]

    def crossings(self, boxes: np.ndarray, segments: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """How many edges cross each box: only edges whose bounds meet the box are clipped."""
        starts, ends = segments
        lo, hi = np.minimum(starts, ends).min(axis=1), np.maximum(starts, ends).max(axis=1)  # [edge, xy]
        near = ((lo[None, :, 0] <= boxes[:, None, 2]) & (hi[None, :, 0] >= boxes[:, None, 0])
                & (lo[None, :, 1] <= boxes[:, None, 3]) & (hi[None, :, 1] >= boxes[:, None, 1]))
        box, edge = np.nonzero(near)
        crossed = _crosses(boxes[box][:, None, :], starts[edge], ends[edge]).any(axis=1)
        return np.bincount(box, weights=crossed, minlength=len(boxes))

    def choose_sides(self, xy: np.ndarray, sides: np.ndarray) -> np.ndarray:
        """Each label's side, most claims first: the side whose box overlaps least of the other
        labels, the other circles, the margins and the edges, in the order of _SIDES when equal,
        and the current side kept unless another does clearly better (no flip-flopping)."""
        sides = sides.copy()
        every = self.every_box(xy)
        crossed = self.crossings(every.reshape(-1, 4), self.segments(xy)).reshape(every.shape[:2])
        boxes = every[sides, np.arange(len(sides))]
        p, m = self.pad, self.margin
        for i in range(len(sides)):
            mine = every[:, i]  # (side, 4)
            others = self.others[i]
            theirs = boxes[others]
            ox = np.minimum(mine[:, None, 2], theirs[None, :, 2]) - np.maximum(mine[:, None, 0], theirs[None, :, 0]) + p
            oy = np.minimum(mine[:, None, 3], theirs[None, :, 3]) - np.maximum(mine[:, None, 1], theirs[None, :, 1]) + p
            labels = np.sum(np.maximum(ox, 0) * np.maximum(oy, 0), axis=1)
            centres = xy[others]
            nearest = np.clip(centres[None], mine[:, None, :2], mine[:, None, 2:])
            gap = np.hypot(*(centres[None] - nearest).transpose(2, 0, 1))
            circles = np.sum(np.maximum(self.r[others][None] + p - gap, 0), axis=1) * 2 * self.h
            outside = (np.maximum(m - mine[:, 0], 0) + np.maximum(mine[:, 2] - (self.width - m), 0)) * self.h \
                + (np.maximum(m - mine[:, 1], 0) + np.maximum(mine[:, 3] - (self.height - m), 0)) * self.w[i]
            cost = labels + circles + 4 * outside + EDGE_COST * self.h ** 2 * crossed[:, i]
            cost += 0.01 * self.h ** 2 * np.arange(len(_SIDES))  # the order of preference
            cost[sides[i]] -= 0.05 * self.h ** 2
            sides[i] = int(np.argmin(cost))
            boxes[i] = every[sides[i], i]
        return sides

    def overlap(self, xy: np.ndarray, sides: np.ndarray) -> bool:
        """Whether any label overlaps another label or another actor's circle, or two circles
        are too close."""
        return self.pushes(xy, sides) is not None

    def pushes(self, xy: np.ndarray, sides: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """How far to move each actor to undo the overlaps, and which actors overlap; None when
        none do. Two circles part along the line between them, two labels along the axis
        needing the shorter move, a label and another's circle along the line from the label's
        nearest point."""
        n = len(xy)
        if n < 2:
            return None
        boxes = self.boxes(xy, sides)
        others, p = self.others, self.pad
        move = np.zeros_like(xy)
        involved = np.zeros(n, dtype=bool)
        # two circles closer than their radii and the spacing
        d = xy[None, :, :] - xy[:, None, :]  # [i, j]: from i to j
        dist = np.hypot(d[..., 0], d[..., 1])
        need = np.where(others, self.r[:, None] + self.r[None, :] + (self.room[:, None] + self.room[None, :]) / 2
                        - dist, 0.0)
        hit = need > 0
        if hit.any():
            involved |= hit.any(axis=1)
            unit = np.where(dist[..., None] > 1e-9, d / np.maximum(dist, 1e-9)[..., None], _tie_directions(n))
            move -= np.sum(unit * ((need + 0.5) * hit)[..., None], axis=1) / 2
        # two labels, with the pad between them
        ox = np.minimum(boxes[:, None, 2], boxes[None, :, 2]) - np.maximum(boxes[:, None, 0], boxes[None, :, 0]) + p
        oy = np.minimum(boxes[:, None, 3], boxes[None, :, 3]) - np.maximum(boxes[:, None, 1], boxes[None, :, 1]) + p
        hit = others & (ox > 0) & (oy > 0)
        if hit.any():
            involved |= hit.any(axis=1)
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
            involved |= hit.any(axis=0) | hit.any(axis=1)
            inside = gap <= 1e-9  # a centre inside the box leaves by the box's nearest side
            outs = np.stack([xy[None, :, 0] - boxes[:, None, 0], boxes[:, None, 2] - xy[None, :, 0],
                             xy[None, :, 1] - boxes[:, None, 1], boxes[:, None, 3] - xy[None, :, 1]], -1)
            exits = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, -1.0], [0.0, 1.0]])[np.argmin(outs, axis=-1)]
            depth = np.where(inside, np.min(outs, axis=-1) + radius, radius - gap) + 0.5
            unit = np.where(inside[..., None], exits, away / np.maximum(gap, 1e-9)[..., None])
            push = unit * (depth * hit)[..., None]  # how far j moves away from i's label
            move += np.sum(push, axis=0) / 2
            move -= np.sum(push, axis=1) / 2
        return (move * 0.6, involved) if involved.any() else None

    def kicks(self, round_: int) -> np.ndarray:
        """A fixed step for each actor, a label's height long, its direction turning with the
        actor and the round, to break a deadlock of pushes that cancel out."""
        angle = (np.arange(len(self.r)) + round_) * _GOLDEN_ANGLE
        return np.stack([np.cos(angle), np.sin(angle)], axis=-1) * self.h

    def crowded(self) -> bool:
        """Whether the circles and labels, each with its pad, would cover more than CROWDED of
        the canvas: too many to settle without overlaps, and more than a reader takes in."""
        covered = (2 * self.r + self.gap + self.w + self.pad) * (np.maximum(2 * self.r, self.h) + self.pad)
        usable = max(self.width - 2 * self.margin, 0.0) * max(self.height - 2 * self.margin, 0.0)
        return float(covered.sum()) > CROWDED * usable

    def shelves(self, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """The fallback when nudging does not settle: actors in rows, labels to the right, in the
        order of their force-directed positions, with only the plain spacing between circles
        (the canvas keeps to it from then on); None when the rows do not fit the canvas."""
        n = len(pos)
        self.room = np.full(n, self.spacing)
        widths = 2 * self.r + self.gap + self.w + self.pad + self.spacing
        row = max(2 * float(self.r.max()) + self.spacing, self.h + self.pad)
        m = self.margin
        xy = np.zeros((n, 2))
        left, top = m, m
        for i in sorted(range(n), key=lambda i: (pos[i, 1], pos[i, 0])):
            if left > m and left + widths[i] - self.spacing > self.width - m:
                left, top = m, top + row
            xy[i] = [left + self.r[i], top + row / 2]
            left += widths[i]
        sides = np.zeros(n, dtype=int)
        if self.overlap(xy, sides) or not np.allclose(self.clamp(xy, sides), xy):
            return None
        return xy, sides

    def clear_of_edges(self, xy: np.ndarray, sides: np.ndarray) -> np.ndarray:
        """Each label moved to the side crossed by fewest edges, where it can go without any
        overlap and inside the margins."""
        sides = sides.copy()
        every = self.every_box(xy)
        crossed = self.crossings(every.reshape(-1, 4), self.segments(xy)).reshape(every.shape[:2])
        for i in range(len(sides)):
            boxes = every[sides, np.arange(len(sides))]
            best, best_cost = int(sides[i]), math.inf
            for s in range(len(_SIDES)):
                if s != sides[i] and not self.label_fits(i, every[s, i], xy, boxes):
                    continue
                cost = crossed[s, i] + 0.01 * s
                if cost < best_cost - 1e-9:
                    best, best_cost = s, cost
            sides[i] = best
        return sides

    def label_fits(self, i: int, box: np.ndarray, xy: np.ndarray, boxes: np.ndarray) -> bool:
        """Whether actor i's label could take this box: inside the margins, clear of the other
        labels and circles by the pad (what `pushes` asks of it)."""
        m, p, others = self.margin, self.pad, self.others[i]
        if box[0] < m or box[1] < m or box[2] > self.width - m or box[3] > self.height - m:
            return False
        theirs = boxes[others]
        ox = np.minimum(box[2], theirs[:, 2]) - np.maximum(box[0], theirs[:, 0]) + p
        oy = np.minimum(box[3], theirs[:, 3]) - np.maximum(box[1], theirs[:, 1]) + p
        if ((ox > 0) & (oy > 0)).any():
            return False
        return bool((_distance_to_box(xy[others], box) >= self.r[others] + p).all())


def _distance_to_box(points: np.ndarray, box: np.ndarray) -> np.ndarray:
    """How far each point is from the box (0 inside it)."""
    nearest = np.clip(points, box[:2], box[2:])
    return np.hypot(points[:, 0] - nearest[:, 0], points[:, 1] - nearest[:, 1])


def _even(pos: np.ndarray) -> np.ndarray:
    """The positions moved along their rays from the centre so that they fill a disc evenly:
    the k-th nearest of n at radius sqrt((k + 1/2) / n). A force-directed layout packs a hub and
    its partners tight and leaves the edges empty; this keeps its directions, not its crowding."""
    n = len(pos)
    centre = pos.mean(axis=0)
    away = pos - centre
    dist = np.hypot(away[:, 0], away[:, 1])
    radius = np.empty(n)
    radius[np.argsort(dist, kind="stable")] = np.sqrt((np.arange(n) + 0.5) / n)
    radius = EVEN * radius + (1 - EVEN) * dist / max(float(dist.max()), 1e-9)
    unit = np.where(dist[:, None] > 1e-9, away / np.maximum(dist, 1e-9)[:, None], [1.0, 0.0])
    return unit * radius[:, None]


def _tie_directions(n: int) -> np.ndarray:
    """Fixed unit vectors [i, j], from i towards j, to part actors at one point."""
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    low, high = np.minimum(i, j), np.maximum(i, j)
    angle = ((low * 7 + high * 13) % 360 + np.where(i < j, 0, 180)) * math.pi / 180
    return np.stack([np.cos(angle), np.sin(angle)], axis=-1)


def _crosses(box: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether each segment a–b (arrays of points) passes through the box (Liang–Barsky clipping)."""
    d = b - a
    shape = np.broadcast_shapes(a.shape[:-1], box.shape[:-1])
    t0, t1, clear = np.zeros(shape), np.ones(shape), np.zeros(shape, dtype=bool)
    for p, q in ((-d[..., 0], a[..., 0] - box[..., 0]), (d[..., 0], box[..., 2] - a[..., 0]),
                 (-d[..., 1], a[..., 1] - box[..., 1]), (d[..., 1], box[..., 3] - a[..., 1])):
        flat = np.abs(p) < 1e-12
        clear |= flat & (q < 0)  # parallel to this side and outside it
        t = np.where(flat, 0.0, q / np.where(flat, 1.0, p))
        t0 = np.where(~flat & (p < 0), np.maximum(t0, t), t0)
        t1 = np.where(~flat & (p > 0), np.minimum(t1, t), t1)
    return ~clear & (t0 <= t1)
