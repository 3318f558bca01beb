"""Features: what the learned decision sees of a token and of a proposed claim, as hashed ids.

A feature is a template number mixed with the values it reads (spaCy's own string hashes for
lemmas, words and labels; small integers for flags), hashed to one of `2**BITS` weight slots.
Token features are computed for the whole Doc at once with numpy; a proposed claim adds a few of
its own in Python. The same code computes them in training and at run time, in any process: the
mixing is plain 64-bit arithmetic, never Python's per-process string hash.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, HEAD, LEMMA, LOWER, POS, TAG
from spacy.strings import hash_string
from spacy.tokens import Doc

from claimx import lexicon

BITS = 20
SLOTS = 1 << BITS
_MASK = (1 << 64) - 1
_BASIS = 0xCBF29CE484222325  # FNV-1a offset basis and prime, then a murmur-style finaliser
_PRIME = 0x100000001B3
_FINAL = 0xFF51AFD7ED558CCD
_SHIFT = 64 - BITS

_ATTRS = [LEMMA, LOWER, POS, TAG, DEP, HEAD, ENT_TYPE]
_NONE = 0  # the value of an absent neighbour or feature


def mix(template: int, *values: int) -> int:
    """The weight slot of one feature: a template number and the values it reads."""
    h = _BASIS ^ template
    for value in values:
        h = ((h ^ value) * _PRIME) & _MASK
    h ^= h >> 33
    h = (h * _FINAL) & _MASK
    h ^= h >> 33
    return h >> _SHIFT


def _mix_arrays(template: int, *values: np.ndarray) -> np.ndarray:
    """`mix` over arrays of values, element by element (uint64 arithmetic wraps as `& _MASK`)."""
    h = np.full(values[0].shape, _BASIS ^ template, dtype=np.uint64)
    prime, final = np.uint64(_PRIME), np.uint64(_FINAL)
    for value in values:
        h = (h ^ value.astype(np.uint64, copy=False)) * prime
    h ^= h >> np.uint64(33)
    h = h * final
    h ^= h >> np.uint64(33)
    return (h >> np.uint64(_SHIFT)).astype(np.int64)


def word(text: str) -> int:
    """The value of a word or label, as spaCy hashes it (so it equals the Doc's own arrays)."""
    return hash_string(text)


@cache
def _lexicon_acts() -> tuple[np.ndarray, np.ndarray]:
    """Sorted lemma hashes of the reporting verbs, statement nouns and adjectives, and each one's
    act (as a small number, 1-based)."""
    acts = sorted(lexicon.ACTS)
    table: dict[int, int] = {}
    for lemma, verb in lexicon.reporting_verbs().items():
        table.setdefault(word(lemma.split()[0]), acts.index(verb.act) + 1)
    for noun, act in lexicon.statement_nouns().items():
        table.setdefault(word(noun), acts.index(act) + 1 + len(acts))
    for adjective, act in lexicon.reporting_adjectives().items():
        table.setdefault(word(adjective), acts.index(act) + 1 + 2 * len(acts))
    keys = np.array(sorted(table), dtype=np.uint64)
    return keys, np.array([table[int(k)] for k in keys], dtype=np.uint64)


_FRAME = ("nsubj", "nsubjpass", "csubj", "dobj", "dative", "ccomp", "xcomp", "agent", "attr", "acomp", "oprd",
          "prep", "prt", "neg", "advcl", "parataxis", "mark")


@cache
def _frame_deps() -> np.ndarray:
    return np.array([word(dep) for dep in _FRAME], dtype=np.uint64)


def lexicon_act(lemmas: np.ndarray) -> np.ndarray:
    """For each lemma hash, the number of its lexicon entry's act and kind (0: not a cue word)."""
    keys, values = _lexicon_acts()
    at = np.searchsorted(keys, lemmas)
    at[at == len(keys)] = 0
    return np.where(keys[at] == lemmas, values[at], np.uint64(0))


class TokenFeatures:
    """The hashed features of every token of a Doc, as (row, slot) pairs, and the scores they give
    under a weight vector. `in_quote[i]` says whether token i lies inside quotation marks,
    `heading[i]` whether its line is a heading or caption rather than prose."""

    def __init__(self, doc: Doc, in_quote: np.ndarray, heading: np.ndarray) -> None:
        n = len(doc)
        self.n = n
        self.doc = doc
        self.in_quote = in_quote
        if n == 0:
            self.rows = self.slots = np.zeros(0, dtype=np.int64)
            return
        a = doc.to_array(_ATTRS)
        lemma, lower, pos, tag, dep, rel, ent = (a[:, k] for k in range(7))
        index = np.arange(n, dtype=np.int64)
        head = index + rel.view(np.int64)
        quoted = in_quote.astype(np.uint64)
        act = lexicon_act(lemma)
        before = np.concatenate([[_NONE], lower[:-1]]).astype(np.uint64)
        after = np.concatenate([lower[1:], [_NONE]]).astype(np.uint64)
        after2 = np.concatenate([lower[2:], [_NONE, _NONE]])[:n].astype(np.uint64)
        h_lemma, h_pos, h_dep = lemma[head], pos[head], dep[head]
        own = [
            _mix_arrays(1, lemma),
            _mix_arrays(2, lower),
            _mix_arrays(3, pos),
            _mix_arrays(4, tag),
            _mix_arrays(5, dep),
            _mix_arrays(6, lemma, pos),
            _mix_arrays(7, lemma, dep),
            _mix_arrays(8, h_lemma),
            _mix_arrays(9, dep, h_pos),
            _mix_arrays(10, dep, h_lemma),
            _mix_arrays(11, lemma, h_lemma),
            _mix_arrays(12, before),
            _mix_arrays(13, after),
            _mix_arrays(14, lemma, after),
            _mix_arrays(15, lemma, after, after2),
            _mix_arrays(16, pos, dep, h_pos),
            _mix_arrays(17, quoted, pos),
            _mix_arrays(18, quoted, lemma),
            _mix_arrays(19, ent),
            _mix_arrays(20, act, pos),
            _mix_arrays(21, act, dep),
            _mix_arrays(22, tag, h_dep),
            _mix_arrays(23, before, lemma),
            np.full(n, mix(24), dtype=np.int64),  # the bias
            _mix_arrays(25, heading.astype(np.uint64), pos),
            _mix_arrays(26, heading.astype(np.uint64), lemma),
        ]
        # what each token governs: one feature per child and template, on the head's row
        child = index[head != index]
        parent = head[child]
        c_dep, c_lower, c_pos, c_ent = dep[child], lower[child], pos[child], ent[child]
        p_lemma = lemma[parent]
        governed = [
            _mix_arrays(30, c_dep),
            _mix_arrays(31, c_dep, p_lemma),
            _mix_arrays(32, c_dep, c_lower),
            _mix_arrays(33, c_dep, c_pos),
            _mix_arrays(34, p_lemma, c_dep, c_lower),
            _mix_arrays(35, c_dep, c_ent),
            _mix_arrays(36, c_dep, np.sign(child - parent).astype(np.uint64) + np.uint64(1)),
            _mix_arrays(37, c_dep, quoted[child], quoted[parent]),
        ]
        # the frame: which arguments a token takes, as one order-free value ("nsubj+ccomp")
        argument = np.isin(c_dep, _frame_deps()).astype(np.uint64) * (c_dep * np.uint64(_PRIME) + np.uint64(1))
        frame = np.zeros(n, dtype=np.uint64)
        np.add.at(frame, parent, argument)
        own += [_mix_arrays(40, frame), _mix_arrays(41, lemma, frame), _mix_arrays(42, pos, frame)]
        self.rows = np.concatenate([np.tile(index, len(own)), np.tile(parent, len(governed))])
        self.slots = np.concatenate(own + governed)

    def scores(self, weights: np.ndarray) -> np.ndarray:
        """The sum of each token's feature weights."""
        return np.bincount(self.rows, weights=weights[self.slots], minlength=self.n)


# --- a proposed claim's own features ------------------------------------------------------

_WORDS: dict[str, int] = {}


def _w(text: str) -> int:
    value = _WORDS.get(text)
    if value is None:
        value = _WORDS[text] = word(text)
    return value


def _bucket(n: int) -> int:
    """A length on a log scale: 0, 1, 2–3, 4–7, …"""
    return n.bit_length()


_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


def claim_slots(lay, att, head, cue_p: float, speaker_score: float, rivals: frozenset[str]) -> list[int]:
    """The features of one reading `att` of cue word `head`: its construction, crossed with the
    cue word, the content (its length, head word, first word and the word before it), the speaker
    and how sure the speaker ranking was, how likely a cue the word is, and which other readings
    the word has (`rivals`: a sentence is a worse reading where an object is one too)."""
    doc = lay.doc
    rule = _w(att.rule)
    lemma, pos, dep = head.lemma, head.pos, head.dep
    content = doc.char_span(att.start, att.end, alignment_mode="expand")
    if content is None or not len(content):
        first_word = lead = root_lemma = root_pos = finite = length = distance = 0
    else:
        first_word = content[0].lower
        lead = doc[content.start - 1].lower if content.start > 0 else 0
        root = content.root
        root_lemma, root_pos = root.lemma, root.pos
        finite = int(any(t.tag_ in _FINITE for t in content[:40]))
        length = _bucket(len(content))
        distance = _bucket(max(content.start - head.i, head.i - content.end + 1, 0))
    if att.source is None:
        source_pos = source_ent = source_word = role = 0
    else:
        source = doc[att.source[1] - 1]
        for tok in doc[att.source[0] : att.source[1]]:
            if tok.head.i < att.source[0] or tok.head.i >= att.source[1] or tok.head is tok:
                source = tok
                break
        source_pos, source_ent = source.pos, source.ent_type
        source_word = source.lower if source.pos_ == "PRON" else source.lemma
        role = int(source.lower_ in lexicon.person_nouns())
    kind = _w(att.kind)
    sentence = head.sent
    coverage = (4 * (att.end - att.start)) // max(1, sentence.end_char - sentence.start_char)
    quotes = min(len(att.quotes), 2)
    p = min(int(cue_p * 10), 9)
    sure = min(max(int(speaker_score + 4), 0), 8)
    has_source = int(att.source is not None)
    return [
        mix(100, rule),
        mix(101, rule, lemma),
        mix(102, rule, pos),
        mix(103, rule, dep),
        mix(104, rule, length),
        mix(105, rule, has_source),
        mix(106, rule, source_pos, source_ent),
        mix(107, rule, source_word),
        mix(108, rule, kind),
        mix(109, rule, first_word),
        mix(110, rule, lemma, first_word),
        mix(111, rule, lemma, has_source),
        mix(112, rule, quotes, kind),
        mix(113, rule, distance),
        mix(114, rule, coverage),
        mix(115, rule, p),
        mix(116, rule, lemma, length),
        mix(117, rule, dep, has_source),
        mix(118, rule, lead),
        mix(119, p),
        mix(120, rule, pos, first_word),
        mix(121, rule, root_pos, finite),
        mix(122, rule, root_lemma),
        mix(123, lemma, root_pos),
        mix(124, rule, lemma, lead),
        mix(125, rule, sure),
        mix(126, sure, has_source),
        mix(127, lemma, source_ent, source_pos),
        mix(128, rule, role, source_pos),
        mix(129, lemma, finite),
        mix(130, rule, lemma, root_pos),
        mix(131, source_word),
        mix(132, lemma, root_lemma),
        mix(133, lemma, source_word),
        mix(134, lemma, rule, kind),
    ] + [mix(135, rule, _w(rival)) for rival in rivals if rival != att.rule]


def quote_slots(lay, att) -> list[int]:
    """The features of a claim the quote or line rules made: the rule, the kind, the content's
    length and edges, the speaker, and where the line stands."""
    doc, text = lay.doc, lay.text
    rule = _w(att.rule)
    content = text[att.start : att.end].strip()
    words = len(content.split())
    length = _bucket(words)
    last = content[-1:] or " "
    closes = _w(last if last in ".!?,;:-–—" else "x")
    opens = 1 if content[:1].isupper() else 0
    if att.source is None:
        source_pos = source_ent = 0
        source_word = 0
    else:
        source = doc[att.source[1] - 1]
        source_pos, source_ent = source.pos, source.ent_type
        source_word = source.lower if source.pos_ == "PRON" else _w("-")
    cue = doc[att.cue[0]].lemma if att.cue is not None else 0
    paragraph = min(lay.paragraph(att.start), 8)
    parts = min(len(att.parts), 3)
    follows = 1 if att.follows is not None else 0
    line_start = text.rfind("\n", 0, att.start) + 1
    line_end = text.find("\n", att.end)
    line_end = len(text) if line_end < 0 else line_end
    share = (4 * (att.end - att.start)) // max(1, line_end - line_start)
    return [
        mix(200, rule),
        mix(201, rule, length),
        mix(202, rule, closes),
        mix(203, rule, opens, closes),
        mix(204, rule, source_pos, source_ent),
        mix(205, rule, source_word),
        mix(206, rule, cue),
        mix(207, rule, paragraph),
        mix(208, rule, parts),
        mix(209, rule, follows, length),
        mix(210, rule, share),
        mix(211, rule, _w(att.kind)),
        mix(212, rule, length, closes),
        mix(213),  # the bias
    ]


# --- who speaks for a cue word ------------------------------------------------------------

_SPEAKER_POS = frozenset({"PROPN", "NOUN", "PRON", "NUM"})
_NOT_HEADS = frozenset({"compound", "det", "amod", "nummod", "case", "punct", "nmod"})
MAX_SPEAKERS = 12  # the nearest noun phrases of the sentence compete to speak


def speaker_candidates(lay, head, rule_source) -> list:
    """Who could speak for cue word `head`: the rules' choice, then the heads of the noun phrases
    nearest to it in its sentence (outside quotes, in its paragraph), then nobody (None)."""
    allowed = lay.speaker_ok(head)
    found = [] if rule_source is None else [rule_source]
    nearby = [
        tok for tok in head.sent
        if tok.pos_ in _SPEAKER_POS and tok.dep_ not in _NOT_HEADS and tok.i != head.i and tok is not rule_source
        and allowed(tok)
    ]
    nearby.sort(key=lambda tok: abs(tok.i - head.i))
    return found + nearby[: MAX_SPEAKERS - len(found)] + [None]


def _path(head, tok) -> tuple[list[int], list[int]]:
    """The dependency labels from `tok` up to the lowest ancestor it shares with `head`, and from
    `head` up to it (at most three each)."""
    depth = {}
    node, steps = head, 0
    while True:
        depth[node.i] = steps
        if node.head is node or steps > 30:
            break
        node, steps = node.head, steps + 1
    up: list[int] = []
    node = tok
    for _ in range(30):
        if node.i in depth:
            break
        up.append(node.dep)
        if node.head is node:
            break
        node = node.head
    down = [] if node.i not in depth else [t.dep for t in _climb(head, depth[node.i])]
    return up[:3], down[:3]


def _climb(tok, steps: int) -> list:
    chain = []
    for _ in range(steps):
        chain.append(tok)
        tok = tok.head
    return chain


def speaker_slots(head, candidate, rule_source) -> list[int]:
    """The features of one candidate speaker (None: nobody) of cue word `head`."""
    lemma, dep = head.lemma, head.dep
    if candidate is None:
        passive = int(any(c.dep_ == "nsubjpass" for c in head.children))
        return [
            mix(300),
            mix(301, lemma),
            mix(302, dep),
            mix(303, int(rule_source is None)),
            mix(304, passive, int(rule_source is None)),
            mix(305, head.tag),
            mix(306, dep, head.head.pos),
            mix(307, head.pos, int(rule_source is None)),
        ]
    up, down = _path(head, candidate)
    up += [0] * (3 - len(up))
    down += [0] * (3 - len(down))
    before = int(candidate.i < head.i)
    distance = _bucket(abs(candidate.i - head.i))
    chosen = int(candidate is rule_source)
    word = candidate.lower if candidate.pos_ == "PRON" else candidate.lemma
    return [
        mix(310, candidate.dep),
        mix(311, candidate.pos, candidate.ent_type),
        mix(312, *up, *down),
        mix(313, before, distance),
        mix(314, chosen),
        mix(315, candidate.dep, dep),
        mix(316, lemma, candidate.dep),
        mix(317, word),
        mix(318, chosen, candidate.dep, head.pos),
        mix(319, up[0], down[0], before),
        mix(320, lemma, up[0], down[0]),
        mix(321, candidate.ent_type, chosen),
        mix(322, head.pos, up[0], up[1], down[0]),
        mix(323, word, candidate.dep),
    ]
