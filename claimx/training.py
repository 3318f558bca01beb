"""Training: fit the learned attribution decision on annotated news.

    claimx train gold.jsonl [more.jsonl ...] -o attribution.npz

The corpus is PolNeAR-format JSONL (one article per line, with the content, source and cue span
of every attribution). Four linear models are fitted over the hashed features of
`claimx.attribution.features`, each on what the one before it proposes:

1. **cue**: is this token the word that reports an attribution? Tokens it scores over the cue
   threshold propose claims, beside the lexicon's cues.
2. **speaker**: which of the parse's candidates (or nobody) is the source of a cue word? This one
   is a ranking (a conditional logit: the candidates of one word compete in a softmax), as only
   the best candidate is ever used.
3. **claim**: is this reading of a cue word (its clause, object, infinitive, the sentence it is
   set into, …) an attribution's content? Its labels use cue and speaker scores from models that
   never saw the document (cross-fitting), as at run time.
4. **quote**: is this claim of the quote and line rules (a quote with its tag, a follow-on
   quote, a headline) an attribution?

A share of the documents is held out to choose the thresholds that maximise attributed F1; the
final models are then refitted on every document. Fitting needs scikit-learn (the `train`
extra); running a trained model needs only numpy.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from claimx import errors
from claimx.attribution import features
from claimx.attribution.candidates import Attribution
from claimx.attribution.decision import _HEAD_POS, _JUDGED_RULES as _RULES, _KEPT, Decision, attribute
from claimx.cues import find_cues
from claimx.names import mention_span
from claimx.evaluate import GoldAttribution, GoldDoc, read_gold
from claimx.quotes import scan_quotes
from claimx.text import clean

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

Progress = Callable[[str], None]
_NEVER = 2.0  # a threshold no probability reaches
_THRESHOLDS = tuple(round(0.2 + 0.025 * k, 3) for k in range(17))  # 0.2, 0.225, … 0.6


@dataclass(frozen=True)
class Settings:
    """How a decision is fitted. `regularisation` is the inverse L2 strength (scikit-learn's C)
    of the cue and quote models, `claim_regularisation` that of the claim model,
    `speaker_regularisation` that of the speaker ranking; `folds`
    the cross-fitting folds for the cue and speaker models; `tune_share` the share of documents
    held out to choose thresholds; `cue_threshold` the cue probability over which a word proposes."""

    regularisation: float = 0.5
    claim_regularisation: float = 0.1
    speaker_regularisation: float = 0.3
    folds: int = 3
    tune_share: float = 0.2
    cue_threshold: float = 0.05


@dataclass
class _Parsed:
    """One training document: its gold and its parsed Doc."""

    gold: GoldDoc
    doc: Doc
    fold: int = 0


@dataclass
class _Rows:
    """Examples for one model, as the rows of a sparse matrix over the feature slots. For a
    ranking, `sizes` says how many consecutive rows each choice has."""

    slots: list[np.ndarray] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)

    def add(self, slots: np.ndarray | list[int], label: bool) -> None:
        self.slots.append(np.asarray(slots, dtype=np.int64))
        self.labels.append(int(label))

    def choice(self, slots: Sequence[np.ndarray | list[int]], labels: Sequence[bool]) -> None:
        """One choice among candidates, for a ranking."""
        for row, label in zip(slots, labels):
            self.add(row, label)
        self.sizes.append(len(slots))

    def extend(self, other: _Rows) -> None:
        self.slots.extend(other.slots)
        self.labels.extend(other.labels)
        self.sizes.extend(other.sizes)

    def matrix(self):
        from scipy.sparse import csr_matrix

        indptr = np.cumsum([0] + [len(s) for s in self.slots])
        indices = np.concatenate(self.slots) if self.slots else np.zeros(0, dtype=np.int64)
        matrix = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(self.slots), features.SLOTS))
        matrix.sum_duplicates()
        return matrix, np.array(self.labels)


def train(
    paths: Sequence[str | Path],
    output: str | Path | None = None,
    *,
    nlp: Language | None = None,
    settings: Settings = Settings(),
    progress: Progress = lambda message: None,
    refit: bool = True,
) -> Decision:
    """Fit a decision on the PolNeAR-format gold files at `paths`, write it to `output` (when
    given) and return it. `progress` is told what is happening, a line at a time. Without
    `refit`, the models that chose the thresholds are kept, fitted on all but the held-out share
    (quicker, for experiments)."""
    _needs_sklearn()
    from claimx.extraction import pipeline

    nlp = pipeline(nlp)
    started = time.monotonic()
    golds = [doc for path in paths for doc in _read(path)]
    n_attributions = sum(len(doc.attributions) for doc in golds)
    progress(f"read {len(golds)} documents with {n_attributions} attributions")
    parsed = _parse(nlp, golds, progress)
    progress(f"parsed in {time.monotonic() - started:.0f} s")

    tune = [p for p in parsed if _share(p.gold.id) < settings.tune_share]
    fit_on = [p for p in parsed if _share(p.gold.id) >= settings.tune_share]
    trial = None
    if tune and fit_on:
        trial = _fit(fit_on, settings, progress)
        claim_threshold, learned_threshold, quote_threshold, f1 = _tune(trial, tune, settings)
        progress(f"thresholds on {len(tune)} held-out documents: lexicon cues {claim_threshold}, learned cues "
                 f"{learned_threshold}, lines {quote_threshold} (attributed F1 {f1:.3f})")
    else:
        claim_threshold = learned_threshold = quote_threshold = 0.5
    final = _fit(parsed, settings, progress) if refit or trial is None else trial
    decision = Decision(
        final.cue, final.speaker, final.claim, final.quote, cue_threshold=settings.cue_threshold,
        claim_threshold=claim_threshold, learned_threshold=learned_threshold, quote_threshold=quote_threshold,
        meta={
            "trained_on": [Path(p).name for p in paths],
            "documents": len(golds),
            "attributions": n_attributions,
            "pipeline": f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '')}-{nlp.meta.get('version', '')}",
            "regularisation": settings.regularisation,
            "claim_regularisation": settings.claim_regularisation,
            "speaker_regularisation": settings.speaker_regularisation,
            "folds": settings.folds,
        },
    )
    if output is not None:
        decision.save(output)
        progress(f"wrote {output}")
    progress(f"trained in {time.monotonic() - started:.0f} s")
    return decision


def _needs_sklearn() -> None:
    try:
        import scipy.sparse  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError as exc:
        raise errors.needs_extra("claimx train", exc.name or "scikit-learn", "train") from None


def _read(path: str | Path) -> list[GoldDoc]:
    docs = read_gold(path)
    if docs and any(a.judge != "mention" for doc in docs for a in doc.attributions):
        raise errors.InputError("E102", f"{path}: training needs PolNeAR-format JSONL (articles with 'text' and 'quotes')")
    return docs


def _share(doc_id: str) -> float:
    """A stable number in [0, 1) for a document id: which documents are held out."""
    return int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:8], 16) / 2**32


def _parse(nlp: Language, golds: list[GoldDoc], progress: Progress) -> list[_Parsed]:
    from claimx.extraction import _claimx_pipes

    parsed = []
    texts = (clean(doc.text) for doc in golds)
    for n, (gold, doc) in enumerate(zip(golds, nlp.pipe(texts, batch_size=16, disable=_claimx_pipes(nlp))), 1):
        doc.tensor = np.zeros((0, 0), dtype=np.float32)  # not needed, and the largest part of a Doc
        parsed.append(_Parsed(gold, doc))
        if n % 100 == 0:
            progress(f"parsed {n} of {len(golds)}")
    return parsed


# --------------------------------------------------------------------------- fitting


@dataclass
class _Weights:
    cue: np.ndarray
    speaker: np.ndarray
    claim: np.ndarray
    quote: np.ndarray


def _fit(docs: list[_Parsed], settings: Settings, progress: Progress) -> _Weights:
    """The four models, each fitted on what the ones before it propose. The cue and speaker
    models that propose a document's readings never saw that document (cross-fitting), so the
    claim model learns from readings like those it will judge."""
    zero = np.zeros(features.SLOTS)
    folds = max(2, settings.folds)
    for n, p in enumerate(sorted(docs, key=lambda p: _share(p.gold.id))):
        p.fold = n % folds

    def collect(decisions: Callable[[_Parsed], Decision], table: str) -> list[_Rows]:
        by_fold = [_Rows() for _ in range(folds)]
        for p in docs:
            recorder = _Recorder(p.gold)
            _run(p, decisions(p), recorder)
            by_fold[p.fold].extend(getattr(recorder, table))
        return by_fold

    def cross_fit(by_fold: list[_Rows], what: str, unit: str,
                  fit: Callable[[_Rows], np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
        held_out = []
        for k in range(folds):
            others = _Rows()
            for j in range(folds):
                if j != k:
                    others.extend(by_fold[j])
            held_out.append(fit(others))
        everything = _Rows()
        for rows in by_fold:
            everything.extend(rows)
        progress(f"{what} model: {len(everything.labels)} {unit}, {sum(everything.labels)} right")
        return held_out, fit(everything)

    def proposing(cue: np.ndarray, speaker: np.ndarray = zero, claim: np.ndarray = zero, keep: float = _NEVER,
                  cue_threshold: float = settings.cue_threshold) -> Decision:
        """A decision that proposes with these models, keeps readings over `keep` and every quote."""
        return Decision(cue, speaker, claim, zero, cue_threshold=cue_threshold, claim_threshold=keep,
                        learned_threshold=keep, quote_threshold=-1.0)

    cue_folds, cue = cross_fit(collect(lambda p: proposing(zero, cue_threshold=_NEVER), "cue_rows"), "cue", "tokens",
                               lambda rows: _logistic(rows, settings))
    speaker_folds, speaker = cross_fit(
        collect(lambda p: proposing(cue_folds[p.fold]), "speaker_rows"), "speaker", "candidates",
        lambda rows: _ranking(rows, settings.speaker_regularisation))
    claim_rows = _Rows()
    for rows in collect(lambda p: proposing(cue_folds[p.fold], speaker_folds[p.fold]), "claim_rows"):
        claim_rows.extend(rows)
    claim = _logistic(claim_rows, settings, settings.claim_regularisation)
    progress(f"claim model: {len(claim_rows.labels)} readings, {sum(claim_rows.labels)} right")
    quote_rows = _Rows()
    for rows in collect(lambda p: proposing(cue, speaker, claim, keep=0.4), "quote_rows"):
        quote_rows.extend(rows)
    quote = _logistic(quote_rows, settings)
    progress(f"quote model: {len(quote_rows.labels)} claims, {sum(quote_rows.labels)} right")
    return _Weights(cue, speaker, claim, quote)


def _tune(weights: _Weights, docs: list[_Parsed], settings: Settings) -> tuple[float, float, float, float]:
    """The thresholds that maximise attributed F1 on held-out documents: for readings of lexicon
    cues, of words only the cue model found, and for line claims. Each is chosen on F1 averaged
    with its neighbours on the grid, so that one lucky value on a small set does not decide it."""
    lowest = min(_THRESHOLDS)
    decision = Decision(weights.cue, weights.speaker, weights.claim, weights.quote, cue_threshold=settings.cue_threshold,
                        claim_threshold=lowest, learned_threshold=lowest, quote_threshold=lowest)
    found = [(p, _run(p, decision)) for p in docs]

    def f1(lexical: float, learned: float, quote: float) -> float:
        def kept(att: Attribution) -> bool:
            if att.rule in _KEPT:
                return True
            if att.rule in _RULES:
                return att.score >= quote
            return att.score >= (learned if att.learned else lexical)

        return _attributed_f1([(p, [a for a in atts if kept(a)]) for p, atts in found])

    quote = max(_THRESHOLDS[::2], key=lambda q: f1(0.4, 0.4, q))
    grid = {(a, b): f1(a, b, quote) for a in _THRESHOLDS for b in _THRESHOLDS}
    n = len(_THRESHOLDS)

    def smoothed(j: int, k: int) -> float:
        cells = [grid[_THRESHOLDS[a], _THRESHOLDS[b]] for a in range(max(0, j - 1), min(n, j + 2))
                 for b in range(max(0, k - 1), min(n, k + 2))]
        return sum(cells) / len(cells)

    best = max(((j, k) for j in range(n) for k in range(n)), key=lambda jk: smoothed(*jk))
    lexical, learned = _THRESHOLDS[best[0]], _THRESHOLDS[best[1]]
    return lexical, learned, quote, grid[lexical, learned]


def _attributed_f1(found: list[tuple[_Parsed, list[Attribution]]]) -> float:
    """Attributed F1 under the PolNeAR rule: the content covers, and the speaker mentions overlap."""
    right_claims = n_claims = right_golds = n_golds = 0
    for p, atts in found:
        speakers = [_speaker_chars(p.doc, a) for a in atts]
        golds = p.gold.attributions
        n_golds += len(golds)
        n_claims += len(atts)
        hit = [[_covers(a.start, a.end, g) and _same_speaker(s, g) for g in golds] for a, s in zip(atts, speakers)]
        right_claims += sum(any(row) for row in hit)
        right_golds += sum(any(hit[c][g] for c in range(len(atts))) for g in range(len(golds)))
    precision = right_claims / n_claims if n_claims else 0.0
    recall = right_golds / n_golds if n_golds else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _speaker_chars(doc: Doc, att: Attribution) -> tuple[int, int] | None:
    while att.source is None and att.follows is not None:
        att = att.follows
    if att.source is None:
        return None
    span = doc[att.source[0] : att.source[1]]
    return span.start_char, span.end_char


def _same_speaker(speaker: tuple[int, int] | None, gold: GoldAttribution) -> bool:
    if speaker is None or gold.speaker is None:
        return speaker is None and gold.speaker is None
    return speaker[0] < gold.speaker[1] and gold.speaker[0] < speaker[1]


def _logistic(rows: _Rows, settings: Settings, regularisation: float | None = None) -> np.ndarray:
    """L2-regularised logistic regression weights over the slots (no separate intercept: every
    row holds a bias feature)."""
    from sklearn.linear_model import LogisticRegression

    matrix, labels = rows.matrix()
    weights = np.zeros(features.SLOTS)
    if len(set(labels.tolist())) < 2:
        return weights
    model = LogisticRegression(C=regularisation or settings.regularisation, solver="liblinear", fit_intercept=False, max_iter=200,
                               random_state=0)
    model.fit(matrix, labels)
    weights[:] = model.coef_[0]
    return weights


def _ranking(rows: _Rows, regularisation: float) -> np.ndarray:
    """L2-regularised conditional logit over the slots: in each choice the candidates compete in a
    softmax, and the likelihood of the right ones (any of them) is maximised. Choices without a
    right candidate teach nothing and are left out. Fitted with L-BFGS from zero: deterministic."""
    from scipy.optimize import minimize

    weights = np.zeros(features.SLOTS)
    sizes = np.array(rows.sizes, dtype=np.int64)
    labels = np.array(rows.labels, dtype=np.float64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    if not len(sizes) or not labels.any():
        return weights
    useful = np.add.reduceat(labels, starts) > 0
    keep = np.repeat(useful, sizes)
    matrix, _ = rows.matrix()
    matrix, labels, sizes = matrix[keep], labels[keep], sizes[useful]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    choice = np.repeat(np.arange(len(sizes)), sizes)
    used = np.unique(matrix.indices)
    matrix = matrix[:, used].tocsr()
    strength = 1.0 / regularisation

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = matrix @ w
        ez = np.exp(z - np.maximum.reduceat(z, starts)[choice])
        p = ez / np.add.reduceat(ez, starts)[choice]
        right = np.add.reduceat(p * labels, starts)
        q = p * labels / right[choice]  # each right candidate's share of the right ones' probability
        return float(-np.log(right).sum() + 0.5 * strength * w @ w), matrix.T @ (p - q) + strength * w

    fitted = minimize(loss, np.zeros(len(used)), jac=True, method="L-BFGS-B", options={"maxiter": 1000})
    weights[used] = fitted.x
    return weights


def _run(p: _Parsed, decision: Decision, observer: _Recorder | None = None) -> list[Attribution]:
    text = p.doc.text
    return attribute(p.doc, scan_quotes(text), find_cues(p.doc), text, decision, observer)


# --------------------------------------------------------------------------- labels


def _covers(start: int, end: int, gold: GoldAttribution) -> bool:
    shared = max(0, min(end, gold.end) - max(start, gold.start))
    return shared > 0 and 2 * shared >= gold.end - gold.start and 4 * shared >= end - start


class _Recorder:
    """Records each decision's features with its label from the gold: a cue token is the head of
    a gold cue; a reading is right when it covers the content of a gold attribution whose cue
    holds the word, with the same speaker; a rule's claim, when it covers some gold content (its
    speaker is the rules' business: a quote that continues the last speaker is judged by the
    speaker it continues, whom the gold names at another mention)."""

    def __init__(self, gold: GoldDoc) -> None:
        self.gold = gold
        self.cue_rows = _Rows()
        self.speaker_rows = _Rows()
        self.claim_rows = _Rows()
        self.quote_rows = _Rows()
        self.token_slots: list[np.ndarray] = []

    def tokens(self, lay, token_features: features.TokenFeatures, cue_p: np.ndarray) -> None:
        doc_rows, slots = token_features.rows, token_features.slots
        order = np.argsort(doc_rows, kind="stable")
        bounds = np.searchsorted(doc_rows[order], np.arange(token_features.n + 1))
        self.token_slots = [slots[order[bounds[i] : bounds[i + 1]]] for i in range(token_features.n)]
        doc = self.doc = lay.doc
        heads = _cue_heads(doc, self.gold)
        for tok in doc:
            if tok.pos_ in _HEAD_POS and not token_features.in_quote[tok.i]:
                self.cue_rows.add(self.token_slots[tok.i], tok.i in heads)

    def speaker(self, head: int, candidates: list, slots: list[list[int]]) -> None:
        at = self.doc[head].idx
        golds = [g for g in self.gold.attributions if g.cue is not None and g.cue[0] <= at < g.cue[1]]
        if not golds:
            return
        right = []
        for candidate in candidates:
            if candidate is None:
                chars = None
            else:
                span = self.doc[slice(*mention_span(self.doc[candidate]))]
                chars = (span.start_char, span.end_char)
            right.append(any(_same_speaker(chars, g) for g in golds))
        self.speaker_rows.choice(slots, right)

    def claim(self, att: Attribution, slots: list[int], head: int) -> None:
        at = self.doc[head].idx
        speaker = _speaker_chars(self.doc, att)
        right = any(
            g.cue is not None and g.cue[0] <= at < g.cue[1] and _covers(att.start, att.end, g)
            and _same_speaker(speaker, g)
            for g in self.gold.attributions
        )
        self.claim_rows.add(np.concatenate([self.token_slots[head], slots]), right)

    def quote(self, att: Attribution, slots: list[int]) -> None:
        self.quote_rows.add(slots, any(_covers(att.start, att.end, g) for g in self.gold.attributions))


def _cue_heads(doc: Doc, gold: GoldDoc) -> set[int]:
    """The head token of each gold cue: the one whose syntactic head lies outside the cue."""
    heads = set()
    for g in gold.attributions:
        if g.cue is None:
            continue
        span = doc.char_span(*g.cue, alignment_mode="expand")
        if span is None or not len(span):
            continue
        heads.add(next((t.i for t in span if not span.start <= t.head.i < span.end or t.head.i == t.i), span.start))
    return heads
