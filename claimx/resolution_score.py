"""Resolution scoring: is each found claim's speaker named as the entity that really spoke?

The gold is the speaker-resolution format (`gold/polnear-dev-resolution/gold.jsonl`): one row per
attribution with its content span, the surface mention, its `mention_type` and the `speaker_keys`
a correct canonical name contains. The rows carry no text; the articles come from a PolNeAR-format
JSONL. A claim covers a row by the covering rule of `claimx.evaluate`; a covered row is resolved
when any covering claim's `speaker.name` contains one of its keys, matched as that set's README
says (normalised, from a word boundary, short keys as whole words), so the figures compare with its
reference scorer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ConfigDict

from claimx.errors import InputError
from claimx.evaluate import _excerpt, _overlap, _read_polnear, _records, _validate, _Where, covers
from claimx.models import Claim, Extraction, FrozenModel

MENTION_TYPES = ("name", "surname", "pronoun", "role", "org", "other")


class ResolutionRow(FrozenModel):
    """One gold attribution with its resolved speaker. Only rows with `named` true and a
    `resolved` name count toward the resolution figures; the others still count as covered or not."""

    id: str
    doc: str
    start: int
    end: int
    speaker_span: tuple[int, int] | None = None
    mention: str = ""
    mention_type: str
    resolved: str | None = None
    named: bool | None = None
    speaker_keys: tuple[str, ...] = ()

    @property
    def scorable(self) -> bool:
        return self.named is True and self.resolved is not None


class ResolutionDoc(FrozenModel):
    """One article and the resolution rows on it."""

    id: str
    text: str
    rows: tuple[ResolutionRow, ...]


class _Row(ResolutionRow):
    """A gold line as written: other fields are ignored and `speaker_keys` may be null."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    speaker_keys: tuple[str, ...] | None = None


def is_resolution_record(record: dict[str, Any]) -> bool:
    """Whether a gold record is a resolution row rather than a seeds or PolNeAR one."""
    return "mention_type" in record and "doc" in record


def read_resolution(path: str | Path, texts: str | Path | None = None) -> list[ResolutionDoc]:
    """Read a resolution gold file and the articles it indexes into.

    `texts` is a PolNeAR-format JSONL holding the articles; by default the `corpora/*/gold.jsonl`
    beside the gold folder whose name the gold folder's name starts with ("polnear-dev" for
    "polnear-dev-resolution"), else any there that holds every article. Raises `InputError` ([E101]).
    """
    path = Path(path)
    rows: list[tuple[_Where, ResolutionRow]] = []
    for where, record in _records(path):
        raw: _Row = _validate(_Row, record, where)
        rows.append((where, ResolutionRow(**{**raw.model_dump(), "speaker_keys": tuple(
            key for key in raw.speaker_keys or () if key.strip())})))
    if not rows:
        raise InputError("E101", f"{path}: no gold records")
    wanted = {row.doc for _, row in rows}
    source = Path(texts) if texts is not None else _find_texts(path, wanted)
    articles = {doc.id: doc.text for doc in _read_polnear(list(_records(source))) if doc.id in wanted}
    by_doc: dict[str, list[ResolutionRow]] = {}
    for where, row in rows:
        text = articles.get(row.doc)
        if text is None:
            raise where.error(f"article {row.doc!r} is not in {source}")
        for what, span in (("content", (row.start, row.end)), ("speaker_span", row.speaker_span)):
            if span is not None and not 0 <= span[0] < span[1] <= len(text):
                raise where.error(f"{what} {list(span)} is not a span of the {len(text)}-character article")
        by_doc.setdefault(row.doc, []).append(row)
    return [ResolutionDoc(id=doc, text=articles[doc], rows=tuple(found)) for doc, found in by_doc.items()]


def _find_texts(path: Path, wanted: set[str]) -> Path:
    folder = path.resolve().parent
    candidates = sorted((folder.parent / "corpora").glob("*/gold.jsonl")) + \
        sorted((folder.parent.parent / "corpora").glob("*/gold.jsonl"))
    candidates.sort(key=lambda c: not folder.name.startswith(c.parent.name))
    for candidate in candidates:
        ids = {record.get("id") for _, record in _records(candidate)}
        if wanted <= ids:
            return candidate
    raise InputError("E101", f"{path}: resolution rows carry no text, and no corpora/*/gold.jsonl beside it "
                             "holds all their articles; pass the articles' PolNeAR JSONL with --texts")


# --------------------------------------------------------------------------- key matching


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    text = text.lower().replace("'", "").replace(".", "")
    text = re.sub(r"[-\u2010-\u2015_/]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def key_matches(key: str, name: str) -> bool:
    """Whether a canonical name contains a gold key: from a word boundary, and as a whole word
    when the key has three characters or fewer ("AP" is not in "Japan")."""
    k, n = _normalise(key), _normalise(name)
    if not k or not n:
        return False
    pattern = r"(?<![a-z0-9])" + re.escape(k) + (r"(?![a-z0-9])" if len(k) <= 3 else "")
    return re.search(pattern, n) is not None


# --------------------------------------------------------------------------- report


class ResolutionScores(FrozenModel):
    """The figures of one group of rows (all, or one mention type), as the gold README defines them.

    `covered_all` and `mention_acc` are over all rows; the rest over scorable rows only. A share
    with an empty denominator is None."""

    n_all: int
    covered_all: float | None
    mention_acc: float | None
    n: int
    covered: float | None
    resolved_acc: float | None
    resolved_recall: float | None
    resolved_acc_given_mention: float | None


class ResolutionMiss(FrozenModel):
    """A covered scorable row whose speaker was not resolved to the right entity."""

    doc_id: str
    gold_id: str
    mention_type: str
    mention: str
    resolved: str
    speaker_keys: tuple[str, ...]
    content: str
    predicted: tuple[str, ...]
    mention_found: bool


class ResolutionReport(FrozenModel):
    """Resolution figures overall and per mention type, and the misses."""

    n_docs: int
    overall: ResolutionScores
    by_mention_type: dict[str, ResolutionScores]
    misses: tuple[ResolutionMiss, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def render(self, max_misses: int = 50) -> str:
        """A table per mention type, then up to `max_misses` misses."""
        columns = ("n_all", "covered_all", "mention_acc", "n", "covered", "resolved_acc", "resolved_recall")
        lines = [f"{self.n_docs} documents", f"{'':<9}" + "".join(f"{c:>16}" for c in columns)]
        for label, group in [("all", self.overall), *self.by_mention_type.items()]:
            cells = [getattr(group, c) for c in columns]
            lines.append(f"{label:<9}" + "".join(
                f"{'-' if v is None else v if isinstance(v, int) else f'{v:.3f}':>16}" for v in cells))
        shown = [_render_miss(miss) for miss in self.misses[: max(max_misses, 0)]]
        more = [f"  … and {len(self.misses) - len(shown)} more"] if len(shown) < len(self.misses) else []
        return "\n".join([*lines, "", f"Wrong speakers ({len(self.misses)})", *shown, *more])


def _render_miss(miss: ResolutionMiss) -> str:
    got = "; ".join(repr(name) for name in miss.predicted) or "(no speaker)"
    return (f"  {miss.gold_id} {miss.mention_type} {miss.mention!r}: “{miss.content}”\n"
            f"    gold: {miss.resolved} [keys: {', '.join(miss.speaker_keys)}] | got: {got}")


def score_resolution(docs: Sequence[ResolutionDoc], extractions: Sequence[Extraction]) -> ResolutionReport:
    """Score the speakers of extractions (aligned with `docs`) against the resolution rows."""
    if len(docs) != len(extractions):
        raise ValueError(f"{len(docs)} gold documents but {len(extractions)} extractions")
    judged: list[tuple[ResolutionRow, bool, bool, bool]] = []  # row, covered, mention found, resolved
    misses = []
    for doc, extraction in zip(docs, extractions):
        if extraction.text != doc.text:
            raise ValueError(f"extraction for gold document {doc.id!r} is of a different text")
        for row in doc.rows:
            found = [claim for claim in extraction.claims if covers(claim, row)]  # type: ignore[arg-type]
            mention = any(_mention_found(claim, row) for claim in found)
            names = [claim.speaker.name for claim in found if claim.speaker is not None]
            resolved = row.scorable and any(key_matches(k, name) for name in names for k in row.speaker_keys)
            judged.append((row, bool(found), mention, resolved))
            if found and row.scorable and not resolved:
                misses.append(ResolutionMiss(
                    doc_id=doc.id, gold_id=row.id, mention_type=row.mention_type, mention=row.mention,
                    resolved=row.resolved or "", speaker_keys=row.speaker_keys,
                    content=_excerpt(doc.text[row.start : row.end]), predicted=tuple(names), mention_found=mention))
    types = [t for t in MENTION_TYPES if any(r.mention_type == t for r, *_ in judged)]
    types += sorted({r.mention_type for r, *_ in judged} - set(types))
    return ResolutionReport(
        n_docs=len(docs),
        overall=_group(judged),
        by_mention_type={t: _group([j for j in judged if j[0].mention_type == t]) for t in types},
        misses=tuple(misses),
    )


def _mention_found(claim: Claim, row: ResolutionRow) -> bool:
    speaker, gold = claim.speaker, row.speaker_span
    return speaker is not None and gold is not None and _overlap(speaker.mention.start, speaker.mention.end, *gold) > 0


def _share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def _group(judged: list[tuple[ResolutionRow, bool, bool, bool]]) -> ResolutionScores:
    covered_all = [j for j in judged if j[1]]
    scorable = [j for j in judged if j[0].scorable]
    covered = [j for j in scorable if j[1]]
    with_mention = [j for j in covered if j[2]]
    return ResolutionScores(
        n_all=len(judged),
        covered_all=_share(len(covered_all), len(judged)),
        mention_acc=_share(sum(j[2] for j in covered_all), len(covered_all)),
        n=len(scorable),
        covered=_share(len(covered), len(scorable)),
        resolved_acc=_share(sum(j[3] for j in covered), len(covered)),
        resolved_recall=_share(sum(j[3] for j in scorable), len(scorable)),
        resolved_acc_given_mention=_share(sum(j[3] for j in with_mention), len(with_mention)),
    )


def is_resolution_file(path: str | Path) -> bool:
    """Whether a gold file is in the resolution format, judged by its first record."""
    first = next(iter(_records(Path(path))), None)
    return first is not None and is_resolution_record(first[1])


def evaluate_resolution(path: str | Path, nlp: Any = None, texts: str | Path | None = None, *,
                        n_process: int = 1, limit: int | None = None) -> ResolutionReport:
    """Read a resolution gold file, run `claimx.extract_many` over its articles (first `limit`
    only) and score the speakers."""
    import claimx  # lazily: reading and scoring gold need no pipeline

    docs = read_resolution(path, texts)[:limit]
    extractions = list(claimx.extract_many([doc.text for doc in docs], nlp=nlp, n_process=n_process))
    return score_resolution(docs, extractions)
