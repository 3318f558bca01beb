"""Throughput of claimx.extract_many against bare nlp.pipe, measured in one run.

    python benchmarks/speed.py [--model NAME] [--rounds N] [--docs N] [--batch-size N] [--n-process N]

Both sides use the same spaCy model, texts and batch size, and run as a user runs them: one
`nlp.pipe` and one `extract_many` stream over all the texts. The two streams advance in turns, one
batch each (bare then claimx, then claimx then bare, …), and each turn is timed, so load on a
shared machine, which comes and goes within seconds, falls on both sides alike; whole rounds
taken one after the other differed by up to 30% here. The ratio is claimx throughput / bare
throughput over a round, and the median over rounds is reported: 1.0 means claimx costs nothing
on top of parsing. It then times `--n-process` worker processes against one, in whole
interleaved rounds (a pool cannot be advanced batch by batch). Texts: the PolNeAR dev articles
when ../shared has them (read only, never copied), else the seed articles repeated.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "corpora" / "polnear-dev" / "gold.jsonl"


def pool() -> tuple[str, list[str]]:
    """The benchmark texts: the PolNeAR dev articles when ../shared has them, else the seeds."""
    if POLNEAR.exists():
        return "PolNeAR dev", [json.loads(line)["text"] for line in POLNEAR.open(encoding="utf-8")]
    return "seeds", [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]


def corpus(n: int) -> tuple[str, list[str]]:
    """`n` benchmark texts, the pool repeated as needed."""
    name, texts = pool()
    while len(texts) < n:
        texts += texts
    return name, texts[:n]


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def in_turns(one, other, step: int, rounds: int) -> tuple[float, float, float]:
    """Median time of each side and median speed-up of `other` over `one`, where `one()` and
    `other()` start a stream of results and the two are advanced `step` results at a time, in
    turns whose order alternates."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        streams, spent, turn = (one(), other()), [0.0, 0.0], 0
        while True:
            done = False
            for side in ((0, 1) if turn % 2 == 0 else (1, 0)):
                start = time.perf_counter()
                done |= len(list(itertools.islice(streams[side], step))) < step
                spent[side] += time.perf_counter() - start
            turn += 1
            if done:
                break
        for side in (0, 1):
            times[side].append(spent[side])
    speedup = statistics.median(a / b for a, b in zip(*times))
    return statistics.median(times[0]), statistics.median(times[1]), speedup


def interleaved(one, other, rounds: int) -> tuple[float, float, float]:
    """Median time of each side and median speed-up of `other` over `one`, in interleaved rounds."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        times[0].append(timed(one))
        times[1].append(timed(other))
    speedup = statistics.median(a / b for a, b in zip(*times))
    return statistics.median(times[0]), statistics.median(times[1]), speedup


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

    def bare_stream():
        return bare.pipe(texts, batch_size=args.batch_size)

    def claimx_stream():
        return claimx.extract_many(texts, nlp=nlp, batch_size=args.batch_size)

    def run_claimx() -> None:
        for _ in claimx_stream():
            pass

    list(bare_stream()), run_claimx()  # warm up both
    bare_time, claimx_time, ratio = in_turns(bare_stream, claimx_stream, args.batch_size, args.rounds)
    print(f"model {model}{' (claimx fast: no NER; bare keeps it)' if args.fast else ''}; {len(texts)} {name} "
          f"documents, {chars:,} characters; batch size {args.batch_size}")
    print(f"bare nlp.pipe      median {bare_time:.2f} s  ({chars / bare_time:,.0f} chars/s)")
    print(f"claimx.extract_many median {claimx_time:.2f} s  ({chars / claimx_time:,.0f} chars/s)")
    change = 100 * (1 / ratio - 1)
    effect = f"claimx adds {change:.1f}% to parse time" if change >= 0 else f"claimx takes {-change:.1f}% less time"
    print(f"throughput ratio claimx / bare: {ratio:.3f} "
          f"(median of {args.rounds} rounds, batches timed in turns; {effect})")
    if args.n_process > 1:
        def run_parallel() -> None:
            for _ in claimx.extract_many(texts, nlp=nlp, batch_size=args.batch_size, n_process=args.n_process):
                pass

        speedup = interleaved(run_claimx, run_parallel, args.rounds)[2]
        print(f"{args.n_process} processes / 1 process: {speedup:.2f}x "
              f"(median of {args.rounds} interleaved rounds)")
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
