"""The HTML view, the picture, and the example that writes them for the seeds."""

import subprocess
import sys
from pathlib import Path

import networkx as nx

import claimx
from claimx.view import render_html

ROOT = Path(__file__).resolve().parent.parent
TEXT = "Mayor Elena Ruiz defended the budget on Monday.\n\n“The bridge <will> reopen,” Ruiz said of Denmark & Sweden."


def test_view_html_highlights_speaker_cue_claim_and_target(extract):
    html = render_html(extract(TEXT, doc_id="d1"))
    assert html.startswith("<!DOCTYPE html>")
    assert '<span class="speaker"' in html and '<span class="cue"' in html
    assert "claim act-claim direct" in html and "target" in html
    assert "&lt;will&gt;" in html and "Denmark &amp; Sweden" in html  # text is escaped
    assert "Elena Ruiz — claim, direct" in html  # tooltip names the resolved speaker


def test_view_jupyter_shows_a_fragment(extract):
    fragment = extract(TEXT)._repr_html_()
    assert "<!DOCTYPE" not in fragment and 'class="claimx"' in fragment


def test_view_picture_is_written(tmp_path, extract):
    graph = extract(TEXT, doc_id="d1").graph()
    path = claimx.draw_actor_graph(graph, tmp_path / "a.svg")
    assert "<svg" in path.read_text(encoding="utf-8")


def test_view_example_writes_graph_picture_and_page(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "seeds_graph.py"), str(ROOT / "seeds"), str(tmp_path)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    graph = nx.read_graphml(tmp_path / "seeds.graphml")
    assert sum(d["type"] == "claim" for _, d in graph.nodes(data=True)) > 40
    assert (tmp_path / "seeds.png").read_bytes()[:4] == b"\x89PNG"
    page = (tmp_path / "seeds.html").read_text(encoding="utf-8")
    assert page.count('class="claimx"') == 5
