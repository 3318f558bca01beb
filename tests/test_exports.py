"""Exports: every format round-trips hostile text, writes atomically, and leaves the graph alone."""

import csv
import io
import json

import networkx as nx
import pytest
from hypothesis import given, settings, strategies as st

from claimx import exports
from claimx.graph import build_graph
from claimx.models import Claim, Entity, EntityRef, Extraction, Span, Speaker

HOSTILE = "ctl\x00\x01\x1f sur\ud800 <xml>&amp; ]]> \"q\" 'a' emoji 🧨 crlf\r\n end"
GRAPH_FORMATS = [
    (exports.write_graphml, exports.read_graphml, "g.graphml"),
    (exports.write_gexf, exports.read_gexf, "g.gexf"),
    (exports.write_json, exports.read_json, "g.json"),
    (exports.write_cyjs, exports.read_cyjs, "g.cyjs"),
]


def extraction(text=HOSTILE, speaker=HOSTILE, doc_id="d1", kind="person"):
    claim = Claim(
        id="c0",
        content=Span(start=0, end=len(text), text=text),
        kind="direct",
        speaker=Speaker(mention=Span(start=0, end=1, text=text[:1]), name=speaker, entity_id="e0", entity_ids=("e0",)),
        targets=(EntityRef(id="e1", name="Port <Authority>"),),
    )
    entities = (Entity(id="e0", name=speaker, kind=kind, aliases=(speaker,)),
                Entity(id="e1", name="Port <Authority>", kind="organization"))
    return Extraction(text=text, doc_id=doc_id, claims=(claim,), entities=entities)


@pytest.mark.parametrize("write, read, name", GRAPH_FORMATS, ids=["graphml", "gexf", "json", "cyjs"])
def test_exports_graph_formats_round_trip_hostile_text(tmp_path, write, read, name):
    graph = build_graph([extraction()])
    before = nx.node_link_data(graph, edges="edges")
    path = write(graph, tmp_path / name)
    assert nx.node_link_data(graph, edges="edges") == before  # the caller's graph is untouched
    back = read(path)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    text = next(d["text"] for _, d in back.nodes(data=True) if d.get("type") == "claim")
    for piece in ("<xml>&amp;", "]]>", "🧨", '"q"'):
        assert piece in text
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


@pytest.mark.parametrize("write, read, name", GRAPH_FORMATS[2:], ids=["json", "cyjs"])
def test_exports_json_keeps_even_lone_surrogates(tmp_path, write, read, name):
    path = write(build_graph([extraction()]), tmp_path / name)
    path.read_bytes().decode("utf-8")  # valid UTF-8 throughout
    text = next(d["text"] for _, d in read(path).nodes(data=True) if d.get("type") == "claim")
    assert text == HOSTILE


def test_exports_cyjs_gives_every_element_its_own_id(tmp_path):
    graph = build_graph([extraction(doc_id="a"), extraction(doc_id="b")])  # "said" and "about" twice each
    data = json.loads(exports.write_cyjs(graph, tmp_path / "g.cyjs").read_text(encoding="utf-8"))
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    ids = [e["data"]["id"] for e in nodes + edges]
    assert len(ids) == len(set(ids)) == graph.number_of_nodes() + graph.number_of_edges()
    assert {e["data"]["source"] for e in edges} | {e["data"]["target"] for e in edges} <= set(ids[:len(nodes)])
    assert "claim:a:c0->entity:port <authority>:about" in ids
    back = nx.cytoscape_graph(data)
    assert sorted(back.edges(keys=True)) == sorted(graph.edges(keys=True))


@pytest.mark.parametrize("write, read, name", GRAPH_FORMATS[:2], ids=["graphml", "gexf"])
def test_exports_xml_drops_only_what_xml_forbids(tmp_path, write, read, name):
    path = write(build_graph([extraction()]), tmp_path / name)
    text = next(d["text"] for _, d in read(path).nodes(data=True) if d.get("type") == "claim")
    # controls and the lone surrogate go; CR stays (written &#13;, which no parser turns into LF)
    assert text == "ctl sur <xml>&amp; ]]> \"q\" 'a' emoji 🧨 crlf\r\n end"


def test_exports_gexf_keeps_claimx_attributes_apart_from_gexf_own(tmp_path):
    graph = build_graph([extraction()])
    text = exports.write_gexf(graph, tmp_path / "g.gexf").read_text(encoding="utf-8")
    assert 'mode="static"' in text and 'title="start_"' in text and 'title="type_"' in text
    back = exports.read_gexf(tmp_path / "g.gexf")
    claim = next(n for n, d in graph.nodes(data=True) if d["type"] == "claim")
    assert {k: back.nodes[claim][k] for k in ("start", "end", "type")} == {"start": 0, "end": len(HOSTILE), "type": "claim"}
    assert "label" not in back.nodes[claim]
    assert sorted(d["type"] for *_, d in back.edges(data=True)) == ["about", "contains", "said"]


@pytest.mark.parametrize("write, read, name", GRAPH_FORMATS[:2] + GRAPH_FORMATS[3:], ids=["graphml", "gexf", "cyjs"])
def test_exports_names_one_id_in_the_file_are_numbered_apart(tmp_path, write, read, name):
    graph = nx.MultiDiGraph()
    graph.add_edge("n\x00", "n")
    graph.add_edge(1, "1")
    with pytest.warns(UserWarning, match="numbered apart"):
        back = read(write(graph, tmp_path / name))
    assert back.number_of_nodes() == 4 and back.number_of_edges() == 2


def test_exports_ids_are_the_same_on_every_run(tmp_path):
    docs = [extraction(doc_id="a"), extraction(text="Plain “quoted” text.", doc_id="a")]
    with pytest.warns(UserWarning):
        first, second = build_graph(docs), build_graph(docs)
    for write, name in [(exports.write_graphml, "g.graphml"), (exports.write_cyjs, "g.cyjs"), (exports.write_json, "g.json")]:
        assert write(first, tmp_path / f"1{name}").read_bytes() == write(second, tmp_path / f"2{name}").read_bytes()


def test_exports_graphml_flattens_lists_drops_none_and_unifies_types(tmp_path):
    graph = nx.MultiDiGraph()
    graph.add_node("a", tags=["x", "y"], missing=None, score=1)
    graph.add_node("b", score=2.5)
    graph.add_node("c", score="high")
    back = exports.read_graphml(exports.write_graphml(graph, tmp_path / "g.graphml"))
    assert back.nodes["a"]["tags"] == "x; y"
    assert "missing" not in back.nodes["a"]
    assert {type(back.nodes[n]["score"]) for n in back} == {str}


def test_exports_written_files_follow_the_umask(tmp_path):
    import os
    import stat

    path = exports.write_graphml(build_graph([extraction()]), tmp_path / "g.graphml")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_exports_jsonl_documents_round_trip(tmp_path):
    docs = [extraction(doc_id="a"), extraction(text="Plain “quoted” text.", doc_id="b")]
    path = exports.write_jsonl(docs, tmp_path / "d.jsonl", text=True)
    assert list(exports.read_jsonl(path)) == docs
    without_text = list(exports.read_jsonl(exports.write_jsonl(docs, tmp_path / "e.jsonl")))
    assert [d.claims for d in without_text] == [d.claims for d in docs]


def test_exports_claim_rows_as_jsonl_and_csv(tmp_path):
    docs = [extraction(), extraction(text="a, \"b\"\r\nc", doc_id="d2")]
    rows = list(exports.read_claims_jsonl(exports.write_claims_jsonl(docs, tmp_path / "c.jsonl")))
    assert [r["doc"] for r in rows] == ["d1", "d2"] and rows[0]["content"] == HOSTILE
    table = exports.read_claims_csv(exports.write_claims_csv(docs, tmp_path / "c.csv"))
    assert [r["content"] for r in table] == [HOSTILE.replace("\ud800", "\ufffd"), "a, \"b\"\r\nc"]
    assert table[0]["targets"] == "Port <Authority>"
    assert list(table[0]) == list(exports.CLAIM_FIELDS)


FORMULAS = ["=HYPERLINK(\"http://x.test\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "'=already", "''+two"]


def test_exports_csv_cells_a_spreadsheet_would_run_are_quoted(tmp_path):
    docs = [extraction(text=text, speaker=text, doc_id=text) for text in FORMULAS]
    docs.append(extraction(text="it's 'fine'", speaker="Ana", doc_id="-"))
    path = exports.write_claims_csv(docs, tmp_path / "c.csv")
    with open(path, encoding="utf-8", newline="") as stream:
        raw = list(csv.DictReader(stream))
    for row, text in zip(raw, FORMULAS):
        assert row["content"] == row["speaker"] == row["doc"] == "'" + text  # a spreadsheet shows it as text
        assert (row["start"], row["end"], row["confidence"]) == ("0", str(len(text)), "1.0")  # numbers stay numbers
    assert (raw[-1]["content"], raw[-1]["doc"]) == ("it's 'fine'", "'-")
    table = exports.read_claims_csv(path)
    assert [r["content"] for r in table] == [*FORMULAS, "it's 'fine'"]  # the reader takes the quote off
    assert [r["doc"] for r in table][-1] == "-"


def test_exports_dash_writes_to_stdout(capsys):
    exports.write_claims_jsonl([extraction(text="plain", speaker="Ana")], "-")
    assert json.loads(capsys.readouterr().out)["speaker"] == "Ana"


def test_exports_bad_jsonl_names_file_and_line(tmp_path):
    from claimx.errors import InputError

    path = tmp_path / "bad.jsonl"
    path.write_text('{"doc_id": "a", "claims": [], "entities": []}\n{not json\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"\[E110\].*bad.jsonl line 2"):
        list(exports.read_jsonl(path))


_NAMES = st.text(max_size=25)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(_NAMES, _NAMES, st.sampled_from(["person", "unnamed", "organization", "place"])), max_size=6))
def test_exports_graphml_always_valid(tmp_path_factory, rows):
    docs = [extraction(text=text or "x", speaker=name or "x", doc_id=f"d{i}", kind=kind)
            for i, (text, name, kind) in enumerate(rows)]
    graph = build_graph(docs)
    folder = tmp_path_factory.mktemp("g")
    back = exports.read_graphml(exports.write_graphml(graph, folder / "g.graphml"))
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    gexf = exports.read_gexf(exports.write_gexf(graph, folder / "g.gexf"))
    assert gexf.number_of_nodes() == graph.number_of_nodes()


def test_exports_documents_json_round_trip(tmp_path):
    docs = [extraction(doc_id="a"), extraction(text="Plain text.", doc_id="b")]
    path = exports.write_documents_json(docs, tmp_path / "d.json", text=True)
    assert exports.read_documents_json(path) == docs


@pytest.mark.parametrize("write, name", [(exports.write_graphml, "g.graphml"), (exports.write_gexf, "g.gexf")],
                         ids=["graphml", "gexf"])
def test_exports_xml_edge_ids_are_unique_for_a_second_reader(tmp_path, write, name):
    import xml.etree.ElementTree as ET

    graph = build_graph([extraction(doc_id="a"), extraction(doc_id="b")])  # "said" and "about" twice each
    root = ET.parse(write(graph, tmp_path / name)).getroot()
    edges = [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "edge"]
    nodes = {n.get("id") for n in root.iter() if n.tag.rsplit("}", 1)[-1] == "node"}
    assert len(edges) == graph.number_of_edges()
    assert len({e.get("id") for e in edges}) == len(edges)  # Gephi keeps one edge per id
    assert all(e.get("source") in nodes and e.get("target") in nodes for e in edges)
