"""Candidates: the shapes the attribution rules share — a claim before its speaker is resolved,
a speech tag, and where the quotes, paragraphs and cues of one Doc are.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, IS_PUNCT, IS_SPACE, LEMMA, LENGTH, LOWER, POS, SENT_START, TAG
from spacy.tokens import Doc, Token

from claimx import lexicon
from claimx.cues import Cue
from claimx.furniture import glued
from claimx.names import mention_span
from claimx.quotes import Quote, QuoteScan

NOT_SPEAKERS = frozenset({"DATE", "TIME"})  # "said Thursday": never a speaker; "52 percent said" is
TAG_EDGE = frozenset({",", "–", "—", "-", ":"})
SENTENCE_END = frozenset({".", "!", "?"})
QUOTE_MARKS = frozenset({"“", "”", '"', "«", "»", "„", "‘", "’", "'", "''", "``"})
LONGEST_WORD = 30  # a longer "word" is a web heading glued to its sentence: "Mayor-Vows-To-Rebuild-…"

# Confidence by rule: a cue with an explicit subject is the strongest evidence; continuing the
# last speaker, and a quote with no speaker at all, the weakest.
CONFIDENCE = {
    "tag": 0.9,
    "inner-tag": 0.75,
    "colon-name": 0.7,
    "headline": 0.6,
    "reported": 0.8,
    "infinitive": 0.65,  # "vowed to act": an intention or stance more than a statement
    "object": 0.6,  # "denied any links", "endorsed the governor": the weakest reported form
    "passive": 0.55,  # "it was announced that …" (no source), "This was stated by X" (the sentence before)
    "raising": 0.5,  # "the plan appears to have failed": an impression nobody is named for
    "according": 0.8,
    "noun": 0.7,  # "the mayor's claim that …"
    "follow-on": 0.6,
    "no-source": 0.4,
}


@dataclass(slots=True)
class Attribution:
    """One claim before its speaker is resolved. Offsets: `parts` in characters, `cue` and
    `source` as token spans [start, end). `follows` is the attribution whose speaker this one
    continues, when it has no source of its own."""

    parts: list[tuple[int, int]]
    kind: str
    act: str
    rule: str
    cue: tuple[int, int] | None = None
    source: tuple[int, int] | None = None
    follows: Attribution | None = None
    quotes: list[int] = field(default_factory=list)
    score: float | None = None  # the learned decision's probability, when it made one
    learned: bool = False  # its cue word was found by the learned decision, not by the lexicon


    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]

    @property
    def confidence(self) -> float:
        return CONFIDENCE[self.rule] if self.score is None else self.score


@dataclass(frozen=True, slots=True)
class Tag:
    """A speech tag found for a quote: its cue tokens, speech act and source token."""

    cue: tuple[int, int]
    act: str
    source: Token


class Parse:
    """The parse of a Doc as plain lists of spaCy's ids, one entry per token, so that many tokens
    can be read without making a Token object for each: what the learned decision reads.
    `sent_lo`/`sent_hi` bound each token's sentence, `para` numbers its paragraph."""

    COLUMNS = (LEMMA, LOWER, POS, TAG, DEP, HEAD, ENT_TYPE, IDX, LENGTH, SENT_START, IS_PUNCT, IS_SPACE)

    def __init__(self, doc: Doc, newlines: list[int]) -> None:
        n = len(doc)
        array = doc.to_array(list(self.COLUMNS)) if n else np.zeros((0, len(self.COLUMNS)), dtype=np.uint64)
        self.array = array
        index = np.arange(n, dtype=np.int64)
        head = index + array[:, 5].view(np.int64)
        starts = array[:, 9].view(np.int64) == 1
        if n:
            starts[0] = True
        first = np.flatnonzero(starts)
        sentence = np.cumsum(starts) - 1
        self.sent_lo: list[int] = first[sentence].tolist()
        self.sent_hi: list[int] = np.append(first[1:], n)[sentence].tolist()
        self.head: list[int] = head.tolist()
        (self.lemma, self.lower, self.pos, self.tag, self.dep, _, self.ent, self.idx, self.length, _, self.punct,
         self.space) = (array[:, k].tolist() for k in range(len(self.COLUMNS)))
        self.para: list[int] = np.searchsorted(np.array(newlines, dtype=np.int64), array[:, 7].astype(np.int64)).tolist()

    def token_at(self, char: int) -> int:
        """The token holding character offset `char` (or the first after it)."""
        from bisect import bisect_right

        return max(0, bisect_right(self.idx, char) - 1)


class Layout:
    """Where the quotes, paragraphs and cues of one Doc are, for fast look-ups."""

    def __init__(self, doc: Doc, text: str, scan: QuoteScan, cues: list[Cue], line_base: int = 0) -> None:
        self.doc = doc
        self.text = text
        self.quotes: tuple[Quote, ...] = scan.top_level
        self.orphans = scan.orphans
        self.newlines = [i for i, ch in enumerate(self.text) if ch == "\n"]
        self.line_base = line_base  # line breaks before the doc, when it is a window of a longer text
        self.cue_at: dict[int, Cue] = {cue.head: cue for cue in cues}
        self._mentions: dict[int, tuple[int, int]] = {}
        self._glued: dict[tuple[int, int], bool] = {}
        self.quote_of = [-1] * len(doc)
        self.quote_tokens: list[tuple[int, int]] = []
        for qi, quote in enumerate(self.quotes):
            span = doc.char_span(quote.open, quote.outer_end, alignment_mode="expand")
            first, last = (span.start, span.end) if span is not None else (0, 0)
            self.quote_tokens.append((first, last))
            for t in range(first, last):
                if self.quote_of[t] == -1:
                    self.quote_of[t] = qi
        # a quote left open at a paragraph end and reopened in the next is one unit
        self.units: list[list[int]] = []
        for qi, quote in enumerate(self.quotes):
            if self.units and quote.continues and self.quotes[self.units[-1][-1]].close is None:
                self.units[-1].append(qi)
            else:
                self.units.append([qi])

    def paragraph(self, char: int) -> int:
        return bisect_left(self.newlines, char)

    def mention(self, tok: Token) -> tuple[int, int]:
        """`names.mention_span` of a token, found once: the readings of a cue share speakers."""
        span = self._mentions.get(tok.i)
        if span is None:
            span = self._mentions[tok.i] = mention_span(tok)
        return span

    def glued(self, mention: tuple[int, int]) -> bool:
        """`furniture.glued` of a mention, found once."""
        found = self._glued.get(mention)
        if found is None:
            found = self._glued[mention] = glued(self.doc, mention)
        return found

    @cached_property
    def parse(self) -> Parse:
        return Parse(self.doc, self.newlines)

    @cached_property
    def marks(self) -> tuple[frozenset[int], frozenset[int]]:
        """The character offsets of the quotes' opening marks, and of their closing marks."""
        return (frozenset(q.open for q in self.quotes),
                frozenset(q.close for q in self.quotes if q.close is not None))

    def in_quote(self, t: int) -> bool:
        return self.quote_of[t] != -1

    def content(self, qi: int) -> tuple[int, int]:
        return (self.quotes[qi].start, self.quotes[qi].end)

    def speaker_ok(self, verb: Token) -> Callable[[Token], bool]:
        """A test for the speakers of `verb`: outside quotes, in its paragraph, not a date or a
        number, and not a run of words glued together by a web page's furniture."""
        para = self.paragraph(verb.idx)
        return lambda tok: (
            not self.in_quote(tok.i)
            and self.paragraph(tok.idx) == para
            and len(tok.text) <= LONGEST_WORD
            and tok.ent_type_ not in NOT_SPEAKERS
        )


def person(tok: Token) -> str | None:
    """The grammatical person of a pronoun ("1", "2", "3", "rel"), None for other words."""
    pronoun = lexicon.pronouns().get(tok.lower_)
    return None if pronoun is None else pronoun.person


def governs(head: Token, tok: Token) -> bool:
    """Whether `tok` lies in the subtree of `head` (bounded walk up the tree)."""
    for _ in range(50):
        if tok == head:
            return True
        if tok.head == tok:
            return False
        tok = tok.head
    return False


def kind_of(lay: Layout, content: tuple[int, int], quotes: list[int], introduced: bool) -> str:
    """direct when the content is one quote and nothing else; mixed when it holds quotes."""
    if not quotes:
        return "indirect"
    if len(quotes) == 1 and not introduced:
        quote = lay.quotes[quotes[0]]
        outside = lay.text[content[0]:quote.open] + lay.text[quote.outer_end:content[1]]
        if not outside.strip(" ,.;:–—-\n"):
            return "direct"
    return "mixed"


def trim_chars(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end)
