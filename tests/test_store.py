"""The store: documents, claims, entities, statements and edges in DuckDB, on invented documents.

Three outlets report one harbour dispute: Lena Marsh (once only as "Marsh") accuses the port
authority, which Odo Brandt defends; Priya Nand accuses Brandt; Marsh's two quotes are carried by
several outlets, so they are statements.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import claimx
from claimx import store
from claimx.errors import ClaimxError
from claimx.models import Claim, Entity, EntityRef, Extraction, Span, Speaker

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
MARSH, BRANDT, NAND = ("Lena Marsh", "person"), ("Odo Brandt", "person"), ("Priya Nand", "person")
PORT = ("Port Authority", "organization")
HID = "The port authority hid the dredging costs from the council for two years."
FERRY = "The new ferry terminal will open before the summer season begins."

# doc id → (outlet, published, [(speaker, kind, act, words, targets)])
DOCS = {
    "ledger-1": ("Northern Ledger", "2024-05-02", [
        (MARSH, "direct", "accusation", HID, [PORT]),
        (BRANDT, "direct", "denial", "The port authority has published every figure it holds.", [PORT]),
        (MARSH, "direct", "claim", FERRY, []),
    ]),
    "radio-1": ("Coastline Radio", "2024-05-03T08:15:00+02:00", [
        (("Marsh", "person"), "direct", "accusation", HID, [PORT]),
        (NAND, "indirect", "accusation", "Odo Brandt had misled the harbour board about the dock contracts", [BRANDT]),
    ]),
    "times-1": ("Valley Times", "2024-05-04", [
        (MARSH, "direct", "claim", FERRY, []),
        (MARSH, "direct", "accusation", HID, [PORT]),
        (NAND, "direct", "accusation", "Odo Brandt misled the harbour board about the dock contracts.", [BRANDT]),
        (("harbour official", "unnamed"), "direct", "warning", "The cranes will not be ready in time.", []),
        (None, "direct", "claim", "Nobody will pay for this.", []),
    ]),
}
LATER = ("ledger-2", "Northern Ledger", "2024-06-01", [
    (BRANDT, "direct", "accusation", "Lena Marsh is spreading rumours about the harbour accounts.", [MARSH]),
])


def document(doc_id: str, outlet: str | None, published: str | None, claims: list) -> Extraction:
    """An Extraction of invented claims, each "<speaker> said: <words>" on a line of its text."""
    text, built, entities = "", [], {}

    def entity(name: str, kind: str) -> Entity:
        return entities.setdefault(name, Entity(id=f"e{len(entities)}", name=name, kind=kind))

    for n, (who, kind, act, words, targets) in enumerate(claims):
        speaker = None
        if who is not None:
            mention = Span(start=len(text), end=len(text) + len(who[0]), text=who[0])
            found = entity(*who)
            speaker = Speaker(mention=mention, name=who[0], entity_id=found.id, entity_ids=(found.id,))
            text += who[0] + " said: "
        content = Span(start=len(text), end=len(text) + len(words), text=words)
        text += words + "\n"
        refs = tuple(EntityRef(id=entity(*t).id, name=t[0]) for t in targets)
        built.append(Claim(id=f"c{n}", content=content, kind=kind, act=act, speaker=speaker, targets=refs))
    return Extraction(text=text, doc_id=doc_id, outlet=outlet, published=published, claims=tuple(built),
                      entities=tuple(entities.values()))


def corpus() -> list[Extraction]:
    return [document(doc_id, *fields) for doc_id, fields in DOCS.items()]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return store.write_store(corpus(), tmp_path / "corpus.duckdb")


def table(path: Path, name: str) -> list[tuple]:
    """A table's rows, sorted, without the write order (which a rewrite moves on)."""
    rows = store.sql(path, f"SELECT * EXCLUDE (position) FROM {name}" if "position" in store.SCHEMA[name]
                     else f"SELECT * FROM {name}")
    return sorted((tuple(row.values()) for row in rows), key=repr)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "claimx", *args], capture_output=True, text=True)


def test_store_writing_the_same_documents_again_replaces_them(db):
    once = store.counts(db)
    assert once["documents"] == 3 and once["claims"] == 10 and once["statements"] == 3
    before = {name: table(db, name) for name in store.TABLES}
    store.write_store(corpus(), db)
    assert store.counts(db) == once
    assert {name: table(db, name) for name in store.TABLES} == before


def test_store_a_new_document_adds_its_rows_and_a_changed_one_replaces_its_own(db):
    once = store.counts(db)
    store.write_store([document(*LATER)], db)
    more = store.counts(db)
    assert more["documents"] == once["documents"] + 1 and more["claims"] == once["claims"] + 1
    assert more["edges"] == once["edges"] + 2 and more["targets"] == once["targets"] + 1
    # times-1 again, without the ferry quote: the ferry statement (two reports) goes with it
    outlet, published, claims = DOCS["times-1"]
    store.write_store([document("times-1", outlet, published, claims[1:])], db)
    after = store.counts(db)
    assert after["claims"] == more["claims"] - 1 and after["statements"] == more["statements"] - 1
    assert not store.sql(db, "SELECT * FROM claims WHERE content = ? AND doc_id = 'times-1'", [FERRY])


def test_store_written_piece_by_piece_equals_written_at_once(tmp_path):
    """Statements are found again only where a write changed a speaker's claims, yet the store
    is the one a single write makes: "Marsh" alone in the first document written is renamed
    Lena Marsh, with her statements, when a later document names her in full."""
    docs = {d.doc_id: d for d in [*corpus(), document(*LATER)]}
    once = store.write_store(docs.values(), tmp_path / "once.duckdb")
    pieces = tmp_path / "pieces.duckdb"
    for doc_id in ("radio-1", "times-1", "ledger-1", "ledger-2"):
        store.write_store([docs[doc_id]], pieces)
    for name in store.TABLES:
        if name != "documents":
            assert table(pieces, name) == table(once, name), name
    assert store.counts(pieces)["statements"] == 3


def test_store_a_speaker_written_alone_is_weighed_against_the_whole_corpus(tmp_path):
    """Which words of a claim are rare, and so which claims are compared, is counted over every
    claim of the store: one speaker's statements found again alone come out as in one write.
    Invented words; another speaker's claims make one reported pair's shared words common."""
    import random

    rng = random.Random(4)

    def word():
        return "".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3))

    shared, few, many = [word() for _ in range(8)], [word() for _ in range(2)], [word() for _ in range(22)]
    other = [(("Mira Sol", "person"), "indirect", "claim", " ".join(few + [word() for _ in range(6)]), [])
             for _ in range(6)]
    first = document("q-1", "Outlet Q", "2024-01-01", other)
    speaker = ("Ivo Tarn", "person")
    second = document("p-1", "Outlet P", "2024-01-02", [(speaker, "indirect", "claim", " ".join(shared + few), []),
                                                        (speaker, "indirect", "claim", " ".join(shared + many), [])])
    once = store.write_store([first, second], tmp_path / "once.duckdb")
    pieces = tmp_path / "pieces.duckdb"
    store.write_store([first], pieces)
    store.write_store([second], pieces)
    for name in ("statements", "reports", "drift", "claims"):
        assert table(pieces, name) == table(once, name), name
    assert store.counts(once)["statements"] == 1


def test_store_ids_that_clash_once_cleaned_are_found_again_whole(tmp_path):
    """"d" and "d\x0b" share the graph name "d", numbered "d#2" by their order, which a rewrite
    moves: the store is still the one a single write in the final order makes."""
    ledger = DOCS["ledger-1"]
    roe = ("Ines Roe", "person")
    repeated = ("Dock Daily", "2024-05-05", [(roe, "direct", "claim", "The dock will reopen in June.", [])] * 2)
    path = store.write_store([document("d\x0b", *ledger), document("d", *repeated)], tmp_path / "a.duckdb")
    store.write_store([document("d\x0b", *ledger)], path)  # rewritten: now after "d", whose statement stays
    once = store.write_store([document("d", *repeated), document("d\x0b", *ledger)], tmp_path / "b.duckdb")
    for name in ("statements", "reports", "drift", "claims"):
        assert table(path, name) == table(once, name), name
    ids = [s["statement_id"] for s in store.sql(path, "SELECT statement_id FROM statements")]
    assert ids and len(ids) == len(set(ids))


def test_store_a_write_finds_statements_only_for_the_speakers_it_changed(db, monkeypatch):
    from claimx import statements

    asked = []
    real = statements.find_statements

    def spy(*args, **kwargs):
        asked.append(kwargs.get("blocks"))
        return real(*args, **kwargs)

    monkeypatch.setattr(statements, "find_statements", spy)
    store.write_store([document(*LATER)], db)  # one more claim, by Odo Brandt
    assert asked == [{("entity:odo brandt",)}]


def test_store_documents_repeated_in_one_write_are_stored_once(tmp_path):
    first, *rest = corpus()
    path = store.write_store([first, *rest, first], tmp_path / "c.duckdb")
    assert store.counts(path)["documents"] == 3
    assert [d["doc_id"] for d in store.sql(path, "SELECT doc_id FROM documents ORDER BY position")] == \
        ["radio-1", "times-1", "ledger-1"]


def test_store_nodes_edges_and_statements_are_the_graphs(db):
    docs = corpus()
    graph = claimx.build_graph(docs)
    edges = {(u, v, d["type"]) for u, v, d in graph.edges(data=True) if d["type"] in ("said", "about")}
    assert {(e["source"], e["target"], e["type"]) for e in store.sql(db, "SELECT * FROM edges")} == edges
    nodes = {n: (d["name"], d["mentions"], d["n_docs"]) for n, d in graph.nodes(data=True) if d["type"] == "entity"}
    assert {n["node"]: (n["name"], n["mentions"], n["n_docs"]) for n in store.sql(db, "SELECT * FROM nodes")} == nodes
    assert "entity:lena marsh" in nodes and "entity:marsh" not in nodes  # "Marsh" alone is Lena Marsh
    from claimx.statements import find_statements, statement_ids

    ids = statement_ids(find_statements(docs))
    stored = {(c["doc_id"], c["claim_id"]): c["statement_id"]
              for c in store.sql(db, "SELECT * FROM claims WHERE statement_id IS NOT NULL")}
    assert stored == ids


def test_store_columns_are_typed(db):
    from datetime import datetime

    row = store.sql(db, "SELECT * FROM documents WHERE doc_id = 'radio-1'")[0]
    assert row["published"] == datetime(2024, 5, 3, 6, 15) and row["published_text"] == "2024-05-03T08:15:00+02:00"
    assert row["outlet"] == "Coastline Radio" and row["n_claims"] == 2
    claim = store.sql(db, "SELECT * FROM claims WHERE doc_id = 'radio-1' AND claim_id = 'c0'")[0]
    assert isinstance(claim["char_start"], int) and isinstance(claim["confidence"], float)
    assert claim["speaker_node"] == "entity:lena marsh"
    assert list(store.read_store(db)) == corpus()


def test_store_sql_top_speakers_per_outlet(db):
    rows = store.sql(db, store.EXAMPLES["top speakers per outlet"])
    assert [(r["outlet"], r["speaker"], r["claims"]) for r in rows] == [
        ("Coastline Radio", "Lena Marsh", 1), ("Coastline Radio", "Priya Nand", 1),
        ("Northern Ledger", "Lena Marsh", 2), ("Northern Ledger", "Odo Brandt", 1),
        ("Valley Times", "Lena Marsh", 2), ("Valley Times", "Priya Nand", 1), ("Valley Times", "harbour official", 1),
    ]


def test_store_sql_who_accuses_whom(db):
    store.write_store([document(*LATER)], db)
    rows = store.sql(db, store.EXAMPLES["who accuses whom"])
    assert [(r["accuser"], r["accused"], r["accusations"]) for r in rows] == [
        ("Lena Marsh", "Port Authority", 3), ("Priya Nand", "Odo Brandt", 2), ("Odo Brandt", "Lena Marsh", 1)]


def test_store_sql_statements_carried_by_the_most_outlets(db):
    rows = store.sql(db, store.EXAMPLES["statements carried by the most outlets"])
    top = rows[0]
    assert top["text"] == HID and top["outlets"] == 3 and top["speaker_name"] == "Lena Marsh"
    assert top["carried_by"] == "Coastline Radio, Northern Ledger, Valley Times"
    assert top["first_outlet"] == "Northern Ledger"
    assert sorted(r["outlets"] for r in rows) == [2, 2, 3]


def test_store_query_filters(db):
    def ids(**filters):
        return [(c["doc_id"], c["claim_id"]) for c in store.query_claims(db, **filters)]

    marsh = ids(speaker="MARSH")
    assert marsh == [("ledger-1", "c0"), ("ledger-1", "c2"), ("radio-1", "c0"), ("times-1", "c0"), ("times-1", "c1")]
    assert ids(speaker="lena") == marsh  # radio-1 names her "Marsh" only: its entity is Lena Marsh's
    assert ids(about="port auth") == [("ledger-1", "c0"), ("ledger-1", "c1"), ("radio-1", "c0"), ("times-1", "c1")]
    assert ids(about="brandt", act="accusation") == [("radio-1", "c1"), ("times-1", "c2")]
    assert ids(outlet="ledger") == [("ledger-1", "c0"), ("ledger-1", "c1"), ("ledger-1", "c2")]
    assert ids(since="2024-05-03") == [("radio-1", "c0"), ("radio-1", "c1"), *[("times-1", f"c{n}") for n in range(5)]]
    assert ids(since="2024-05-03T07:00:00") == [("times-1", f"c{n}") for n in range(5)]  # radio-1 is 06:15 UTC
    assert ids(speaker="nobody") == []
    with pytest.raises(ClaimxError, match=r"\[E184\]"):
        store.query_claims(db, since="last week")
    found = store.query_statements(db, outlet="radio")
    assert [s["n_outlets"] for s in found] == [3, 2]
    assert [r["outlet"] for r in found[0]["reports"]] == ["Northern Ledger", "Coastline Radio", "Valley Times"]


def test_store_cli_query_formats(db):
    out = run("query", str(db), "--speaker", "nand", "--format", "jsonl")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [(r["doc_id"], r["act"], r["outlet"]) for r in rows] == [
        ("radio-1", "accusation", "Coastline Radio"), ("times-1", "accusation", "Valley Times")]
    assert rows[0]["published"] == "2024-05-03T06:15:00" and rows[0]["targets"] == "Odo Brandt"

    out = run("query", str(db), "--about", "Port", "--act", "denial", "--format", "csv")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("doc_id,claim_id,outlet,published") and len(lines) == 2 and "ledger-1,c1" in lines[1]

    out = run("query", str(db), "--outlet", "valley times", "--since", "2024-05-04")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "times-1 (Valley Times, 2024-05-04)"
    assert "  Priya Nand (direct, accusation): Odo Brandt misled the harbour board about the dock contracts.  " \
           "[about: Odo Brandt]" in out.stdout
    assert "(no speaker)" in out.stdout

    out = run("query", str(db), "--statements", "--speaker", "marsh")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Lena Marsh: 3 reports in 3 documents, 3 outlets (statement:")
    assert "    Northern Ledger, 2024-05-02 — ledger-1 (direct): " + HID in out.stdout

    out = run("query", str(db), "--statements", "--format", "jsonl", "--act", "accusation")
    statements = [json.loads(line) for line in out.stdout.splitlines()]
    assert [len(s["reports"]) for s in statements] == [3, 2]
    out = run("query", str(db), "--statements", "--format", "csv")
    assert out.stdout.splitlines()[0].startswith("statement_id,speaker_name,n_reports") and \
        len(out.stdout.splitlines()) == 1 + 7


def test_store_cli_query_errors(tmp_path, db):
    out = run("query", str(tmp_path / "none.duckdb"))
    assert out.returncode == 2 and "[E180]" in out.stderr
    (tmp_path / "notes.duckdb").write_text("not a database", encoding="utf-8")
    out = run("query", str(tmp_path / "notes.duckdb"))
    assert out.returncode == 2 and "[E181]" in out.stderr
    import duckdb

    with duckdb.connect(str(tmp_path / "other.duckdb")) as con:
        con.execute("CREATE TABLE sales (amount INTEGER)")
    out = run("query", str(tmp_path / "other.duckdb"))
    assert out.returncode == 2 and "[E181]" in out.stderr and "claimx_store" in out.stderr
    out = run("query", str(db), "--since", "yesterday")
    assert out.returncode == 2 and "[E184]" in out.stderr
    out = run("query", str(db), "--act", "shouting")
    assert out.returncode == 2 and "unknown act" in out.stderr


def test_store_refuses_another_programs_database_and_leaves_it_whole(tmp_path):
    import duckdb

    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE sales (amount INTEGER)")
        con.execute("INSERT INTO sales VALUES (7)")
    with pytest.raises(ClaimxError, match=r"\[E181\]"):
        store.write_store(corpus(), other)
    with duckdb.connect(str(other)) as con:
        assert con.execute("SELECT * FROM sales").fetchall() == [(7,)]


def test_store_a_failed_write_leaves_the_previous_store_whole(db, tmp_path):
    before = {name: table(db, name) for name in store.TABLES}

    def failing():
        yield document(*LATER)
        raise RuntimeError("the feed broke")

    with pytest.raises(RuntimeError, match="feed broke"):
        store.write_store(failing(), db)
    assert {name: table(db, name) for name in store.TABLES} == before
    new = tmp_path / "new.duckdb"
    with pytest.raises(RuntimeError):
        store.write_store(failing(), new)
    assert not new.exists()


def test_store_keeps_hostile_text_and_names_documents_without_ids(tmp_path):
    odd = "Zed Quill said: a \x00 nul, a lone \ud800 surrogate and \u2028 a separator\n"
    words = odd[len("Zed Quill said: "):-1]
    speaker = Speaker(mention=Span(start=0, end=9, text="Zed Quill"), name="Zed Quill", entity_id="e0")
    doc = Extraction(text=odd, claims=(Claim(id="c0", content=Span(start=16, end=16 + len(words), text=words),
                                             kind="direct", speaker=speaker),),
                     entities=(Entity(id="e0", name="Zed Quill", kind="person"),))
    path = store.write_store([doc, doc], tmp_path / "odd.duckdb")
    (row,) = store.sql(path, "SELECT doc_id, content FROM documents JOIN claims USING (doc_id)")
    assert row["doc_id"].startswith("doc-") and "\ufffd" in row["content"] and "\x00" in row["content"]


def test_store_loads_dask_partitions(tmp_path):
    cluster = pytest.importorskip("claimx.cluster")
    docs = corpus() + [document(*LATER)]
    records = [doc.model_dump(mode="json", exclude={"text"}) for doc in docs]
    expected = store.counts(store.write_store(docs, tmp_path / "direct.duckdb"))
    for fmt in ("jsonl", "parquet"):
        folder = cluster.prepare_folder(tmp_path / fmt, fmt)
        cluster.write_partition(records[:2], folder, 0, fmt)
        cluster.write_partition(records[2:], folder, 1, fmt)
        path = store.load_partitions(folder, tmp_path / f"{fmt}.duckdb")
        assert store.counts(path) == expected
        assert store.counts(store.load_partitions(folder, path)) == expected  # loaded again: replaced
        assert table(path, "statements") == table(tmp_path / "direct.duckdb", "statements")
    with pytest.raises(ClaimxError, match=r"\[E183\]"):
        store.load_partitions(tmp_path / "direct.duckdb.none", tmp_path / "x.duckdb")


def test_store_without_duckdb_is_a_coded_error(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "duckdb", None)
    with pytest.raises(ClaimxError, match=r"\[E130\].*claimx\[store\]"):
        store.write_store(corpus(), tmp_path / "c.duckdb")
    with pytest.raises(ClaimxError, match=r"\[E130\]"):
        store.query_claims(tmp_path / "c.duckdb")
    script = ("import sys; sys.modules['duckdb'] = None; sys.argv = ['claimx', 'extract', '-', '-o', "
              f"{str(tmp_path / 'c.duckdb')!r}]; from claimx.cli import main; main()")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, input="Hello.")
    assert out.returncode == 2 and "[E130]" in out.stderr and 'claimx[store]' in out.stderr


def test_store_import_claimx_does_not_import_duckdb():
    out = subprocess.run([sys.executable, "-c", "import sys, claimx, claimx.store; print('duckdb' in sys.modules)"],
                         capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_store_cli_extract_twice_into_one_store(tmp_path):
    records = [{"id": "a", "outlet": "Valley Times", "published": "2024-05-04",
                "text": "“The ferry terminal will open in June,” said Mayor Lena Marsh."},
               {"id": "b", "outlet": "Northern Ledger",
                "text": "Odo Brandt accused the council of hiding the costs. “They hid them,” Brandt said."}]
    news = tmp_path / "news.jsonl"
    news.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = tmp_path / "corpus.duckdb"
    out = run("extract", str(news), "-o", str(db), "-q")
    assert out.returncode == 0, out.stderr
    once = store.counts(db)
    assert once["documents"] == 2 and once["claims"] >= 2
    assert run("extract", str(news), "-o", str(db), "-q").returncode == 0
    assert store.counts(db) == once
    assert {r["outlet"] for r in store.sql(db, "SELECT outlet FROM documents")} == {"Valley Times", "Northern Ledger"}
    out = run("extract", str(news), "-o", str(db), "--resume")
    assert out.returncode == 2 and "[E160]" in out.stderr and "replaced, not doubled" in out.stderr
    (tmp_path / "notes.duckdb").write_text("not a database", encoding="utf-8")
    out = run("extract", str(news), "-o", str(tmp_path / "notes.duckdb"))
    assert out.returncode == 2 and "[E181]" in out.stderr
    assert (tmp_path / "notes.duckdb").read_text(encoding="utf-8") == "not a database"


def test_store_the_seeds_twice_give_the_rows_of_once(nlp, tmp_path):
    def seeds():
        files = sorted(SEEDS.glob("*.txt"))
        return claimx.extract_many([(f.read_text(encoding="utf-8"), f.name) for f in files], nlp=nlp)

    path = store.write_store(seeds(), tmp_path / "seeds.duckdb")
    once = store.counts(path)
    assert once["documents"] == 5 and once["claims"] > 40 and once["entities"] > 0 and once["edges"] > 0
    store.write_store(seeds(), path)
    assert store.counts(path) == once
