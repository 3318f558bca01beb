"""Tests for claimx.evaluate: reading both gold formats and the covering/attribution scoring rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claimx.errors import InputError
from claimx.evaluate import GoldAttribution, GoldDoc, covers, read_gold, score
from claimx.models import Claim, Entity, EntityRef, Extraction, Speaker, Span

TEXT = (
    'Mayor Lena Brandt said the harbour bridge would reopen in May. '
    '"We are ahead of schedule," she told reporters on Tuesday. '
    "Critics claimed the repairs had cost twice the budget."
)
BRIDGE = "the harbour bridge would reopen in May"
QUOTE = "We are ahead of schedule"
REPAIRS = "the repairs had cost twice the budget"


def _span(text: str, part: str, start: int | None = None) -> Span:
    start = text.index(part) if start is None else start
    return Span(start=start, end=start + len(part), text=text[start : start + len(part)])


def _claim(
    text: str,
    content: str | tuple[int, int],
    *,
    mention: str | None = None,
    name: str | None = None,
    kind: str = "indirect",
    targets: tuple[str, ...] = (),
    claim_id: str = "c",
) -> Claim:
    if isinstance(content, tuple):
        span = Span(start=content[0], end=content[1], text=text[content[0] : content[1]])
    else:
        span = _span(text, content)
    speaker = None
    if mention is not None:
        speaker = Speaker(mention=_span(text, mention), name=name or mention)
    refs = tuple(EntityRef(id=f"e{i}", name=target) for i, target in enumerate(targets))
    return Claim(id=claim_id, content=span, kind=kind, speaker=speaker, targets=refs)


def _gold(
    text: str,
    content: str,
    *,
    speaker: str | None = None,
    kind: str = "indirect",
    gold_id: str = "g",
) -> GoldAttribution:
    """A PolNeAR-style gold attribution judged on the speaker mention span."""
    span = _span(text, content)
    mention = _span(text, speaker) if speaker is not None else None
    return GoldAttribution(
        id=gold_id,
        start=span.start,
        end=span.end,
        kind=kind,
        judge="mention",
        speaker=(mention.start, mention.end) if mention else None,
        speaker_text=speaker,
    )


def _seed_gold(
    text: str,
    content: str,
    keys: tuple[str, ...],
    *,
    required: bool = True,
    kind: str = "indirect",
    targets: tuple[str, ...] = (),
    gold_id: str = "s",
) -> GoldAttribution:
    """A seeds-style gold attribution judged on the resolved speaker name."""
    span = _span(text, content)
    return GoldAttribution(
        id=gold_id,
        start=span.start,
        end=span.end,
        kind=kind,
        required=required,
        judge="name",
        speaker_keys=keys,
        speaker_text=" ".join(keys) or None,
        targets=targets,
    )


def _score(text: str, golds: list[GoldAttribution], claims: list[Claim]):
    """Score hand-built claims: each gets an id of its own, and each target ref its entity, as an
    Extraction requires."""
    doc = GoldDoc(id="doc", text=text, attributions=tuple(golds))
    claims = [c if c.id != "c" else c.model_copy(update={"id": f"c{n}"}) for n, c in enumerate(claims)]
    refs = {ref.id: ref.name for claim in claims for ref in claim.targets}
    entities = tuple(Entity(id=i, name=name, kind="unknown") for i, name in refs.items())
    return score([doc], [Extraction(text=text, claims=tuple(claims), entities=entities)])


def _write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows))
    return path


def _seed_row(**fields: Any) -> dict[str, Any]:
    content = BRIDGE
    row = {
        "id": "000-000",
        "doc": "a.txt",
        "start": TEXT.index(content),
        "end": TEXT.index(content) + len(content),
        "content": content,
        "speaker": "Lena Brandt",
        "speaker_keys": ["Brandt"],
        "cue": "said",
        "kind": "indirect",
        "required": True,
        "targets": ["harbour bridge"],
    }
    row.update(fields)
    return row


def _polnear_article(**fields: Any) -> dict[str, Any]:
    content = _span(TEXT, QUOTE)
    speaker = _span(TEXT, "she")
    quote = {
        "content": [content.start, content.end],
        "speaker": [speaker.start, speaker.end],
        "speaker_text": "she",
        "cue": None,
        "kind": "direct",
        "content_fragments": [[content.start, content.end]],
        "ann_id": "E1",
        "polnear_type": "Attribution",
    }
    article = {"id": "art-1", "text": TEXT, "quotes": [quote]}
    article.update(fields)
    return article


# --------------------------------------------------------------------------- reading


def test_evaluate_reads_polnear_gold(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "gold.jsonl", [_polnear_article()])
    [doc] = read_gold(path)
    assert doc.id == "art-1" and doc.text == TEXT
    [gold] = doc.attributions
    assert TEXT[gold.start : gold.end] == QUOTE
    assert gold.kind == "direct" and gold.required and gold.judge == "mention"
    assert gold.speaker is not None and TEXT[gold.speaker[0] : gold.speaker[1]] == "she"
    assert gold.targets is None


def test_evaluate_reads_seeds_gold_from_default_and_given_folders(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text(TEXT, encoding="utf-8")
    rows = [_seed_row(), _seed_row(id="000-001", speaker=None)]
    path = _write_jsonl(tmp_path / "gold" / "seeds.jsonl", rows)
    [doc] = read_gold(path)
    assert doc.id == "a.txt" and doc.text == TEXT
    first, second = doc.attributions
    assert first.judge == "name" and first.speaker_keys == ("Brandt",)
    assert first.targets == ("harbour bridge",)
    assert second.speaker_keys == () and second.speaker_text is None

    elsewhere = tmp_path / "articles"
    elsewhere.mkdir()
    (elsewhere / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "seeds" / "a.txt").unlink()
    assert read_gold(path, texts=elsewhere)[0].text == TEXT


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(['{"id": "art-1", "text": '], r"line 1: invalid JSON", id="invalid-json"),
        pytest.param(
            [_polnear_article(), {"id": "art-2", "quotes": []}],
            r"line 2: missing field 'text'",
            id="missing-field",
        ),
        pytest.param(
            [_polnear_article(quotes=[{"content": [5, 9000], "speaker": None, "kind": "direct"}])],
            r"line 1: quotes\.0\.content",
            id="offsets-outside-text",
        ),
        pytest.param(
            [_polnear_article(quotes=[{"content": [0, 5], "speaker": None, "kind": "quoted"}])],
            r"line 1: field 'quotes\.0\.kind'",
            id="bad-kind",
        ),
        pytest.param(["", _seed_row(), _seed_row(start=0)], r"line 3: text\[0:", id="seed-content-mismatch"),
        pytest.param(
            [_seed_row(doc="missing.txt")],
            r"line 1: cannot read article .*missing\.txt",
            id="missing-article",
        ),
        pytest.param([_seed_row(), {"id": "x"}], r"line 2: missing field 'doc'", id="seed-missing-field"),
        pytest.param([{"something": 1}], r"line 1: cannot tell the gold format", id="unknown-format"),
    ],
)
def test_evaluate_bad_gold_names_file_and_line(tmp_path: Path, lines: list[Any], expected: str) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text(TEXT, encoding="utf-8")
    path = _write_jsonl(tmp_path / "gold" / "bad_gold.jsonl", lines)
    with pytest.raises(InputError, match=r"^\[E101\] .*bad_gold\.jsonl " + expected):
        read_gold(path)


def test_evaluate_bad_gold_is_a_value_error_for_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n")
    with pytest.raises(ValueError, match=r"\[E101\] .*empty\.jsonl: no gold records"):
        read_gold(path)


# --------------------------------------------------------------------------- covering rule


def test_evaluate_covers_at_exactly_half_of_gold_not_just_under() -> None:
    text = "x" * 100
    gold = GoldAttribution(id="g", start=40, end=60, kind="direct", judge="mention")
    assert covers(_claim(text, (50, 70)), gold)  # overlap 10 of 20
    assert not covers(_claim(text, (51, 71)), gold)  # overlap 9 of 20


def test_evaluate_covers_at_exactly_quarter_of_prediction_not_just_under() -> None:
    text = "x" * 100
    gold = GoldAttribution(id="g", start=40, end=50, kind="direct", judge="mention")
    assert covers(_claim(text, (30, 70)), gold)  # overlap 10 of a 40-character prediction
    assert not covers(_claim(text, (30, 71)), gold)  # overlap 10 of 41


def test_evaluate_boundary_decides_detection_scores() -> None:
    text = "x" * 100
    gold = GoldAttribution(id="g", start=40, end=60, kind="direct", judge="mention")
    doc = GoldDoc(id="d", text=text, attributions=(gold,))
    hit = score([doc], [Extraction(text=text, claims=(_claim(text, (50, 70), kind="direct"),))])
    miss = score([doc], [Extraction(text=text, claims=(_claim(text, (51, 71), kind="direct"),))])
    assert hit.overall.detection.recall == 1.0 and hit.overall.detection.precision == 1.0
    assert miss.overall.detection.recall == 0.0 and miss.overall.detection.precision == 0.0
    assert len(miss.false_positives) == 1 and not miss.misses[0].detected


# --------------------------------------------------------------------------- attribution


def test_evaluate_attribution_on_mention_overlap() -> None:
    gold = _gold(TEXT, BRIDGE, speaker="Mayor Lena Brandt")
    right = _claim(TEXT, BRIDGE, mention="Brandt")
    report = _score(TEXT, [gold], [right])
    assert report.overall.attribution.recall == 1.0 and report.overall.attribution.precision == 1.0

    wrong = _claim(TEXT, BRIDGE, mention="Critics", name="critics")
    report = _score(TEXT, [gold], [wrong])
    assert report.overall.detection.f1 == 1.0
    assert report.overall.attribution.recall == 0.0 and report.overall.attribution.precision == 0.0
    [miss] = report.misses
    assert miss.detected and miss.gold_speaker == "Mayor Lena Brandt"
    assert [(p.mention, p.name) for p in miss.predicted] == [("Critics", "critics")]


def test_evaluate_null_speaker_gold_needs_claim_without_speaker() -> None:
    gold = _gold(TEXT, REPAIRS, speaker=None)
    silent = _claim(TEXT, REPAIRS)
    spoken = _claim(TEXT, REPAIRS, mention="Critics")
    assert _score(TEXT, [gold], [silent]).overall.attribution.f1 == 1.0
    report = _score(TEXT, [gold], [spoken])
    assert report.overall.attribution.recall == 0.0
    assert report.misses[0].gold_speaker is None


def test_evaluate_seeds_speaker_keys_match_inside_resolved_name() -> None:
    gold = _seed_gold(TEXT, QUOTE, ("Brandt", "mayor"), kind="direct")
    by_name = _claim(TEXT, QUOTE, mention="she", name="Lena BRANDT", kind="direct")
    by_role = _claim(TEXT, QUOTE, mention="she", name="the Mayor of Kessel", kind="direct")
    wrong = _claim(TEXT, QUOTE, mention="she", name="Lena Brandau", kind="direct")
    assert _score(TEXT, [gold], [by_name]).overall.attribution.recall == 1.0
    assert _score(TEXT, [gold], [by_role]).overall.attribution.recall == 1.0
    report = _score(TEXT, [gold], [wrong])
    assert report.overall.attribution.recall == 0.0
    assert report.misses[0].gold_speaker_keys == ("Brandt", "mayor")


def test_evaluate_seeds_empty_keys_need_claim_without_speaker() -> None:
    gold = _seed_gold(TEXT, REPAIRS, ())
    silent = _claim(TEXT, REPAIRS)
    assert _score(TEXT, [gold], [silent]).overall.attribution.f1 == 1.0
    spoken = _claim(TEXT, REPAIRS, mention="Critics", name="critics")
    assert _score(TEXT, [gold], [spoken]).overall.attribution.f1 == 0.0


def test_evaluate_any_covering_claim_with_right_speaker_attributes() -> None:
    gold = _gold(TEXT, BRIDGE, speaker="Lena Brandt")
    wrong = _claim(TEXT, BRIDGE, mention="Critics", claim_id="c1")
    right = _claim(TEXT, "harbour bridge would reopen in May", mention="Brandt", claim_id="c2")
    report = _score(TEXT, [gold], [wrong, right])
    assert report.overall.attribution.recall == 1.0
    assert report.overall.detection.precision == 1.0
    assert report.overall.attribution.precision == 0.5
    assert report.misses == ()


# --------------------------------------------------------------------------- required rows, kinds, lists


def test_evaluate_optional_rows_neither_counted_nor_false_positives() -> None:
    optional = _seed_gold(TEXT, REPAIRS, ("critic",), required=False, gold_id="o")
    required = _seed_gold(TEXT, BRIDGE, ("Brandt",), gold_id="r")
    on_optional = _claim(TEXT, REPAIRS, mention="Critics", name="critics")
    report = _score(TEXT, [optional, required], [on_optional])
    assert report.overall.n_gold == 1 and report.overall.n_pred == 0
    assert report.false_positives == ()
    assert [miss.gold_id for miss in report.misses] == ["r"]
    assert report.overall.detection.recall == 0.0

    # a claim covering an optional and a required gold counts like any other
    both = _seed_gold(TEXT, BRIDGE, ("Brandt",), gold_id="r2")
    wide = _claim(TEXT, BRIDGE, mention="Brandt", name="Lena Brandt")
    inner = "harbour bridge would reopen"
    overlapping_optional = _seed_gold(TEXT, inner, ("x",), required=False, gold_id="o2")
    report = _score(TEXT, [overlapping_optional, both], [wide])
    assert report.overall.n_pred == 1 and report.overall.attribution.f1 == 1.0


def test_evaluate_per_kind_precision_and_recall() -> None:
    golds = [
        _gold(TEXT, BRIDGE, speaker="Lena Brandt", kind="indirect", gold_id="g1"),
        _gold(TEXT, QUOTE, speaker="she", kind="direct", gold_id="g2"),
        _gold(TEXT, REPAIRS, speaker="Critics", kind="indirect", gold_id="g3"),
    ]
    claims = [
        _claim(TEXT, BRIDGE, mention="Brandt", kind="indirect", claim_id="c1"),
        _claim(TEXT, QUOTE, mention="she", kind="direct", claim_id="c2"),
        _claim(TEXT, "she told reporters on Tuesday", mention="she", kind="direct", claim_id="c3"),
    ]
    report = _score(TEXT, golds, claims)
    direct, indirect, mixed = (report.by_kind[kind] for kind in ("direct", "indirect", "mixed"))
    assert (direct.n_gold, direct.n_pred) == (1, 2)
    assert direct.detection.recall == 1.0 and direct.detection.precision == 0.5
    assert direct.detection.f1 == pytest.approx(2 / 3)
    assert (indirect.n_gold, indirect.n_pred) == (2, 1)
    assert indirect.detection.recall == 0.5 and indirect.detection.precision == 1.0
    assert (mixed.n_gold, mixed.n_pred) == (0, 0) and mixed.detection.f1 == 0.0
    assert report.overall.detection.precision == pytest.approx(2 / 3)
    assert report.overall.detection.recall == pytest.approx(2 / 3)


def test_evaluate_misses_and_false_positives_listed_and_rendered() -> None:
    golds = [
        _gold(TEXT, BRIDGE, speaker="Mayor Lena Brandt", gold_id="g1"),
        _gold(TEXT, QUOTE, speaker="she", kind="direct", gold_id="g2"),
    ]
    claims = [
        _claim(TEXT, QUOTE, mention="reporters", name="reporters", kind="direct", claim_id="c1"),
        _claim(TEXT, REPAIRS, mention="Critics", claim_id="c2"),
    ]
    report = _score(TEXT, golds, claims)
    undetected, misattributed = report.misses
    assert (undetected.gold_id, undetected.detected, undetected.predicted) == ("g1", False, ())
    assert undetected.content == BRIDGE
    assert misattributed.gold_id == "g2" and misattributed.detected
    [fp] = report.false_positives
    assert (fp.claim_id, fp.content, fp.speaker_mention) == ("c2", REPAIRS, "Critics")

    rendered = report.render()
    table = rendered.splitlines()
    assert table[1].split() == ["n_gold", "n_pred", *"det P det R det F1 att P att R att F1".split()]
    assert [line.split()[0] for line in table[2:6]] == ["overall", "direct", "indirect", "mixed"]
    assert "0.500" in table[2]
    assert "Misses (2)" in rendered and "not detected" in rendered and "'reporters' = reporters" in rendered
    assert "False positives (1)" in rendered and REPAIRS in rendered
    assert "… and 1 more" in report.render(max_misses=1)


def test_evaluate_miss_content_is_truncated() -> None:
    text = "She said " + "word " * 100
    gold = GoldAttribution(id="g", start=9, end=len(text), kind="indirect", judge="mention")
    [miss] = _score(text, [gold], []).misses
    assert len(miss.content) <= 160 and miss.content.endswith("…")


def test_evaluate_target_recall_over_covered_gold() -> None:
    golds = [
        _seed_gold(TEXT, BRIDGE, ("Brandt",), targets=("Harbour Bridge", "May"), gold_id="a"),
        _seed_gold(TEXT, QUOTE, ("Brandt",), targets=("city council",), gold_id="b"),
        _seed_gold(TEXT, REPAIRS, ("critic",), targets=("ignored",), gold_id="c"),
    ]
    claims = [
        _claim(TEXT, BRIDGE, mention="Brandt", targets=("the harbour bridge",)),
        _claim(TEXT, QUOTE, mention="she", name="Brandt", targets=("Council",)),
    ]
    report = _score(TEXT, golds, claims)
    assert report.n_targets == 3  # the uncovered gold's targets do not count
    assert report.target_recall == pytest.approx(2 / 3)
    assert "target recall 0.667" in report.render()


def test_evaluate_report_serialises_to_json() -> None:
    gold = _gold(TEXT, QUOTE, speaker="she", kind="direct")
    report = _score(TEXT, [gold], [_claim(TEXT, REPAIRS, mention="Critics")])
    data = json.loads(json.dumps(report.to_dict()))
    assert data["overall"]["n_gold"] == 1 and data["by_kind"]["direct"]["detection"]["recall"] == 0.0
    assert data["misses"][0]["detected"] is False
    assert data["false_positives"][0]["speaker_mention"] == "Critics"
    assert data["target_recall"] is None


def test_evaluate_score_rejects_misaligned_extractions() -> None:
    doc = GoldDoc(id="d", text=TEXT)
    with pytest.raises(ValueError, match="1 gold documents but 0 extractions"):
        score([doc], [])
    with pytest.raises(ValueError, match="'d'"):
        score([doc], [Extraction(text="other text")])


def test_evaluate_runs_extract_many_over_the_first_limit_docs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import claimx
    from claimx.evaluate import evaluate

    calls: list[dict[str, Any]] = []

    def fake_extract_many(texts, **options):
        calls.append({"texts": list(texts), **options})
        return (Extraction(text=text) for text in calls[-1]["texts"])

    monkeypatch.setattr(claimx, "extract_many", fake_extract_many, raising=False)
    articles = [_polnear_article(), _polnear_article(id="art-2", text=TEXT + " More.")]
    path = _write_jsonl(tmp_path / "gold.jsonl", articles)
    report = evaluate(path, nlp="NLP", batch_size=8, limit=1)
    assert calls == [{"texts": [TEXT], "nlp": "NLP", "n_process": 1, "batch_size": 8}]
    assert report.n_docs == 1 and report.overall.n_gold == 1 and report.overall.detection.recall == 0.0


def test_evaluate_precision_per_confidence_band() -> None:
    golds = [
        _gold(TEXT, BRIDGE, speaker="Lena Brandt", gold_id="g1"),
        _gold(TEXT, QUOTE, speaker="she", kind="direct", gold_id="g2"),
    ]
    claims = [
        _claim(TEXT, BRIDGE, mention="Lena Brandt", claim_id="c1").model_copy(update={"confidence": 0.95}),
        _claim(TEXT, QUOTE, mention="Critics", kind="direct", claim_id="c2").model_copy(update={"confidence": 0.91}),
        _claim(TEXT, "Critics claimed", mention="Critics", claim_id="c3").model_copy(update={"confidence": 0.55}),
        _claim(TEXT, REPAIRS, mention="Critics", claim_id="c4").model_copy(update={"confidence": 1.0}),
    ]
    report = _score(TEXT, golds, claims)
    bands = {(band.low, band.high): band for band in report.bands}
    top, middle = bands[(0.9, 1.0)], bands[(0.5, 0.6)]
    assert top.n_pred == 3  # 1.0 falls in the top band
    assert top.detection_precision == pytest.approx(2 / 3)
    assert top.attribution_precision == pytest.approx(1 / 3)
    assert (middle.n_pred, middle.detection_precision) == (1, 0.0)
    assert sum(band.n_pred for band in report.bands) == report.overall.n_pred
    assert "0.9–1.0" in report.render() and "0.5–0.6" in report.render()
    assert "0.0–0.4" not in report.render()  # empty bands are not printed
