"""Throughput of claimx on a local Dask cluster against one process, measured in one run.

    python benchmarks/cluster.py [--model NAME] [--rounds N] [--docs N] [--workers N] [--partition-size N]

One side is `claimx.extract_many` in this process, its results dumped to the same JSON records
the cluster returns; the other is `claimx.cluster.extract_bag` on a LocalCluster of `--workers`
single-thread worker processes, over the same texts, already held by the workers (as if read
from storage). Rounds are interleaved (one process, cluster, one process, …) and the median of
the per-round speed-ups is reported, so load on a shared machine affects both sides alike. The
same is done for bare spaCy parsing (`nlp.pipe`, no claimx), the ceiling this machine sets. Then
each worker's resident memory, now and at its peak. Needs the dask extra. Texts: the PolNeAR dev
articles when ../shared has them (read only, never copied), else the seed articles repeated.
"""

from __future__ import annotations

import argparse
import os
import resource

from speed import corpus, interleaved


def worker_memory() -> tuple[float, float]:
    """(resident, peak resident) memory of the calling process, in MB."""
    import psutil

    return psutil.Process().memory_info().rss / 2**20, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare_parse(items: list, model: str, batch_size: int) -> list[int]:
    """Bare spaCy over one partition, with a pipeline loaded once per worker process."""
    import spacy
    from distributed import get_worker

    worker = get_worker()
    if not hasattr(worker, "bare_nlp"):
        worker.bare_nlp = spacy.load(model)
    return [len(doc) for doc in worker.bare_nlp.pipe((text for text, _ in items), batch_size=batch_size)]


def main() -> None:
    import dask.bag as db
    from distributed import Client, LocalCluster

    import spacy

    import claimx
    from claimx import cluster
    from claimx.extraction import DEFAULT_BATCH_SIZE
    from claimx.loading import choose_model

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partition-size", type=int, default=5, help="small, so both workers finish together")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    model = choose_model(args.model)
    name, texts = corpus(args.docs)
    pairs = [(text, f"doc{n}") for n, text in enumerate(texts)]
    chars = sum(map(len, texts))
    nlp = claimx.load(model)

    def run_single() -> list:
        return [r.model_dump(mode="json", exclude={"text"}) for r in claimx.extract_many(pairs, nlp=nlp)]

    bare = spacy.load(model)

    def run_bare_single() -> None:
        for _ in bare.pipe(texts, batch_size=DEFAULT_BATCH_SIZE):
            pass

    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0") as local, \
            Client(local) as client:
        items = db.from_sequence(pairs, partition_size=args.partition_size).persist()
        results = cluster.extract_bag(items, model=model)
        parsed = items.map_partitions(bare_parse, model, DEFAULT_BATCH_SIZE)
        assert results.compute() == run_single(), "the cluster and one process disagree"  # also warms both up
        parsed.compute(), run_bare_single()
        single, parallel, speedup = interleaved(run_single, results.compute, args.rounds)
        bare_single, bare_parallel, bare_speedup = interleaved(run_bare_single, parsed.compute, args.rounds)
        memory = client.run(worker_memory)

    print(f"model {model}; {len(texts)} {name} documents, {chars:,} characters; "
          f"{items.npartitions} partitions of up to {args.partition_size}; {args.rounds} interleaved rounds, medians")
    print(f"{'':22} {'one process':>12} {f'{args.workers} workers':>12} {'speed-up':>9}")
    for label, one, many, ratio in (("claimx", single, parallel, speedup),
                                    ("bare spaCy (ceiling)", bare_single, bare_parallel, bare_speedup)):
        print(f"{label:22} {len(texts) / one:>8.1f} d/s {len(texts) / many:>8.1f} d/s {ratio:>8.2f}x")
    for address, (rss, peak) in sorted(memory.items()):
        print(f"worker {address}: resident {rss:.0f} MB, peak {peak:.0f} MB")
    print(f"this process (one-process side, Dask client and scheduler): peak "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"load average before {load_before:.2f}, after {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores "
          "(other work on the machine takes cores from the workers)")

if __name__ == "__main__":
    main()
