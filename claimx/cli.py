"""The `claimx` command: extract claims from files, folders or stdin, and score against gold."""

from __future__ import annotations

import functools
import json
import os
import sys
from importlib import import_module
from pathlib import Path
from typing import Any, Callable, Iterator, List, Optional

import typer

from claimx.about import __version__

app = typer.Typer(
    help="Who claimed what about whom: quotes, reported speech and their speakers in news text.",
    no_args_is_help=True,
    add_completion=False,
)

# Output formats by name; a file's suffix names its format. A folder output (an existing folder,
# or a name ending in "/") holds tables of partitions in jsonl or parquet, written by Dask workers.
FORMATS = ("text", "jsonl", "json", "csv", "graphml", "gexf", "html", "png", "svg", "parquet")
_FILE_ONLY = frozenset({"png", "svg"})
_TABLE_FORMATS = ("jsonl", "parquet")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"claimx {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """claimx command line."""


_RECORD_SUFFIXES = (".jsonl", ".ndjson")
_STREAMING = frozenset({"jsonl", "csv", "text"})  # formats written document by document


def _inputs(paths: List[str], failures: list[str], text_field: str = "text",
            id_field: str = "id") -> Iterator[tuple[str, str]]:
    """(text, document id) for every readable input; unreadable ones are reported and skipped.
    A .jsonl file holds one record per line: its text in `text_field`, its id in `id_field`."""
    for raw in paths:
        if raw == "-":
            text = _decode(sys.stdin.buffer.read(), "<stdin>", failures)
            if text is not None:
                yield text, "<stdin>"
            continue
        path = Path(raw)
        if not path.exists():
            typer.echo(f"claimx: skipped {path}: no such file or folder", err=True)
            failures.append(raw)
            continue
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")) \
            if path.is_dir() else [path]
        if not files:
            typer.echo(f"claimx: no files in {path}", err=True)
        for file in files:
            if file.suffix.lower() in _RECORD_SUFFIXES:
                yield from _records(file, failures, text_field, id_field)
                continue
            if file.suffix.lower() == ".parquet":
                yield from _parquet_rows(file, failures, text_field, id_field)
                continue
            try:
                data = file.read_bytes()
            except OSError as exc:
                typer.echo(f"claimx: skipped {file}: {exc.strerror or exc}", err=True)
                failures.append(str(file))
                continue
            text = _decode(data, str(file), failures)
            if text is not None:
                yield text, str(file)


def _records(file: Path, failures: list[str], text_field: str, id_field: str) -> Iterator[tuple[str, str]]:
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
            line = _decode(raw, where, failures)
            if line is None:
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                typer.echo(f"claimx: skipped {where}: invalid JSON ({exc.msg})", err=True)
                failures.append(where)
                continue
            yield from _document(record, where, failures, text_field, id_field)


def _document(record: object, where: str, failures: list[str], text_field: str,
              id_field: str) -> Iterator[tuple[str, str]]:
    """The (text, id) of a JSONL or Parquet record, named `where` when it has no id; a record
    without text is reported and skipped."""
    text = record.get(text_field) if isinstance(record, dict) else None
    if not isinstance(text, str):
        typer.echo(f"claimx: skipped {where}: no text in field {text_field!r}", err=True)
        failures.append(where)
        return
    doc_id = record.get(id_field)
    yield text, where if doc_id is None else str(doc_id)


def _parquet_rows(file: Path, failures: list[str], text_field: str, id_field: str) -> Iterator[tuple[str, str]]:
    """The documents of a Parquet file, read in row batches; a row with no text is reported by
    its number (from 1) and skipped."""
    from claimx import errors

    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise errors.needs_extra("reading Parquet", "pyarrow", "dask") from exc
    row = 0
    try:
        table = pq.ParquetFile(file)
        columns = [c for c in (text_field, id_field) if c in table.schema_arrow.names]
        for batch in table.iter_batches(columns=columns):
            for record in batch.to_pylist():
                row += 1
                yield from _document(record, f"{file}:{row}", failures, text_field, id_field)
    except (OSError, ValueError) as exc:
        typer.echo(f"claimx: skipped {file} from row {row + 1}: not readable as Parquet ({exc})", err=True)
        failures.append(str(file))


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
    lines = [result.doc_id or "", ""]
    for claim in result.claims:
        who = claim.speaker.name if claim.speaker else "(no speaker)"
        cue = f" {claim.cue.text}" if claim.cue else ""
        about = f"  [about: {', '.join(t.name for t in claim.targets)}]" if claim.targets else ""
        text = " ".join(claim.content.text.split())
        lines.append(f"  {who} —{cue} ({claim.kind}, {claim.act}): {text[:240]}{about}")
    return "\n".join(lines) + "\n"


@app.command()
def extract(
    paths: List[str] = typer.Argument(..., help="Text files, folders of text files, or - for stdin."),
    outputs: List[str] = typer.Option(
        [], "-o", "--output",
        help="Write results here; repeat for several. The suffix names the format; a folder (a name ending in /) "
             "gets tables of partitions, written by Dask workers.",
    ),
    fmt: Optional[str] = typer.Option(None, "--format", help=f"Format of a single output: {', '.join(FORMATS)}."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline name (default: see README)."),
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="Documents per spaCy batch."),
    n_process: int = typer.Option(1, "--n-process", min=1),
    text_field: str = typer.Option("text", "--text-field", help="Field holding the text in JSONL or Parquet records."),
    id_field: str = typer.Option("id", "--id-field", help="Field holding the document id in JSONL or Parquet records."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print no claim listing."),
    fast: bool = typer.Option(False, "--fast", help="Skip the entity recogniser: ~1.8x faster, weaker names."),
    attribution_model: Optional[str] = typer.Option(
        None, "--attribution-model",
        help="The learned attribution decision: a model file `claimx train` wrote, or 'rules' for the rules alone "
             "(default: the model shipped with claimx)."),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", help="Extract on the running Dask cluster at this address (tcp://host:8786)."),
    workers: Optional[int] = typer.Option(
        None, "--workers", min=1, help="Extract on a local Dask cluster of N single-thread worker processes."),
    partition_size: int = typer.Option(16, "--partition-size", min=1, help="Documents per Dask task."),
) -> None:
    """Extract claims; list them, and write them, their graph or their view to each --output.

    PATH is a text file, a folder of text files, a JSONL (.jsonl) or Parquet (.parquet) file of
    records, or - for standard input. A single JSONL, CSV or text output is written as documents
    are read, so memory stays flat over any number of them. With --scheduler or --workers the
    documents are extracted on Dask workers, and a folder output is written by them."""
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
    failures: list[str] = []
    seen = [0]
    # a folder output keeps the results on the workers: nothing comes back to list
    listing = not quiet and not folders and (bool(outputs) or fmt in (None, "text"))
    inputs = _progress(_counted(_inputs(paths, failures, text_field, id_field), seen))
    if on_dask:
        cluster = _or_exit(lambda: import_module("claimx.cluster"))
        folder, table_format = folders[0] if folders else (None, "jsonl")
        if folder is not None:
            folder = _or_exit(lambda: cluster.prepare_folder(folder, table_format))
        stream = _on_dask(cluster, inputs, failures, scheduler=scheduler, workers=workers, folder=folder,
                          format=table_format, keep=bool(files) or listing, partition_size=partition_size,
                          model=model, fast=fast, attribution_model=attribution_model, batch_size=batch_size)
    else:
        from claimx.extraction import extract_many
        from claimx.loading import load

        nlp = _or_exit(lambda: load(model, fast=fast, attribution_model=attribution_model))
        stream = extract_many(inputs, nlp=nlp, batch_size=batch_size, n_process=n_process)

    def results() -> Iterator:
        for result in stream:
            if listing:
                typer.echo(_listing(result))
            yield result

    if len(files) == 1 and not folders and files[0][1] in _STREAMING:
        _or_exit(lambda: _emit(results(), files[0][1], files[0][0]))
    else:
        from claimx.graph import build_graph

        collected = _or_exit(lambda: list(results()))
        graph = functools.cache(lambda: build_graph(collected))  # one corpus graph for every output
        for target, kind in files:
            _or_exit(lambda: _emit(collected, kind, target, graph))
    for target, _ in targets:
        if target != "-":
            typer.echo(f"claimx: wrote {target}", err=True)
    if not seen[0]:
        typer.echo("claimx: no documents to read", err=True)
    if failures or not seen[0]:
        raise typer.Exit(code=1)


def _counted(items: Iterator, seen: list[int]) -> Iterator:
    for item in items:
        seen[0] += 1
        yield item


def _on_dask(cluster, inputs: Iterator[tuple[str, str]], failures: list[str], *, scheduler: str | None,
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


def _or_exit(action):
    """Run `action`; a claimx error ends the command with its message and status 2, not a traceback."""
    from claimx.errors import ClaimxError

    try:
        return action()
    except ClaimxError as exc:
        typer.echo(f"claimx: {exc}", err=True)
        raise typer.Exit(code=2) from None


def _targets(outputs: List[str], fmt: Optional[str]) -> list[tuple[str, str]]:
    """(destination, format) for every output: its format from --format or its suffix; a folder
    output's is "folder:jsonl" or "folder:parquet"."""
    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", param_hint="--format")
    if not outputs:
        if fmt in _FILE_ONLY or fmt == "parquet":
            raise typer.BadParameter(f"{fmt} needs --output", param_hint="--format")
        return [] if fmt in (None, "text") else [("-", fmt)]
    if fmt is not None and len(outputs) > 1:
        raise typer.BadParameter("--format applies to a single --output; name the others by suffix",
                                 param_hint="--format")
    targets = []
    for raw in outputs:
        output = Path(raw)
        if raw.endswith(("/", os.sep)) or output.is_dir():
            if (fmt or "jsonl") not in _TABLE_FORMATS:
                raise typer.BadParameter(f"a folder output holds {' or '.join(_TABLE_FORMATS)} tables, not {fmt}",
                                         param_hint="--format")
            targets.append((str(output), f"folder:{fmt or 'jsonl'}"))
            continue
        kind = fmt or output.suffix.lstrip(".").lower()
        if kind == "parquet":
            raise typer.BadParameter(f"Parquet is written as a folder of partitions: -o {output.with_suffix('')}/ "
                                     "--format parquet", param_hint="--output")
        if kind not in FORMATS:
            raise typer.BadParameter(f"cannot tell the format of {output}: use a suffix among {', '.join(FORMATS)}",
                                     param_hint="--output")
        if raw != "-" and not output.parent.is_dir():
            raise typer.BadParameter(f"no folder {output.parent} for {output}", param_hint="--output")
        if raw == "-" and kind in _FILE_ONLY:
            raise typer.BadParameter(f"{kind} needs a file", param_hint="--output")
        targets.append((raw if raw == "-" else str(output), kind))
    return targets


def _emit(results, kind: str, target: str, graph: Callable[[], Any] | None = None) -> None:
    """Write `results` to `target` as `kind`; `graph()` gives their corpus graph (only the
    formats written document by document come without one)."""
    from claimx import drawing, exports, view

    if kind == "graphml":
        exports.write_graphml(graph(), target)
    elif kind == "gexf":
        exports.write_gexf(graph(), target)
    elif kind == "jsonl":
        exports.write_jsonl(results, target)
    elif kind == "json":
        exports.write_documents_json(results, target)
    elif kind == "csv":
        exports.write_claims_csv(results, target)
    elif kind == "html":
        view.write_html(results, target)
    elif kind in _FILE_ONLY:
        drawing.draw_actor_graph(graph(), target)
    else:
        exports.write_text(target, lambda out: out.writelines(_listing(r) for r in results))


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
                                         help="Inverse L2 strength of the cue, speaker and quote models."),
    claim_regularisation: float = typer.Option(0.1, "--claim-regularisation", min=1e-6,
                                               help="Inverse L2 strength of the claim model."),
    cue_threshold: float = typer.Option(0.05, "--cue-threshold", min=0.0, max=1.0,
                                        help="Cue probability over which a word proposes claims."),
) -> None:
    """Train the learned attribution decision on annotated news, and write it to --output.

    Use it with `claimx extract --attribution-model MODEL` or `claimx.load(attribution_model=MODEL)`.
    Needs the train extra: pip install "claimx\\[train]"."""
    import time

    from claimx.loading import load
    from claimx.training import Settings
    from claimx.training import train as fit

    started = time.monotonic()

    def progress(message: str) -> None:
        typer.echo(f"claimx train [{time.monotonic() - started:5.0f} s] {message}", err=True)

    settings = Settings(regularisation=regularisation, claim_regularisation=claim_regularisation,
                        cue_threshold=cue_threshold)
    nlp = _or_exit(lambda: load(model, attribution_model="rules"))
    _or_exit(lambda: fit(corpus, output, nlp=nlp, settings=settings, progress=progress))
    if dev is not None:
        from claimx.evaluate import evaluate as run

        progress(f"scoring on {dev}")
        report = _or_exit(lambda: run(dev, nlp=load(model, attribution_model=str(output))))
        typer.echo(report.render(max_misses=0))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
