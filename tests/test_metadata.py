"""Document metadata (outlet, published, url, title): from the caller or the files into the
Extraction, every table, the graph's outlet, document and statement nodes, and the report."""

import csv
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date

import igraph
import networkx as nx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pydantic import ValidationError

import claimx
from claimx import exports
from claimx.errors import ClaimxError
from claimx.graph import build_graph
from claimx.models import Claim, Entity, Extraction, Span, Speaker
from claimx.report import render_report
from claimx.statements import find_statements

# Two invented outlets print one invented quote by an invented speaker.
QUOTE = "The harbour will reopen in May,"
HERALD = f"The port board met on Tuesday. “{QUOTE}” said Ana Ruiz, the board's chair."
TIMES = f"“{QUOTE}” Ana Ruiz told reporters in Vellby."
CONTEXTS = [
    (HERALD, {"id": "herald-1", "outlet": "Bay Herald", "published": "2024-04-02", "url": "https://herald.example/1",
              "title": "Harbour to reopen"}),
    (TIMES, {"id": "times-1", "source": "Coast Times", "published": "2024-04-01T09:30:00+02:00", "title": " "}),
]


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "claimx", *args], capture_output=True, text=True, input=stdin)


def hand_built(doc_id, outlet=None, published=None, text=f"“{QUOTE}” said Ana Ruiz."):
    """One document whose one direct claim, by Ana Ruiz, is the invented quote."""
    start = text.index(QUOTE)
    claim = Claim(id="c0", content=Span(start=start, end=start + len(QUOTE), text=QUOTE), kind="direct",
                  speaker=Speaker(mention=Span(start=len(text) - 9, end=len(text) - 1, text="Ana Ruiz"),
                                  name="Ana Ruiz", entity_id="e0", entity_ids=("e0",)))
    return Extraction(text=text, doc_id=doc_id, outlet=outlet, published=published, claims=(claim,),
                      entities=(Entity(id="e0", name="Ana Ruiz", kind="person", aliases=("Ana Ruiz",)),))


@pytest.fixture(scope="module")
def results(nlp):
    return list(claimx.extract_many(CONTEXTS, nlp=nlp))


def test_metadata_through_extract_many(results, nlp, tmp_path):
    herald, times = results
    assert (herald.doc_id, herald.outlet, herald.published, herald.url, herald.title) == (
        "herald-1", "Bay Herald", "2024-04-02", "https://herald.example/1", "Harbour to reopen")
    assert (times.outlet, times.published, times.url, times.title) == (  # source is outlet; blank is not given
        "Coast Times", "2024-04-01T09:30:00+02:00", None, None)
    assert [c.speaker.name for r in results for c in r.claims] == ["Ana Ruiz", "Ana Ruiz"]
    assert list(claimx.extract_many(CONTEXTS, nlp=nlp, n_process=2)) == results
    path = exports.write_jsonl(results, tmp_path / "docs.jsonl")
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[0])["outlet"] == "Bay Herald"
    assert [r.model_copy(update={"text": ""}) for r in exports.read_jsonl(path)] == \
        [r.model_copy(update={"text": ""}) for r in results]
    one = claimx.extract(TIMES, nlp=nlp, doc_id="t", outlet="Coast Times", published="2024-04-01", title="Reopening")
    assert (one.outlet, one.published, one.url, one.title) == ("Coast Times", "2024-04-01", None, "Reopening")
    assert claimx.extract("", nlp=nlp, outlet="Bay Herald").outlet == "Bay Herald"


def test_metadata_a_bad_published_is_a_coded_error(nlp, tmp_path):
    with pytest.raises(ClaimxError, match=r"\[E170\] document 'x': published 'next May'") as raised:
        claimx.extract(TIMES, nlp=nlp, doc_id="x", published="next May")
    assert raised.value.code == "E170"
    with pytest.raises(ClaimxError, match=r"\[E170\] document 'texts\[1\]'"):
        list(claimx.extract_many([(TIMES, {"id": None}), (TIMES, {"published": "2024-13-01"})], nlp=nlp))
    with pytest.raises(ClaimxError, match=r"\[E001\] outlet must be str, not int"):
        claimx.extract(TIMES, nlp=nlp, outlet=7)
    with pytest.raises(ValidationError, match=r"\[E170\]"):
        Extraction(text="", doc_id="x", published="May")
    (tmp_path / "bad.jsonl").write_text('{"doc_id": "a"}\n{"doc_id": "b", "published": "soon"}\n', encoding="utf-8")
    with pytest.raises(ClaimxError, match=r"(?s)\[E110\] .*bad.jsonl line 2: .*\[E170\] document 'b'"):
        list(exports.read_jsonl(tmp_path / "bad.jsonl"))


def test_metadata_every_table_has_its_columns(results, tmp_path):
    assert exports.CLAIM_FIELDS[:5] == ("doc", "outlet", "published", "url", "title")
    rows = list(exports.claim_rows(results))
    assert [(r["doc"], r["outlet"], r["published"], r["url"]) for r in rows] == [
        ("herald-1", "Bay Herald", "2024-04-02", "https://herald.example/1"),
        ("times-1", "Coast Times", "2024-04-01T09:30:00+02:00", None)]
    back = exports.read_claims_csv(exports.write_claims_csv(results, tmp_path / "c.csv"))
    assert [(r["outlet"], r["published"], r["title"]) for r in back] == [
        ("Bay Herald", "2024-04-02", "Harbour to reopen"), ("Coast Times", "2024-04-01T09:30:00+02:00", "")]
    table = pq.read_table(exports.write_claims_parquet(results, tmp_path / "c.parquet"))
    assert table.column_names[:5] == ["doc", "outlet", "published", "url", "title"]
    assert table.column("url").to_pylist() == ["https://herald.example/1", None]
    documents = exports.write_documents_json(results, tmp_path / "d.json")
    assert [d["published"] for d in json.loads(documents.read_text(encoding="utf-8"))] == [
        "2024-04-02", "2024-04-01T09:30:00+02:00"]


def test_metadata_graph_outlets_publish_documents_that_contain_claims():
    docs = [hand_built("herald-1", "Bay Herald", "2024-04-02"), hand_built("times-1", "Coast Times", "2024-04-01"),
            hand_built("plain")]
    graph = build_graph(docs)
    assert graph.nodes["outlet:Bay Herald"] == {"type": "outlet", "name": "Bay Herald", "n_docs": 1}
    assert graph.nodes["document:herald-1"] == {"type": "document", "doc": "herald-1", "outlet": "Bay Herald",
                                                "published": "2024-04-02"}
    assert graph.nodes["document:plain"] == {"type": "document", "doc": "plain"}  # no None attributes
    assert graph.has_edge("outlet:Bay Herald", "document:herald-1", key="published")
    assert graph.has_edge("document:herald-1", "claim:herald-1:c0", key="contains")
    assert [v for _, v, k in graph.out_edges("document:plain", keys=True)] == ["claim:plain:c0"]
    assert {d["type"] for _, d in graph.nodes(data=True)} == {"outlet", "document", "entity", "claim", "statement"}
    for _, data in graph.nodes(data=True):
        assert all(isinstance(value, (str, int, float, bool)) for value in data.values())
    # an outlet's documents share its node; a document's repeated id is numbered apart
    with pytest.warns(UserWarning, match="'herald-1' is 'herald-1#2'"):
        twice = build_graph([docs[0], hand_built("herald-1", "Bay Herald")], statements=False)
    assert twice.nodes["outlet:Bay Herald"]["n_docs"] == 2
    assert set(twice.successors("outlet:Bay Herald")) == {"document:herald-1", "document:herald-1#2"}


def test_metadata_graph_statement_nodes_join_the_reports_of_one_quote():
    docs = [hand_built("herald-1", "Bay Herald", "2024-04-02"), hand_built("times-1", "Coast Times", "2024-04-01"),
            hand_built("plain")]
    graph = build_graph(docs)
    statements = [n for n, d in graph.nodes(data=True) if d["type"] == "statement"]
    assert len(statements) == 1
    node = statements[0]
    assert node == find_statements(docs)[0].statement_id and node.startswith("statement:")
    assert graph.nodes[node] == {"type": "statement", "speaker": "Ana Ruiz", "text": QUOTE, "n_reports": 3,
                                 "n_outlets": 2, "first_doc": "times-1", "first_published": "2024-04-01"}
    reports = sorted(u for u, _, k in graph.in_edges(node, keys=True) if k == "reports")
    assert reports == ["claim:herald-1:c0", "claim:plain:c0", "claim:times-1:c0"]
    assert all(graph.nodes[claim]["statement_id"] == node for claim in reports)
    assert not any(d["type"] == "statement" for _, d in build_graph(docs, statements=False).nodes(data=True))
    # the actors and their summary stay entity to entity
    assert all(d["type"] == "entity" for _, d in claimx.actor_graph(graph).nodes(data=True))
    assert list(claimx.actor_summary(graph).nodes) == []


def test_metadata_find_statements_reads_the_extractions_own_metadata():
    docs = [hand_built("herald-1", "Bay Herald", "2024-04-02"), hand_built("times-1", "Coast Times", "2024-04-01")]
    statement = find_statements(docs)[0]
    assert [(r.doc_id, r.outlet, r.published) for r in statement.reports] == [
        ("times-1", "Coast Times", "2024-04-01"), ("herald-1", "Bay Herald", "2024-04-02")]
    given = find_statements(docs, metadata={"herald-1": {"source": "Other Post", "published": "2024-03-30"}})[0]
    assert [(r.doc_id, r.outlet) for r in given.reports] == [("herald-1", "Other Post"), ("times-1", "Coast Times")]


def test_metadata_graph_files_keep_unique_ids_for_a_second_reader(results, tmp_path):
    graph = build_graph(results)
    assert {d["type"] for _, d in graph.nodes(data=True)} == {"outlet", "document", "entity", "claim", "statement"}
    path = exports.write_graphml(graph, tmp_path / "g.graphml")
    root = ET.parse(path).getroot()
    edge_ids = [e.get("id") for e in root.iter() if e.tag.endswith("}edge")]
    assert None not in edge_ids and len(set(edge_ids)) == len(edge_ids) == graph.number_of_edges()
    second = igraph.Graph.Read_GraphML(str(path))
    assert (second.vcount(), second.ecount()) == (graph.number_of_nodes(), graph.number_of_edges())
    ids = second.vs["id"]
    kinds = {(graph.nodes[ids[e.source]]["type"], e["type"], graph.nodes[ids[e.target]]["type"]) for e in second.es}
    assert kinds == {("outlet", "published", "document"), ("document", "contains", "claim"),
                     ("entity", "said", "claim"), ("claim", "reports", "statement")}
    document = second.vs.find(id="document:herald-1")
    assert (document["outlet"], document["url"]) == ("Bay Herald", "https://herald.example/1")
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.nodes["document:times-1"]["published"] == "2024-04-01T09:30:00+02:00"


def test_metadata_report_index_shows_outlet_and_published_only_when_known(results):
    page = render_report(results)
    assert "<th>outlet</th>" in page and "<th>published</th>" in page
    assert "<td>Bay Herald</td><td>2024-04-02</td>" in page
    plain = render_report([r.model_copy(update={"outlet": None, "published": None}) for r in results])
    assert "<th>outlet</th>" not in plain and "<th>published</th>" not in plain


def test_metadata_cli_jsonl_with_renamed_fields_and_a_bad_date(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in [
        {"id": "h1", "text": HERALD, "publisher": "Bay Herald", "date": "2024-04-02",
         "link": "https://herald.example/1"},
        {"id": "t1", "text": TIMES, "publisher": "Coast Times", "date": "the first of April"},
        {"id": "t2", "text": TIMES, "publisher": ["Coast Times"]},
        {"id": "t3", "text": TIMES, "outlet": "Ignored Daily", "headline": "Reopening"},
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    ran = run("extract", str(feed), "--outlet-field", "publisher", "--published-field", "date", "--url-field", "link",
              "--title-field", "headline", "-q", "-o", str(out), "-o", str(tmp_path / "docs.jsonl"))
    assert ran.returncode == 1
    assert (f"claimx: skipped {feed}:2: [E170] document 't1': published 'the first of April' is not an ISO date"
            in ran.stderr)
    assert f"claimx: skipped {feed}:3: field 'publisher' holds a list, not a string" in ran.stderr
    with open(out, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(r["doc"], r["outlet"], r["published"], r["url"], r["title"]) for r in rows] == [
        ("h1", "Bay Herald", "2024-04-02", "https://herald.example/1", ""), ("t3", "", "", "", "Reopening")]
    docs = [json.loads(line) for line in (tmp_path / "docs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(d["doc_id"], d["outlet"], d["title"]) for d in docs] == [("h1", "Bay Herald", None),
                                                                       ("t3", None, "Reopening")]
    help_text = run("extract", "--help").stdout
    assert all(flag in help_text for flag in ("--outlet-field", "--published-field", "--url-field", "--title-field"))


def test_metadata_cli_parquet_records_and_an_outlet_folder_tree(tmp_path):
    news = tmp_path / "news"
    (news / "Bay Herald").mkdir(parents=True)
    (news / "coast-times").mkdir()
    (news / "Bay Herald" / "a.txt").write_text(HERALD, encoding="utf-8")
    (news / "coast-times" / "b.txt").write_text(TIMES, encoding="utf-8")
    (news / "loose.txt").write_text(TIMES, encoding="utf-8")  # directly in the folder given: no outlet
    pq.write_table(pa.table({"id": ["p1"], "text": [TIMES], "source": ["Coast Times"],
                             "published": pa.array([date(2024, 4, 1)], pa.date32())}),
                   news / "coast-times" / "feed.parquet")
    out = tmp_path / "claims.parquet"
    graphml = tmp_path / "g.graphml"
    ran = run("extract", str(news), "-q", "-o", str(out), "-o", str(graphml))
    assert ran.returncode == 0, ran.stderr
    rows = pq.read_table(out).to_pylist()
    by_doc = {r["doc"]: (r["outlet"], r["published"]) for r in rows}
    assert by_doc == {str(news / "Bay Herald" / "a.txt"): ("Bay Herald", None),
                      str(news / "coast-times" / "b.txt"): ("coast-times", None),
                      "p1": ("Coast Times", "2024-04-01"), str(news / "loose.txt"): (None, None)}
    graph = nx.read_graphml(graphml, force_multigraph=True)
    outlets = sorted(n for n, d in graph.nodes(data=True) if d["type"] == "outlet")
    assert outlets == ["outlet:Bay Herald", "outlet:Coast Times", "outlet:coast-times"]
    statements = [d for _, d in graph.nodes(data=True) if d["type"] == "statement"]
    assert len(statements) == 1 and statements[0]["n_reports"] == 4 and statements[0]["n_outlets"] == 3
