"""Time and peak memory of one long document: do they grow linearly, and stay flat?

    python benchmarks/long_document.py [--sizes 0.5 1 2 5] [--paragraph]

Builds one text of each size in millions of characters, from the PolNeAR dev articles when
../shared has them (read only, else the seeds), joined by blank lines and repeated as needed;
`--paragraph` joins them into one paragraph instead, the hardest case for the cuts. Each size
runs `claimx.extract` in a fresh process, which reports its time and its peak resident memory
(the pipeline loaded first and timed apart). Prints one row per size and the time ratio of the
largest to 1 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from speed import pool


def text_of(size: float, paragraph: bool) -> str:
    articles = pool()[1]
    joiner = " " if paragraph else "\n\n"
    pieces, length, i = [], 0, 0
    while length < size * 1_000_000:
        piece = " ".join(articles[i % len(articles)].split()) if paragraph else articles[i % len(articles)]
        pieces.append(piece)
        length += len(piece) + len(joiner)
        i += 1
    return joiner.join(pieces)[: int(size * 1_000_000)]


def child(size: float, paragraph: bool) -> None:
    import claimx

    text = text_of(size, paragraph)
    nlp = claimx.load()
    claimx.extract("Ana Ruiz said it would rain.", nlp=nlp)  # the model and weights loaded before timing
    start = time.perf_counter()
    result = claimx.extract(text, nlp=nlp)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024  # KB → GB
    print(json.dumps({"chars": len(text), "claims": len(result.claims), "seconds": seconds, "peak_gb": peak}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.5, 1, 2, 5])
    parser.add_argument("--paragraph", action="store_true", help="one paragraph, not articles")
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.paragraph)
        return
    print(f"texts from {pool()[0]}{', one paragraph' if args.paragraph else ''}")
    print(f"{'MB':>5} {'claims':>7} {'seconds':>8} {'chars/s':>8} {'peak GB':>8}")
    rows = {}
    for size in args.sizes:
        command = [sys.executable, __file__, "--child", str(size)] + (["--paragraph"] if args.paragraph else [])
        row = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout.splitlines()[-1])
        rows[size] = row
        print(f"{size:5.1f} {row['claims']:7d} {row['seconds']:8.1f} {row['chars'] / row['seconds']:8.0f} "
              f"{row['peak_gb']:8.2f}", flush=True)
    if 1 in rows and max(rows) != 1:
        big = max(rows)
        print(f"time {big:g} MB / 1 MB: {rows[big]['seconds'] / rows[1]['seconds']:.2f} "
              f"(linear: {big:g}); peak memory at {big:g} MB: {rows[big]['peak_gb']:.2f} GB")


if __name__ == "__main__":
    main()
