"""claimx on Dask, on a local cluster of two single-thread worker processes shared by the module."""

import json
import os
import subprocess
import sys
from pathlib import Path

import dask.bag as db
import dask.dataframe as dd
import networkx as nx
import pandas as pd
import pyarrow.parquet as pq
import pytest
from distributed import Client, LocalCluster
from spacy.language import Language

import claimx
from claimx import cluster
from claimx.errors import ClaimxError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# Short articles that put the surname rule across partitions: "Sund" alone, far from Lena Sund.
SHORT = [
    ("sund-1", "Harbour Minister Lena Sund defended the port plan. “The dredging starts in May,” Sund said."),
    ("berg-1", "The opposition leader, Tomas Berg, warned that the costs were hidden."),
    ("sund-2", "“We will not let the harbour silt up again,” Sund told reporters on Monday."),
    ("empty", ""),
    ("berg-2", "Berg said the plan would double the port fees, according to the Harbour Office."),
]


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
        with Client(local) as client:
            yield client


@pytest.fixture(scope="module")
def corpus():
    seeds = [{"id": p.name, "text": p.read_text(encoding="utf-8")} for p in sorted(SEEDS.glob("*.txt"))]
    short = [{"id": i, "text": t} for i, t in SHORT]
    return [seeds[0], *short[:2], *seeds[1:3], *short[2:], *seeds[3:]]


@pytest.fixture(scope="module")
def single(corpus, nlp):
    """The single-process results over the same corpus."""
    return list(claimx.extract_many([(d["text"], d["id"]) for d in corpus], nlp=nlp))


def records(results):
    return [r.model_dump(mode="json", exclude={"text"}) for r in results]


def read_rows(folder, table):
    return [json.loads(line) for part in sorted((folder / table).glob("part-*.jsonl"))
            for line in part.read_text(encoding="utf-8").splitlines()]


def test_cluster_bag_gives_the_single_process_claims(client, corpus, single):
    results = cluster.extract_bag(db.from_sequence(corpus, npartitions=4)).compute()
    assert results == records(single)
    pairs = cluster.extract_bag(db.from_sequence([(d["text"], d["id"]) for d in corpus], npartitions=3))
    assert pairs.compute() == records(single)


def test_cluster_pipeline_loads_once_per_worker(client, corpus):
    cluster.extract_bag(db.from_sequence(corpus, npartitions=6)).compute()
    name = cluster.plugin_name(None)
    counts = client.run(lambda dask_worker: (dask_worker.plugins[name].loads, dask_worker.plugins[name].partitions))
    assert [loads for loads, _ in counts.values()] == [1, 1]
    assert sum(partitions for _, partitions in counts.values()) >= 6


def test_cluster_frame_text_column_with_a_missing_text(client, corpus, single):
    frame = pd.DataFrame([*corpus[:3], {"id": "none", "text": None}, *corpus[3:]])
    results = cluster.extract_frame(dd.from_pandas(frame, npartitions=3)).compute()
    assert results[3] == {"doc_id": "none", "error": {"code": "E001", "message": "field 'text' must be str, not NoneType"}}
    assert results[:3] + results[4:] == records(single)
    by_index = cluster.extract_frame(dd.from_pandas(frame.drop(columns="id"), npartitions=2), id_column=None)
    assert [r["doc_id"] for r in by_index.compute()] == [str(n) for n in range(len(frame))]


def test_cluster_graph_equals_the_single_process_graph(client, corpus, single):
    results = cluster.extract_bag(db.from_sequence(corpus, npartitions=4))
    graph = cluster.build_graph(results)
    assert nx.utils.graphs_equal(graph, claimx.build_graph(single))
    assert graph.nodes(data=True) == claimx.build_graph(single).nodes(data=True)
    sund = graph.nodes["entity:lena sund"]  # "Sund" alone, in a later partition, joined her
    assert sund["docs"] == "sund-1; sund-2"


# Two invented outlets print one invented quote; a third record's date is no date.
REPORTS = [
    {"id": "herald-1", "text": "“The harbour will reopen in May,” said Ana Ruiz.", "outlet": "Bay Herald",
     "published": "2024-04-02", "url": "https://herald.example/1"},
    {"id": "sund-3", "text": "“The dredging starts in May,” Lena Sund said."},
    {"id": "times-1", "text": "“The harbour will reopen in May,” Ana Ruiz told reporters.", "source": "Coast Times",
     "published": "2024-04-01T09:30:00+02:00", "title": "Reopening"},
    {"id": "late", "text": "“The harbour will reopen in May,” said Ana Ruiz.", "published": "soon"},
]


def test_cluster_metadata_and_statements_equal_the_single_process(client, nlp, tmp_path):
    results = cluster.extract_bag(db.from_sequence(REPORTS, npartitions=3))
    graph = cluster.build_graph(results)
    single = claimx.build_graph(claimx.extract_many([(r["text"], r) for r in REPORTS[:3]], nlp=nlp))
    assert nx.utils.graphs_equal(graph, single) and graph.nodes(data=True) == single.nodes(data=True)
    statements = [d for _, d in graph.nodes(data=True) if d["type"] == "statement"]
    assert [(d["speaker"], d["n_reports"], d["n_outlets"], d["first_doc"]) for d in statements] == [
        ("Ana Ruiz", 2, 2, "times-1")]
    assert graph.nodes["document:herald-1"]["url"] == "https://herald.example/1"
    assert graph.has_edge("outlet:Coast Times", "document:times-1", key="published")
    assert not any(d["type"] == "statement" for _, d in cluster.build_graph(results, statements=False).nodes(data=True))
    cluster.write_partitions(results, tmp_path / "pq", format="parquet")
    claims = pq.read_table(tmp_path / "pq" / "claims").to_pylist()
    assert [(r["doc"], r["outlet"], r["published"], r["title"]) for r in claims] == [
        ("herald-1", "Bay Herald", "2024-04-02", None), ("sund-3", None, None, None),
        ("times-1", "Coast Times", "2024-04-01T09:30:00+02:00", "Reopening")]
    errors_table = pq.read_table(tmp_path / "pq" / "errors").to_pylist()
    assert [(r["doc_id"], r["error"]["code"]) for r in errors_table] == [("late", "E170")]
    edges = pq.read_table(tmp_path / "pq" / "edges").to_pylist()
    assert {r["type"] for r in edges} == {"said"}  # entity to claim only: a claim's row has its document


def test_cluster_bad_records_are_error_rows_and_their_partition_goes_on(client, corpus, single, tmp_path):
    items = [corpus[0], {"id": "no-text"}, {"id": "number", "text": 42}, corpus[1], "A bare text, said Ana Bell."]
    results = cluster.extract_bag(db.from_sequence(items, npartitions=1)).compute()
    assert [r["doc_id"] for r in results] == [corpus[0]["id"], "no-text", "number", corpus[1]["id"], "doc0.4"]
    assert results[1]["error"] == {"code": "E001", "message": "the record has no 'text' field holding its text"}
    assert results[2]["error"]["code"] == "E001" and "int" in results[2]["error"]["message"]
    assert [results[0], results[3]] == records(single[:2])
    written = cluster.write_partitions(cluster.extract_bag(db.from_sequence(items, npartitions=2)), tmp_path / "out")
    assert sum(part["errors"] for part in written) == 2
    assert [row["doc_id"] for row in read_rows(tmp_path / "out", "errors")] == ["no-text", "number"]


@Language.component("claimx_test_fail_on_marker")
def fail_on_marker(doc):
    if "FAIL-HERE" in doc.text:
        raise RuntimeError("a component broke on this document")
    return doc


def test_cluster_a_document_that_raises_is_an_error_row_alone(corpus, single):
    nlp = claimx.load()
    nlp.add_pipe("claimx_test_fail_on_marker", before="claimx")
    items = [*corpus[:4], {"id": "bad", "text": "Ana Bell said FAIL-HERE."}, *corpus[4:]]
    results = cluster.extract_records(items, job=cluster.Job(batch_size=2), nlp=nlp)
    assert results[4] == {"doc_id": "bad", "error": {
        "code": "E140", "message": "document 'bad' failed: RuntimeError: a component broke on this document"}}
    assert results[:4] + results[5:] == records(single)


def test_cluster_a_killed_worker_loses_no_document_and_doubles_none(client, corpus, tmp_path):
    items = [{"id": f"{d['id']}#{n}", "text": d["text"]} for n in range(2) for d in corpus]
    killed = tmp_path / "killed"

    def kill_once(item):  # the worker that reaches this document first dies, once
        if item["id"] == items[13]["id"] and not killed.exists():
            killed.touch()
            os._exit(1)
        return item

    bag = db.from_sequence(items, npartitions=8).map(kill_once)
    written = cluster.write_partitions(cluster.extract_bag(bag), tmp_path / "out")
    assert killed.exists()
    ids = [row["doc_id"] for row in read_rows(tmp_path / "out", "documents")]
    assert sorted(ids) == sorted(item["id"] for item in items) and len(ids) == len(set(ids))
    assert sum(part["documents"] for part in written) == len(items)
    assert not list((tmp_path / "out").rglob(".*.tmp"))


def test_cluster_parquet_tables_and_a_rewritten_partition(client, corpus, single, tmp_path):
    results = cluster.extract_bag(db.from_sequence(corpus, npartitions=3))
    cluster.write_partitions(results, tmp_path / "pq", format="parquet")
    claims = pq.read_table(tmp_path / "pq" / "claims").to_pylist()
    assert sorted(claims, key=lambda r: (r["doc"], r["id"])) == sorted(claimx.claim_rows(single),
                                                                         key=lambda r: (r["doc"], r["id"]))
    edges = pq.read_table(tmp_path / "pq" / "edges").to_pylist()
    assert {e["type"] for e in edges} == {"said", "about"}
    assert len(list((tmp_path / "pq" / "entities").glob("part-*.parquet"))) == 3
    with pytest.raises(ClaimxError, match="E131"):
        cluster.write_partitions(results, tmp_path / "pq", format="parquet")
    part = cluster.extract_records(corpus[:2])
    for _ in range(2):  # a retried partition replaces its files
        cluster.write_partition(part, tmp_path / "pq", 0, "parquet")
    assert pq.read_table(tmp_path / "pq" / "claims" / "part-00000.parquet").num_rows == len(
        list(claimx.claim_rows(single[:2])))


def test_cluster_without_dask_is_a_coded_error(monkeypatch):
    monkeypatch.delitem(sys.modules, "claimx.cluster")
    for name in ("dask", "dask.bag", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ClaimxError, match=r'\[E130\].*pip install "claimx\[dask\]"'):
        import claimx.cluster  # noqa: F401
    out = subprocess.run([sys.executable, "-c", "import sys, claimx; claimx.extract; claimx.build_graph; "
                          "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'pyarrow')))"],
                         capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "claimx", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def test_cluster_cli_on_a_running_cluster(client, tmp_path):
    address = client.scheduler.address
    out = run_cli("extract", str(SEEDS), "-q", "-o", str(tmp_path / "d.jsonl"), "--scheduler", address,
                  "--partition-size", "2")
    assert out.returncode == 0, out.stderr
    alone = run_cli("extract", str(SEEDS), "-q", "-o", str(tmp_path / "alone.jsonl"))
    assert (tmp_path / "d.jsonl").read_text(encoding="utf-8") == (tmp_path / "alone.jsonl").read_text(encoding="utf-8")
    out = run_cli("extract", str(SEEDS), "-o", str(tmp_path / "tables") + "/", "--format", "parquet",
                  "--scheduler", address, "--partition-size", "2")
    assert out.returncode == 0, out.stderr
    assert len(list((tmp_path / "tables" / "claims").glob("part-*.parquet"))) == 3
    assert pq.read_table(tmp_path / "tables" / "claims").num_rows == sum(
        len(json.loads(line)["claims"]) for line in (tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines())


def test_cluster_cli_local_workers_parquet_input_and_errors(tmp_path):
    import pyarrow as pa

    pq.write_table(pa.table({"id": ["a", "b", None], "text": ["“Yes,” said Ana Bell.", None, "“No,” said Carl Dyer."]}),
                   tmp_path / "news.parquet")
    out = run_cli("extract", str(tmp_path / "news.parquet"), "--workers", "1", "--format", "jsonl")
    assert out.returncode == 1  # row 2 has no text: reported and skipped, as a JSONL line would be
    assert f"news.parquet:2" in out.stderr
    docs = [json.loads(line) for line in out.stdout.splitlines()]
    assert [d["doc_id"] for d in docs] == ["a", f"{tmp_path / 'news.parquet'}:3"]
    assert docs[1]["claims"][0]["speaker"]["name"] == "Carl Dyer"
    out = run_cli("extract", str(SEEDS), "-o", str(tmp_path / "folder") + "/")
    assert out.returncode == 2 and "--workers" in out.stderr
    out = run_cli("extract", str(SEEDS), "--scheduler", "tcp://127.0.0.1:9", "--format", "jsonl",
                  env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"})
    assert out.returncode == 2 and "[E132]" in out.stderr and "tcp://127.0.0.1:9" in out.stderr
