"""The picture of who claimed what about whom, and the example that draws it for the seeds."""

import subprocess
import sys
from pathlib import Path

import networkx as nx

import claimx

ROOT = Path(__file__).resolve().parent.parent
TEXT = "Mayor Elena Ruiz defended the budget on Monday.\n\n“The bridge <will> reopen,” Ruiz said of Denmark & Sweden."


def test_drawing_picture_is_written(tmp_path, extract):
    graph = extract(TEXT, doc_id="d1").graph()
    path = claimx.draw_actor_graph(graph, tmp_path / "a.svg")
    assert "<svg" in path.read_text(encoding="utf-8")


def test_drawing_example_writes_graph_picture_and_page(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "seeds_graph.py"), str(ROOT / "seeds"), str(tmp_path)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    graph = nx.read_graphml(tmp_path / "seeds.graphml")
    assert sum(d["type"] == "claim" for _, d in graph.nodes(data=True)) > 40
    assert (tmp_path / "seeds.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "seeds.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# --- the layout, on an actor graph built here (invented names)

from collections import Counter  # noqa: E402

import pytest  # noqa: E402

from claimx.graph import actor_summary  # noqa: E402
from claimx.layout import CHAR_WIDTH, LINE_HEIGHT, MAX_LABEL, actor_layout, edge_curve, short_label  # noqa: E402

PEOPLE = ["Ana Ruiz", "Tom Hale", "Lena Ortiz", "Paul Orme", "Karin Lund", "Omar Haddad", "Mia Chen", "Ivo Petrov",
          "Sara Nyberg", "Jon Ekdahl", "Rosa Quint", "Eli Varga", "Nora Falk", "Hugo Brandt", "Ida Moreau"]
BODIES = ["Northern Farmers Union", "Coastal Water Board", "Ministry of Rivers", "Harbour Workers League",
          "Federation of Independent Coastal Fishing Cooperatives and Allied Trades"]
ACTS = ["claim", "accusation", "denial", "warning", "claim", "report", "claim", "accusation"]


def _actors() -> nx.MultiDiGraph:
    """An actor graph of 20 named actors and three that must not be shown: one whose name has
    no letter, one with no claims, and an unnamed source with claims (which is shown)."""
    graph = nx.MultiDiGraph()
    names = PEOPLE + BODIES
    for name in names:
        graph.add_node(f"entity:{name.casefold()}", type="entity", name=name, kind="person")
    graph.add_node("entity:doc1:e9", type="entity", name="a ministry spokesman", kind="unnamed")
    graph.add_node("entity:--", type="entity", name="--", kind="unknown")
    graph.add_node("entity:idle", type="entity", name="Vera Idle", kind="person")
    ids = [f"entity:{name.casefold()}" for name in names]
    n = 0
    for i, speaker in enumerate(ids):
        for step in (1, 2, 5) if i < 8 else (1,):
            target = ids[(i + step) % len(ids)]
            for _ in range(1 + (i + step) % 3):
                graph.add_edge(speaker, target, key=f"claim:d:c{n}", act=ACTS[n % len(ACTS)])
                n += 1
    graph.add_edge("entity:doc1:e9", ids[0], key="claim:d:x1", act="denial")
    graph.add_edge("entity:--", ids[1], key="claim:d:x2", act="claim")
    return graph


def _box(actor, font_size: float) -> tuple[float, float, float, float]:
    """A label's box from the layout's estimate: CHAR_WIDTH of the font size a character."""
    width, height = len(actor.label) * CHAR_WIDTH * font_size, LINE_HEIGHT * font_size
    left = {"start": actor.label_x, "middle": actor.label_x - width / 2, "end": actor.label_x - width}[actor.anchor]
    return left, actor.label_y - height / 2, left + width, actor.label_y + height / 2


def _boxes_meet(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _box_meets_circle(box, actor) -> bool:
    nearest_x = min(max(actor.x, box[0]), box[2])
    nearest_y = min(max(actor.y, box[1]), box[3])
    return (actor.x - nearest_x) ** 2 + (actor.y - nearest_y) ** 2 < actor.r ** 2


@pytest.mark.parametrize("size", [(1000.0, 700.0, 12.0), (640.0, 420.0, 11.0)])
def test_drawing_layout_labels_overlap_nothing_and_stay_inside(size):
    width, height, font_size = size
    layout = actor_layout(_actors(), width=width, height=height, font_size=font_size)
    assert len(layout.actors) >= 12
    boxes = [_box(actor, font_size) for actor in layout.actors]
    for i, (actor, box) in enumerate(zip(layout.actors, boxes)):
        assert 0 <= box[0] and box[2] <= width and 0 <= box[1] and box[3] <= height, actor
        assert actor.r <= actor.x <= width - actor.r and actor.r <= actor.y <= height - actor.r, actor
        for j, other in enumerate(layout.actors):
            if i != j:
                assert not _boxes_meet(box, boxes[j]), (actor.label, other.label)
                assert not _box_meets_circle(box, other), (actor.label, other.label)
                assert (actor.x - other.x) ** 2 + (actor.y - other.y) ** 2 > (actor.r + other.r) ** 2


def test_drawing_layout_is_deterministic_and_top_limits_the_count():
    first, second = actor_layout(_actors()), actor_layout(_actors())
    assert first == second and repr(first) == repr(second)
    assert len(actor_layout(_actors(), top=5).actors) == 5
    claims = [actor.claims for actor in first.actors]
    assert claims == sorted(claims, reverse=True)
    assert first.actors[0].r > first.actors[-1].r


def test_drawing_layout_shows_no_junk_and_no_lone_actor():
    layout = actor_layout(_actors(), top=100)
    ids = {actor.id for actor in layout.actors}
    assert "entity:--" not in ids and "entity:idle" not in ids
    assert "entity:doc1:e9" in ids  # an unnamed source with claims is an actor like any other
    assert all(any(actor.id in (u, v) for u, v, *_ in layout.edges) for actor in layout.actors)


def test_drawing_layout_edges_are_among_shown_actors_and_count_every_claim():
    graph = _actors()
    layout = actor_layout(graph, top=12)
    ids = {actor.id for actor in layout.actors}
    assert len(ids) == 12
    assert all(u in ids and v in ids for u, v, *_ in layout.edges)
    assert len({(u, v, act) for u, v, act, _ in layout.edges}) == len(layout.edges)  # one edge per act
    expected = Counter((u, v, d["act"]) for u, v, d in graph.edges(data=True) if u in ids and v in ids)
    assert {(u, v, act): n for u, v, act, n in layout.edges} == expected
    for actor in layout.actors:
        assert actor.claims == sum(n for u, v, _, n in layout.edges if actor.id in (u, v))
    # a pair's first edge is its most frequent act
    first: dict = {}
    for u, v, act, n in layout.edges:
        first.setdefault((u, v), n)
        assert n <= first[u, v]


def test_drawing_layout_takes_an_actor_summary_as_well():
    graph = _actors()
    assert actor_layout(actor_summary(graph)) == actor_layout(graph)


def test_drawing_layout_of_a_claims_graph(extract):
    graph = extract(TEXT, doc_id="d1").graph()
    layout = actor_layout(graph)
    assert all(actor.name for actor in layout.actors)
    assert all(u != v for u, v, *_ in layout.edges)


def test_drawing_layout_of_nothing():
    assert actor_layout(nx.MultiDiGraph()).actors == ()
    assert actor_layout(_actors(), top=0).actors == ()


def test_drawing_layout_shortens_only_long_labels():
    layout = actor_layout(_actors(), top=100)
    labels = {actor.name: actor.label for actor in layout.actors}
    assert labels["Northern Farmers Union"] == "Northern Farmers Union"
    long = labels["Federation of Independent Coastal Fishing Cooperatives and Allied Trades"]
    assert long.endswith("…") and len(long) <= MAX_LABEL
    assert short_label("Ana\n Ruiz") == "Ana Ruiz"
    assert short_label("x" * 50).startswith("x" * (MAX_LABEL - 1))


def test_drawing_layout_a_crowded_canvas_shows_fewer_actors_without_overlaps():
    layout = actor_layout(_actors(), width=320.0, height=220.0)
    assert 0 < len(layout.actors) < 20
    boxes = [_box(actor, 12.0) for actor in layout.actors]
    assert not any(_boxes_meet(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_drawing_edge_curves_run_rim_to_rim_and_apart():
    layout = actor_layout(_actors(), top=6)
    at = {actor.id: actor for actor in layout.actors}
    u, v = next((u, v) for u, v, *_ in layout.edges)
    start, control, end = edge_curve(at[u], at[v])
    back = edge_curve(at[v], at[u])
    assert abs(((start[0] - at[u].x) ** 2 + (start[1] - at[u].y) ** 2) ** 0.5 - at[u].r) < 3
    assert abs(((end[0] - at[v].x) ** 2 + (end[1] - at[v].y) ** 2) ** 0.5 - at[v].r) < 3
    assert back[1] != control  # the way back bows to the other side


# --- the picture


def test_drawing_picture_is_the_same_file_each_time(tmp_path):
    graph = _actors()
    for suffix in ("png", "svg"):
        a = claimx.draw_actor_graph(graph, tmp_path / f"a.{suffix}", top=12)
        b = claimx.draw_actor_graph(graph, tmp_path / f"b.{suffix}", top=12)
        assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "a.png").read_bytes()[:4] == b"\x89PNG"


def test_drawing_picture_of_a_graph_with_no_claims(tmp_path):
    assert "<svg" in claimx.draw_actor_graph(nx.MultiDiGraph(), tmp_path / "empty.svg").read_text(encoding="utf-8")
