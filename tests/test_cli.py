"""The claimx command, run as a user would run it."""

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "claimx", *args], capture_output=True, text=True, input=stdin)


def test_cli_version():
    out = run("--version")
    assert out.returncode == 0 and out.stdout.startswith("claimx ")


def test_cli_extract_folder_prints_claims_and_writes_graph(tmp_path):
    out = run("extract", str(SEEDS), "-o", str(tmp_path / "seeds.graphml"), "-o", str(tmp_path / "seeds.html"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("seeds/") == 5
    graph = nx.read_graphml(tmp_path / "seeds.graphml")
    claims = [n for n, d in graph.nodes(data=True) if d["type"] == "claim"]
    assert len(claims) > 40


def test_cli_extract_stdin_to_jsonl():
    out = run("extract", "-", "--format", "jsonl", "-q", stdin="“We will win,” said Ana Bell.\n")
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert record["doc_id"] == "<stdin>"
    assert record["claims"][0]["speaker"]["name"] == "Ana Bell"


def test_cli_bad_file_is_reported_and_skipped(tmp_path):
    (tmp_path / "good.txt").write_text("“We will win,” said Ana Bell.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00 not utf-8 \xc3")
    out = run("extract", str(tmp_path), "--format", "jsonl", "-q")
    assert out.returncode == 1
    assert "bad.txt" in out.stderr and "UTF-8" in out.stderr
    assert [json.loads(line)["doc_id"] for line in out.stdout.splitlines()] == [str(tmp_path / "good.txt")]


def test_cli_several_outputs_by_suffix(tmp_path):
    outputs = ["g.graphml", "g.gexf", "d.jsonl", "d.json", "c.csv", "v.html", "a.png"]
    args = [arg for name in outputs for arg in ("-o", str(tmp_path / name))]
    out = run("extract", str(SEEDS / sorted(p.name for p in SEEDS.iterdir())[0]), "-q", *args)
    assert out.returncode == 0, out.stderr
    for name in outputs:
        assert (tmp_path / name).stat().st_size > 0, name
    assert (tmp_path / "a.png").read_bytes()[:4] == b"\x89PNG"
    assert "<!DOCTYPE html>" in (tmp_path / "v.html").read_text(encoding="utf-8")


def test_cli_unknown_suffix_and_missing_path_are_reported(tmp_path):
    out = run("extract", str(SEEDS), "-o", str(tmp_path / "out.xyz"))
    assert out.returncode == 2 and "out.xyz" in out.stderr
    out = run("extract", str(tmp_path / "missing.txt"), "--format", "jsonl")
    assert out.returncode == 1 and "missing.txt" in out.stderr


def test_cli_dash_output_is_stdout():
    out = run("extract", "-", "-o", "-", "--format", "jsonl", "-q", stdin="“Yes,” said Ana Bell.")
    assert out.returncode == 0 and json.loads(out.stdout)["claims"][0]["speaker"]["name"] == "Ana Bell"


def test_cli_coded_errors_are_messages_not_tracebacks(tmp_path):
    (tmp_path / "a.txt").write_text("“Yes,” said Ana Bell.", encoding="utf-8")
    out = run("extract", str(tmp_path), "--model", "no_such_model")
    assert out.returncode == 2 and "[E002]" in out.stderr and "Traceback" not in out.stderr
    out = run("extract", str(tmp_path), "-o", str(tmp_path / "nodir" / "x.jsonl"))
    assert out.returncode == 2 and "nodir" in out.stderr and "Traceback" not in out.stderr


def test_cli_non_utf8_stdin_and_empty_folder(tmp_path):
    out = subprocess.run([sys.executable, "-m", "claimx", "extract", "-"], input=b"caf\xe9 said", capture_output=True)
    assert out.returncode == 1 and b"not UTF-8 text (byte 3" in out.stderr
    (tmp_path / "empty").mkdir()
    out = run("extract", str(tmp_path / "empty"))
    assert out.returncode == 1 and "no files" in out.stderr


def test_cli_jsonl_records_with_fields_and_bad_lines(tmp_path):
    records = tmp_path / "feed.jsonl"
    records.write_text(
        json.dumps({"body": "“Yes,” said Ana Bell.", "key": "a1"}) + "\n"
        + "{broken\n"
        + json.dumps({"key": "a3"}) + "\n"
        + json.dumps({"body": "“No,” said Carl Dyer."}) + "\n",
        encoding="utf-8",
    )
    out = run("extract", str(records), "--text-field", "body", "--id-field", "key", "--format", "jsonl", "-q")
    assert out.returncode == 1
    assert f"{records}:2" in out.stderr and f"{records}:3" in out.stderr
    ids = [json.loads(line)["doc_id"] for line in out.stdout.splitlines()]
    assert ids == ["a1", f"{records}:4"]
