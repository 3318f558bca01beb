"""Exports: graphs and claims written as files other tools open, and read back.

Graphs: GraphML (Gephi, Cytoscape, yEd), GEXF (Gephi), Cytoscape.js JSON and node-link JSON. Claims: JSONL (one
document per line) and flat rows as JSONL or CSV. Every writer takes a path or "-" for standard
output, writes atomically (a temporary file, then `os.replace`), and never changes the caller's
graph. Every node and edge of a graph file has its own id, the same on every run. XML formats
get scalar attributes only, no None, one type per attribute, and no character XML forbids,
but keep carriage returns; JSON keeps even lone surrogates, as escapes.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import socket
import stat
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import IO, Any

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter
from networkx.readwrite.graphml import GraphMLWriter

from claimx.errors import bad_record
from claimx.graph import SEPARATOR, UniqueNames
from claimx.models import Extraction
from claimx.text import SURROGATES, XML_ILLEGAL, without_surrogates

# Characters XML 1.0 forbids (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/U+FFFF).
_SCALARS = (bool, int, float, str)
# Attribute names GEXF (as networkx writes it) takes for itself: ids, time, hierarchy, drawing, direction.
_GEXF_OWN = {"node": frozenset({"id", "pid", "start", "end", "spells", "slices", "parents", "viz"}),
             "edge": frozenset({"id", "type", "start", "end", "spells", "slices", "viz"})}
# A cell a spreadsheet runs as a formula, behind any quotes already there: quoting one more is
# reversible, since a cell so quoted always starts with a quote and then this.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_INERT = re.compile(r"^'(?='*[=+\-@\t\r])")  # the quote write_claims_csv put in front
CLAIM_FIELDS = ("doc", "outlet", "published", "url", "title", "id", "kind", "act", "speaker", "speaker_mention",
                "content", "start", "end", "cue", "confidence", "targets")


# --- writing --------------------------------------------------------------------------------


def write_text(path: str | os.PathLike, write: Callable[[IO[str]], None]) -> Path | None:
    """Write text to `path` ("-": standard output) as `atomic_open` does. `write` receives the
    open text stream. A full disk or an unwritable target raises a coded error (`OutputError`)."""
    with atomic_open(path, "w") as stream:
        write(stream)
    return None if str(path) == "-" else Path(path)


def write_bytes(path: str | os.PathLike, write: Callable[[IO[bytes]], None]) -> Path | None:
    """`write_text` for binary formats (Parquet, PNG): `write` receives the open byte stream."""
    with atomic_open(path, "wb") as stream:
        write(stream)
    return None if str(path) == "-" else Path(path)


@contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w") -> Iterator[IO]:
    """A stream ("w": UTF-8 text, "wb": bytes) to write `path` with, so that it never clobbers:
    - a regular file (or a new one) is written to a temporary file beside it, which replaces it
      only once the block ends without error; a file keeps its permissions, a new one gets
      those a new file normally gets; writing the same path again, as a retried task does,
      leaves one whole file;
    - a symbolic link is followed, and its target written that way: the link stays;
    - "-", or a path to this process's standard output or error (`/dev/stdout`, even when that
      is redirected to a file), is that stream, written as it goes;
    - a character device, a FIFO or a socket (`/dev/null`, a named pipe) is written through.
    Temporary files of this naming pattern that a killed run on this machine left beside the
    target are removed first. A full disk or an unwritable target raises a coded error
    (`OutputError`)."""
    with output_errors("standard output" if str(path) == "-" else str(path)):
        stream = _std_stream(path)
        if stream is not None:
            out = stream.buffer if "b" in mode else stream
            yield out
            out.flush()
            return
        try:
            kind = os.stat(path).st_mode  # through any symbolic link
        except FileNotFoundError:
            kind = stat.S_IFREG  # a new file, or a link to one
        if stat.S_ISDIR(kind):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if not stat.S_ISREG(kind):
            with open(path, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})) as out:
                yield out
            return
        target = Path(os.path.realpath(path))
        _remove_stale(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{_temp_mark()}{os.getpid()}-", suffix=".tmp",
                                   dir=target.parent)
        try:
            with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})) as out:
                yield out
            try:
                mode_bits = stat.S_IMODE(os.stat(target).st_mode)  # an existing file keeps its own
            except FileNotFoundError:
                mode_bits = 0o666 & ~_umask()
            os.chmod(tmp, mode_bits)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _std_stream(path: str | os.PathLike) -> IO[str] | None:
    """sys.stdout or sys.stderr when `path` is "-" or names the same file as one of them."""
    if str(path) == "-":
        return sys.stdout
    try:
        theirs = os.stat(path)
    except OSError:
        return None
    for stream in (sys.stdout, sys.stderr):
        try:
            mine = os.fstat(stream.fileno())
        except (OSError, ValueError, AttributeError):  # a stream with no file behind it
            continue
        if (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino):
            return stream
    return None


@cache
def _umask() -> int:
    """The process's umask, read once (reading it means setting it, which other threads would see)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


@cache
def _temp_mark() -> str:
    """The start of a temporary file's name after its target's: claimx, this machine, then the pid."""
    host = "".join(c if c.isalnum() else "_" for c in socket.gethostname())[:40]
    return f"claimx-{host}-"


def _remove_stale(target: Path) -> None:
    """Remove the temporary files beside `target` that claimx processes on this machine which
    are no longer running left there (a run killed mid-write). Another machine's, on a shared
    folder, are left alone: its processes cannot be seen from here."""
    prefix = f".{target.name}.{_temp_mark()}"
    try:
        names = [n for n in os.listdir(target.parent) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        pid = name[len(prefix):].split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            (target.parent / name).unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


@contextmanager
def output_errors(target: str) -> Iterator[None]:
    """Turn the OS errors of writing `target` into claimx's coded ones: a full disk (`E150`),
    and a target that cannot be written (`E151`)."""
    from claimx.errors import OutputError, cannot_write, disk_full

    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise disk_full(target) from exc
        if isinstance(exc, BrokenPipeError):
            raise
        raise cannot_write(target, exc) from exc


def json_text(data: Any, **options: Any) -> str:
    """JSON that any UTF-8 reader accepts: a lone surrogate is written as its \\uXXXX escape."""
    text = json.dumps(data, ensure_ascii=False, **options)
    return text.encode("utf-8", "backslashreplace").decode("utf-8") if SURROGATES.search(text) else text


def write_graphml(graph: nx.Graph, path: str | os.PathLike) -> Path | None:
    """GraphML for Gephi, Cytoscape and yEd. Node ids are the node names, edge ids
    `<source>-><target>:<key>` (`<source>-><target>` in a simple graph), all distinct."""
    xml = _graphml(graph)
    return write_text(path, lambda out: out.write(xml))


def write_gexf(graph: nx.Graph, path: str | os.PathLike) -> Path | None:
    """GEXF for Gephi, with the ids GraphML gets. GEXF gives the attributes `start` and `end`
    (time), an edge's `type` (its direction) and a few more a meaning of their own, so those are
    written with a trailing underscore (`start_`), and `read_gexf` takes it off."""
    xml = _gexf(graph)
    return write_text(path, lambda out: out.write(xml))


def write_json(graph: nx.Graph, path: str | os.PathLike) -> Path | None:
    """networkx node-link JSON ("nodes" and "edges")."""
    data = nx.node_link_data(graph, edges="edges")
    return write_text(path, lambda out: out.write(json_text(data, indent=1) + "\n"))


def write_cyjs(graph: nx.Graph, path: str | os.PathLike) -> Path | None:
    """Cytoscape.js JSON (`.cyjs`, networkx's `cytoscape_data`) for Cytoscape and Cytoscape.js.
    Every node and edge has its own `data.id` (Cytoscape.js requires one and shares one namespace
    between nodes and edges): a node's is its name, an edge's `<source>-><target>:<key>` as in
    GraphML; edges name their ends by those ids, and graph attributes are one object."""
    named = _relabelled(graph, stacklevel=3)
    edges = _edge_ids(named)
    data = nx.cytoscape_data(named)
    data["data"] = dict(graph.graph)
    for element in data["elements"]["nodes"]:
        element["data"]["id"] = element["data"]["value"]
    for element in data["elements"]["edges"]:
        edge = element["data"]
        edge["id"] = edges[(edge["source"], edge["target"], edge["key"]) if named.is_multigraph()
                           else (edge["source"], edge["target"])]
    return write_text(path, lambda out: out.write(json_text(data, indent=1) + "\n"))


def write_jsonl(extractions: Iterable[Extraction], path: str | os.PathLike, *, text: bool = False) -> Path | None:
    """One line per document: its id, claims and entities (and its text, with `text=True`)."""
    exclude = None if text else {"text"}

    def write(out: IO[str]) -> None:
        for extraction in extractions:
            out.write(json_text(extraction.model_dump(mode="json", exclude=exclude)) + "\n")

    return write_text(path, write)


def append_jsonl(extractions: Iterable[Extraction], path: str | os.PathLike, *, text: bool = False) -> Path:
    """`write_jsonl` written through, for a run that can be resumed: after cutting off a partial
    last line a killed run left, each document's line is appended to `path` and flushed whole as
    it comes. Killed at any moment, the file holds complete lines and at most one partial last
    line, so a later run can go on after `jsonl_doc_ids(path)`; the lines are the bytes
    `write_jsonl` writes, so the finished file is the same. The file is touched only once the
    first document has come: a stream that raises before (a resume refused) leaves it as it was."""
    exclude = None if text else {"text"}
    lines = ((json_text(e.model_dump(mode="json", exclude=exclude)) + "\n").encode("utf-8") for e in extractions)
    line = next(lines, None)
    path = Path(path)
    with output_errors(str(path)), open(path, "a+b") as out:
        out.truncate(_complete_length(out))
        while line is not None:
            out.write(line)
            out.flush()
            line = next(lines, None)
    return path


def jsonl_doc_ids(path: str | os.PathLike) -> list[str]:
    """The `doc_id` of every complete line of a `write_jsonl` or `append_jsonl` file, in order:
    the documents a run killed mid-way has written. A partial last line (no newline yet) is not
    one of them; a complete line that is not a claimx document raises `E162`. No file: none."""
    from claimx.errors import not_resumable_line

    ids: list[str] = []
    try:
        stream = open(path, "rb")
    except FileNotFoundError:
        return ids
    with stream:
        for line_no, line in enumerate(stream, 1):
            if not line.endswith(b"\n"):
                break  # the partial line of a killed run
            try:
                record = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise not_resumable_line(str(path), line_no, f"not UTF-8 JSON: {exc}") from None
            doc_id = record.get("doc_id") if isinstance(record, dict) else None
            if not isinstance(doc_id, str):
                raise not_resumable_line(str(path), line_no, "no doc_id")
            ids.append(doc_id)
    return ids


def _complete_length(stream: IO[bytes]) -> int:
    """The length of a binary stream's complete lines: up to and with its last newline."""
    position = stream.seek(0, os.SEEK_END)
    while position > 0:
        start = max(0, position - 65536)
        stream.seek(start)
        newline = stream.read(position - start).rfind(b"\n")
        if newline >= 0:
            return start + newline + 1
        position = start
    return 0


def write_documents_json(extractions: Iterable[Extraction], path: str | os.PathLike, *, text: bool = False) -> Path | None:
    """The documents as one JSON array, as `write_jsonl` writes them line by line."""
    exclude = None if text else {"text"}
    docs = [extraction.model_dump(mode="json", exclude=exclude) for extraction in extractions]
    return write_text(path, lambda out: out.write(json_text(docs, indent=1) + "\n"))


def write_claims_jsonl(extractions: Iterable[Extraction], path: str | os.PathLike) -> Path | None:
    """One line per claim, flat: see `claim_rows`."""
    return write_text(path, lambda out: out.writelines(json_text(row) + "\n" for row in claim_rows(extractions)))


def write_claims_csv(extractions: Iterable[Extraction], path: str | os.PathLike) -> Path | None:
    """One CSV row per claim, flat: see `claim_rows`. CSV has no escapes, so a lone surrogate
    becomes U+FFFD; CRLF and quotes inside cells are quoted as CSV does. A text cell that a
    spreadsheet would run as a formula (one starting with `=`, `+`, `-`, `@`, tab or CR, after
    any single quotes) gets a single quote in front, as OWASP advises against CSV injection;
    `read_claims_csv` takes it off. Numbers (start, end, confidence) stay numbers."""

    def write(out: IO[str]) -> None:
        writer = csv.DictWriter(out, fieldnames=CLAIM_FIELDS)
        writer.writeheader()
        for row in claim_rows(extractions):
            writer.writerow({k: _inert(without_surrogates(v)) if isinstance(v, str) else v for k, v in row.items()})

    return write_text(path, write)


def claims_schema(pa: Any) -> Any:
    """The Parquet schema of `claim_rows` (`pa` is pyarrow): start and end integers, confidence
    a float, every other field a string."""
    numbers = {"start": pa.int64(), "end": pa.int64(), "confidence": pa.float64()}
    return pa.schema([(field, numbers.get(field, pa.string())) for field in CLAIM_FIELDS])


def write_claims_parquet(extractions: Iterable[Extraction], path: str | os.PathLike) -> Path | None:
    """The rows of `claim_rows` as one Parquet file, with pyarrow (the `dask` extra): start
    and end are integers, confidence a float. Written in row groups as documents come, so memory
    stays flat; Parquet strings are UTF-8, so a lone surrogate becomes U+FFFD."""
    from claimx.errors import import_extra

    pa = import_extra("pyarrow", "Parquet", "dask")
    pq = import_extra("pyarrow.parquet", "Parquet", "dask")
    schema = claims_schema(pa)

    def write(out: IO[bytes]) -> None:
        with pq.ParquetWriter(out, schema) as writer:
            group: list[dict[str, Any]] = []
            for row in claim_rows(extractions):
                group.append({k: without_surrogates(v) if isinstance(v, str) else v for k, v in row.items()})
                if len(group) == 50_000:
                    writer.write_table(pa.Table.from_pylist(group, schema=schema))
                    group = []
            if group:
                writer.write_table(pa.Table.from_pylist(group, schema=schema))

    return write_bytes(path, write)


def claim_rows(extractions: Iterable[Extraction]) -> Iterator[dict[str, Any]]:
    """Every claim as one flat record: doc, its document's outlet, published, url and title
    (None where not given), id, kind, act, speaker, speaker_mention, content, start, end, cue,
    confidence, targets (target names joined by "; ")."""
    for n, extraction in enumerate(extractions):
        doc = extraction.doc_id or f"doc{n}"
        for claim in extraction.claims:
            yield {
                "doc": doc,
                "outlet": extraction.outlet,
                "published": extraction.published,
                "url": extraction.url,
                "title": extraction.title,
                "id": claim.id,
                "kind": claim.kind,
                "act": claim.act,
                "speaker": claim.speaker.name if claim.speaker else "",
                "speaker_mention": claim.speaker.mention.text if claim.speaker else "",
                "content": claim.text,
                "start": claim.content.start,
                "end": claim.content.end,
                "cue": claim.cue.text if claim.cue else "",
                "confidence": claim.confidence,
                "targets": SEPARATOR.join(t.name for t in claim.targets),
            }


def _relabelled(graph: nx.Graph, clean: Callable[[str], str] = str, *, stacklevel: int) -> nx.Graph:
    """A copy of `graph` whose nodes are their ids: each node's name as `clean` gives it, a repeat
    numbered `#2`, `#3` … and warned of, since a reader keeps one node per id. Attributes are
    shared with `graph`, to be copied before any change."""
    names = UniqueNames()
    ids: dict[Any, str] = {}
    renamed = []
    for node in graph:
        wanted = clean(str(node))
        ids[node] = names.take(wanted)
        if ids[node] != wanted:
            renamed.append(f"{node!r} → {ids[node]!r}")
    if renamed:
        warnings.warn(f"claimx: nodes that would share an id in the file are numbered apart: {', '.join(renamed)}",
                      stacklevel=stacklevel)
    out = graph.__class__()
    out.graph.update(graph.graph)
    out.add_nodes_from((ids[node], attrs) for node, attrs in graph.nodes(data=True))
    if graph.is_multigraph():
        out.add_edges_from((ids[u], ids[v], key, attrs) for u, v, key, attrs in graph.edges(keys=True, data=True))
    else:
        out.add_edges_from((ids[u], ids[v], attrs) for u, v, attrs in graph.edges(data=True))
    return out


def _edge_ids(graph: nx.Graph, clean: Callable[[str], str] = str) -> dict[tuple, str]:
    """Edge ids of a graph whose nodes are their ids, distinct from those and from one another and
    the same on every run: `<source>-><target>:<key>` (`<source>-><target>` in a simple graph),
    a repeat numbered `#2`, `#3` …"""
    names = UniqueNames()
    for node in graph:
        names.take(node)
    if graph.is_multigraph():
        return {(u, v, key): names.take(f"{u}->{v}:{clean(str(key))}") for u, v, key in graph.edges(keys=True)}
    return {(u, v): names.take(f"{u}->{v}") for u, v in graph.edges()}


def _graphml(graph: nx.Graph) -> str:
    writer = GraphMLWriter()
    writer.add_graph_element(_exportable(graph))
    return _keep_cr(str(writer))


def _gexf(graph: nx.Graph) -> str:
    writer = GEXFWriter()
    writer.add_graph(_exportable(graph, gexf=True))
    return _keep_cr(str(writer))


def _keep_cr(xml: str) -> str:
    """The serialised XML with each carriage return written `&#13;`: a parser reads a literal CR
    as LF, so a claim's text would no longer fit its offsets. ElementTree already writes CR as
    `&#13;` in attribute values and never puts one in markup, so every literal CR left is text
    content, where a character reference means the same character."""
    return xml.replace("\r", "&#13;") + "\n"


def _exportable(graph: nx.Graph, *, gexf: bool = False) -> nx.Graph:
    """A copy of `graph` that XML can carry: scalar, typed-consistently, legal characters only,
    each node and edge with its own id. A GraphML edge's id is its key in a multigraph, so the
    copy is one, keyed by edge id; a GEXF edge's id is its `id`, and the copy is a multigraph
    (which adds a `networkx_key` column) only if it has parallel edges. GEXF's own attribute
    names are renamed."""
    named = _relabelled(graph, _xml_text, stacklevel=5)  # the caller of write_graphml or write_gexf
    edge_ids = _edge_ids(named, _xml_text)
    parallel = named.is_multigraph() and len(set(named.edges())) < named.number_of_edges()
    if gexf and not parallel:
        out = nx.DiGraph() if graph.is_directed() else nx.Graph()
    else:
        out = nx.MultiDiGraph() if graph.is_directed() else nx.MultiGraph()
    own = _GEXF_OWN if gexf else {"node": frozenset(), "edge": frozenset()}
    out.graph.update(_attributes(named.graph))
    for node, attrs in named.nodes(data=True):
        out.add_node(node, **_renamed(_attributes(attrs), own["node"]))
    edges = named.edges(keys=True, data=True) if named.is_multigraph() else named.edges(data=True)
    for u, v, *key, attrs in edges:
        edge_id = edge_ids[(u, v, *key)]
        attrs = _renamed(_attributes(attrs), own["edge"]) | ({"id": edge_id} if gexf else {})
        if out.is_multigraph():
            out.add_edge(u, v, key=edge_id, **attrs)
        else:
            out.add_edge(u, v, **attrs)
    _unify_types(out.nodes(data=True))
    _unify_types(out.edges(data=True))
    return out


def _renamed(attrs: dict[str, Any], own: frozenset[str]) -> dict[str, Any]:
    return {f"{key}_" if key in own else key: value for key, value in attrs.items()}


def _restore_names(attrs: dict[str, Any], own: frozenset[str]) -> None:
    for key in [key for key in attrs if key.endswith("_") and key[:-1] in own]:
        attrs[key[:-1]] = attrs.pop(key)


def _attributes(attrs: dict) -> dict[str, Any]:
    flat = {}
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            value = SEPARATOR.join(str(v) for v in value)
        elif not isinstance(value, _SCALARS):
            value = str(value)
        flat[_xml_text(str(key))] = _xml_text(value) if isinstance(value, str) else value
    return flat


def _inert(cell: str) -> str:
    return f"'{cell}" if _FORMULA.match(cell) else cell


def _xml_text(value: str) -> str:
    return XML_ILLEGAL.sub("", value)


def _unify_types(items: Iterable) -> None:
    """XML formats declare one type per attribute: mixed ones become strings (ints with floats, floats)."""
    items = list(items)
    seen: dict[str, set[type]] = {}
    for *_, attrs in items:
        for key, value in attrs.items():
            seen.setdefault(key, set()).add(type(value))
    for key, types in seen.items():
        if len(types) < 2:
            continue
        target = float if types <= {int, float} else str
        for *_, attrs in items:
            if key in attrs:
                attrs[key] = target(attrs[key])


# --- reading --------------------------------------------------------------------------------
# Every reader accepts a UTF-8 byte-order mark at the start of a file, as editors on Windows save one.


def read_graphml(path: str | os.PathLike) -> nx.MultiDiGraph:
    return nx.read_graphml(path, force_multigraph=True)


def read_gexf(path: str | os.PathLike) -> nx.Graph:
    """A GEXF file as networkx reads it, with the names `write_gexf` gave GEXF's own attributes
    restored, and no node `label` where it only repeats the node's id."""
    graph = nx.read_gexf(path)
    for node, attrs in graph.nodes(data=True):
        if attrs.get("label") == node:
            del attrs["label"]
        _restore_names(attrs, _GEXF_OWN["node"])
    for *_, attrs in graph.edges(data=True):
        _restore_names(attrs, _GEXF_OWN["edge"])
    return graph


def read_json(path: str | os.PathLike) -> nx.Graph:
    with open(path, encoding="utf-8-sig") as stream:
        return nx.node_link_graph(json.load(stream), edges="edges")


def read_cyjs(path: str | os.PathLike) -> nx.Graph:
    """The graph of a `write_cyjs` file as networkx's `cytoscape_graph` reads it: nodes keyed by
    `data.value`, edges by `data.key`, each element's `data` (with `id`, and an edge's `source`,
    `target`, `key`) as its attributes."""
    with open(path, encoding="utf-8-sig") as stream:
        return nx.cytoscape_graph(json.load(stream))


def read_jsonl(path: str | os.PathLike) -> Iterator[Extraction]:
    """The documents a `write_jsonl` file holds. A bad line raises an error naming file and line."""
    for line_no, record in _json_lines(path):
        try:
            yield Extraction.model_validate({"text": "", **record})
        except ValueError as exc:
            raise bad_record(str(path), line_no, f"not a claimx document: {exc}") from None


def read_documents_json(path: str | os.PathLike) -> list[Extraction]:
    with open(path, encoding="utf-8-sig") as stream:
        records = json.load(stream)
    return [Extraction.model_validate({"text": "", **record}) for record in records]


def read_claims_jsonl(path: str | os.PathLike) -> Iterator[dict[str, Any]]:
    for _, record in _json_lines(path):
        yield record


def read_claims_csv(path: str | os.PathLike) -> list[dict[str, str]]:
    """The rows of a `write_claims_csv` file, every cell a string, with the quote that kept a
    formula-like cell inert taken off again: the text as claimx wrote it."""
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return [{k: _INERT.sub("", v, count=1) if isinstance(v, str) else v for k, v in row.items()}
                for row in csv.DictReader(stream)]


def _json_lines(path: str | os.PathLike) -> Iterator[tuple[int, dict[str, Any]]]:
    if str(path) == "-":
        yield from _records(path, sys.stdin)
        return
    with open(path, encoding="utf-8-sig") as stream:
        yield from _records(path, stream)


def _records(path: str | os.PathLike, stream: IO[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    for line_no, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise bad_record(str(path), line_no, f"invalid JSON: {exc.msg}") from None
        if not isinstance(record, dict):
            raise bad_record(str(path), line_no, "expected a JSON object")
        yield line_no, record
