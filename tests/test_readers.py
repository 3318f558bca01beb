"""Every graph file read by a second, independent reader: what it finds must be what networkx finds.

GraphML is read by python-igraph (its C core, on libxml2). python-igraph has no GEXF reader, so a
GEXF file is parsed with xml.etree.ElementTree and the igraph graph built from that. A `.cyjs`
file is read as plain JSON and by `networkx.cytoscape_graph`. Each reading must give the same
nodes, edges and attributes (names, types, claim texts with their carriage returns, confidence)
as networkx's own, and every node and edge id in the file must be distinct.
"""

import json
import math
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import igraph
import networkx as nx
import pytest

import claimx
from claimx import exports
from claimx.graph import build_graph
from claimx.models import Claim, Entity, EntityRef, Extraction, Span, Speaker

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# Invented news: a CR inside a quote and CRLF between sentences, two speakers, one target.
ARTICLE = ("“Tom Dalby has misled the council.\rHe must resign,” said Ines Varga of the Northern Farmers Union.\r\n"
           "Dalby denied it.")


def hand_built(doc_id, text="Rates rise,\r she said.\r\nThen\rstop.", speaker="Tove Lindqvist"):
    """One claim whose text holds lone CRs and a CRLF, with a speaker and a target."""
    claim = Claim(
        id="c0", content=Span(start=0, end=len(text), text=text), kind="direct", act="warning",
        cue=Span(start=0, end=5, text=text[:5]), confidence=0.75,
        speaker=Speaker(mention=Span(start=0, end=3, text=text[:3]), name=speaker, entity_id="e0", entity_ids=("e0",)),
        targets=(EntityRef(id="e1", name="Harbour Board"),),
    )
    entities = (Entity(id="e0", name=speaker, kind="person", aliases=(speaker,)),
                Entity(id="e1", name="Harbour Board", kind="organization", aliases=("Harbour Board",)))
    return Extraction(text=text, doc_id=doc_id, claims=(claim,), entities=entities)


@pytest.fixture(scope="module")
def graph(extract):
    """Extracted and hand-built documents, two of them sharing the id "a"."""
    with pytest.warns(UserWarning, match="'a' is 'a#2'"):
        return build_graph([extract(ARTICLE, doc_id="a"), hand_built("b"), hand_built("a", speaker="Tove Brannock"),
                            extract(ARTICLE.replace("Ines Varga", "Mira Okafor"), doc_id="c")])


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def assert_distinct_ids(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    nodes = [e.get("id") for e in root.iter() if local(e.tag) == "node"]
    edges = [e.get("id") for e in root.iter() if local(e.tag) == "edge"]
    assert None not in edges
    assert len(set(nodes)) == len(nodes) and len(set(edges)) == len(edges)
    return root


def same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(a, b)
    return a == b


def assert_same_attributes(ours: dict, theirs: dict) -> None:
    """Every attribute networkx read is there, equal, in the second reader's."""
    for key, value in ours.items():
        assert same(theirs[key], value), (key, theirs[key], value)


def assert_as_networkx_reads(second: igraph.Graph, networkx_reading: nx.Graph, kind: str = "type") -> None:
    """The same nodes in the same order with the same attributes, and the same edges by their
    ends and `kind`."""
    assert second.vcount() == networkx_reading.number_of_nodes()
    assert second.ecount() == networkx_reading.number_of_edges()
    ids = [i.replace("&#38;", "&") for i in second.vs["id"]]  # how igraph 1.0 reads "&amp;" in an id
    assert ids == list(networkx_reading)
    for node, vertex in zip(ids, second.vs):
        assert_same_attributes(networkx_reading.nodes[node], vertex.attributes())
    theirs = Counter((ids[e.source], ids[e.target], e[kind]) for e in second.es)
    ours = Counter((u, v, d[kind]) for u, v, d in networkx_reading.edges(data=True))
    assert theirs == ours


def assert_claims_intact(reading: nx.Graph, graph: nx.MultiDiGraph) -> None:
    """Claim texts keep their CRs, so each still has length end − start."""
    claims = {n: d for n, d in graph.nodes(data=True) if d["type"] == "claim"}
    assert any("\r" in d["text"] for d in claims.values())
    for node, data in claims.items():
        read = reading.nodes[node]
        assert (read["text"], read["confidence"], read["type"]) == (data["text"], data["confidence"], "claim")
        assert len(read["text"]) == data["end"] - data["start"]


def igraph_from_gexf(path: Path) -> igraph.Graph:
    """An igraph graph from a GEXF file parsed by ElementTree: declared attribute types honoured."""
    root = ET.parse(path).getroot()
    graph_element = next(e for e in root.iter() if local(e.tag) == "graph")
    kinds = {"long": int, "integer": int, "double": float, "float": float, "string": str,
             "boolean": lambda v: v == "true"}
    declared = {}
    for attributes in (e for e in root.iter() if local(e.tag) == "attributes"):
        for a in attributes:
            declared[attributes.get("class"), a.get("id")] = (a.get("title"), kinds[a.get("type")])

    def values(element, cls):
        found = {}
        for v in (x for x in element.iter() if local(x.tag) == "attvalue"):
            title, kind = declared[cls, v.get("for")]
            found[title] = kind(v.get("value"))
        return found

    nodes = [e for e in root.iter() if local(e.tag) == "node"]
    edges = [e for e in root.iter() if local(e.tag) == "edge"]
    second = igraph.Graph(directed=graph_element.get("defaultedgetype") == "directed")
    second.add_vertices(len(nodes))
    index = {}
    for i, node in enumerate(nodes):
        index[node.get("id")] = i
        second.vs[i]["id"] = node.get("id")
        second.vs[i]["label"] = node.get("label")
        for key, value in values(node, "node").items():
            second.vs[i][key] = value
    second.add_edges([(index[e.get("source")], index[e.get("target")]) for e in edges])
    for j, edge in enumerate(edges):
        second.es[j]["id"] = edge.get("id")
        for key, value in values(edge, "edge").items():
            second.es[j][key] = value
    return second


def test_readers_igraph_reads_the_graphml_as_networkx_does(tmp_path, graph):
    path = exports.write_graphml(graph, tmp_path / "g.graphml")
    assert_distinct_ids(path)
    networkx_reading = nx.read_graphml(path, force_multigraph=True)
    second = igraph.Graph.Read_GraphML(str(path))
    # igraph 1.0 reports an edge's `id` wrongly (the vertex ids, in order), so the edge ids are
    # checked in the XML above, and here the edges by their ends and type.
    assert_as_networkx_reads(second, networkx_reading)
    assert_claims_intact(networkx_reading, graph)
    assert_claims_intact(exports.read_graphml(path), graph)


def test_readers_elementtree_reads_the_gexf_as_networkx_does(tmp_path, graph):
    path = exports.write_gexf(graph, tmp_path / "g.gexf")
    root = assert_distinct_ids(path)
    assert next(e for e in root.iter() if local(e.tag) == "graph").get("mode") == "static"  # no time spells
    assert {e.get("type") for e in root.iter() if local(e.tag) == "edge"} == {None}  # directed, the default
    second = igraph_from_gexf(path)
    networkx_reading = nx.read_gexf(path)
    assert second.es["id"] == [d["id"] for *_, d in networkx_reading.edges(data=True)]
    assert_as_networkx_reads(second, networkx_reading, kind="type_")  # GEXF's own `type` is a direction
    back = exports.read_gexf(path)
    assert_claims_intact(back, graph)
    assert {d["type"] for *_, d in back.edges(data=True)} == {"said", "about", "contains"}
    assert [graph.nodes[n]["start"] for n in graph if graph.nodes[n]["type"] == "claim"] == \
        [back.nodes[n]["start"] for n in graph if graph.nodes[n]["type"] == "claim"]


def test_readers_cyjs_as_json_and_as_networkx_reads_it(tmp_path, graph):
    path = exports.write_cyjs(graph, tmp_path / "g.cyjs")
    data = json.loads(path.read_text(encoding="utf-8"))
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    ids = [e["data"]["id"] for e in nodes + edges]
    assert len(ids) == len(set(ids))  # Cytoscape.js: one id space for nodes and edges
    assert {e["data"]["source"] for e in edges} | {e["data"]["target"] for e in edges} <= {n["data"]["id"] for n in nodes}
    reading = nx.cytoscape_graph(data)
    assert (reading.number_of_nodes(), reading.number_of_edges()) == (len(nodes), len(edges))
    assert (reading.number_of_nodes(), reading.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    for element in nodes:
        assert reading.nodes[element["data"]["id"]] == element["data"]
    assert Counter((e["data"]["source"], e["data"]["target"], e["data"]["type"]) for e in edges) == \
        Counter((u, v, d["type"]) for u, v, d in reading.edges(data=True))
    assert_claims_intact(reading, graph)
    assert_claims_intact(exports.read_cyjs(path), graph)


def test_readers_cr_anywhere_never_breaks_the_markup(tmp_path):
    graph = nx.MultiDiGraph(name="g\rname")
    graph.add_node("a\rb", **{"odd\rkey": "v\r1", "text": "\r"})
    graph.add_node("c", text="x\r\ny")
    graph.add_edge("a\rb", "c", key="k\r", note="e\r")
    for write in (exports.write_graphml, exports.write_gexf):
        path = write(graph, tmp_path / f"g.{write.__name__}")
        assert "\r" not in path.read_bytes().decode("utf-8")
        assert_distinct_ids(path)
    back = exports.read_graphml(tmp_path / "g.write_graphml")
    assert back.nodes["a\rb"] == {"odd\rkey": "v\r1", "text": "\r"} and back.nodes["c"]["text"] == "x\r\ny"
    assert [d["note"] for *_, d in back.edges(data=True)] == ["e\r"]
    second = igraph.Graph.Read_GraphML(str(tmp_path / "g.write_graphml"))
    assert second.vs["id"] == ["a\rb", "c"] and second.vs["text"] == ["\r", "x\r\ny"] and second.es["note"] == ["e\r"]
    gexf = exports.read_gexf(tmp_path / "g.write_gexf")
    assert gexf.nodes["a\rb"]["odd\rkey"] == "v\r1" and gexf.nodes["c"]["text"] == "x\r\ny"


def test_readers_a_simple_graph_gets_edge_ids_too(tmp_path, graph):
    summary = claimx.actor_summary(graph)  # a weighted DiGraph
    assert summary.number_of_edges() > 0
    for write in (exports.write_graphml, exports.write_gexf):
        assert_distinct_ids(write(summary, tmp_path / f"s.{write.__name__}"))
    second = igraph.Graph.Read_GraphML(str(tmp_path / "s.write_graphml"))
    reading = nx.read_graphml(tmp_path / "s.write_graphml", force_multigraph=True)
    assert sorted(second.es["weight"]) == sorted(d["weight"] for *_, d in reading.edges(data=True))
    assert sorted((second.vs[e.source]["id"], second.vs[e.target]["id"]) for e in second.es) == sorted(summary.edges())


def test_readers_the_seed_articles_through_every_graph_format(tmp_path, nlp):
    """Acceptance: the seed corpus, through the library, read back by a second reader."""
    seeds = sorted(SEEDS.glob("*.txt"))
    graph = build_graph(claimx.extract_many([(p.read_text(encoding="utf-8"), p.name) for p in seeds], nlp=nlp))
    assert graph.number_of_edges() > 0
    counts = (graph.number_of_nodes(), graph.number_of_edges())
    graphml = exports.write_graphml(graph, tmp_path / "seeds.graphml")
    assert_distinct_ids(graphml)
    second = igraph.Graph.Read_GraphML(str(graphml))
    assert (second.vcount(), second.ecount()) == counts
    assert_as_networkx_reads(second, nx.read_graphml(graphml, force_multigraph=True))
    gexf = exports.write_gexf(graph, tmp_path / "seeds.gexf")
    assert_distinct_ids(gexf)
    second = igraph_from_gexf(gexf)
    networkx_reading = nx.read_gexf(gexf)
    assert (second.vcount(), second.ecount()) == counts == (networkx_reading.number_of_nodes(),
                                                            networkx_reading.number_of_edges())
    cyjs = exports.write_cyjs(graph, tmp_path / "seeds.cyjs")
    data = json.loads(cyjs.read_text(encoding="utf-8"))
    ids = [e["data"]["id"] for group in data["elements"].values() for e in group]
    assert len(ids) == len(set(ids)) == sum(counts)
    reading = nx.cytoscape_graph(data)
    assert (reading.number_of_nodes(), reading.number_of_edges()) == counts
