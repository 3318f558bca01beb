"""Outputs at the edges: writes that never clobber, coded errors for full disks and unwritable
targets, every exporter taking every string, and inputs with byte-order marks."""

import contextlib
import json
import os
import stat
import subprocess
import sys
import threading
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

import claimx
from claimx import exports
from claimx.cli import app
from claimx.errors import OutputError
from claimx.models import Claim, Entity, EntityRef, Extraction, Span, Speaker

CLAIMX = [sys.executable, "-m", "claimx"]
ARTICLE = "“The harbour will reopen,” said Ana Ruiz.\n\nTom Hale denied that the board had lied.\n"


def _write(path, text="new"):
    return exports.write_text(path, lambda out: out.write(text))


def test_outputs_a_symlink_is_followed_and_its_target_replaced_whole(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    _write(link)
    assert link.is_symlink() and target.read_text() == "new"


def test_outputs_a_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    _write(fifo, "streamed")
    reader.join(timeout=30)
    assert got == ["streamed"] and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_outputs_a_character_device_stays_one(tmp_path):
    device = _device(tmp_path, "null", 3)
    _write(device)
    assert stat.S_ISCHR(os.stat(device).st_mode)


def test_outputs_dev_stdout_streams_to_the_callers_stdout(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    out = subprocess.run([*CLAIMX, "extract", str(tmp_path / "a.txt"), "-o", "/dev/stdout", "--format", "jsonl"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.splitlines()[0])["claims"]
    assert os.path.islink("/dev/stdout") or stat.S_ISCHR(os.stat("/dev/stdout").st_mode)


def test_outputs_dev_stdout_redirected_to_a_file_is_appended_to_not_replaced(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    log = tmp_path / "log.txt"
    log.write_text("kept\n")
    with open(log, "a") as sink:
        out = subprocess.run([*CLAIMX, "extract", str(tmp_path / "a.txt"), "-q", "-o", "/dev/stdout", "--format",
                              "jsonl"], stdout=sink, stderr=subprocess.PIPE, text=True)
    assert out.returncode == 0, out.stderr
    lines = log.read_text().splitlines()
    assert lines[0] == "kept" and json.loads(lines[1])["claims"]
    assert os.path.islink("/dev/stdout")


def test_outputs_temporary_files_a_killed_run_left_are_removed(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    mark = exports._temp_mark()  # claimx-<host>-
    stale = tmp_path / f".out.jsonl.{mark}{dead.pid}-x1y2.tmp"
    alive = tmp_path / f".out.jsonl.{mark}{os.getpid()}-z3w4.tmp"  # a run still writing
    elsewhere = tmp_path / f".out.jsonl.claimx-otherhost-{dead.pid}-k5.tmp"  # a run on another machine
    other = tmp_path / ".out.jsonl.notes.tmp"  # not claimx's naming
    for path in (stale, alive, elsewhere, other):
        path.write_text("partial")
    _write(tmp_path / "out.jsonl")
    assert not stale.exists() and alive.exists() and elsewhere.exists() and other.exists()
    assert (tmp_path / "out.jsonl").read_text() == "new"


def _device(tmp_path, name: str, minor: int) -> str:
    """A private copy of a memory device (/dev/null is 1,3; /dev/full 1,7), so that a test of
    code that wrongly replaced it could never replace the system's own; the system's when this
    user may not make device nodes."""
    device = tmp_path / name
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        return f"/dev/{name}"
    return str(device)


def test_outputs_a_full_disk_is_a_coded_error(tmp_path):
    full = _device(tmp_path, "full", 7)
    with pytest.raises(OutputError, match=r"\[E150\].*full"):
        exports.write_text(full, lambda out: out.write("x" * 100_000))
    assert stat.S_ISCHR(os.stat(full).st_mode)
    (tmp_path / "a.txt").write_text(ARTICLE)
    for command, stdout in ((["-o", full, "--format", "jsonl"], None), ([], full)):
        with open(stdout, "w") if stdout else contextlib.nullcontext() as sink:
            out = subprocess.run([*CLAIMX, "extract", str(tmp_path / "a.txt"), *command],
                                 stdout=sink or subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        assert out.returncode == 3, out.stderr
        assert "[E150]" in out.stderr and "Traceback" not in out.stderr


def test_outputs_an_unwritable_target_is_a_coded_error(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    out = subprocess.run([*CLAIMX, "extract", str(tmp_path / "a.txt"), "-o", "/proc/claimx-test.jsonl"],
                         capture_output=True, text=True)
    assert out.returncode == 4 and "[E151]" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_outputs_a_cluster_that_lost_every_worker_is_a_coded_error(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    import claimx.cluster as cluster

    class Client:
        dashboard_link = ""

        def scheduler_info(self):
            return {"services": {}}

    def lost(*args, **kwargs):
        raise distributed.KilledWorker("extract-records-0", SimpleNamespace(address="tcp://127.0.0.1:1"), 3)
        yield  # a generator, as extract_stream is

    monkeypatch.setattr(cluster, "connect", lambda *a, **k: contextlib.nullcontext(Client()))
    monkeypatch.setattr(cluster, "extract_stream", lost)
    (tmp_path / "a.txt").write_text(ARTICLE)
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "a.txt"), "--workers", "2", "-q"])
    assert result.exit_code == 5, result.output
    assert "[E152]" in result.output and "Traceback" not in result.output


NASTY = "“We will win \ud800,” said Ana\x00 Ruiz.\r\n\ufeffTom Hale\x07 denied it.\u2028"


def _nasty() -> Extraction:
    text = NASTY
    quote = Span(start=1, end=15, text=text[1:15])
    name = text.index("Ana")
    return Extraction(text=text, doc_id="d\ud800", entities=(Entity(id="e0", name="Ana\x00 Ruiz", kind="person"),),
                      claims=(Claim(id="c0", kind="direct", content=quote, act="claim", targets=(
                          EntityRef(id="e0", name="Ana\x00 Ruiz"),), speaker=Speaker(
                              mention=Span(start=name, end=name + 9, text=text[name:name + 9]), name="Ana\x00 Ruiz",
                              entity_id="e0")),))


def test_outputs_every_writer_takes_every_string_the_extractor_takes(tmp_path):
    result = _nasty()
    graph = claimx.build_graph([result])
    written = {
        "html": claimx.write_html(result, tmp_path / "r.html"),
        "csv": claimx.write_claims_csv([result], tmp_path / "c.csv"),
        "parquet": claimx.write_claims_parquet([result], tmp_path / "c.parquet"),
        "graphml": claimx.write_graphml(graph, tmp_path / "g.graphml"),
        "gexf": claimx.write_gexf(graph, tmp_path / "g.gexf"),
        "json": claimx.write_json(graph, tmp_path / "g.json"),
        "cyjs": claimx.write_cyjs(graph, tmp_path / "g.cyjs"),
        "jsonl": claimx.write_jsonl([result], tmp_path / "d.jsonl", text=True),
        "documents": claimx.write_documents_json([result], tmp_path / "d.json", text=True),
        "claims": claimx.write_claims_jsonl([result], tmp_path / "c.jsonl"),
    }
    for kind, path in written.items():
        if kind != "parquet":
            path.read_bytes().decode("utf-8")  # every text file is valid UTF-8
    # JSON keeps the text exactly; the others as the README says
    assert next(claimx.read_jsonl(written["jsonl"])).text == NASTY
    assert claimx.read_documents_json(written["documents"])[0].text == NASTY
    row = claimx.read_claims_csv(written["csv"])[0]
    assert row["content"] == "We will win \ufffd,"
    import pyarrow.parquet as pq

    assert pq.read_table(written["parquet"]).to_pylist()[0]["content"] == "We will win \ufffd,"
    names = {d.get("name") for _, d in claimx.read_graphml(written["graphml"]).nodes(data=True)}
    assert "Ana Ruiz" in names  # the NUL XML forbids is dropped
    html = written["html"].read_text(encoding="utf-8")
    assert "We will win \ufffd," in html


def test_outputs_a_jsonl_input_with_a_byte_order_mark_loses_no_record(tmp_path):
    source = tmp_path / "bom.jsonl"
    lines = [json.dumps({"id": "a", "text": ARTICLE}), json.dumps({"id": "b", "text": "Tom Hale said it failed."})]
    source.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode() + b"\n")
    out = subprocess.run([*CLAIMX, "extract", str(source), "-q", "-o", str(tmp_path / "out.jsonl")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert [r.doc_id for r in claimx.read_jsonl(tmp_path / "out.jsonl")] == ["a", "b"]
    written = tmp_path / "again.jsonl"
    written.write_bytes(b"\xef\xbb\xbf" + (tmp_path / "out.jsonl").read_bytes())
    assert [r.doc_id for r in claimx.read_jsonl(written)] == ["a", "b"]


def test_outputs_a_text_input_with_a_byte_order_mark_has_offsets_after_it(tmp_path):
    source = tmp_path / "bom.txt"
    source.write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode())
    out = subprocess.run([*CLAIMX, "extract", str(source), "-q", "-o", str(tmp_path / "out.jsonl")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    claim = next(claimx.read_jsonl(tmp_path / "out.jsonl")).claims[0]
    assert ARTICLE[claim.content.start:claim.content.end] == claim.content.text


def test_outputs_a_lone_surrogate_in_a_record_reaches_every_output(tmp_path):
    source = tmp_path / "s.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "“We will win \ud800,” said Ann Lee."}) + "\n")  # the \ud800 escape
    outputs = [tmp_path / name for name in ("x.csv", "x.graphml", "x.html")]
    out = subprocess.run([*CLAIMX, "extract", str(source), "-q", *(a for o in outputs for a in ("-o", str(o)))],
                         capture_output=True, text=True)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    assert all(path.stat().st_size > 0 for path in outputs)
    assert "Ann Lee" in outputs[2].read_text(encoding="utf-8")


def test_outputs_a_rewritten_file_keeps_its_permissions(tmp_path):
    private = tmp_path / "private.jsonl"
    private.write_text("old")
    private.chmod(0o600)
    _write(private)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600 and private.read_text() == "new"
