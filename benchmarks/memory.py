"""Peak memory while claimx streams many documents: is it flat in the number of documents?

    python benchmarks/memory.py [--docs 10000] [--n-process 1] [--every 1000] [--batch-size N]

Streams `--docs` articles (the PolNeAR dev texts when ../shared has them, read only, else the
seeds, repeated as needed) through claimx.extract_many, and prints the resident memory of this
process (and of its workers) every `--every` documents, with the peak at the end. Flat numbers
mean memory does not grow with the stream.
"""

from __future__ import annotations

import argparse
import os
import resource
import time

from speed import pool


def texts(n: int):
    articles = pool()[1]
    for i in range(n):
        yield articles[i % len(articles)] + f"\n\nDocument {i}."  # unique text: strings keep arriving


def rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def children_rss_mb() -> list[float]:
    me = str(os.getpid())
    sizes = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().split(") ", 1)[1].split()[1] == me:
                    sizes.append(rss_mb(pid))
        except (OSError, IndexError):
            continue
    return sizes


def main() -> None:
    import claimx

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--every", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=None, help="default: claimx's")
    args = parser.parse_args()

    nlp = claimx.load()
    start = time.perf_counter()
    print(f"model {nlp.meta['claimx']['model']}, n_process {args.n_process}, after loading: {rss_mb():.0f} MB")
    options = {} if args.batch_size is None else {"batch_size": args.batch_size}
    for n, _ in enumerate(claimx.extract_many(texts(args.docs), nlp=nlp, n_process=args.n_process, **options), 1):
        if n % args.every == 0:
            workers = children_rss_mb()
            extra = f", workers {', '.join(f'{w:.0f}' for w in workers)} MB" if workers else ""
            print(f"{n:>7} docs  {time.perf_counter() - start:7.0f} s  main {rss_mb():.0f} MB{extra}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the main process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
