"""Decision: which of the proposed claims are kept.

Headlines and "Name:" lines read first, as a whole; then each quote takes its speech tag. Then
reporting words propose reported claims. With a learned `Decision` (the default; see
`claimx.training`), every word it scores as a likely cue proposes every reading the parse offers,
and the most probable reading of each word is kept when its probability clears the model's
threshold; the probability becomes the claim's confidence. Without one, only the lexicon's cues
propose, each its rule's one reading. Either way a claim is dropped when it is another reading
of text a stronger claim holds, and quotes left over are attributed last.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from spacy.tokens import Doc

from claimx import errors
from claimx.attribution import features
from claimx.attribution.candidates import Attribution, Layout
from claimx.attribution.direct import claim_orphan_start, outer_tag, reach_back, unclaimed_quotes
from claimx.attribution.lines import line_claims
from claimx.attribution.reported import noun_source, proposals, reported
from claimx.cues import Cue, asserted, learned_cue
from claimx.furniture import in_teaser, is_furniture_line
from claimx.quotes import QuoteScan
from claimx.sources import source_of

FORMAT = "claimx-attribution/1"  # the file format and feature set a model was trained for
_HEAD_POS = ("VERB", "AUX", "NOUN", "ADJ", "PROPN", "ADP")  # the words that may be cues


@lru_cache(maxsize=1)
def _head_pos() -> frozenset[int]:
    return frozenset(features.word(pos) for pos in _HEAD_POS)


@lru_cache(maxsize=1)
def _auxiliaries() -> frozenset[int]:
    """An auxiliary ("was announced", "is expected") reports nothing: its verb does."""
    return frozenset(features.word(dep) for dep in ("aux", "auxpass"))



class Observer(Protocol):
    """What training sees of the decisions made on one Doc."""

    def tokens(self, lay: Layout, token_features: features.TokenFeatures, cue_p: np.ndarray) -> None: ...

    def speaker(self, head: int, candidates: list, slots: list[list[int]]) -> None: ...

    def claim(self, att: Attribution, slots: list[int], head: int) -> None: ...

    def quote(self, att: Attribution, slots: list[int]) -> None: ...


@dataclass(frozen=True, eq=False)
class Decision:
    """A learned decision: weight vectors over hashed feature slots, and thresholds.

    `cue` scores each token as a cue word; tokens over `cue_threshold` propose claims. `speaker`
    ranks who could speak for a cue word (nobody among them). `claim`
    scores each proposed reading (the cue word's features plus the reading's own); the best
    reading of a word is kept over `claim_threshold`, or `learned_threshold` for a word the lexicon
    does not know. `quote` scores the claims the quote and line
    rules made, which are kept over `quote_threshold`. `meta` says how the model was trained.
    """

    cue: np.ndarray
    speaker: np.ndarray
    claim: np.ndarray
    quote: np.ndarray
    cue_threshold: float = 0.1
    claim_threshold: float = 0.5
    learned_threshold: float = 0.5
    quote_threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)

    def save(self, path: str | Path) -> None:
        """Write the model as one compressed numpy archive (no pickles)."""
        meta = {**self.meta, "format": FORMAT, "bits": features.BITS, "probe": features.probe(),
                "cue_threshold": self.cue_threshold, "claim_threshold": self.claim_threshold,
                "learned_threshold": self.learned_threshold,
                "quote_threshold": self.quote_threshold}
        arrays = {}
        for name in _VECTORS:  # weights too small to move a score are left out; the rest as float16
            weights = getattr(self, name)
            kept = np.flatnonzero(np.abs(weights) >= _SMALLEST_WEIGHT)
            arrays[f"{name}_slots"] = kept.astype(np.int32)
            arrays[f"{name}_weights"] = weights[kept].astype(np.float16)
        with open(path, "wb") as out:
            np.savez_compressed(out, meta=np.array(json.dumps(meta, sort_keys=True)), **arrays)

    @classmethod
    def read(cls, path: str | Path) -> Decision:
        """Read a model written by `save`; a coded error says what is wrong with another file."""
        try:
            with np.load(path, allow_pickle=False) as archive:
                meta = json.loads(str(archive["meta"]))
                if meta.get("format") != FORMAT or meta.get("bits") != features.BITS:
                    raise errors.bad_attribution_model(str(path), f"format {meta.get('format')!r}, expected {FORMAT!r}")
                if meta.get("probe") != features.probe():  # another Python hashes features differently
                    raise errors.bad_attribution_model(str(path), "its features were hashed differently than here")
                vectors = {}
                for name in _VECTORS:
                    weights = np.zeros(features.SLOTS, dtype=np.float64)
                    weights[archive[f"{name}_slots"]] = archive[f"{name}_weights"]
                    vectors[name] = weights
        except (OSError, ValueError, KeyError) as exc:
            raise errors.bad_attribution_model(str(path), str(exc)) from None
        return cls(**vectors, cue_threshold=meta["cue_threshold"], claim_threshold=meta["claim_threshold"],
                   learned_threshold=meta["learned_threshold"],
                   quote_threshold=meta["quote_threshold"], meta=meta)


_VECTORS = ("cue", "speaker", "claim", "quote")
_SMALLEST_WEIGHT = 1e-3
SHIPPED = Path(__file__).resolve().parent.parent / "weights" / "attribution.npz"


@lru_cache(maxsize=8)
def load_decision(path: str | None = None) -> Decision:
    """The decision at `path`, or the shipped one; each file is read once per process."""
    return Decision.read(SHIPPED if path is None else path)


def attribute(
    doc: Doc,
    scan: QuoteScan,
    cues: list[Cue],
    text: str | None = None,
    decision: Decision | None = None,
    observe: Observer | None = None,
    line_base: int = 0,
) -> list[Attribution]:
    """Join cues, sources and contents into attributions, in text order. `text` is `doc.text`,
    passed when the caller has it (spaCy rebuilds it on every access). `observe` sees every
    decision the learned model makes, for training. `line_base` counts the line breaks before a
    doc that is a window of a longer text."""
    lay = Layout(doc, doc.text if text is None else text, scan, cues, line_base)
    used_cues: set[int] = set()
    claimed: dict[int, Attribution] = {}  # top-level quote index → the attribution holding it
    found: list[Attribution] = []

    for att in line_claims(lay, claimed):  # a headline reads as a whole before its quotes do
        found.append(att)
        claimed.update((k, att) for k in att.quotes)

    by_cue: dict[tuple[int, int], Attribution] = {}
    for unit in lay.units:
        if any(k in claimed for k in unit):
            continue
        tag = outer_tag(lay, unit)
        if tag is None:
            continue
        if tag.cue in by_cue:  # “A,” she said, “B.”: the second half of a quote split by its tag
            by_cue[tag.cue].parts.extend(lay.content(k) for k in unit)
            by_cue[tag.cue].quotes.extend(unit)
            claimed.update((k, by_cue[tag.cue]) for k in unit)
            continue
        mention = lay.mention(tag.source)
        if lay.glued(mention):
            continue
        att = by_cue[tag.cue] = Attribution(
            [lay.content(k) for k in unit], "direct", tag.act, "tag", tag.cue, mention, quotes=list(unit)
        )
        claim_orphan_start(lay, att, unit[0], claimed)
        reach_back(lay, att, unit)
        found.append(att)
        claimed.update((k, att) for k in att.quotes)
        used_cues.add(tag.cue[0])

    # claims can only compete when they share text, hence a paragraph: only those are compared
    by_paragraph: dict[int, list[Attribution]] = {}

    def index(att: Attribution) -> None:
        for p in range(lay.paragraph(att.start), lay.paragraph(att.end) + 1):
            by_paragraph.setdefault(p, []).append(att)

    def keep(att: Attribution) -> None:
        found.append(att)
        index(att)
        claimed.update((k, att) for k in att.quotes)

    def competes(att: Attribution) -> bool:
        return any(
            _competes(lay, att, other, nests=decision is not None)
            for p in range(lay.paragraph(att.start), lay.paragraph(att.end) + 1)
            for other in by_paragraph.get(p, ())
        )

    for att in found:
        index(att)
    heads = {
        cue.head: cue for cue in cues
        if not (cue.head in used_cues or lay.in_quote(cue.head) or cue.direct_only) and asserted(doc[cue.head])
    }
    if decision is None:
        for cue in heads.values():
            att = reported(lay, cue, claimed)
            if att is not None and not competes(att):
                keep(att)
    else:
        chosen, inner = _learned(lay, heads, used_cues, claimed, decision, observe)
        for att in chosen:
            if not competes(att) and not any(k in claimed for k in att.quotes):
                keep(att)
        for att in inner:  # "X recalled that Y said Z": Y's claim, in X's, is kept on weaker evidence
            at = lay.doc[att.cue[0]].idx
            if any(o.start <= at < o.end and o.start <= att.start and att.end <= o.end for o in found) \
                    and not competes(att) and not any(k in claimed for k in att.quotes):
                keep(att)

    found.sort(key=lambda a: a.start)
    result = [a for a in unclaimed_quotes(lay, found, claimed) if not in_teaser(lay.text, a.start)]
    if decision is not None:
        result = _judge_rules(lay, result, decision, observe)
    return result


def _learned(
    lay: Layout,
    heads: dict[int, Cue],
    used: set[int],
    claimed: dict[int, Attribution],
    decision: Decision,
    observe: Observer | None,
) -> list[Attribution]:
    """The best reading of each likely cue word whose probability clears the threshold, most
    probable first; and the clause readings of speech verbs that fall short of it but not of
    `NESTED_FLOOR`, to keep where they lie inside another claim."""
    doc = lay.doc
    in_quote = np.fromiter((q != -1 for q in lay.quote_of), dtype=bool, count=len(doc))
    token_features = features.TokenFeatures(lay.parse, in_quote, _headings(lay))
    cue_p = _sigmoid(token_features.scores(decision.cue))
    if observe is not None:
        observe.tokens(lay, token_features, cue_p)
    heads = dict(heads)
    pos = lay.parse.pos
    for i in np.flatnonzero(cue_p >= decision.cue_threshold).tolist():
        if i not in heads and i not in used and not in_quote[i] and pos[i] in _head_pos() \
                and lay.parse.dep[i] not in _auxiliaries() and asserted(doc[i]):
            heads[i] = learned_cue(doc[i])
    if not heads:
        return [], []
    token_part = token_features.scores(decision.claim)
    chosen, inner = [], []
    for i, cue in sorted(heads.items()):
        speaker, sureness = _speaker_pick(lay, doc[i], decision, observe)
        best = None
        readings = _without_agent(lay, proposals(lay, cue, claimed, speaker))
        rivals = frozenset(att.rule for att in readings)
        slots = []
        for att in readings:
            # the rule's reading takes the learned speaker too; a passive's agent, when the rule found one, stays
            if att.cue is not None and att.rule in _RULE_READINGS and not (att.rule == "passive" and att.source):
                around = att.source is not None and att.start <= doc[att.source[0]].idx < att.end  # a tag set in
                source = speaker(0, 0) if around else speaker(*features.token_range(lay.parse, att.start, att.end))
                att.source = None if source is None else lay.mention(source)
            slots.append(features.claim_slots(lay, att, i, cue_p[i], sureness.get(att.source, 0.0), rivals))
        for att, own, total in zip(readings, slots, _sums(decision.claim, slots)):
            att.score = float(_sigmoid(token_part[i] + total))
            if observe is not None:
                observe.claim(att, own, i)
            if best is None or att.score > best.score:
                best = att
        if best is None:
            continue
        best.learned = cue.form == "learned"
        if best.score >= (decision.learned_threshold if best.learned else decision.claim_threshold):
            if best.learned and cue.act == "other":  # a word no lexicon knows: its reading tells
                best.act = READING_ACTS.get(best.rule, "other")
            chosen.append(best)
        elif best.rule in ("reported", "noun") and best.source is not None and best.score >= NESTED_FLOOR \
                and best.act in SPEECH_ACTS:
            inner.append(best)
    chosen.sort(key=lambda a: -a.score)
    return chosen, inner


def _without_agent(lay: Layout, readings: list[Attribution]) -> list[Attribution]:
    """The readings, less those whose content holds the agent a passive reading found: "This was
    said to reporters [by] the spokesman Ana Ruiz" names who spoke, not what was said."""
    agents = [lay.doc[att.source[0]].idx for att in readings if att.rule == "passive" and att.source is not None]
    return [att for att in readings
            if att.rule == "passive" or not any(att.start <= at < att.end for at in agents)]


# A speech verb's clause inside another claim ("X recalled that Y said Z") is rarely annotated
# in PolNeAR, so the model scores it low; it is kept over this floor all the same: Y's claim is
# real, and a fact-checker following who said what needs it.
NESTED_FLOOR = 0.1
SPEECH_ACTS = frozenset({"claim", "accusation", "denial", "warning", "threat", "promise", "admission", "report"})


# The act of a cue word no lexicon knows, by what it reports: an infinitive states an intention
# ("vowed to rebuild"), an object or a preposition's object a stance ("backed the plan", "sided
# with the union"); a clause stays "other", as the verb alone says what kind of statement it is.
READING_ACTS = {"infinitive": "intention", "object": "stance", "object-on": "stance", "prep": "stance",
                "antecedent": "stance", "complement": "stance", "patient": "stance", "reaction": "stance"}


def _headings(lay: Layout) -> np.ndarray:
    """For each token, whether its line is a heading or caption (short, with no sentence end)."""
    starts = [0] + [k + 1 for k in lay.newlines]
    ends = lay.newlines + [len(lay.text)]
    furniture = np.array([is_furniture_line(lay.text[s:e]) for s, e in zip(starts, ends)], dtype=bool)
    return furniture[np.array(lay.parse.para, dtype=np.int64)]


def _speaker_pick(lay: Layout, head, decision: Decision, observe: Observer | None):
    """Who speaks for cue word `head`: a function of a reading's content tokens [lo, hi) that
    gives the best-ranked candidate outside them (nobody being a candidate too), and the scores
    of the mentions it gave, for the reading's features."""
    allowed = lay.speaker_ok(head)
    rule_token = (noun_source if head.pos_ in ("NOUN", "PROPN") else source_of)(head, allowed)
    rule_source = None if rule_token is None else rule_token.i
    candidates = features.speaker_candidates(lay, head.i, rule_source)
    slots = [features.speaker_slots(lay, head.i, c, rule_source) for c in candidates]
    if observe is not None:
        observe.speaker(head.i, candidates, slots)
    weights = decision.speaker
    scores = _sums(weights, slots)
    ranked = sorted(zip(scores, range(len(candidates))), key=lambda pair: -pair[0])
    sureness: dict[tuple[int, int] | None, float] = {}
    doc = lay.doc

    def pick(lo: int, hi: int):
        for score, k in ranked:
            candidate = candidates[k]
            if candidate is None or not lo <= candidate < hi:
                token = None if candidate is None else doc[candidate]
                sureness[None if token is None else lay.mention(token)] = score
                return token
        return None

    return pick, sureness


# the readings the lexicon rules make (reported.reported), beside the parse's other constructions
_RULE_READINGS = frozenset({"reported", "infinitive", "object", "passive", "raising", "according", "noun"})
_JUDGED_RULES = frozenset({"tag", "inner-tag", "follow-on", "no-source", "colon-name", "headline"})
_KEPT = frozenset({"tag", "inner-tag", "follow-on", "no-source"})  # a quote is a claim, whatever its score


def _judge_rules(lay: Layout, claims: list[Attribution], decision: Decision, observe: Observer | None) -> list[Attribution]:
    """Score the claims the quote and line rules made; keep those the model believes. A line
    printed twice (a page's title above its headline) is one judgement: each copy takes the
    better copy's score, where the model, reading where each stands, may doubt the first."""
    keys = [_line_key(lay, att) if att.rule in _LINE_RULES else None for att in claims]
    best: dict[tuple[str, str], float] = {}
    for att, key in zip(claims, keys):
        if att.rule in _JUDGED_RULES:
            slots = features.quote_slots(lay, att)
            att.score = float(_sigmoid(decision.quote[slots].sum()))
            if observe is not None:
                observe.quote(att, slots)
            if key is not None:
                best[key] = max(best.get(key, 0.0), att.score)
    kept = []
    for att, key in zip(claims, keys):
        if key is not None:
            att.score = best[key]
        if att.rule in _JUDGED_RULES and att.score < decision.quote_threshold and att.rule not in _KEPT:
            continue
        kept.append(att)
    return kept


_LINE_RULES = frozenset({"colon-name", "headline"})


def _line_key(lay: Layout, att: Attribution) -> tuple[str, str]:
    """What makes two line claims copies: the same words for the same speaker's words."""
    speaker = "" if att.source is None else lay.doc[att.source[0] : att.source[1]].text
    return lay.text[att.start : att.end], speaker


def _sums(weights: np.ndarray, groups: list[list[int]]) -> list[float]:
    """The sum of the weights of each group of slots, in one pass over all of them."""
    rows = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    flat = np.fromiter(chain.from_iterable(groups), dtype=np.int64, count=len(rows))
    return np.bincount(rows, weights=weights[flat], minlength=len(groups)).tolist()


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _overlap(a: Attribution, b: Attribution) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _competes(lay: Layout, new: Attribution, old: Attribution, nests: bool = False) -> bool:
    """Whether a new claim is another reading of an old one's text, rather than a claim nested in
    it ("X recalled that Y said that …" holds two claims). Only a claim of a reporting verb's
    clause nests, unless the learned decision chose it (`nests`)."""
    if _overlap(new, old) <= (new.end - new.start) / 2:
        return False
    if new.rule != "reported" and not nests:  # a stance inside reported content ("said the party supports it")
        return True
    if nests:  # one holds the other, whose cue lies in its content; else one text read twice
        inner, outer = (new, old) if new.end - new.start < old.end - old.start else (old, new)
        if not (outer.start <= inner.start and inner.end <= outer.end and inner.end - inner.start < outer.end - outer.start):
            return True
        new, old = inner, outer
    cue_at = lay.doc[new.cue[0]].idx if new.cue is not None else new.start
    return not any(start <= cue_at < end for start, end in old.parts)
