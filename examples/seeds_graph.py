"""Run claimx over the seed articles and write the graph of who claimed what about whom.

    python examples/seeds_graph.py [SEEDS_DIR] [OUT_DIR]
"""

import sys
from pathlib import Path

import claimx


def main(seeds: Path, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    files = sorted(seeds.glob("*.txt"))
    texts = [(path.read_text(encoding="utf-8"), path.name) for path in files]
    results = list(claimx.extract_many(texts))
    for result in results:
        print(f"{result.doc_id}: {len(result.claims)} claims")
    return claimx.write_graphml(claimx.build_graph(results), out / "seeds.graphml")


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "seeds"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else root / "out"
    print("wrote", main(seeds, out))
