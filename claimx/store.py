"""The store: a corpus's documents, claims, entities, statements and edges in one DuckDB file.

DuckDB is an embedded analytical database: one file, no server, queried in SQL from the `duckdb`
shell, Python, R or a notebook. `write_store` adds documents to a store (`claimx extract … -o
corpus.duckdb`), `load_partitions` adds the partitions a Dask run wrote, `query_claims` and
`query_statements` (`claimx query`) list what matches, and `EXAMPLES` holds the SQL a data
journalist starts from. Needs the `store` extra: pip install "claimx[store]".

The documents are the store's truth: each keeps its extraction (`record`). A write replaces the
documents whose id is stored already (never doubling them), adds the others, and then makes the
other tables again from all stored documents, in the same transaction. Entity nodes are named
corpus-wide (a surname alone stands for the one full name of the corpus that ends in it, an
acronym for its expansion), so a new document can rename the speaker of one stored before. The
costly part, finding statements, is redone only for the speakers whose claims a write changed:
those of the documents written, and those whose claims a new name moved; every other
statement is kept as stored, and the result is the store one write of all documents makes. A
corpus of millions of claims is best written once, from its Dask partitions (`load_partitions`).
A write that fails (a bad document, a full disk, an interrupted run) rolls back, and the store is
as it was.

Tables and columns (text unless said). Node ids are `build_graph`'s: `entity:<name>`,
`entity:kb:<id>`, `entity:<doc>:<id>` for an unnamed source, `claim:<doc>:<claim id>`.

- documents: doc_id (unique), position BIGINT (the order documents were last written), outlet,
  published TIMESTAMP (UTC; NULL when absent or not an ISO date or datetime), published_text (as
  given), url, title, n_claims INTEGER, n_entities INTEGER, text, record (the extraction as JSON,
  without its text). A document without an id is named `doc-<hash of its extraction>`.
- claims: doc_id, claim_id, position INTEGER (in its document), node, kind, act, speaker (the
  canonical name), speaker_mention, speaker_node (the first speaker's entity node; NULL when the
  speaker is unresolved), content, cue, char_start INTEGER, char_end INTEGER, confidence DOUBLE,
  targets (names joined by "; "), statement_id (NULL for a claim reported once).
- entities: doc_id, entity_id, node, name, kind, aliases ("; "), kb_id: each document's entities.
- nodes: node (unique), name, kind, kb_id, aliases, n_docs INTEGER, mentions INTEGER: the corpus
  graph's entity nodes, named and counted as `build_graph` does.
- targets: doc_id, claim_id, entity_id, name, node: one row per claim and entity it is about.
- edges: source, target, type ('said': speaker → claim; 'about': claim → target), doc_id, claim_id.
- statements: statement_id (unique), speaker (node), speakers ("; "), speaker_name, text (the
  longest direct report, else the first), n_reports, n_docs, n_outlets INTEGER, first_doc_id,
  first_claim_id, first_outlet, first_published TIMESTAMP, longest_doc_id, longest_claim_id.
- reports: statement_id, position INTEGER (0 is the first by date), doc_id, claim_id, node, kind,
  text, outlet, published TIMESTAMP.
- drift: statement_id, doc_id, claim_id, change ('added', 'dropped' or 'changed'), words (the
  report's), replaced (the longest report's words it changes).
- claimx_store: key, value; `schema` is this layout's version, and marks the file as claimx's.
"""

from __future__ import annotations

import errno
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimx import errors
from claimx.extraction import batched
from claimx.models import Extraction, published_moment

if TYPE_CHECKING:
    import duckdb

SCHEMA_VERSION = "1"
BATCH = 500  # documents inserted at a time
_T, _I, _B, _D, _S = "VARCHAR", "INTEGER", "BIGINT", "DOUBLE", "TIMESTAMP"
SCHEMA: dict[str, dict[str, str]] = {
    "documents": {"doc_id": _T, "position": _B, "outlet": _T, "published": _S, "published_text": _T, "url": _T,
                  "title": _T, "n_claims": _I, "n_entities": _I, "text": _T, "record": _T},
    "claims": {"doc_id": _T, "claim_id": _T, "position": _I, "node": _T, "kind": _T, "act": _T, "speaker": _T,
               "speaker_mention": _T, "speaker_node": _T, "content": _T, "cue": _T, "char_start": _I,
               "char_end": _I, "confidence": _D, "targets": _T, "statement_id": _T},
    "entities": {"doc_id": _T, "entity_id": _T, "node": _T, "name": _T, "kind": _T, "aliases": _T, "kb_id": _T},
    "nodes": {"node": _T, "name": _T, "kind": _T, "kb_id": _T, "aliases": _T, "n_docs": _I, "mentions": _I},
    "targets": {"doc_id": _T, "claim_id": _T, "entity_id": _T, "name": _T, "node": _T},
    "edges": {"source": _T, "target": _T, "type": _T, "doc_id": _T, "claim_id": _T},
    "statements": {"statement_id": _T, "speaker": _T, "speakers": _T, "speaker_name": _T, "text": _T,
                   "n_reports": _I, "n_docs": _I, "n_outlets": _I, "first_doc_id": _T, "first_claim_id": _T,
                   "first_outlet": _T, "first_published": _S, "longest_doc_id": _T, "longest_claim_id": _T},
    "reports": {"statement_id": _T, "position": _I, "doc_id": _T, "claim_id": _T, "node": _T, "kind": _T,
                "text": _T, "outlet": _T, "published": _S},
    "drift": {"statement_id": _T, "doc_id": _T, "claim_id": _T, "change": _T, "words": _T, "replaced": _T},
}
TABLES = tuple(SCHEMA)
_DERIVED = tuple(table for table in TABLES if table != "documents")
_PART = re.compile(r"part-(\d+)\.(jsonl|parquet)")

# The SQL a data journalist starts from; the README shows them and the tests run them.
EXAMPLES: dict[str, str] = {
    "top speakers per outlet": """\
-- The three speakers each outlet reports most, by claims
SELECT d.outlet, n.name AS speaker, count(*) AS claims
FROM edges e
JOIN documents d USING (doc_id)
JOIN nodes n ON n.node = e.source
WHERE e.type = 'said' AND d.outlet IS NOT NULL
GROUP BY d.outlet, n.node, n.name
QUALIFY row_number() OVER (PARTITION BY d.outlet ORDER BY count(*) DESC, n.name) <= 3
ORDER BY d.outlet, claims DESC, speaker;""",
    "who accuses whom": """\
-- Who accuses whom: accusations from each speaker to each entity they are about
SELECT s.name AS accuser, t.name AS accused, count(DISTINCT c.node) AS accusations
FROM claims c
JOIN edges said ON said.type = 'said' AND said.target = c.node
JOIN edges about ON about.type = 'about' AND about.source = c.node
JOIN nodes s ON s.node = said.source
JOIN nodes t ON t.node = about.target
WHERE c.act = 'accusation' AND s.node <> t.node
GROUP BY s.node, s.name, t.node, t.name
ORDER BY accusations DESC, accuser, accused;""",
    "statements carried by the most outlets": """\
-- The statements the most outlets carried, with who first reported them
SELECT s.speaker_name, s.text, count(DISTINCT r.outlet) AS outlets,
       string_agg(DISTINCT r.outlet, ', ' ORDER BY r.outlet) AS carried_by,
       s.first_outlet, s.first_published
FROM statements s
JOIN reports r USING (statement_id)
GROUP BY s.statement_id, s.speaker_name, s.text, s.first_outlet, s.first_published
ORDER BY outlets DESC, s.first_published NULLS LAST, s.statement_id
LIMIT 10;""",
}


# --- writing --------------------------------------------------------------------------------


def write_store(extractions: Iterable[Extraction], path: str | Path) -> Path:
    """Add documents, with the outlet, published date, url and title they carry, to the store at
    `path` (made if missing), replacing those whose id it holds already, and recompute its other
    tables; all in one transaction. A file that is not a claimx store is refused (`E181`), never
    overwritten."""
    duckdb = _duckdb()
    path = Path(path)
    new = not path.exists()
    done = False
    try:
        with _connect(path, write=True) as con:
            try:
                con.execute("BEGIN TRANSACTION")
                if _is_empty(con):
                    _create(con)
                position = con.execute("SELECT coalesce(max(position) + 1, 0) FROM documents").fetchone()[0]
                written: set[str] = set()
                for batch in batched(extractions, BATCH):
                    rows = {}  # doc_id → row: a document repeated in one batch is its last version
                    for n, extraction in enumerate(batch):
                        row = _document_row(extraction, position + n)
                        rows.pop(row["doc_id"], None)
                        rows[row["doc_id"]] = row
                    position += len(batch)
                    written.update(rows)
                    con.execute("DELETE FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [list(rows)])
                    _insert(con, "documents", list(rows.values()))
                _derive(con, written)
                con.execute("COMMIT")
                done = True
            except BaseException:
                try:
                    con.execute("ROLLBACK")
                except duckdb.Error:
                    pass  # the transaction is gone already, with what it wrote
                raise
    except duckdb.Error as exc:
        raise _write_error(path, exc) from exc
    finally:
        if new and not done:  # a store this call began and could not finish is no store
            for leftover in (path, path.with_name(path.name + ".wal")):
                leftover.unlink(missing_ok=True)
    return path


def load_partitions(folder: str | Path, path: str | Path) -> Path:
    """Add the documents of a folder of partitions (`cluster.write_partitions`, `claimx extract
    --workers N -o folder/`, JSONL or Parquet) to the store at `path`, as `write_store` does: the
    `documents` table holds each document's extraction. Error rows are left out."""
    folder = Path(folder)
    parts = sorted((p for p in (folder / "documents").glob("part-*") if _PART.fullmatch(p.name)),
                   key=lambda p: int(_PART.fullmatch(p.name)[1]))
    if not parts:
        raise errors.no_partitions(str(folder))
    from claimx.exports import read_jsonl

    return write_store((e for part in parts for e in read_jsonl(part)), path)  # documents are JSONL in either format


def _document_row(extraction: Extraction, position: int) -> dict[str, Any]:
    from claimx.exports import json_text

    if not isinstance(extraction, Extraction):
        raise errors.ClaimxTypeError("E001", f"the store takes claimx Extractions, not {type(extraction).__name__}")
    record = extraction.model_dump(mode="json", exclude={"text"})
    doc_id = extraction.doc_id
    if doc_id is None:
        digest = hashlib.blake2b(json_text(extraction.model_dump(mode="json")).encode("utf-8"), digest_size=8)
        doc_id = f"doc-{digest.hexdigest()}"
    doc_id = _clean(doc_id)
    record["doc_id"] = doc_id
    fields = {name: getattr(extraction, name, None) for name in ("outlet", "published", "url", "title")}
    published = fields["published"]
    return {"doc_id": doc_id, "position": position, "outlet": _optional(fields["outlet"]),
            "published": moment(published), "published_text": _date_text(published),
            "url": _optional(fields["url"]), "title": _optional(fields["title"]),
            "n_claims": len(extraction.claims), "n_entities": len(extraction.entities),
            "text": extraction.text, "record": json_text(record)}


def _derive(con: duckdb.DuckDBPyConnection, written: set[str] | None = None) -> None:
    """Every table but documents, made again from all stored documents, in their order. The
    statements are found again only for the speakers whose claims changed: those of the
    documents `written` (new or replaced), and those a new name gave other claims (a surname
    now read as a full name); a speaker's other statements are kept as stored. With no
    `written`, every statement is found again."""
    from claimx.graph import SEPARATOR, UniqueNames, entity_node, full_names, fuller_name
    from claimx.statements import claim_speakers, find_statements
    from claimx.text import XML_ILLEGAL

    old_block = {} if written is None else _stored_blocks(con)
    stored = con.execute("SELECT doc_id, record, outlet, published_text, published FROM documents "
                         "ORDER BY position").fetchall()
    docs = [(doc_id, Extraction.model_validate({"text": "", **json.loads(record)})) for doc_id, record, *_ in stored]
    meta = {doc_id: {"outlet": outlet, "published": text if when is not None else None}
            for doc_id, _, outlet, text, when in stored}
    names = full_names(docs)
    doc_names = UniqueNames()
    given_of: dict[str, str] = {}  # a document's name in the graph → its id
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in _DERIVED}
    nodes: dict[str, dict[str, Any]] = {}
    claim_row: dict[tuple[str, str], dict[str, Any]] = {}
    new_block: dict[tuple[str, str], tuple[str, ...]] = {}  # (doc id, claim id) → its speakers' nodes
    for given, extraction in docs:
        doc = doc_names.take(XML_ILLEGAL.sub("", given))
        given_of[doc] = given
        node_of = {entity.id: entity_node(entity, doc, names) for entity in extraction.entities}
        for entity in extraction.entities:
            node = node_of[entity.id]
            rows["entities"].append({"doc_id": given, "entity_id": entity.id, "node": node, "name": entity.name,
                                     "kind": entity.kind, "aliases": SEPARATOR.join(entity.aliases),
                                     "kb_id": entity.kb_id})
            seen = nodes.setdefault(node, {"node": node, "name": entity.name, "kind": entity.kind,
                                           "kb_id": node.removeprefix("entity:kb:") if node.startswith("entity:kb:")
                                           else None, "aliases": {}, "docs": set(), "mentions": 0})
            seen["name"] = fuller_name(seen["name"], entity.name)
            seen["aliases"].update(dict.fromkeys(entity.aliases))
            seen["docs"].add(doc)
        for position, claim in enumerate(extraction.claims):
            claim_node = f"claim:{doc}:{claim.id}"
            ids = () if claim.speaker is None else claim.speaker.entity_ids or (claim.speaker.entity_id,)
            speakers = [node_of[i] for i in ids if i in node_of]
            edges = {(speaker, claim_node, "said") for speaker in speakers}
            for target in claim.targets:
                if target.id in node_of:
                    rows["targets"].append({"doc_id": given, "claim_id": claim.id, "entity_id": target.id,
                                            "name": target.name, "node": node_of[target.id]})
                    edges.add((claim_node, node_of[target.id], "about"))
            for node in speakers + [node_of[t.id] for t in claim.targets if t.id in node_of]:
                nodes[node]["mentions"] += 1
            rows["edges"] += [{"source": u, "target": v, "type": kind, "doc_id": given, "claim_id": claim.id}
                              for u, v, kind in sorted(edges, key=lambda e: (e[2] == "about", e))]
            row = {"doc_id": given, "claim_id": claim.id, "position": position, "node": claim_node,
                   "kind": claim.kind, "act": claim.act, "speaker": claim.speaker.name if claim.speaker else None,
                   "speaker_mention": claim.speaker.mention.text if claim.speaker else None,
                   "speaker_node": speakers[0] if speakers else None, "content": claim.text,
                   "cue": claim.cue.text if claim.cue else None, "char_start": claim.content.start,
                   "char_end": claim.content.end, "confidence": claim.confidence,
                   "targets": SEPARATOR.join(t.name for t in claim.targets), "statement_id": None}
            rows["claims"].append(row)
            claim_row[given, claim.id] = row
            block = claim_speakers(claim, node_of)
            if block:
                new_block[given, claim.id] = block
    rows["nodes"] = [{**data, "aliases": SEPARATOR.join(data["aliases"]), "n_docs": len(data.pop("docs"))}
                     for data in nodes.values()]
    # documents whose ids clash once cleaned ("d", "d#2") are named by their order, which a write
    # moves: their claim nodes may change names, so every statement is found again
    renamed = any(doc != XML_ILLEGAL.sub("", given) for doc, given in given_of.items())
    changed = None if written is None or renamed else _changed_blocks(old_block, new_block, written)
    if changed is not None:  # the statements of unchanged speakers stay as they are
        kept = _kept_statements(con, old_block, changed)
        for table in ("statements", "reports", "drift"):
            rows[table] += kept[table]
        for report in kept["reports"]:
            claim_row[report["doc_id"], report["claim_id"]]["statement_id"] = report["statement_id"]
    for statement in find_statements((e for _, e in docs), metadata=meta, blocks=changed):
        reports = statement.reports
        for report in reports:
            claim_row[given_of[report.doc_id], report.claim_id]["statement_id"] = statement.statement_id
        main = statement.longest or statement.first
        rows["statements"].append({
            "statement_id": statement.statement_id, "speaker": statement.speaker,
            "speakers": SEPARATOR.join(statement.speakers), "speaker_name": statement.speaker_name,
            "text": main.text, "n_reports": len(reports), "n_docs": len({r.doc_id for r in reports}),
            "n_outlets": len({r.outlet for r in reports if r.outlet}),
            "first_doc_id": given_of[statement.first.doc_id], "first_claim_id": statement.first.claim_id,
            "first_outlet": statement.first.outlet, "first_published": moment(statement.first.published),
            "longest_doc_id": given_of[statement.longest.doc_id] if statement.longest else None,
            "longest_claim_id": statement.longest.claim_id if statement.longest else None})
        rows["reports"] += [{"statement_id": statement.statement_id, "position": n, "doc_id": given_of[r.doc_id],
                             "claim_id": r.claim_id, "node": r.claim_node, "kind": r.kind, "text": r.text,
                             "outlet": r.outlet, "published": moment(r.published)} for n, r in enumerate(reports)]
        for drift in statement.drift:
            where = {"statement_id": statement.statement_id, "doc_id": given_of[drift.doc_id],
                     "claim_id": drift.claim_id}
            rows["drift"] += [{**where, "change": "added", "words": words, "replaced": None} for words in drift.added]
            rows["drift"] += [{**where, "change": "dropped", "words": None, "replaced": words}
                              for words in drift.dropped]
            rows["drift"] += [{**where, "change": "changed", "words": new, "replaced": old}
                              for old, new in drift.changed]
    for table in _DERIVED:
        con.execute(f"DELETE FROM {table}")
        _insert(con, table, rows[table])


def _stored_blocks(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[str, ...]]:
    """Each stored claim's speaker nodes, sorted, as the last write found them (its 'said' edges)."""
    found: dict[tuple[str, str], set[str]] = {}
    for doc_id, claim_id, source in con.execute("SELECT doc_id, claim_id, source FROM edges WHERE type = 'said'").fetchall():
        found.setdefault((doc_id, claim_id), set()).add(source)
    return {key: tuple(sorted(sources)) for key, sources in found.items()}


def _changed_blocks(old: dict[tuple[str, str], tuple[str, ...]], new: dict[tuple[str, str], tuple[str, ...]],
                    written: set[str]) -> set[tuple[str, ...]]:
    """The speakers whose claims are not the ones they had: a claim of a written document is
    theirs now or was before, or a claim moved from one speaker to another."""
    members: dict[tuple[str, ...], tuple[set, set]] = {}
    for side, blocks in enumerate((old, new)):
        for key, block in blocks.items():
            members.setdefault(block, (set(), set()))[side].add(key)
    return {block for block, (before, now) in members.items()
            if before != now or any(doc_id in written for doc_id, _ in before | now)}


def _kept_statements(con: duckdb.DuckDBPyConnection, old_block: dict[tuple[str, str], tuple[str, ...]],
                     changed: set[tuple[str, ...]]) -> dict[str, list[dict[str, Any]]]:
    """The stored statements, reports and drift rows of the speakers a write leaves as they were."""
    reports = _rows(con.execute("SELECT * FROM reports ORDER BY statement_id, position"))
    kept_ids = {r["statement_id"] for r in reports
                if r["position"] == 0 and old_block.get((r["doc_id"], r["claim_id"])) not in changed}
    kept = {"reports": [r for r in reports if r["statement_id"] in kept_ids]}
    for table in ("statements", "drift"):
        kept[table] = [r for r in _rows(con.execute(f"SELECT * FROM {table}")) if r["statement_id"] in kept_ids]
    return kept


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows column by column: one statement, whatever their number."""
    if not rows:
        return
    columns = SCHEMA[table]
    values = [[_text(row[c]) for row in rows] if kind == _T else [row[c] for row in rows]
              for c, kind in columns.items()]
    selects = ", ".join(f"unnest(${n}::{kind}[])" for n, kind in enumerate(columns.values(), 1))
    con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {selects}", values)


def _create(con: duckdb.DuckDBPyConnection) -> None:
    for table, columns in SCHEMA.items():
        con.execute(f"CREATE TABLE {table} ({', '.join(f'{c} {kind}' for c, kind in columns.items())})")
    con.execute("CREATE TABLE claimx_store (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO claimx_store VALUES ('schema', ?)", [SCHEMA_VERSION])


def _write_error(path: Path, exc: Exception) -> errors.ClaimxError:
    message = str(exc)
    if "No space left" in message or "Disk quota" in message:
        return errors.disk_full(str(path))
    return errors.cannot_write(str(path), OSError(errno.EIO, message))


# --- reading --------------------------------------------------------------------------------


def check_store(path: str | Path, *, write: bool = False) -> None:
    """Raise the coded error `read_store` (or, with `write`, `write_store`) would raise for `path`
    before it reads or writes anything: no store to read (`E180`), a file that is not a claimx
    store (`E181`), one another process holds (`E182`). A missing file is a new store to write."""
    path = Path(path)
    if write and not path.exists():
        _duckdb()
        return
    with _connect(path, write=write):
        pass


def read_store(path: str | Path) -> Iterator[Extraction]:
    """The stored documents as Extractions, with their text, in the order they were written."""
    with _connect(Path(path), write=False) as con:
        stored = con.execute("SELECT record, text FROM documents ORDER BY position").fetchall()
    for record, text in stored:
        yield Extraction.model_validate({**json.loads(record), "text": text or ""})


def counts(path: str | Path) -> dict[str, int]:
    """Rows per table of the store."""
    with _connect(Path(path), write=False) as con:
        return {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


def sql(path: str | Path, query: str, parameters: list[Any] | None = None) -> list[dict[str, Any]]:
    """The rows of a read-only SQL query on the store, as dicts."""
    with _connect(Path(path), write=False) as con:
        return _rows(con.execute(query, parameters or []))


def query_claims(path: str | Path, *, speaker: str | None = None, about: str | None = None,
                 act: str | None = None, outlet: str | None = None,
                 since: str | date | None = None) -> list[dict[str, Any]]:
    """The stored claims that match every filter given, in document and claim order, each with
    its document's outlet, published time, title and url. `speaker`, `about` (an entity the
    claim is about) and `outlet` match case-insensitively anywhere in a canonical name (a
    speaker's or target's name in any document that names its entity); `act` exactly; `since`
    keeps documents published on or after it (an ISO date or datetime, UTC unless it says)."""
    where, parameters = _filters(speaker, about, act, outlet, since)
    query = ("SELECT c.doc_id, c.claim_id, d.outlet, d.published, d.title, d.url, c.speaker, c.speaker_mention, "
             "c.kind, c.act, c.content, c.cue, c.targets, c.confidence, c.char_start, c.char_end, c.statement_id "
             f"FROM claims c JOIN documents d USING (doc_id) WHERE {where} ORDER BY d.position, c.position")
    return sql(path, query, parameters)


def query_statements(path: str | Path, **filters: Any) -> list[dict[str, Any]]:
    """The statements with a report among the claims `query_claims(path, **filters)` gives, first
    published first; each with its `reports` (by date) and `drift`."""
    where, parameters = _filters(**filters)
    chosen = (f"SELECT DISTINCT c.statement_id FROM claims c JOIN documents d USING (doc_id) "
              f"WHERE c.statement_id IS NOT NULL AND {where}")
    with _connect(Path(path), write=False) as con:
        found = _rows(con.execute(f"SELECT * FROM statements WHERE statement_id IN ({chosen}) "
                                  "ORDER BY first_published NULLS LAST, statement_id", parameters))
        reports = _rows(con.execute(f"SELECT * FROM reports WHERE statement_id IN ({chosen}) "
                                    "ORDER BY statement_id, position", parameters))
        drift = _rows(con.execute(f"SELECT * FROM drift WHERE statement_id IN ({chosen})", parameters))
    by_statement: dict[Any, dict[str, list[dict[str, Any]]]] = {
        s["statement_id"]: {"reports": [], "drift": []} for s in found}
    for table, rows in (("reports", reports), ("drift", drift)):
        for row in rows:
            by_statement[row["statement_id"]][table].append(row)
    for statement in found:
        statement.update(by_statement[statement["statement_id"]])
    return found


def _filters(speaker: str | None = None, about: str | None = None, act: str | None = None,
             outlet: str | None = None, since: str | date | None = None) -> tuple[str, list[Any]]:
    """The WHERE clause over claims `c` and documents `d`, and its parameters."""
    conditions, parameters = ["true"], []
    if speaker is not None:
        conditions.append("(contains(lower(c.speaker), lower(?)) OR EXISTS (SELECT 1 FROM edges e JOIN entities n "
                          "ON n.node = e.source WHERE e.type = 'said' AND e.target = c.node "
                          "AND contains(lower(n.name), lower(?))))")
        parameters += [speaker, speaker]
    if about is not None:
        conditions.append("EXISTS (SELECT 1 FROM targets t JOIN entities n ON n.node = t.node WHERE "
                          "t.doc_id = c.doc_id AND t.claim_id = c.claim_id AND contains(lower(n.name), lower(?)))")
        parameters.append(about)
    if act is not None:
        conditions.append("c.act = ?")
        parameters.append(act)
    if outlet is not None:
        conditions.append("contains(lower(d.outlet), lower(?))")
        parameters.append(outlet)
    if since is not None:
        when = moment(since)
        if when is None:
            raise errors.bad_since(since)
        conditions.append("d.published >= ?")
        parameters.append(when)
    return " AND ".join(conditions), parameters


def _rows(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


# --- the file ---------------------------------------------------------------------------------


def _duckdb() -> Any:
    return errors.import_extra("duckdb", "the store", "store")


@contextmanager
def _connect(path: Path, *, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the claimx store at `path`: `E180` if there is none to read, `E181` if the
    file is another program's or no database, `E182` if another process holds it."""
    duckdb = _duckdb()
    if path.is_dir():
        raise errors.not_a_store(str(path), "it is a folder")
    if not write and not path.exists():
        raise errors.no_store(str(path))
    try:
        con = duckdb.connect(str(path), read_only=not write)
    except duckdb.Error as exc:
        message = str(exc)
        if "not a valid DuckDB database" in message:
            raise errors.not_a_store(str(path), "not a DuckDB database") from None
        if "lock" in message.lower():
            raise errors.store_in_use(str(path), message) from None
        if write:
            raise _write_error(path, exc) from None
        raise errors.not_a_store(str(path), message) from None
    try:
        _check(con, path, write)
        yield con
    finally:
        con.close()


def _check(con: duckdb.DuckDBPyConnection, path: Path, write: bool) -> None:
    """Raise `E181` unless the database is a claimx store of this layout (or, to write, empty)."""
    if _is_empty(con):
        if write:
            return
        raise errors.not_a_store(str(path), "an empty database")
    tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "claimx_store" not in tables:
        raise errors.not_a_store(str(path), "another program's database: it has no claimx_store table")
    found = con.execute("SELECT value FROM claimx_store WHERE key = 'schema'").fetchone()
    if found is None or found[0] != SCHEMA_VERSION or not set(TABLES) <= tables:
        raise errors.not_a_store(str(path), f"its layout is version {found[0] if found else '(none)'}, this claimx "
                                            f"reads version {SCHEMA_VERSION}")


def _is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()[0] == 0


# --- values -----------------------------------------------------------------------------------


def moment(value: str | date | None) -> datetime | None:
    """A published value as a naive UTC datetime (a date is its midnight, a naive time is UTC);
    None when absent or not an ISO date or datetime."""
    if value is None or value == "":
        return None
    try:
        when = published_moment(value.isoformat() if isinstance(value, date) else str(value))
    except ValueError:
        return None
    return when.astimezone(timezone.utc).replace(tzinfo=None)


def _date_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value).strip()


def _optional(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _clean(text: str) -> str:
    from claimx.text import SURROGATES, without_surrogates

    return without_surrogates(text) if SURROGATES.search(text) else text


def _text(value: Any) -> str | None:
    """A text cell: DuckDB takes UTF-8 only, so a lone surrogate becomes U+FFFD, as in Parquet."""
    return None if value is None else _clean(value if isinstance(value, str) else str(value))
