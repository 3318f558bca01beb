"""claimx on a Dask cluster: extraction over bags and dataframes, the corpus graph, partitioned output.

    from claimx import cluster
    results = cluster.extract_bag(db.read_text("news/*.jsonl").map(json.loads))   # or extract_frame(df)
    cluster.write_partitions(results, "out/", format="parquet")                   # any size
    graph = cluster.build_graph(results)                                          # a slice that fits in memory

Every result record is plain JSON: a document's `Extraction.model_dump(mode="json")` (without its
text unless asked), its `doc_id` always set, or, for a document that could not be extracted, an
error row (`DocumentError`). The spaCy pipeline is loaded once in each worker process
(`ClaimxPipeline`); tasks carry only its name. Needs the `dask` extra: pip install "claimx[dask]".
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimx import errors

try:
    import dask
    import dask.bag as db
    from distributed import Client, WorkerPlugin, default_client, get_worker
except ImportError as exc:  # pragma: no cover - exercised by hiding dask in a test
    raise errors.needs_extra("claimx on Dask", exc.name or "dask", "dask") from exc

from claimx.exports import atomic_open, claim_rows, claims_schema, json_text
from claimx.extraction import DEFAULT_BATCH_SIZE, batched, document_metadata, extract, extract_many
from claimx.graph import add_statements, finish_graph, full_names, merge_full_names, merge_graphs, partial_graph
from claimx.models import METADATA, Extraction, FrozenModel
from claimx.text import without_surrogates

if TYPE_CHECKING:
    import dask.dataframe as dd
    import networkx as nx
    from spacy.language import Language

TABLE_FORMATS = ("jsonl", "parquet")
# The tables of a partitioned output, one file per partition in each: documents are nested
# records, always JSONL; the flat tables are JSONL or Parquet.
TABLES = ("documents", "claims", "entities", "edges", "errors")
ENTITY_FIELDS = ("node", "name", "kind", "aliases", "docs", "n_docs", "mentions")
EDGE_FIELDS = ("source", "target", "type", "doc")
_ENTITY_EDGES = frozenset({"said", "about"})  # the graph edges the edges table holds
_PART = re.compile(r"part-(\d+)\.(jsonl|parquet)")  # a partition's file in a table


class ErrorDetail(FrozenModel):
    """Why a document failed: a claimx error code ("E001": its text is not a string; "E140": the
    extraction raised) and a message."""

    code: str
    message: str


class DocumentError(FrozenModel):
    """The result record of a document that could not be extracted. It takes the document's
    place in the results and its row in the `errors` table; the rest of its partition goes on."""

    doc_id: str
    error: ErrorDetail


def is_error(record: dict[str, Any]) -> bool:
    """Whether a result record is an error row rather than a document's extraction."""
    return "error" in record


@dataclass(frozen=True)
class Job:
    """How to extract: small, so it travels with every task instead of the pipeline. `text`: keep
    each document's text in its record."""

    model: str | None = None
    fast: bool = False
    batch_size: int = DEFAULT_BATCH_SIZE
    text_field: str = "text"
    id_field: str = "id"
    text: bool = False
    attribution_model: str | None = None


def plugin_name(model: str | None, fast: bool = False, attribution_model: str | None = None) -> str:
    return f"claimx-pipeline:{model or 'default'}{':fast' if fast else ''}:{attribution_model or 'default'}"


class ClaimxPipeline(WorkerPlugin):
    """Loads the claimx pipeline once in each worker process: when the plugin is registered, and
    on every worker that joins later (one restarted after a crash, say). Tasks find it by name."""

    idempotent = True  # registering it again keeps the pipelines already loaded

    def __init__(self, model: str | None = None, fast: bool = False, attribution_model: str | None = None) -> None:
        self.model = model
        self.fast = fast
        self.attribution_model = attribution_model
        self.name = plugin_name(model, fast, attribution_model)
        self.nlp: Language | None = None
        self.lock: threading.Lock | None = None
        self.loads = 0  # pipelines this worker loaded: 1, however many partitions it ran
        self.partitions = 0  # partitions this worker extracted with it

    def setup(self, worker: Any) -> None:
        from claimx.loading import load

        self.nlp = load(self.model, fast=self.fast, attribution_model=self.attribution_model)
        self.lock = threading.Lock()
        self.loads += 1

    def teardown(self, worker: Any) -> None:
        self.nlp = None


_FALLBACK_LOCK = threading.Lock()  # guards the per-process default pipeline outside a Dask worker


def _pipeline(job: Job) -> tuple[Language, threading.Lock]:
    """The worker's loaded pipeline, or, with no plugin (another scheduler, no client when the bag
    was built), the default pipeline of this process, itself loaded once per process. A worker
    parses one partition at a time: spaCy pipelines are not shared between threads."""
    try:
        plugin = get_worker().plugins.get(plugin_name(job.model, job.fast, job.attribution_model))
    except ValueError:  # not in a Dask worker
        plugin = None
    if plugin is not None and plugin.nlp is not None:
        plugin.partitions += 1
        return plugin.nlp, plugin.lock
    from claimx.loading import choose_model, default_pipeline

    return default_pipeline(choose_model(job.model), job.fast, job.attribution_model), _FALLBACK_LOCK


def load_on_workers(client: Client, model: str | None = None, fast: bool = False,
                    attribution_model: str | None = None) -> None:
    """Load the pipeline in every worker of `client`'s cluster now, and in every worker that joins
    later. A model the workers cannot load raises its coded error here, not in the first task."""
    client.register_plugin(ClaimxPipeline(model, fast, attribution_model))


# --- extraction --------------------------------------------------------------------------------


def extract_bag(
    items: db.Bag,
    *,
    model: str | None = None,
    fast: bool = False,
    attribution_model: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    text_field: str = "text",
    id_field: str = "id",
    text: bool = False,
) -> db.Bag:
    """A bag of result records, one per item and in its place: texts, (text, id) pairs, or records
    with their text in `text_field` and their id in `id_field`. A document without an id is named
    `doc<partition>.<index>`. With a Dask client open, its workers load the pipeline now."""
    job = Job(model, fast, batch_size, text_field, id_field, text, attribution_model)
    try:
        load_on_workers(default_client(), model, fast, attribution_model)
    except ValueError:  # no client: the tasks load the pipeline once per process
        pass
    parts = items.to_delayed()
    return db.from_delayed([dask.delayed(extract_records)(part, n, job) for n, part in enumerate(parts)])


def extract_frame(
    frame: dd.DataFrame,
    *,
    text_column: str = "text",
    id_column: str | None = "id",
    model: str | None = None,
    fast: bool = False,
    attribution_model: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> db.Bag:
    """`extract_bag` over a dataframe's text column; documents are named by `id_column`, or by
    the frame's index when it is None, and take their metadata from the columns `outlet` (or
    `source`), `published`, `url` and `title` that the frame has. A missing text (None, NaN)
    gives an error row."""
    meta = [column for column in (*METADATA, "source") if column in frame.columns]
    if id_column is None:
        id_column = frame.index.name or "index"
        items = frame[[text_column, *meta]].to_bag(index=True, format="dict")
    else:
        items = frame[[id_column, text_column, *meta]].to_bag(format="dict")
    return extract_bag(items, model=model, fast=fast, attribution_model=attribution_model, batch_size=batch_size,
                       text_field=text_column, id_field=id_column)


def extract_records(items: list, partition: int = 0, job: Job = Job(), nlp: Language | None = None) -> list[dict[str, Any]]:
    """The result records of one partition: what each Dask task runs, in a worker or anywhere.
    Without `nlp`, the worker's pipeline (or this process's default one)."""
    nlp, lock = _pipeline(job) if nlp is None else (nlp, nullcontext())
    rows: list[dict[str, Any] | None] = [None] * len(items)
    docs: list[tuple[int, str, str, dict[str, str]]] = []
    for index, item in enumerate(items):
        value, doc_id, context = _document(item, f"doc{partition}.{index}", job)
        try:
            meta = document_metadata(context, doc_id)
        except errors.ClaimxError as exc:
            rows[index] = _error_row(doc_id, exc)
            continue
        if isinstance(value, str):
            docs.append((index, value, doc_id, meta))
        elif isinstance(item, dict) and job.text_field not in item:
            rows[index] = _error_row(doc_id, errors.no_text_field(job.text_field))
        else:
            where = f"field {job.text_field!r}" if isinstance(item, dict) else "text"
            rows[index] = _error_row(doc_id, errors.not_text(value, where))
    with lock:
        records = _records(nlp, [(text, {**meta, "id": doc_id}) for _, text, doc_id, meta in docs], job)
    for (index, *_), record in zip(docs, records):
        rows[index] = record
    return rows


def _document(item: object, default_id: str, job: Job) -> tuple[object, str, dict[str, Any]]:
    """(text, id, context) of an item: a record gives its metadata fields (`outlet` or `source`,
    `published`, `url`, `title`), a (text, context) pair its context's. Nothing is checked yet,
    so a bad text or metadata value becomes an error row."""
    context: dict[str, Any] = {}
    if isinstance(item, dict):
        value, doc_id, context = item.get(job.text_field), item.get(job.id_field), item
    elif isinstance(item, tuple) and len(item) == 2:
        value, doc_id = item
        if isinstance(doc_id, dict):
            context, doc_id = doc_id, doc_id.get("id")
    else:
        value, doc_id = item, None
    return value, default_id if doc_id is None else str(doc_id), context


def _records(nlp: Language, docs: list[tuple[str, dict[str, str]]], job: Job) -> list[dict[str, Any]]:
    """Batched extraction; when a batch raises, its documents are redone one by one, so only the
    document that fails becomes an error row, and batching resumes after it."""
    exclude = None if job.text else {"text"}
    out: list[dict[str, Any]] = []
    while len(out) < len(docs):
        try:
            for result in extract_many(docs[len(out):], nlp=nlp, batch_size=job.batch_size):
                out.append(result.model_dump(mode="json", exclude=exclude))
        except Exception:
            for text, context in docs[len(out):len(out) + job.batch_size]:
                out.append(_one(nlp, text, context, exclude))
    return out


def _one(nlp: Language, text: str, context: dict[str, str], exclude: set[str] | None) -> dict[str, Any]:
    doc_id = context["id"]
    try:
        meta = {field: context[field] for field in METADATA if field in context}
        return extract(text, nlp, doc_id=doc_id, **meta).model_dump(mode="json", exclude=exclude)
    except errors.ClaimxError as exc:
        return _error_row(doc_id, exc)
    except Exception as exc:
        return _error_row(doc_id, errors.extraction_failed(doc_id, exc))


def _error_row(doc_id: str, exc: errors.ClaimxError) -> dict[str, Any]:
    return DocumentError(doc_id=doc_id, error=ErrorDetail(code=exc.code, message=exc.message)).model_dump(mode="json")


# --- the corpus graph ----------------------------------------------------------------------------


def build_graph(results: db.Bag, *, statements: bool = True) -> nx.MultiDiGraph:
    """`claimx.build_graph` of the documents in `results`, computed as a reduction: the corpus's
    full names first (the surname rule is corpus-wide), then one partial graph per partition,
    merged in order. With `statements`, the documents are collected too, in the same computation,
    and their statements found here, after the merge, over the whole corpus. Equal to the
    single-process graph; it must fit in memory."""
    docs = results.map_partitions(_extractions)
    names = docs.reduction(full_names, merge_full_names)
    partials = docs.map_partitions(_partial_graphs, names)
    merged = partials.reduction(merge_graphs, merge_graphs)
    if not statements:
        return finish_graph(merged.compute())
    from claimx.statements import find_statements

    graph, collected = dask.compute(merged, docs)
    return add_statements(finish_graph(graph), find_statements([extraction for _, extraction in collected]))


def _partial_graphs(docs: list[tuple[str, Extraction]], names: dict[str, set[str]]) -> list[nx.MultiDiGraph]:
    return [partial_graph(docs, names)]


def _extractions(records: Iterable[dict[str, Any]]) -> list[tuple[str, Extraction]]:
    return [(r["doc_id"], Extraction.model_validate({"text": "", **r})) for r in records if not is_error(r)]


# --- partitioned output ---------------------------------------------------------------------------


def prepare_folder(folder: str | Path, format: str = "jsonl", *, resume: bool = False) -> Path:
    """The folder for a partitioned output, created; refused if it holds partitions already, so
    that a run never mixes its files with an earlier run's. With `resume`, partitions of this
    `format` are accepted (`complete_partitions` tells which are done), those of the other are not."""
    if format not in TABLE_FORMATS:
        raise ValueError(f"format must be one of {', '.join(TABLE_FORMATS)}, not {format!r}")
    if format == "parquet":
        _pyarrow()
    folder = Path(folder)
    if not resume and any(folder.glob("*/part-*")):
        raise errors.folder_not_empty(str(folder))
    other = next(f for f in TABLE_FORMATS if f != format)
    if resume and any(next(folder.glob(f"{table}/part-*.{other}"), None) for table in TABLES if table != "documents"):
        raise errors.mixed_table_formats(str(folder), other, format)
    for table in TABLES:
        (folder / table).mkdir(parents=True, exist_ok=True)
    return folder


def write_partitions(results: db.Bag, folder: str | Path, *, format: str = "jsonl", compute: bool = True) -> Any:
    """Write `results` as tables of partitions, `<folder>/<table>/part-<n>.<format>`:

    - documents: the result records of the documents (JSONL, read back with `claimx.read_jsonl`);
    - claims: one flat row per claim (`claimx.claim_rows`);
    - entities: the entity nodes of each partition's graph, keyed by `node`;
    - edges: source, target, type ("said" or "about") and doc of each graph edge between an
      entity and a claim (a claim's document and outlet are in its claims row);
    - errors: the `DocumentError` rows.

    Each file is written whole under its partition's name, so a partition retried after a lost
    worker replaces its file and no row is written twice. The surname rule is corpus-wide, so here
    a surname alone keeps its own node (`entity:<surname>`). Returns per-partition counts (or the
    delayed tasks, with `compute=False`)."""
    folder = prepare_folder(folder, format)
    tasks = [dask.delayed(write_partition)(part, folder, n, format) for n, part in enumerate(results.to_delayed())]
    return list(dask.compute(*tasks)) if compute else tasks


def write_partition(records: list[dict[str, Any]], folder: Path, partition: int, format: str) -> dict[str, int]:
    """The files of one partition, each replaced atomically; returns the rows written per table."""
    failed = [r for r in records if is_error(r)]
    docs = [r for r in records if not is_error(r)]
    pairs = _extractions(docs)
    graph = finish_graph(partial_graph(pairs, {}))
    entities = [{"node": node, **{k: data[k] for k in ENTITY_FIELDS[1:]}}
                for node, data in graph.nodes(data=True) if data["type"] == "entity"]
    edges = [{"source": u, "target": v, "type": data["type"], "doc": graph.nodes[v if data["type"] == "said" else u]["doc"]}
             for u, v, data in graph.edges(data=True) if data["type"] in _ENTITY_EDGES]
    tables = {"documents": docs, "claims": list(claim_rows(e for _, e in pairs)), "entities": entities, "edges": edges,
              "errors": failed}
    name = f"part-{partition:05d}"
    for table, rows in tables.items():
        if format == "parquet" and table != "documents":
            _write_parquet(rows, folder / table / f"{name}.parquet", table)
        else:
            with atomic_open(folder / table / f"{name}.jsonl") as out:
                out.writelines(json_text(row) + "\n" for row in rows)
    return {table: len(rows) for table, rows in tables.items()}


def _write_parquet(rows: list[dict[str, Any]], path: Path, table: str) -> None:
    pa = _pyarrow()
    import pyarrow.parquet as pq

    with atomic_open(path, "wb") as out:
        pq.write_table(pa.Table.from_pylist([_valid_utf8(row) for row in rows], schema=_schema(table)), out)


def _valid_utf8(value: Any) -> Any:
    if isinstance(value, str):
        return without_surrogates(value)
    if isinstance(value, dict):
        return {k: _valid_utf8(v) for k, v in value.items()}
    return value


def _schema(table: str) -> Any:
    """The Parquet schema of a flat table: fixed, so every partition, even an empty one, agrees."""
    pa = _pyarrow()
    if table == "claims":
        return claims_schema(pa)
    text, integer = pa.string(), pa.int64()
    columns = {
        "entities": {"node": text, "name": text, "kind": text, "aliases": text, "docs": text, "n_docs": integer,
                     "mentions": integer},
        "edges": {field: text for field in EDGE_FIELDS},
        "errors": {"doc_id": text, "error": pa.struct([("code", text), ("message", text)])},
    }[table]
    return pa.schema(list(columns.items()))


def complete_partitions(folder: str | Path, format: str = "jsonl") -> frozenset[int]:
    """The numbers of the partitions whose files are in every table of `folder`. Each file is
    renamed into place whole, so such a partition was written to its end; one with only some of
    its files (its run was killed while writing it) is not complete, and is written again."""
    complete: set[int] | None = None
    for table in TABLES:
        suffix = "jsonl" if table == "documents" else format
        numbers = {int(match[1]) for path in (Path(folder) / table).glob(f"part-*.{suffix}")
                   if (match := _PART.fullmatch(path.name)) and match[2] == suffix}
        complete = numbers if complete is None else complete & numbers
    return frozenset(complete or ())


def _check_partition(folder: Path, partition: int, format: str, ids: list[str], size: int) -> None:
    """Raise `E163` unless the files of a complete partition hold the documents `ids`, in order
    (those that failed are rows of `errors` instead): the partition the input gives it now."""
    name = f"part-{partition:05d}"
    with open(folder / "documents" / f"{name}.jsonl", encoding="utf-8") as stream:
        written = [json.loads(line)["doc_id"] for line in stream if line.strip()]
    if format == "parquet":
        import pyarrow.parquet as pq

        failed = pq.read_table(folder / "errors" / f"{name}.parquet", columns=["doc_id"])["doc_id"].to_pylist()
    else:
        with open(folder / "errors" / f"{name}.jsonl", encoding="utf-8") as stream:
            failed = [json.loads(line)["doc_id"] for line in stream if line.strip()]
    if (sorted(written + failed) == sorted(ids)) if failed else written == ids:
        return
    held = f"{len(written) + len(failed)} documents, {_ids(written)}"
    if failed:
        held += f" and error rows {_ids(failed)}"
    raise errors.partition_mismatch(
        str(folder), partition,
        f"holds {held}, but the input's documents {partition * size + 1}-{partition * size + len(ids)} in partitions "
        f"of {size} are {_ids(ids)}")


def _ids(ids: list[str]) -> str:
    return "none" if not ids else repr(ids[0]) if len(ids) == 1 else f"{ids[0]!r} to {ids[-1]!r}"


def _pyarrow() -> Any:
    return errors.import_extra("pyarrow", "Parquet", "dask")


# --- the command line's cluster -----------------------------------------------------------------


@contextmanager
def connect(scheduler: str | None = None, workers: int | None = None) -> Iterator[Client]:
    """A client of the running cluster at `scheduler`, or of a local cluster of `workers`
    single-thread worker processes started here; closed (and the local cluster stopped) on exit.
    The local workers' own logs are silenced: failures come back as coded errors and error rows."""
    if scheduler:
        try:
            client = Client(scheduler)  # waits distributed.comm.timeouts.connect (30 s by default)
        except (OSError, TimeoutError) as exc:
            raise errors.no_cluster(scheduler, str(exc) or type(exc).__name__) from None
        with client:
            yield client
        return
    import logging

    from distributed import LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.CRITICAL) as cluster:
        with Client(cluster) as client:
            yield client


def extract_stream(
    client: Client,
    items: Iterable[tuple[str, str]],
    *,
    partition_size: int = 16,
    model: str | None = None,
    fast: bool = False,
    attribution_model: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    folder: Path | None = None,
    format: str = "jsonl",
    keep: bool = True,
    done: Collection[int] = frozenset(),
) -> Iterator[dict[str, Any]]:
    """Result records of a stream of (text, id) pairs extracted on `client`'s cluster, in order,
    with texts. Partitions of `partition_size` go out a few per worker at a time, so the stream is
    never read far ahead. With `folder`, each task also writes its partition there (see
    `write_partitions`); with `keep=False`, only error rows come back.

    To resume a run, `done` numbers the partitions already in `folder` (`complete_partitions`):
    partition n is always documents n*partition_size to (n+1)*partition_size-1 of the stream, so
    each of those is checked to hold its documents (`E163` if not: another input, another
    partition size) and is neither extracted nor yielded again."""
    if done and folder is None:
        raise ValueError("done names partitions of a folder: give the folder")
    job = Job(model, fast, batch_size, text=True, attribution_model=attribution_model)
    load_on_workers(client, model, fast, attribution_model)
    window = 4 * max(1, len(client.scheduler_info()["workers"]))
    pending: deque = deque()
    partitions = 0
    for n, part in enumerate(batched(items, partition_size)):
        partitions = n + 1
        if n in done:
            ids = [_document(item, f"doc{n}.{index}", job)[1] for index, item in enumerate(part)]
            _check_partition(folder, n, format, ids, partition_size)
            continue
        pending.append(client.submit(_extract_and_write, part, n, job, folder, format, keep, pure=False))
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()
    beyond = sorted(n for n in done if n >= partitions)
    if beyond:
        raise errors.partition_mismatch(str(folder), beyond[0], f"is there, but the input makes only {partitions} "
                                        f"partitions of {partition_size}")


def _extract_and_write(items: list, partition: int, job: Job, folder: Path | None, format: str,
                       keep: bool) -> list[dict[str, Any]]:
    records = extract_records(items, partition, job)
    if folder is not None:
        write_partition(records, folder, partition, format)
    return records if keep else [r for r in records if is_error(r)]

