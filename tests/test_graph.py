"""The graph of who claimed what about whom, and its GraphML export."""

import networkx as nx
from hypothesis import given, settings, strategies as st

from claimx.graph import build_graph, read_graphml, write_graphml
from claimx.models import Claim, Entity, EntityRef, Extraction, Span, Speaker

HOSTILE = "ctl\x00\x01\x1f sur\ud800 <xml>&amp; ]]> \"q\" 'a' emoji 🧨 crlf\r\n end"


def extraction(doc_id, speaker="Ana Bell", kind="person", text="We agree."):
    ent = Entity(id="e0", name=speaker, kind=kind, aliases=(speaker,))
    target = Entity(id="e1", name="Port Authority", kind="organization")
    claim = Claim(
        id="c0",
        content=Span(start=0, end=len(text), text=text),
        kind="direct",
        cue=Span(start=0, end=4, text="said"),
        speaker=Speaker(mention=Span(start=0, end=3, text="Ana"), name=speaker, entity_id="e0"),
        targets=(EntityRef(id="e1", name="Port Authority"),),
        confidence=0.9,
    )
    return Extraction(text=text, doc_id=doc_id, claims=(claim,), entities=(ent, target))


def test_graph_edges_run_speaker_said_claim_about_target():
    graph = build_graph([extraction("d1")])
    said = [(u, v) for u, v, d in graph.edges(data=True) if d["type"] == "said"]
    about = [(u, v) for u, v, d in graph.edges(data=True) if d["type"] == "about"]
    assert said == [("entity:ana bell", "claim:d1:c0")]
    assert about == [("claim:d1:c0", "entity:port authority")]
    assert graph.nodes["claim:d1:c0"]["act"] == "claim"


def test_graph_named_entities_merge_across_documents_unnamed_do_not():
    graph = build_graph([extraction("d1"), extraction("d2")])
    assert graph.nodes["entity:ana bell"]["docs"] == ["d1", "d2"]
    unnamed = build_graph([extraction("d1", "senior official", "unnamed"), extraction("d2", "senior official", "unnamed")])
    officials = [n for n, d in unnamed.nodes(data=True) if d.get("name") == "senior official"]
    assert len(officials) == 2


def test_graph_graphml_round_trips_hostile_text(tmp_path):
    graph = build_graph([extraction("d1", speaker=HOSTILE, text=HOSTILE)])
    before = nx.node_link_data(graph, edges="edges")
    path = write_graphml(graph, tmp_path / "g.graphml")
    assert nx.node_link_data(graph, edges="edges") == before  # the caller's graph is untouched
    back = read_graphml(path)
    assert back.number_of_nodes() == graph.number_of_nodes()
    texts = [d["text"] for _, d in back.nodes(data=True) if d.get("type") == "claim"]
    assert texts and "\x00" not in texts[0] and "]]>" in texts[0] and "🧨" in texts[0]
    assert not list(tmp_path.glob("*.tmp"))


def test_graph_graphml_flattens_lists_drops_none_and_unifies_types(tmp_path):
    graph = nx.MultiDiGraph()
    graph.add_node("a", tags=["x", "y"], missing=None, score=1)
    graph.add_node("b", score=2.5)
    graph.add_node("c", score="high")
    back = read_graphml(write_graphml(graph, tmp_path / "g.graphml"))
    assert back.nodes["a"]["tags"] == "x; y"
    assert "missing" not in back.nodes["a"]
    assert {type(back.nodes[n]["score"]) for n in back} == {str}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=20), st.sampled_from(["person", "unnamed", "organization"])), max_size=5))
def test_graph_graphml_always_valid(tmp_path_factory, people):
    docs = [extraction(f"d{i}", speaker=name or "x", kind=kind, text=name or "x") for i, (name, kind) in enumerate(people)]
    path = tmp_path_factory.mktemp("g") / "g.graphml"
    back = read_graphml(write_graphml(build_graph(docs), path))
    assert back.number_of_nodes() == build_graph(docs).number_of_nodes()
