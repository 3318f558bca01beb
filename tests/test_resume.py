"""`claimx extract --resume`: a corpus run killed from outside goes on where it stopped and ends
with what an uninterrupted run writes, nothing doubled; outputs it cannot go on with are refused."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimx import cli
from claimx.errors import ClaimxError
from claimx.exports import append_jsonl, jsonl_doc_ids

SPEAKERS = ["Ana Ruiz", "Tom Hale", "Paul Orme", "Lena Voss", "Ivo Dane", "Nora Quist"]
N_ONE_PROCESS = 1000
N_CLUSTER = 600
PARTITION = 10  # documents per partition on Dask: 60 of them


def write_corpus(path: Path, n: int) -> Path:
    """`n` short invented news records, each a quote and a reported warning."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            said, warned = SPEAKERS[i % 6], SPEAKERS[(i + 1) % 6]
            text = f"“Plan {i} is sound,” said {said}. {warned} warned that plan {i} would cost too much."
            out.write(json.dumps({"id": f"doc-{i}", "text": text}, ensure_ascii=False) + "\n")
    return path


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "claimx", "extract", *args, "--fast", "-q"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(command(*args), capture_output=True, text=True)


def kill_midway(args: list[str], progress, total: int, at_least: int) -> int:
    """Start `claimx extract ARGS`, SIGKILL it once `progress()` reaches `at_least` (of `total`),
    and return the progress it had made by then."""
    proc = subprocess.Popen(command(*args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while progress() < at_least:
            assert proc.poll() is None, f"the run ended before it could be killed: {proc.stderr.read()}"
            assert time.monotonic() < deadline, "the run made no progress"
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    made = progress()
    assert at_least <= made < total, made
    return made


def complete_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


@pytest.fixture(scope="module")
def one_process(tmp_path_factory):
    """The corpus, and the JSONL an uninterrupted run (no --resume: written atomically) writes."""
    folder = tmp_path_factory.mktemp("one")
    corpus = write_corpus(folder / "news.jsonl", N_ONE_PROCESS)
    ran = run(str(corpus), "-o", str(folder / "whole.jsonl"))
    assert ran.returncode == 0, ran.stderr
    return corpus, (folder / "whole.jsonl").read_bytes()


def test_resume_one_process_killed_run_finishes_byte_identical(one_process, tmp_path):
    corpus, whole = one_process
    out = tmp_path / "out.jsonl"
    args = [str(corpus), "-o", str(out), "--resume"]
    made = kill_midway(args, lambda: complete_lines(out), N_ONE_PROCESS, at_least=150)
    ids = jsonl_doc_ids(out)
    assert len(ids) == made and ids == [f"doc-{i}" for i in range(made)]  # complete lines, in input order
    ran = run(*args)
    assert ran.returncode == 0, ran.stderr
    assert f"resuming {out} after the {made} documents" in ran.stderr
    assert out.read_bytes() == whole
    assert len(set(jsonl_doc_ids(out))) == N_ONE_PROCESS
    again = run(*args)  # a finished output: nothing left to do, nothing added
    assert again.returncode == 0 and out.read_bytes() == whole


def test_resume_cuts_a_partial_last_line(one_process, tmp_path):
    corpus, whole = one_process
    lines = whole.splitlines(keepends=True)
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"".join(lines[:300]) + lines[300][:57])  # killed in the middle of a line
    assert len(jsonl_doc_ids(out)) == 300
    ran = run(str(corpus), "-o", str(out), "--resume")
    assert ran.returncode == 0, ran.stderr
    assert out.read_bytes() == whole


def test_resume_refuses_an_output_of_another_input_and_leaves_it(one_process, tmp_path):
    corpus, whole = one_process
    lines = whole.splitlines(keepends=True)
    shuffled = tmp_path / "shuffled.jsonl"
    shuffled.write_bytes(lines[1] + lines[0] + lines[2][:40])
    ran = run(str(corpus), "-o", str(shuffled), "--resume")
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    assert "[E161]" in ran.stderr and "its document 1 is 'doc-1', but the input's document 1 is 'doc-0'" in ran.stderr
    assert shuffled.read_bytes() == lines[1] + lines[0] + lines[2][:40]  # refused: as it was, partial line too
    foreign = tmp_path / "foreign.jsonl"
    foreign.write_text('{"id": 1, "text": "not a claimx output"}\n', encoding="utf-8")
    ran = run(str(corpus), "-o", str(foreign), "--resume")
    assert ran.returncode == 2 and "[E162]" in ran.stderr and "line 1" in ran.stderr and "Traceback" not in ran.stderr


def test_resume_skips_only_a_prefix_of_the_input(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("".join(json.dumps({"doc_id": i, "claims": []}) + "\n" for i in "ab") + '{"doc_id": "c"',
                   encoding="utf-8")
    assert jsonl_doc_ids(out) == ["a", "b"]
    pairs = [("", "a"), ("", "b"), ("", "c")]
    assert list(cli._resumed(iter(pairs), str(out))) == [("", "c")]
    with pytest.raises(ClaimxError, match=r"\[E161\].*holds 2 documents, the input only 1"):
        list(cli._resumed(iter(pairs[:1]), str(out)))
    with pytest.raises(ClaimxError, match=r"\[E161\].*document 2 is 'b', but the input's document 2 is 'c'"):
        list(cli._resumed(iter([pairs[0], pairs[2]]), str(out)))
    assert jsonl_doc_ids(tmp_path / "none.jsonl") == []


def test_resume_append_jsonl_cuts_the_partial_line_and_writes_an_empty_run(tmp_path):
    import claimx

    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"doc_id": "a", "claims": [], "entities": []}\n{"doc_id": "b", "cla')
    append_jsonl([claimx.Extraction(text="", doc_id="c")], out)
    assert out.read_text(encoding="utf-8").splitlines()[1] == ('{"doc_id": "c", "outlet": null, "published": null, '
                                                               '"url": null, "title": null, "claims": [], "entities": []}')
    append_jsonl([], tmp_path / "empty.jsonl")  # an input with nothing left makes the file all the same
    assert (tmp_path / "empty.jsonl").read_bytes() == b""


@pytest.mark.parametrize("outputs, reason", [
    ([], "needs an output"),
    (["-"], "standard output"),
    (["a.jsonl", "b.jsonl"], "one output at a time"),
    (["out/", "b.jsonl"], "one output at a time"),
    (["g.graphml"], "whole corpus"),
    (["g.gexf"], "whole corpus"),
    (["g.cyjs"], "whole corpus"),
    (["r.html"], "whole corpus"),
    (["p.png"], "whole corpus"),
    (["d.json"], "whole corpus"),
    (["c.csv"], "a row per claim"),
    (["c.parquet"], "a row per claim"),
    (["l.txt"], "a listing"),
], ids=lambda value: "+".join(value) if isinstance(value, list) else None)
def test_resume_refuses_outputs_it_cannot_go_on_with(tmp_path, outputs, reason):
    named = [f"{tmp_path}/{o}" if o != "-" else o for o in outputs]
    targets = cli._targets(named, "jsonl" if outputs == ["-"] else None)
    with pytest.raises(ClaimxError, match=rf"\[E160\].*{reason}"):
        cli._resumable(targets)


def test_resume_accepts_jsonl_files_and_folders(tmp_path):
    for outputs, fmt in [(["a.jsonl"], None), (["a.ndjson"], None), (["a.out"], "jsonl"), (["out/"], "parquet")]:
        cli._resumable(cli._targets([f"{tmp_path}/{o}" for o in outputs], fmt))
    with pytest.raises(ClaimxError, match=r"\[E160\].*not a regular file"):  # written through, never read back
        cli._resumable(cli._targets(["/dev/null"], "jsonl"))


def test_resume_refusal_on_the_command_line_is_a_message_before_any_document(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\xff not UTF-8")  # read, it would be reported
    ran = subprocess.run([sys.executable, "-m", "claimx", "extract", str(tmp_path / "bad.txt"), "-o",
                          str(tmp_path / "g.graphml"), "--resume"], capture_output=True, text=True)
    assert ran.returncode == 2 and ran.stderr.count("\n") == 1 and "[E160]" in ran.stderr
    assert "UTF-8" not in ran.stderr and sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt"]


# --- folder output on Dask -----------------------------------------------------------------------


def minimal(ids):
    return [{"doc_id": i, "claims": [], "entities": []} for i in ids]


def test_resume_folder_partitions_complete_only_with_every_table(tmp_path):
    cluster = pytest.importorskip("claimx.cluster")
    folder = cluster.prepare_folder(tmp_path / "out", "parquet")
    for n in range(3):
        cluster.write_partition(minimal([f"d{n}.0", f"d{n}.1"]), folder, n, "parquet")
    (folder / "edges" / "part-00001.parquet").unlink()  # killed while writing partition 1
    assert cluster.complete_partitions(folder, "parquet") == {0, 2}
    with pytest.raises(ClaimxError, match="E131"):
        cluster.prepare_folder(folder, "parquet")
    assert cluster.prepare_folder(folder, "parquet", resume=True) == folder
    with pytest.raises(ClaimxError, match=r"\[E164\].*as jsonl: it holds parquet partitions"):
        cluster.prepare_folder(folder, "jsonl", resume=True)
    assert cluster.complete_partitions(folder, "jsonl") == set()


def test_resume_folder_partition_must_hold_its_documents(tmp_path):
    cluster = pytest.importorskip("claimx.cluster")
    folder = cluster.prepare_folder(tmp_path / "out", "jsonl")
    failed = {"doc_id": "b", "error": {"code": "E140", "message": "document 'b' failed"}}
    cluster.write_partition([*minimal(["a"]), failed, *minimal(["c"])], folder, 0, "jsonl")
    cluster._check_partition(folder, 0, "jsonl", ["a", "b", "c"], 3)  # an error row counts as its document
    with pytest.raises(ClaimxError, match=r"\[E163\].*partition 0 holds 3 documents, 'a' to 'c' and error rows 'b', "
                                          r"but the input's documents 1-4 in partitions of 4 are 'a' to 'd'"):
        cluster._check_partition(folder, 0, "jsonl", ["a", "b", "c", "d"], 4)


def test_resume_folder_in_another_format_is_refused_on_the_command_line(tmp_path):
    cluster = pytest.importorskip("claimx.cluster")
    folder = cluster.prepare_folder(tmp_path / "out", "parquet")
    cluster.write_partition(minimal(["a"]), folder, 0, "parquet")
    (tmp_path / "a.txt").write_text("“Yes,” said Ana Ruiz.", encoding="utf-8")
    ran = run(str(tmp_path / "a.txt"), "-o", f"{folder}/", "--format", "jsonl", "--workers", "1", "--resume")
    assert ran.returncode == 2 and "[E164]" in ran.stderr and "Traceback" not in ran.stderr


def table_files(folder: Path) -> dict[str, list]:
    """Every partition file of a folder output, by table/name: the rows it holds."""
    import pyarrow.parquet as pq

    files = {}
    for path in sorted(folder.glob("*/part-*")):
        if path.suffix == ".parquet":
            files[f"{path.parent.name}/{path.name}"] = pq.read_table(path).to_pylist()
        else:
            files[f"{path.parent.name}/{path.name}"] = [json.loads(line) for line in path.read_text("utf-8").split("\n")
                                                        if line]
    return files


def test_resume_two_workers_killed_run_finishes_the_same_tables(tmp_path):
    cluster = pytest.importorskip("claimx.cluster")
    import pyarrow.parquet as pq

    corpus = write_corpus(tmp_path / "news.jsonl", N_CLUSTER)
    on_dask = ["--format", "parquet", "--workers", "2", "--partition-size", str(PARTITION)]
    ran = run(str(corpus), "-o", f"{tmp_path / 'whole'}/", *on_dask)
    assert ran.returncode == 0, ran.stderr
    whole = table_files(tmp_path / "whole")
    partitions = N_CLUSTER // PARTITION
    assert len(whole) == 5 * partitions

    out = tmp_path / "out"
    args = [str(corpus), "-o", f"{out}/", *on_dask, "--resume"]
    kill_midway(args, lambda: len(cluster.complete_partitions(out, "parquet")), partitions, at_least=8)
    ran = run(*args)
    assert ran.returncode == 0, ran.stderr
    assert f"resuming {out}: " in ran.stderr and "partitions written before are checked and skipped" in ran.stderr
    assert table_files(out) == whole
    ids = [row["doc_id"] for part in sorted(out.glob("documents/part-*.jsonl"))
           for row in map(json.loads, part.read_text("utf-8").splitlines())]
    assert ids == [f"doc-{i}" for i in range(N_CLUSTER)]  # each once, in order
    for table in ("claims", "entities", "edges"):
        assert pq.read_table(out / table).num_rows == pq.read_table(tmp_path / "whole" / table).num_rows
