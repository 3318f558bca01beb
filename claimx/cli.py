"""The `claimx` command: extract claims from files, folders or stdin, and score against gold."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Iterator, List, Optional

import typer

from claimx.about import __version__

app = typer.Typer(
    help="Who claimed what about whom: quotes, reported speech and their speakers in news text.",
    no_args_is_help=True,
    add_completion=False,
)

FORMATS = ("text", "jsonl", "json", "graphml")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"claimx {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """claimx command line."""


def _inputs(paths: List[str], failures: list[str]) -> Iterator[tuple[str, str]]:
    """(text, document id) for every readable input; unreadable ones are reported and skipped."""
    for raw in paths:
        if raw == "-":
            yield sys.stdin.read(), "<stdin>"
            continue
        path = Path(raw)
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")) \
            if path.is_dir() else [path]
        for file in files:
            try:
                yield file.read_bytes().decode("utf-8"), str(file)
            except (OSError, UnicodeDecodeError) as exc:
                reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else exc.strerror or str(exc)
                typer.echo(f"claimx: skipped {file}: {reason}", err=True)
                failures.append(str(file))


def _listing(result) -> str:
    lines = [result.doc_id or "", ""]
    for claim in result.claims:
        who = claim.speaker.name if claim.speaker else "(no speaker)"
        cue = f" {claim.cue.text}" if claim.cue else ""
        about = f"  [about: {', '.join(t.name for t in claim.targets)}]" if claim.targets else ""
        text = " ".join(claim.content.text.split())
        lines.append(f"  {who} —{cue} ({claim.kind}, {claim.act}): {text[:240]}{about}")
    return "\n".join(lines) + "\n"


def _write_atomically(path: Path, data: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(data)
    os.replace(tmp, path)


@app.command()
def extract(
    paths: List[str] = typer.Argument(..., help="Text files, folders of text files, or - for stdin."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write results here (format from suffix)."),
    fmt: Optional[str] = typer.Option(None, "--format", help=f"One of {', '.join(FORMATS)}."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline name (default: see README)."),
    batch_size: int = typer.Option(32, "--batch-size", min=1),
    n_process: int = typer.Option(1, "--n-process", min=1),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print no claim listing."),
) -> None:
    """Extract claims; print them, and write them or their graph to --output."""
    from claimx.extraction import extract_many
    from claimx.loading import load

    fmt = fmt or (output.suffix.lstrip(".") if output is not None else "text")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", param_hint="--format")
    nlp = load(model)
    failures: list[str] = []
    results = []
    for result in extract_many(_inputs(paths, failures), nlp=nlp, batch_size=batch_size, n_process=n_process):
        if not quiet and (output is not None or fmt == "text"):
            typer.echo(_listing(result))
        results.append(result)
    if output is not None or fmt != "text":
        _emit(results, fmt, output)
    if failures:
        raise typer.Exit(code=1)


def _emit(results, fmt: str, output: Optional[Path]) -> None:
    if fmt == "graphml":
        if output is None:
            raise typer.BadParameter("graphml needs --output", param_hint="--format")
        from claimx.graph import build_graph, write_graphml

        write_graphml(build_graph(results), output)
        typer.echo(f"claimx: wrote {output}", err=True)
        return
    if fmt == "jsonl":
        data = "".join(json.dumps(r.model_dump(mode="json", exclude={"text"}), ensure_ascii=False) + "\n"
                       for r in results)
    elif fmt == "json":
        data = json.dumps([r.model_dump(mode="json", exclude={"text"}) for r in results], ensure_ascii=False, indent=1)
    else:
        data = "".join(_listing(r) for r in results)
    if output is None:
        sys.stdout.write(data)
    else:
        _write_atomically(output, data)
        typer.echo(f"claimx: wrote {output}", err=True)


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="Gold JSONL (seeds or PolNeAR format)."),
    texts: Optional[Path] = typer.Option(None, "--texts", help="Folder of article texts (seeds format)."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline name."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Score only the first N documents."),
    misses: int = typer.Option(30, "--misses", min=0, help="How many misses and false positives to list."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the report as JSON here."),
) -> None:
    """Score claimx against gold attributions: detection and attribution P/R/F1 per kind."""
    from claimx.evaluate import evaluate as run
    from claimx.loading import load

    report = run(gold, nlp=load(model), texts=texts, limit=limit)
    typer.echo(report.render(max_misses=misses))
    if json_out is not None:
        _write_atomically(json_out, json.dumps(report.to_dict(), indent=1, ensure_ascii=False))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
