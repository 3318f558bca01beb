"""Run claimx over the seed articles; write their graph (GraphML), a picture of who claimed what
about whom (PNG) and the corpus report (HTML) into OUT_DIR, by default a new temporary folder,
never the repository itself.

    python examples/seeds_graph.py [SEEDS_DIR] [OUT_DIR]

The picture needs the plot extra: pip install -e ".[plot]".
"""

import sys
import tempfile
from pathlib import Path

import claimx


def main(seeds: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    texts = [(path.read_text(encoding="utf-8"), path.name) for path in sorted(seeds.glob("*.txt"))]
    results = list(claimx.extract_many(texts))
    for result in results:
        print(f"{result.doc_id}: {len(result.claims)} claims, {len(result.entities)} entities")
    graph = claimx.build_graph(results)
    return [
        claimx.write_graphml(graph, out / "seeds.graphml"),
        claimx.draw_actor_graph(graph, out / "seeds.png"),
        claimx.write_html(results, out / "seeds.html"),
    ]


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "seeds"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp(prefix="claimx-seeds-"))
    for path in main(seeds, out):
        print("wrote", path)
