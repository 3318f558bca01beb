"""The picture of who claimed what about whom, and the example that draws it for the seeds."""

import subprocess
import sys
from pathlib import Path

import networkx as nx

import claimx

ROOT = Path(__file__).resolve().parent.parent
TEXT = "Mayor Elena Ruiz defended the budget on Monday.\n\n“The bridge <will> reopen,” Ruiz said of Denmark & Sweden."


def test_drawing_picture_is_written(tmp_path, extract):
    graph = extract(TEXT, doc_id="d1").graph()
    path = claimx.draw_actor_graph(graph, tmp_path / "a.svg")
    assert "<svg" in path.read_text(encoding="utf-8")


def test_drawing_example_writes_graph_picture_and_page(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "seeds_graph.py"), str(ROOT / "seeds"), str(tmp_path)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    graph = nx.read_graphml(tmp_path / "seeds.graphml")
    assert sum(d["type"] == "claim" for _, d in graph.nodes(data=True)) > 40
    assert (tmp_path / "seeds.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "seeds.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
