"""Throughput of claimx.extract_many against bare nlp.pipe, measured in one run.

    python benchmarks/speed.py [--model NAME] [--rounds N] [--docs N] [--batch-size N] [--n-process N]

Both sides use the same spaCy model, texts and batch size; rounds are interleaved (bare, claimx,
bare, claimx, …) and the median of the per-round ratios is reported, so load on a shared machine
affects both sides alike. The ratio is claimx throughput / bare throughput: 1.0 means claimx costs
nothing on top of parsing. It then times `--n-process` worker processes against one, the same
way. Texts: the PolNeAR dev articles when ../shared has them (read only, never copied), else the
seed articles repeated.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "corpora" / "polnear-dev" / "gold.jsonl"


def corpus(n: int) -> tuple[str, list[str]]:
    if POLNEAR.exists():
        texts = [json.loads(line)["text"] for line in POLNEAR.open(encoding="utf-8")]
        name = "PolNeAR dev"
    else:
        texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
        name = "seeds"
    while len(texts) < n:
        texts += texts
    return name, texts[:n]


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    import spacy

    import claimx
    from claimx.loading import choose_model

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=None, help="default: claimx's")
    parser.add_argument("--n-process", type=int, default=2, help="also time this many processes (1: skip)")
    parser.add_argument("--fast", action="store_true", help="claimx without the entity recogniser")
    args = parser.parse_args()

    from claimx.extraction import DEFAULT_BATCH_SIZE

    args.batch_size = args.batch_size or DEFAULT_BATCH_SIZE
    model = choose_model(args.model)
    name, texts = corpus(args.docs)
    bare = spacy.load(model)
    nlp = claimx.load(model, fast=args.fast)
    chars = sum(map(len, texts))

    def run_bare() -> None:
        for _ in bare.pipe(texts, batch_size=args.batch_size):
            pass

    def run_claimx() -> None:
        for _ in claimx.extract_many(texts, nlp=nlp, batch_size=args.batch_size):
            pass

    run_bare(), run_claimx()  # warm up both
    ratios, bare_times, claimx_times = [], [], []
    for _ in range(args.rounds):
        b, c = timed(run_bare), timed(run_claimx)
        bare_times.append(b)
        claimx_times.append(c)
        ratios.append(b / c)
    ratio = statistics.median(ratios)
    print(f"model {model}{' (claimx fast: no NER; bare keeps it)' if args.fast else ''}; {len(texts)} {name} "
          f"documents, {chars:,} characters; batch size {args.batch_size}")
    print(f"bare nlp.pipe      median {statistics.median(bare_times):.2f} s  ({chars / statistics.median(bare_times):,.0f} chars/s)")
    print(f"claimx.extract_many median {statistics.median(claimx_times):.2f} s  ({chars / statistics.median(claimx_times):,.0f} chars/s)")
    change = 100 * (1 / ratio - 1)
    effect = f"claimx adds {change:.1f}% to parse time" if change >= 0 else f"claimx takes {-change:.1f}% less time"
    print(f"throughput ratio claimx / bare: {ratio:.3f} (median of {args.rounds} interleaved rounds; {effect})")
    if args.n_process > 1:
        def run_parallel() -> None:
            for _ in claimx.extract_many(texts, nlp=nlp, batch_size=args.batch_size, n_process=args.n_process):
                pass

        speedups = []
        for _ in range(args.rounds):
            single, parallel = timed(run_claimx), timed(run_parallel)
            speedups.append(single / parallel)
        print(f"{args.n_process} processes / 1 process: {statistics.median(speedups):.2f}x "
              f"(median of {args.rounds} interleaved rounds)")
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
