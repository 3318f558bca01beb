"""The graph of who claimed what about whom: building, merging and projecting it."""

import itertools
import re
import warnings

import networkx as nx
import pytest

from claimx.graph import (actor_graph, actor_summary, build_graph, finish_graph, full_names, merge_full_names,
                          merge_graphs, partial_graph)
from claimx.models import Claim, Entity, EntityRef, Extraction, Span, Speaker


def extraction(doc_id, speaker="Ana Bell", kind="person", text="We agree.", act="claim", target="Port Authority"):
    ent = Entity(id="e0", name=speaker, kind=kind, aliases=(speaker,))
    entities = (ent, Entity(id="e1", name=target, kind="organization"))
    claim = Claim(
        id="c0",
        content=Span(start=0, end=len(text), text=text),
        kind="direct",
        act=act,
        cue=Span(start=0, end=4, text="said"),
        speaker=Speaker(mention=Span(start=0, end=3, text="Ana"), name=speaker, entity_id="e0", entity_ids=("e0",)),
        targets=(EntityRef(id="e1", name=target),),
        confidence=0.9,
    )
    return Extraction(text=text, doc_id=doc_id, claims=(claim,), entities=entities)


def test_graph_edges_run_speaker_said_claim_about_target():
    graph = build_graph([extraction("d1")])
    said = [(u, v) for u, v, d in graph.edges(data=True) if d["type"] == "said"]
    about = [(u, v) for u, v, d in graph.edges(data=True) if d["type"] == "about"]
    assert said == [("entity:ana bell", "claim:d1:c0")]
    assert about == [("claim:d1:c0", "entity:port authority")]
    claim = graph.nodes["claim:d1:c0"]
    assert (claim["type"], claim["act"], claim["doc"], claim["confidence"]) == ("claim", "claim", "d1", 0.9)


def test_graph_entity_nodes_carry_scalar_attributes():
    node = build_graph([extraction("d1"), extraction("d2")]).nodes["entity:ana bell"]
    assert node == {"type": "entity", "name": "Ana Bell", "kind": "person", "kb_id": "", "mentions": 2,
                    "aliases": "Ana Bell", "docs": "d1; d2", "n_docs": 2}


def test_graph_named_entities_merge_across_documents_unnamed_do_not():
    graph = build_graph([extraction("d1"), extraction("d2")])
    assert graph.nodes["entity:ana bell"]["n_docs"] == 2
    unnamed = build_graph([extraction("d1", "senior official", "unnamed"), extraction("d2", "senior official", "unnamed")])
    assert len([n for n, d in unnamed.nodes(data=True) if d.get("name") == "senior official"]) == 2


def test_graph_surname_alone_joins_its_one_full_name():
    graph = build_graph([extraction("d1", "Ana Bell"), extraction("d2", "Bell")])
    assert graph.nodes["entity:ana bell"]["n_docs"] == 2
    two_bells = build_graph([extraction("d1", "Ana Bell"), extraction("d2", "Tom Bell"), extraction("d3", "Bell")])
    assert "entity:bell" in two_bells  # ambiguous: Bell stays its own node


def test_graph_a_surname_met_first_still_gives_the_node_its_full_name():
    graph = build_graph([extraction("d1", "Bell"), extraction("d2", "Ana Bell")])
    assert graph.nodes["entity:ana bell"]["name"] == "Ana Bell"
    merged = merge_graphs([partial_graph([("d1", extraction("d1", "Bell"))], {"bell": {"ana bell"}}),
                           partial_graph([("d2", extraction("d2", "Ana Bell"))], {"bell": {"ana bell"}})])
    assert merged.nodes["entity:ana bell"]["name"] == "Ana Bell"


def test_graph_documents_without_ids_are_numbered():
    graph = build_graph([extraction(None), extraction(None)])
    assert {d["doc"] for _, d in graph.nodes(data=True) if d["type"] == "claim"} == {"doc0", "doc1"}


def test_graph_actor_projection_and_summary():
    graph = build_graph([extraction("d1"), extraction("d2", act="accusation"), extraction("d3", act="accusation")])
    actors = actor_graph(graph)
    edges = sorted(actors.edges(keys=True, data=True))
    assert [(u, v, k, d["act"]) for u, v, k, d in edges] == [
        ("entity:ana bell", "entity:port authority", "claim:d1:c0", "claim"),
        ("entity:ana bell", "entity:port authority", "claim:d2:c0", "accusation"),
        ("entity:ana bell", "entity:port authority", "claim:d3:c0", "accusation"),
    ]
    summary = actor_summary(graph)
    edge = summary.edges["entity:ana bell", "entity:port authority"]
    assert (edge["weight"], edge["acts"], edge["n_accusation"]) == (3, "accusation: 2; claim: 1", 2)


def test_graph_of_the_seeds_merges_people_across_articles(nlp):
    from pathlib import Path

    import claimx

    seeds = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
    results = list(claimx.extract_many([(p.read_text(encoding="utf-8"), p.name) for p in seeds], nlp=nlp))
    graph = build_graph(results)
    people = [d for _, d in graph.nodes(data=True) if d["type"] == "entity" and d["kind"] == "person"]
    names = [d["name"] for d in people]
    assert len(names) == len(set(names))  # one node per person
    speakers = [n for n, d in graph.nodes(data=True) if d["type"] == "entity"]
    busiest = max(speakers, key=lambda n: sum(1 for _, _, k in graph.out_edges(n, keys=True) if k == "said"))
    docs = {graph.nodes[c]["doc"] for _, c, k in graph.out_edges(busiest, keys=True) if k == "said"}
    assert len(docs) >= 3  # the most-quoted speaker is one node holding claims from several articles


def test_graph_name_particles_do_not_split_a_person():
    graph = build_graph([extraction("d1", "Leila al-Hadi"), extraction("d2", "Leila Hadi"), extraction("d3", "al-Hadi")])
    people = [d for _, d in graph.nodes(data=True) if d["type"] == "entity" and d["kind"] == "person"]
    assert [(d["name"], d["n_docs"]) for d in people] == [("Leila al-Hadi", 3)]


def test_graph_acronym_an_article_defined_joins_its_expansion():
    defined = extraction("d1", target="Northern Farmers Union")
    defined = defined.model_copy(update={"entities": (
        defined.entities[0], Entity(id="e1", name="Northern Farmers Union", kind="organization",
                                    aliases=("Northern Farmers Union", "NFU")))})
    graph = build_graph([defined, extraction("d2", target="NFU")])
    assert "entity:nfu" not in graph
    assert graph.nodes["entity:northern farmers union"]["n_docs"] == 2
    assert "entity:nfu" in build_graph([extraction("d2", target="NFU")])  # undefined: its own node


def test_graph_edges_are_keyed_by_their_type_alone():
    graph = build_graph([extraction("d1"), extraction("d2")])
    assert sorted(graph.edges(keys=True)) == [
        ("claim:d1:c0", "entity:port authority", "about"), ("claim:d2:c0", "entity:port authority", "about"),
        ("document:d1", "claim:d1:c0", "contains"), ("document:d2", "claim:d2:c0", "contains"),
        ("entity:ana bell", "claim:d1:c0", "said"), ("entity:ana bell", "claim:d2:c0", "said")]


def test_graph_documents_sharing_an_id_are_numbered_apart():
    docs = [extraction("d"), extraction("d", "senior official", "unnamed"), extraction("d\x00"), extraction("d#2"),
            extraction("d", "senior official", "unnamed")]
    renamed = "'d' is 'd#2', 'd\\x00' is 'd#3', 'd#2' is 'd#2#2', 'd' is 'd#4'"
    with pytest.warns(UserWarning, match=re.escape(renamed)):
        graph = build_graph(docs)
    claims = [n for n, d in graph.nodes(data=True) if d["type"] == "claim"]
    assert claims == ["claim:d:c0", "claim:d#2:c0", "claim:d#3:c0", "claim:d#2#2:c0", "claim:d#4:c0"]
    assert [graph.nodes[n]["doc"] for n in claims] == ["d", "d#2", "d#3", "d#2#2", "d#4"]
    assert graph.nodes["entity:ana bell"]["docs"] == "d; d#3; d#2#2"
    officials = [n for n, d in graph.nodes(data=True) if d.get("name") == "senior official"]
    assert officials == ["entity:d#2:e0", "entity:d#4:e0"]  # unnamed sources of two documents stay two
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        build_graph([extraction("d1"), extraction("d2"), extraction(None)])  # distinct ids: no warning


def test_graph_built_in_parts_numbers_repeated_ids_as_in_one():
    """The partial/merge path of claimx.cluster: any split into consecutive parts, merged in
    groups, gives build_graph's graph, repeats numbered in corpus order."""
    docs = [extraction("d"), extraction("d#2", "Bell"), extraction("d", "senior official", "unnamed"),
            extraction("d\x00", "Ana Bell"), extraction("e"), extraction("d")]
    pairs = [(d.doc_id, d) for d in docs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = build_graph(docs)
        for i, j in itertools.combinations_with_replacement(range(len(docs) + 1), 2):
            parts = [pairs[:i], pairs[i:j], pairs[j:]]
            names = merge_full_names(full_names(part) for part in parts)
            graphs = [partial_graph(part, names) for part in parts]
            merged = finish_graph(merge_graphs([merge_graphs(graphs[:2]), merge_graphs(graphs[2:])]))
            assert nx.utils.graphs_equal(merged, whole) and merged.nodes(data=True) == whole.nodes(data=True)
            assert list(merged.edges(keys=True)) == list(whole.edges(keys=True))
