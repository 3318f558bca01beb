"""Benchmark: `find_statements` at corpus scale, on synthetic claims built from real sentences.

    python benchmarks/statements.py                 # 10k, 100k and 1M claims
    python benchmarks/statements.py --sizes 10000 100000

Sentences come, at run time and read only, from ../shared/corpora/polnear-dev/gold.jsonl and
polnear-train when they exist beside the repository, else from seeds/*.txt. Each document holds
10 claims by 3 of its corpus's speakers (about one speaker per 20 claims, drawn with a skew so
that a few speakers have thousands of claims, as politicians in news do); a quarter of the claims
repeat an earlier statement of their speaker with an edit (a word changed or dropped, a
truncation, an insertion, a reported version). Prints seconds per size (the statement stage
alone, building the claims aside), the statements found, the peak memory, and the ratio of the
largest size's time to the previous one's (the goal for 1M/100k is ≤ 15, near-linear).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from pathlib import Path

import numpy as np

from claimx.models import Claim, Entity, Extraction, Span, Speaker
from claimx.statements import find_statements

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [ROOT.parent / "shared" / "corpora" / name / "gold.jsonl" for name in ("polnear-dev", "polnear-train")]
_SENTENCE = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘A-Z])")
CLAIMS_PER_DOC = 10
SPEAKERS_PER_DOC = 3
CLAIMS_PER_SPEAKER = 20
REPEATS = 0.25


def sentences() -> tuple[list[str], str]:
    """Sentences of 5 to 60 words, and where they came from."""
    texts, source = [], ""
    for path in CORPORA:
        if path.exists():
            with path.open(encoding="utf-8") as lines:
                texts += [json.loads(line)["text"] for line in lines if line.strip()]
            source += f"{path.parent.name} "
    if not texts:
        texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
        source = "seeds"
    found = []
    for text in texts:
        for paragraph in text.split("\n"):
            for sentence in _SENTENCE.split(paragraph.strip()):
                if 5 <= len(sentence.split()) <= 60:
                    found.append(sentence)
    return sorted(set(found)), source.strip()


def edited(sentence: str, rng: np.random.Generator) -> tuple[str, str]:
    """Another report of a sentence: (kind, wording)."""
    words = sentence.split()
    choice = rng.integers(5)
    if choice == 0 and len(words) > 3:  # a word changed
        k = int(rng.integers(len(words)))
        words[k] = "significantly" if words[k] != "significantly" else "largely"
    elif choice == 1 and len(words) > 6:  # words dropped
        k = int(rng.integers(len(words) - 2))
        del words[k:k + 2]
    elif choice == 2 and len(words) > 8:  # truncated
        words = words[: max(5, int(len(words) * rng.uniform(0.6, 0.9)))]
    elif choice == 3:  # an insertion
        k = int(rng.integers(len(words)))
        words[k:k] = ["[the", "council]"]
    else:  # a reported version
        swap = {"will": "would", "is": "was", "are": "were", "we": "they", "I": "he", "our": "their", "have": "had"}
        return "indirect", " ".join(swap.get(w, w) for w in words).rstrip(".")
    return "direct", " ".join(words)


def corpus(n_claims: int, pool: list[str], seed: int = 0) -> list[Extraction]:
    """Documents of synthetic claims (built with `model_construct`: they are made to be valid)."""
    rng = np.random.default_rng(seed)
    n_speakers = max(1, n_claims // CLAIMS_PER_SPEAKER)
    said: dict[int, list[str]] = {}
    docs = []
    for d in range((n_claims + CLAIMS_PER_DOC - 1) // CLAIMS_PER_DOC):
        people = sorted({int(n_speakers * rng.random() ** 2) for _ in range(SPEAKERS_PER_DOC)})
        entities = [Entity.model_construct(id=f"e{k}", name=f"Speaker{p} Name{p}", kind="person", aliases=(),
                                           kb_id=None) for k, p in enumerate(people)]
        mention = Span.model_construct(start=0, end=0, text="")
        speakers = [Speaker.model_construct(mention=mention, name=e.name, entity_id=e.id, entity_ids=())
                    for e in entities]
        claims = []
        for c in range(min(CLAIMS_PER_DOC, n_claims - d * CLAIMS_PER_DOC)):
            k = int(rng.integers(len(people)))
            earlier = said.setdefault(people[k], [])
            if earlier and rng.random() < REPEATS:
                kind, text = edited(earlier[int(rng.integers(len(earlier)))], rng)
            else:
                kind, text = ("direct" if rng.random() < 0.5 else "indirect"), pool[int(rng.integers(len(pool)))]
                earlier.append(text)
            content = Span.model_construct(start=0, end=len(text), text=text)
            claims.append(Claim.model_construct(id=f"c{c}", content=content, parts=(), kind=kind, cue=None,
                                                act="claim", speaker=speakers[k], targets=(), confidence=1.0))
        docs.append(Extraction.model_construct(text="", doc_id=f"d{d}", claims=tuple(claims),
                                               entities=tuple(entities)))
    return docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args(argv)
    pool, source = sentences()
    print(f"{len(pool):,} sentences from {source}")
    times = []
    for size in args.sizes:
        started = time.perf_counter()
        docs = corpus(size, pool)
        built = time.perf_counter() - started
        started = time.perf_counter()
        statements = find_statements(docs)
        seconds = time.perf_counter() - started
        times.append(seconds)
        reports = sum(len(s.reports) for s in statements)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
        print(f"{size:>9,} claims: {seconds:8.2f} s ({seconds / size * 1e6:.1f} µs/claim; corpus built in "
              f"{built:.1f} s), {len(statements):,} statements of {reports:,} claims, peak memory {peak:.2f} GB",
              flush=True)
        del docs, statements
    for (small, t_small), (large, t_large) in zip(zip(args.sizes, times), zip(args.sizes[1:], times[1:])):
        print(f"time at {large:,} / time at {small:,} = {t_large / t_small:.1f} (sizes ×{large / small:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
