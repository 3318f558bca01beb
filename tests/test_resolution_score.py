"""Tests for claimx.resolution_score: reading the speaker-resolution format and its key rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claimx.errors import InputError
from claimx.models import Claim, Extraction, Speaker, Span
from claimx.resolution_score import is_resolution_file, key_matches, read_resolution, score_resolution

TEXT = (
    "Ana Ruiz, the harbour authority's director, said the bridge would reopen in May. "
    "The spokesman added that the repairs had cost twice the budget."
)
BRIDGE = "the bridge would reopen in May"
REPAIRS = "the repairs had cost twice the budget"


def _at(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


def _row(content: str, mention: str, mention_type: str, keys: list[str], **fields: Any) -> dict[str, Any]:
    start, end = _at(content)
    return {"id": f"art#{mention_type}", "doc": "art", "start": start, "end": end,
            "speaker_span": list(_at(mention)), "mention": mention, "mention_type": mention_type,
            "resolved": "Ana Ruiz", "named": True, "speaker_keys": keys, "note": "", **fields}


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _corpus(root: Path, name: str = "news-dev") -> Path:
    return _write(root / "corpora" / name / "gold.jsonl", [{"id": "art", "text": TEXT, "quotes": []}])


def _claim(content: str, mention: str, name: str) -> Claim:
    start, end = _at(content)
    m_start, m_end = _at(mention)
    return Claim(id=f"c{start}", content=Span(start=start, end=end, text=content), kind="indirect",
                 speaker=Speaker(mention=Span(start=m_start, end=m_end, text=mention), name=name))


def test_keys_match_from_a_word_boundary_and_short_keys_as_whole_words() -> None:
    assert key_matches("Ruiz", "Ana Ruiz")
    assert key_matches("o'neil", "Mary O’Neil")  # apostrophes and curly quotes normalised away
    assert key_matches("Jean Luc", "Jean-Luc Picard")
    assert not key_matches("Band", "her husband")
    assert not key_matches("AP", "Japan")
    assert key_matches("AP", "the AP")
    assert not key_matches("", "Ana Ruiz") and not key_matches("Ruiz", "")


def test_rows_find_their_articles_in_the_corpus_beside_the_gold(tmp_path: Path) -> None:
    _corpus(tmp_path, "other")  # holds the article too, but its name does not lead the gold folder's
    _corpus(tmp_path)
    gold = _write(tmp_path / "gold" / "news-dev-resolution" / "gold.jsonl",
                  [_row(BRIDGE, "Ana Ruiz", "name", ["Ruiz"])])
    assert is_resolution_file(gold)
    (doc,) = read_resolution(gold)
    assert doc.text == TEXT and doc.rows[0].speaker_keys == ("Ruiz",)


def test_an_article_missing_from_the_texts_is_an_error_naming_the_line(tmp_path: Path) -> None:
    texts = _corpus(tmp_path)
    gold = _write(tmp_path / "gold.jsonl", [_row(BRIDGE, "Ana Ruiz", "name", ["Ruiz"]),
                                            {**_row(REPAIRS, "The spokesman", "role", ["Ruiz"]), "doc": "gone"}])
    with pytest.raises(InputError, match=r"gold.jsonl line 2: article 'gone' is not in") as err:
        read_resolution(gold, texts)
    assert err.value.code == "E101"
    lonely = _write(tmp_path / "a" / "b" / "c" / "gold.jsonl", [_row(BRIDGE, "Ana Ruiz", "name", ["Ruiz"])])
    with pytest.raises(InputError, match="--texts"):
        read_resolution(lonely)


def test_resolution_is_scored_per_mention_type_over_covered_named_rows(tmp_path: Path) -> None:
    texts = _corpus(tmp_path)
    rows = [_row(BRIDGE, "Ana Ruiz", "name", ["Ruiz"]),
            _row(REPAIRS, "The spokesman", "role", ["Ruiz"]),
            {**_row(REPAIRS, "The spokesman", "other", []), "named": False, "resolved": None}]
    (doc,) = read_resolution(_write(tmp_path / "gold.jsonl", rows), texts)
    claims = (_claim(BRIDGE, "Ana Ruiz", "Ana Ruiz"), _claim(REPAIRS, "The spokesman", "spokesman"))
    report = score_resolution([doc], [Extraction(text=TEXT, claims=claims)])
    assert report.overall.n_all == 3 and report.overall.n == 2
    assert report.overall.resolved_acc == 0.5
    assert report.by_mention_type["name"].resolved_acc == 1.0
    assert report.by_mention_type["role"].resolved_acc == 0.0
    assert report.by_mention_type["other"].n == 0 and report.by_mention_type["other"].resolved_acc is None
    assert report.by_mention_type["other"].covered_all == 1.0
    (miss,) = report.misses
    assert miss.mention == "The spokesman" and miss.predicted == ("spokesman",) and miss.mention_found
    rendered = report.render()
    assert "role" in rendered and "got: 'spokesman'" in rendered
    assert json.loads(json.dumps(report.to_dict()))["overall"]["resolved_acc"] == 0.5


def test_cli_evaluate_scores_a_resolution_file_on_either_path(tmp_path: Path) -> None:
    import subprocess
    import sys

    texts = _corpus(tmp_path)
    gold = _write(tmp_path / "gold.jsonl", [_row(BRIDGE, "Ana Ruiz", "name", ["Ruiz"])])
    for extra in ([], ["--fast"]):
        out = subprocess.run([sys.executable, "-m", "claimx", "evaluate", str(gold), "--texts", str(texts),
                              "--json", str(tmp_path / "report.json"), *extra], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert out.stdout.splitlines()[0] == "1 documents"
        report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
        assert report["by_mention_type"]["name"]["n"] == 1 and report["overall"]["resolved_acc"] == 1.0
