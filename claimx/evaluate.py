"""Score extractions against gold attributions: detection and attribution P/R/F1, per kind, misses.

Two gold formats are read, both normalised to `GoldDoc`:
- seeds (`gold/seeds.jsonl`): one claim per line, article texts in a folder, speakers judged on the
  resolved name (`speaker_keys`), with `required: false` rows that are neither counted nor penalised;
- PolNeAR (`corpora/polnear-dev/gold.jsonl`): one article per line, speakers judged on the surface
  mention span.

The scoring rule is the one the gold READMEs define, so numbers here compare with the published ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from claimx.errors import InputError, bad_gold
from claimx.models import Claim, Extraction, FrozenModel, Kind

KINDS: tuple[Kind, ...] = ("direct", "indirect", "mixed")
EXCERPT_CHARS = 160


# --------------------------------------------------------------------------- normalised gold


class GoldAttribution(FrozenModel):
    """One gold attribution in the shape both formats share.

    `judge` says how the speaker is checked: "mention" (PolNeAR) compares `speaker` (a character
    span of the surface mention, None for no speaker) with the predicted mention; "name" (seeds)
    looks for any of `speaker_keys` in the predicted canonical name (empty: no speaker).
    `speaker_text` is only for reading misses. `targets` is None where the gold has none (PolNeAR).
    """

    id: str
    start: int
    end: int
    kind: Kind
    required: bool = True
    judge: Literal["mention", "name"]
    speaker: tuple[int, int] | None = None
    speaker_keys: tuple[str, ...] = ()
    speaker_text: str | None = None
    targets: tuple[str, ...] | None = None
    cue: tuple[int, int] | None = None


class GoldDoc(FrozenModel):
    """One article and its gold attributions."""

    id: str
    text: str
    attributions: tuple[GoldAttribution, ...] = ()


# --------------------------------------------------------------------------- raw records


class _Raw(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _SeedRow(_Raw):
    id: str
    doc: str
    start: int
    end: int
    content: str
    speaker: str | None
    speaker_keys: list[str] | None
    cue: str | None
    kind: Kind
    required: bool
    targets: list[str] | None


class _PolnearQuote(_Raw):
    content: tuple[int, int]
    speaker: tuple[int, int] | None
    speaker_text: str | None = None
    cue: tuple[int, int] | None = None
    kind: Kind
    ann_id: str | None = None


class _PolnearArticle(_Raw):
    id: str
    text: str
    quotes: list[_PolnearQuote]


@dataclass(frozen=True)
class _Where:
    """A line of a gold file, for error messages."""

    path: Path
    line: int

    def error(self, reason: str) -> InputError:
        return bad_gold(str(self.path), self.line, reason)


def _validate(model: type[_Raw], record: Any, where: _Where) -> Any:
    try:
        return model.model_validate(record)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        if first["type"] == "missing":
            raise where.error(f"missing field '{field}'") from None
        raise where.error(f"field '{field}': {first['msg']}") from None


def _check_span(start: int, end: int, text_len: int, what: str, where: _Where) -> None:
    if not 0 <= start < end <= text_len:
        raise where.error(f"{what} [{start}, {end}] is not a non-empty span of the {text_len}-character text")


# --------------------------------------------------------------------------- reading


def _records(path: Path) -> Iterable[tuple[_Where, dict[str, Any]]]:
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            where = _Where(path, number)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise where.error(f"not UTF-8 at byte {exc.start + 1}") from None
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise where.error(f"invalid JSON at character {exc.colno}: {exc.msg}") from None
            if not isinstance(record, dict):
                raise where.error(f"expected a JSON object, got {type(record).__name__}")
            yield where, record


def read_gold(path: str | Path, texts: str | Path | None = None) -> list[GoldDoc]:
    """Read a seeds or PolNeAR gold file, telling them apart by the first record.

    `texts` is the folder of seed articles; by default `<gold folder>/../seeds`. It is ignored for
    PolNeAR, whose records carry their text. Raises `claimx.errors.InputError` ([E101]) naming file and line.
    """
    path = Path(path)
    records = iter(_records(path))
    first = next(records, None)
    if first is None:
        raise InputError("E101", f"{path}: no gold records")
    where, record = first
    rest = [first, *records]
    if "quotes" in record or "text" in record:
        return _read_polnear(rest)
    if "doc" in record:
        folder = Path(texts) if texts is not None else path.parent.parent / "seeds"
        return _read_seeds(rest, folder)
    raise where.error("cannot tell the gold format: expected 'doc' (seeds) or 'text' and 'quotes' (PolNeAR)")


def _read_polnear(records: Sequence[tuple[_Where, dict[str, Any]]]) -> list[GoldDoc]:
    docs = []
    for where, record in records:
        article: _PolnearArticle = _validate(_PolnearArticle, record, where)
        attributions = []
        for number, quote in enumerate(article.quotes):
            _check_span(*quote.content, len(article.text), f"quotes.{number}.content", where)
            if quote.speaker is not None:
                _check_span(*quote.speaker, len(article.text), f"quotes.{number}.speaker", where)
            if quote.cue is not None:
                _check_span(*quote.cue, len(article.text), f"quotes.{number}.cue", where)
            attributions.append(
                GoldAttribution(
                    id=quote.ann_id or f"{article.id}#{number}",
                    start=quote.content[0],
                    end=quote.content[1],
                    kind=quote.kind,
                    judge="mention",
                    speaker=quote.speaker,
                    speaker_text=quote.speaker_text if quote.speaker is not None else None,
                    cue=quote.cue,
                )
            )
        docs.append(GoldDoc(id=article.id, text=article.text, attributions=tuple(attributions)))
    return docs


def _read_seeds(records: Sequence[tuple[_Where, dict[str, Any]]], folder: Path) -> list[GoldDoc]:
    texts: dict[str, str] = {}
    attributions: dict[str, list[GoldAttribution]] = {}
    for where, record in records:
        row: _SeedRow = _validate(_SeedRow, record, where)
        if row.doc not in texts:
            article = folder / row.doc
            try:
                texts[row.doc] = article.read_bytes().decode("utf-8")  # bytes: keep offsets exact
            except OSError as exc:
                raise where.error(f"cannot read article {article}: {exc.strerror}") from None
            except UnicodeDecodeError as exc:
                raise where.error(f"article {article} is not UTF-8: {exc.reason}") from None
            attributions[row.doc] = []
        text = texts[row.doc]
        _check_span(row.start, row.end, len(text), "content", where)
        if text[row.start : row.end] != row.content:
            found = _excerpt(text[row.start : row.end], 60)
            raise where.error(f"text[{row.start}:{row.end}] of {row.doc} is {found!r}, not the row's content")
        keys = tuple(key for key in row.speaker_keys or () if key.strip()) if row.speaker else ()
        attributions[row.doc].append(
            GoldAttribution(
                id=row.id,
                start=row.start,
                end=row.end,
                kind=row.kind,
                required=row.required,
                judge="name",
                speaker_keys=keys,
                speaker_text=row.speaker or None,
                targets=tuple(row.targets or ()),
            )
        )
    return [GoldDoc(id=doc, text=texts[doc], attributions=tuple(attributions[doc])) for doc in texts]


# --------------------------------------------------------------------------- report


class PRF(FrozenModel):
    """Precision, recall and F1 (0.0 where a denominator is empty)."""

    precision: float
    recall: float
    f1: float


class Scores(FrozenModel):
    """Detection and attribution scores over one group of gold and predicted claims.

    `n_gold` counts required gold attributions; `n_pred` predicted claims, less those that cover
    only non-required gold.
    """

    n_gold: int
    n_pred: int
    detection: PRF
    attribution: PRF


class PredictedSpeaker(FrozenModel):
    """The speaker of a claim that covered a gold attribution; None fields mean no speaker."""

    mention: str | None
    name: str | None


class Miss(FrozenModel):
    """A required gold attribution that no claim attributed correctly.

    `predicted` lists the speakers of the claims that covered it; empty when it was not detected.
    """

    doc_id: str
    gold_id: str
    kind: Kind
    start: int
    end: int
    content: str
    gold_speaker: str | None
    gold_speaker_keys: tuple[str, ...] = ()
    detected: bool
    predicted: tuple[PredictedSpeaker, ...] = ()


class FalsePositive(FrozenModel):
    """A predicted claim that covers no gold attribution."""

    doc_id: str
    claim_id: str
    kind: Kind
    start: int
    end: int
    content: str
    speaker_mention: str | None
    speaker_name: str | None


class Band(FrozenModel):
    """The predicted claims whose confidence lies in [low, high): how many, and how many of them
    covered a gold attribution (detection) and with the right speaker (attribution)."""

    low: float
    high: float
    n_pred: int
    detection_precision: float
    attribution_precision: float


BAND_EDGES = (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


class Report(FrozenModel):
    """The result of scoring: overall and per-kind scores, precision per confidence band, target
    recall, misses, false positives.

    `target_recall` is the share of gold target names found among the targets of the best covering
    claim, over detected required gold with targets (seeds only); None when there are none.
    """

    n_docs: int
    overall: Scores
    by_kind: dict[Kind, Scores]
    bands: tuple[Band, ...] = ()
    target_recall: float | None = None
    n_targets: int = 0
    misses: tuple[Miss, ...] = ()
    false_positives: tuple[FalsePositive, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data."""
        return self.model_dump(mode="json")

    def render(self, max_misses: int = 50) -> str:
        """A plain-text table of the scores, then up to `max_misses` misses and false positives."""
        det, att = ("".join(f"{f'{stage} {m}':>7}" for m in ("P", "R", "F1")) for stage in ("det", "att"))
        titles = f"{det}  {att}"
        lines = [f"{self.n_docs} documents", f"{'':<9}{'n_gold':>7}{'n_pred':>7}  {titles}"]
        for label, scores in [("overall", self.overall), *((kind, self.by_kind[kind]) for kind in KINDS)]:
            numbers = "  ".join(_numbers(prf) for prf in (scores.detection, scores.attribution))
            lines.append(f"{label:<9}{scores.n_gold:>7}{scores.n_pred:>7}  {numbers}")
        if self.bands:
            lines += ["", f"{'confidence':<13}{'n_pred':>7}{'det P':>8}{'att P':>8}"]
            lines += [f"{f'{b.low:.1f}–{b.high:.1f}':<13}{b.n_pred:>7}{b.detection_precision:>8.3f}"
                      f"{b.attribution_precision:>8.3f}" for b in self.bands if b.n_pred]
        if self.target_recall is not None:
            lines.append(f"target recall {self.target_recall:.3f} over {self.n_targets} gold targets")
        misses = [_render_miss(miss) for miss in self.misses]
        false_positives = [_render_false_positive(fp) for fp in self.false_positives]
        lines += _render_list(f"Misses ({len(misses)})", misses, max_misses)
        lines += _render_list(f"False positives ({len(false_positives)})", false_positives, max_misses)
        return "\n".join(lines)


def _numbers(prf: PRF) -> str:
    return "".join(f"{value:>7.3f}" for value in (prf.precision, prf.recall, prf.f1))


def _render_list(title: str, entries: list[str], limit: int) -> list[str]:
    shown = entries[: max(limit, 0)]
    more = [f"  … and {len(entries) - len(shown)} more"] if len(shown) < len(entries) else []
    return ["", title, *shown, *more]


def _speaker_label(mention: str | None, name: str | None) -> str:
    if mention is None and name is None:
        return "(no speaker)"
    return f"{mention!r} = {name}"


def _render_miss(miss: Miss) -> str:
    gold = miss.gold_speaker or "(no speaker)"
    if miss.gold_speaker_keys:
        gold += f" [keys: {', '.join(miss.gold_speaker_keys)}]"
    if miss.detected:
        got = "; ".join(_speaker_label(p.mention, p.name) for p in miss.predicted)
        verdict = f"wrong speaker: {got}"
    else:
        verdict = "not detected"
    return f"  {miss.doc_id} {miss.gold_id} {miss.kind}: “{miss.content}”\n    gold: {gold} | {verdict}"


def _render_false_positive(fp: FalsePositive) -> str:
    speaker = _speaker_label(fp.speaker_mention, fp.speaker_name)
    return f"  {fp.doc_id} {fp.claim_id} {fp.kind}: “{fp.content}”\n    speaker: {speaker}"


# --------------------------------------------------------------------------- scoring


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def covers(claim: Claim, gold: GoldAttribution) -> bool:
    """Whether the claim's content overlaps at least half of the gold and a quarter of itself."""
    shared = _overlap(claim.content.start, claim.content.end, gold.start, gold.end)
    predicted_len = claim.content.end - claim.content.start
    return shared > 0 and 2 * shared >= gold.end - gold.start and 4 * shared >= predicted_len


def speaker_matches(claim: Claim, gold: GoldAttribution) -> bool:
    """Whether the claim's speaker is right for the gold: by mention span or by resolved name."""
    speaker = claim.speaker
    if gold.judge == "mention":
        if gold.speaker is None or speaker is None:
            return gold.speaker is None and speaker is None
        return _overlap(speaker.mention.start, speaker.mention.end, *gold.speaker) > 0
    if not gold.speaker_keys or speaker is None:
        return not gold.speaker_keys and speaker is None
    name = speaker.name.casefold()
    return any(key.casefold() in name for key in gold.speaker_keys)


def _same_name(a: str, b: str) -> bool:
    a, b = a.strip().casefold(), b.strip().casefold()
    return bool(a and b) and (a in b or b in a)


def _excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@dataclass
class _Tally:
    """Counts for one group while scoring; local to one `score` call."""

    n_gold: int = 0
    gold_detected: int = 0
    gold_attributed: int = 0
    n_pred: int = 0
    pred_detected: int = 0
    pred_attributed: int = 0

    def scores(self) -> Scores:
        return Scores(
            n_gold=self.n_gold,
            n_pred=self.n_pred,
            detection=_prf(self.pred_detected, self.n_pred, self.gold_detected, self.n_gold),
            attribution=_prf(self.pred_attributed, self.n_pred, self.gold_attributed, self.n_gold),
        )


def _prf(pred_hits: int, n_pred: int, gold_hits: int, n_gold: int) -> PRF:
    precision = pred_hits / n_pred if n_pred else 0.0
    recall = gold_hits / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision=precision, recall=recall, f1=f1)


def score(gold_docs: Sequence[GoldDoc], extractions: Sequence[Extraction]) -> Report:
    """Score extractions (aligned with `gold_docs`) with the covering rule of the gold READMEs."""
    if len(gold_docs) != len(extractions):
        raise ValueError(f"{len(gold_docs)} gold documents but {len(extractions)} extractions")
    overall = _Tally()
    by_kind = {kind: _Tally() for kind in KINDS}
    targets_found = targets_total = 0
    misses: list[Miss] = []
    false_positives: list[FalsePositive] = []
    judged: list[tuple[float, bool, bool]] = []  # (confidence, detected, attributed) of each counted claim

    for doc, extraction in zip(gold_docs, extractions):
        if extraction.text != doc.text:
            raise ValueError(f"extraction for gold document {doc.id!r} is of a different text")
        claims = extraction.claims
        golds = doc.attributions
        covered = [[covers(claim, gold) for gold in golds] for claim in claims]  # covered[claim][gold]

        for g, gold in enumerate(golds):
            if not gold.required:
                continue
            found = [claim for c, claim in enumerate(claims) if covered[c][g]]
            attributed = any(speaker_matches(claim, gold) for claim in found)
            for tally in (overall, by_kind[gold.kind]):
                tally.n_gold += 1
                tally.gold_detected += bool(found)
                tally.gold_attributed += attributed
            if found and gold.targets:
                targets_total += len(gold.targets)
                targets_found += max(
                    sum(any(_same_name(name, ref.name) for ref in claim.targets) for name in gold.targets)
                    for claim in found
                )
            if not attributed:
                misses.append(_miss(doc, gold, found))

        for claim, hits in zip(claims, covered):
            hit_required = [gold for gold, hit in zip(golds, hits) if hit and gold.required]
            if any(hits) and not hit_required:
                continue  # covers only optional gold: neither a hit nor a false positive
            attributed = any(speaker_matches(claim, gold) for gold in hit_required)
            for tally in (overall, by_kind[claim.kind]):
                tally.n_pred += 1
                tally.pred_detected += bool(hit_required)
                tally.pred_attributed += attributed
            judged.append((claim.confidence, bool(hit_required), attributed))
            if not any(hits):
                false_positives.append(_false_positive(doc, claim))

    return Report(
        n_docs=len(gold_docs),
        overall=overall.scores(),
        by_kind={kind: tally.scores() for kind, tally in by_kind.items()},
        bands=_bands(judged),
        target_recall=targets_found / targets_total if targets_total else None,
        n_targets=targets_total,
        misses=tuple(misses),
        false_positives=tuple(false_positives),
    )


def _bands(judged: list[tuple[float, bool, bool]]) -> tuple[Band, ...]:
    bands = []
    for low, high in zip(BAND_EDGES, BAND_EDGES[1:]):
        inside = [(d, a) for c, d, a in judged if low <= c < high or high == BAND_EDGES[-1] and c == high]
        n = len(inside)
        bands.append(Band(low=low, high=high, n_pred=n, detection_precision=sum(d for d, _ in inside) / n if n else 0.0,
                          attribution_precision=sum(a for _, a in inside) / n if n else 0.0))
    return tuple(bands)


def _miss(doc: GoldDoc, gold: GoldAttribution, found: list[Claim]) -> Miss:
    return Miss(
        doc_id=doc.id,
        gold_id=gold.id,
        kind=gold.kind,
        start=gold.start,
        end=gold.end,
        content=_excerpt(doc.text[gold.start : gold.end]),
        gold_speaker=gold.speaker_text,
        gold_speaker_keys=gold.speaker_keys,
        detected=bool(found),
        predicted=tuple(
            PredictedSpeaker(
                mention=claim.speaker.mention.text if claim.speaker else None,
                name=claim.speaker.name if claim.speaker else None,
            )
            for claim in found
        ),
    )


def _false_positive(doc: GoldDoc, claim: Claim) -> FalsePositive:
    return FalsePositive(
        doc_id=doc.id,
        claim_id=claim.id,
        kind=claim.kind,
        start=claim.content.start,
        end=claim.content.end,
        content=_excerpt(claim.content.text),
        speaker_mention=claim.speaker.mention.text if claim.speaker else None,
        speaker_name=claim.speaker.name if claim.speaker else None,
    )


# --------------------------------------------------------------------------- running


def evaluate(
    path: str | Path,
    nlp: Any = None,
    texts: str | Path | None = None,
    *,
    batch_size: int | None = None,
    n_process: int = 1,
    limit: int | None = None,
) -> Report:
    """Read a gold file, run `claimx.extract_many` over its texts (first `limit` only) and score.

    `batch_size=None` keeps `extract_many`'s own default.
    """
    import claimx  # lazily: reading and scoring gold need no pipeline

    gold_docs = read_gold(path, texts)
    if limit is not None:
        gold_docs = gold_docs[:limit]
    options: dict[str, Any] = {"nlp": nlp, "n_process": n_process}
    if batch_size is not None:
        options["batch_size"] = batch_size
    extractions = list(claimx.extract_many([doc.text for doc in gold_docs], **options))
    return score(gold_docs, extractions)
