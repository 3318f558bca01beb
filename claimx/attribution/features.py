"""Features: what the learned decision sees of a token, a proposed claim and a possible speaker,
as hashed ids.

A feature is a template number with the values it reads (spaCy's own ids for lemmas, words and
labels; small integers for flags and buckets), hashed to one of `2**BITS` weight slots. Token
features are computed for the whole Doc at once with numpy; a claim and a speaker add their own
in Python, from the `Parse` lists, without making Token objects. Training and run time compute
them with the same code; the hashes are plain integer arithmetic (numpy's, and Python's hash of
a tuple of ints), never Python's per-process string hash. `PROBE` checks that a model and this
code hash alike.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from spacy.strings import get_string_id

from claimx import lexicon
from claimx.attribution.candidates import LONGEST_WORD, NOT_SPEAKERS, Attribution, Layout, Parse

BITS = 20
SLOTS = 1 << BITS
_SLOT_MASK = SLOTS - 1
_BASIS = 0xCBF29CE484222325  # FNV-1a offset basis and prime, then a murmur-style finaliser
_PRIME = 0x100000001B3
_FINAL = 0xFF51AFD7ED558CCD
_SHIFT = 64 - BITS
_NONE = 0  # the value of an absent neighbour or feature


def mix(*values: int) -> int:
    """The weight slot of one feature: its template number and the values it reads."""
    return hash(values) & _SLOT_MASK


def _slots(*features: tuple[int, ...]) -> list[int]:
    """The weight slots of several features at once (`mix` of each, in one call)."""
    return [hash(values) & _SLOT_MASK for values in features]


def _mix_arrays(template: int, *values: np.ndarray) -> np.ndarray:
    """A slot per element for token features (uint64 arithmetic, which wraps as hashing needs)."""
    h = np.full(values[0].shape, _BASIS ^ template, dtype=np.uint64)
    prime, final = np.uint64(_PRIME), np.uint64(_FINAL)
    for value in values:
        h = (h ^ value.astype(np.uint64, copy=False)) * prime
    h ^= h >> np.uint64(33)
    h = h * final
    h ^= h >> np.uint64(33)
    return (h >> np.uint64(_SHIFT)).astype(np.int64)


def probe() -> list[int]:
    """A few slots as this code hashes them: a model records them, and is refused where they differ."""
    ints = np.array([1, 2**40, 2**63 + 5], dtype=np.uint64)
    return [mix(1, 2, 3), mix(7, 2**63 + 5, -1)] + _mix_arrays(3, ints, ints).tolist()


def word(text: str) -> int:
    """The id spaCy gives a word or label (a symbol's number, else its hash), as in Doc arrays."""
    return get_string_id(text)


_WORDS: dict[str, int] = {}


def _w(text: str) -> int:
    value = _WORDS.get(text)
    if value is None:
        value = _WORDS[text] = word(text)
    return value


def _bucket(n: int) -> int:
    """A count on a log scale: 0, 1, 2–3, 4–7, …"""
    return n.bit_length()


@cache
def _lexicon_acts() -> tuple[np.ndarray, np.ndarray]:
    """Sorted lemma ids of the reporting verbs, statement nouns and adjectives, and each one's
    act and kind as a small number (1-based)."""
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


def lexicon_act(lemmas: np.ndarray) -> np.ndarray:
    """For each lemma id, the number of its lexicon entry's act and kind (0: not a cue word)."""
    keys, values = _lexicon_acts()
    at = np.searchsorted(keys, lemmas)
    at[at == len(keys)] = 0
    return np.where(keys[at] == lemmas, values[at], np.uint64(0))


_FRAME = ("nsubj", "nsubjpass", "csubj", "dobj", "dative", "ccomp", "xcomp", "agent", "attr", "acomp", "oprd",
          "prep", "prt", "neg", "advcl", "parataxis", "mark")


@cache
def _frame_deps() -> np.ndarray:
    return np.array([word(dep) for dep in _FRAME], dtype=np.uint64)


# --- every token --------------------------------------------------------------------------


class TokenFeatures:
    """The hashed features of every token of a Doc, as (row, slot) pairs, and the scores they give
    under a weight vector. `in_quote[i]` says whether token i lies inside quotation marks,
    `heading[i]` whether its line is a heading or caption rather than prose."""

    def __init__(self, parse: Parse, in_quote: np.ndarray, heading: np.ndarray) -> None:
        a = parse.array
        n = self.n = len(a)
        self.in_quote = in_quote
        if n == 0:
            self.rows = self.slots = np.zeros(0, dtype=np.int64)
            return
        lemma, lower, pos, tag, dep, rel, ent = (a[:, k] for k in range(7))
        index = np.arange(n, dtype=np.int64)
        head = index + rel.view(np.int64)
        quoted = in_quote.astype(np.uint64)
        heading = heading.astype(np.uint64)
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
            _mix_arrays(25, heading, pos),
            _mix_arrays(26, heading, lemma),
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


# --- a reading of a cue word --------------------------------------------------------------


@cache
def _ids(*labels: str) -> frozenset[int]:
    return frozenset(word(label) for label in labels)


@cache
def _person_nouns() -> frozenset[int]:
    return frozenset(word(noun) for noun in lexicon.person_nouns())


def content_root(parse: Parse, lo: int, hi: int) -> int:
    """The first token of [lo, hi) whose head lies outside it: the head of the content."""
    head = parse.head
    for j in range(lo, hi):
        if not lo <= head[j] < hi or head[j] == j:
            return j
    return lo


def token_range(parse: Parse, start: int, end: int) -> tuple[int, int]:
    """The tokens [lo, hi) that the characters [start, end) touch."""
    from bisect import bisect_left

    lo = parse.token_at(start)
    return lo, max(lo + 1, bisect_left(parse.idx, end))


def source_head(parse: Parse, source: tuple[int, int]) -> int:
    """The head token of a speaker mention."""
    return content_root(parse, *source)


def claim_slots(lay: Layout, att: Attribution, head: int, cue_p: float, speaker_score: float,
                rivals: frozenset[str]) -> list[int]:
    """The features of one reading `att` of cue word `head`: its construction, crossed with the
    cue word, the content (its length, head word, first word and the word before it), the speaker
    and how sure the speaker ranking was, how likely a cue the word is, and which other readings
    the word has (`rivals`: a sentence is a worse reading where an object is one too)."""
    parse = lay.parse
    rule = _w(att.rule)
    lemma, pos, dep = parse.lemma[head], parse.pos[head], parse.dep[head]
    lo, hi = token_range(parse, att.start, att.end)
    first_word = parse.lower[lo]
    lead = parse.lower[lo - 1] if lo > 0 else 0
    root = content_root(parse, lo, hi)
    root_lemma, root_pos = parse.lemma[root], parse.pos[root]
    finite_tags = _ids("VBD", "VBZ", "VBP", "MD")
    finite = int(any(parse.tag[j] in finite_tags for j in range(lo, min(hi, lo + 40))))
    length = _bucket(hi - lo)
    distance = _bucket(max(lo - head, head - hi + 1, 0))
    if att.source is None:
        source_pos = source_ent = source_word = role = 0
    else:
        s = source_head(parse, att.source)
        source_pos, source_ent = parse.pos[s], parse.ent[s]
        source_word = parse.lower[s] if parse.pos[s] == _PRON else parse.lemma[s]
        role = int(parse.lower[s] in _person_nouns())
    kind = _w(att.kind)
    sentence = (parse.idx[parse.sent_hi[head] - 1] + parse.length[parse.sent_hi[head] - 1]
                - parse.idx[parse.sent_lo[head]])
    coverage = (4 * (att.end - att.start)) // max(1, sentence)
    quotes = min(len(att.quotes), 2)
    p = min(int(cue_p * 10), 9)
    sure = min(max(int(speaker_score + 4), 0), 8)
    has_source = int(att.source is not None)
    return _slots(
        (100, rule),
        (101, rule, lemma),
        (102, rule, pos),
        (103, rule, dep),
        (104, rule, length),
        (105, rule, has_source),
        (106, rule, source_pos, source_ent),
        (107, rule, source_word),
        (108, rule, kind),
        (109, rule, first_word),
        (110, rule, lemma, first_word),
        (111, rule, lemma, has_source),
        (112, rule, quotes, kind),
        (113, rule, distance),
        (114, rule, coverage),
        (115, rule, p),
        (116, rule, lemma, length),
        (117, rule, dep, has_source),
        (118, rule, lead),
        (119, p),
        (120, rule, pos, first_word),
        (121, rule, root_pos, finite),
        (122, rule, root_lemma),
        (123, lemma, root_pos),
        (124, rule, lemma, lead),
        (125, rule, sure),
        (126, sure, has_source),
        (127, lemma, source_ent, source_pos),
        (128, rule, role, source_pos),
        (129, lemma, finite),
        (130, rule, lemma, root_pos),
        (131, source_word),
        (132, lemma, root_lemma),
        (133, lemma, source_word),
        (134, lemma, rule, kind),
    ) + [mix(135, rule, _w(rival)) for rival in rivals if rival != att.rule]


# --- a claim the quote and line rules made ------------------------------------------------


def quote_slots(lay: Layout, att: Attribution) -> list[int]:
    """The features of a claim the quote or line rules made: the rule, the kind, the content's
    length and edges, the speaker, and where the line stands."""
    parse, text = lay.parse, lay.text
    rule = _w(att.rule)
    content = text[att.start : att.end].strip()
    length = _bucket(len(content.split()))
    last = content[-1:] or " "
    closes = _w(last if last in ".!?,;:-–—" else "x")
    opens = 1 if content[:1].isupper() else 0
    if att.source is None:
        source_pos = source_ent = source_word = 0
    else:
        s = source_head(parse, att.source)
        source_pos, source_ent = parse.pos[s], parse.ent[s]
        source_word = parse.lower[s] if parse.pos[s] == _PRON else _w("-")
    cue = parse.lemma[att.cue[0]] if att.cue is not None else 0
    paragraph = min(lay.line_base + lay.paragraph(att.start), 8)
    parts = min(len(att.parts), 3)
    follows = 1 if att.follows is not None else 0
    line_start = text.rfind("\n", 0, att.start) + 1
    line_end = text.find("\n", att.end)
    line_end = len(text) if line_end < 0 else line_end
    share = (4 * (att.end - att.start)) // max(1, line_end - line_start)
    return _slots(
        (200, rule),
        (201, rule, length),
        (202, rule, closes),
        (203, rule, opens, closes),
        (204, rule, source_pos, source_ent),
        (205, rule, source_word),
        (206, rule, cue),
        (207, rule, paragraph),
        (208, rule, parts),
        (209, rule, follows, length),
        (210, rule, share),
        (211, rule, _w(att.kind)),
        (212, rule, length, closes),
        (213,),  # the bias
    )


# --- who speaks for a cue word ------------------------------------------------------------

MAX_SPEAKERS = 12  # the nearest noun phrases of the sentence compete to speak
_PRON = word("PRON")


def speaker_candidates(lay: Layout, head: int, rule_source: int | None) -> list[int | None]:
    """Who could speak for cue word `head`: the rules' choice, then the heads of the noun phrases
    nearest to it in its sentence (outside quotes, in its paragraph, not a date or an overlong
    word), then nobody (None)."""
    parse, quote_of = lay.parse, lay.quote_of
    nouns = _ids("PROPN", "NOUN", "PRON", "NUM")
    inside = _ids("compound", "det", "amod", "nummod", "case", "punct", "nmod")
    attached, nominal = _ids("conj"), _ids("PROPN", "NOUN", "PRON")  # "Ruiz and Berg"; "Ruiz, an aide": _describes
    not_speakers = frozenset(word(label) for label in NOT_SPEAKERS)
    para = parse.para[head]
    pos, dep, ent, length, paras = parse.pos, parse.dep, parse.ent, parse.length, parse.para
    nearby = [
        j for j in range(parse.sent_lo[head], parse.sent_hi[head])
        if pos[j] in nouns and dep[j] not in inside and j != head and j != rule_source and quote_of[j] == -1
        and paras[j] == para and length[j] <= LONGEST_WORD and ent[j] not in not_speakers
        and not (dep[j] in attached and pos[parse.head[j]] in nominal) and not _describes(parse, j, head)
    ]
    nearby.sort(key=lambda j: abs(j - head))
    found: list[int | None] = [] if rule_source is None else [rule_source]
    return found + nearby[: MAX_SPEAKERS - len(found)] + [None]


def _describes(parse: Parse, tok: int, head: int, reach: int = 6) -> bool:
    """Whether `tok` lies inside an apposition that describes another noun ("Ana Ruiz, a professor
    at Oslo University, said": "University"); it names where the speaker works, not who speaks."""
    appos, nominal = _ids("appos"), _ids("PROPN", "NOUN", "PRON")
    heads, deps, pos = parse.head, parse.dep, parse.pos
    node = tok
    for _ in range(reach):
        up = heads[node]
        if up == node or node == head or up == head:
            return False
        if deps[node] in appos and pos[up] in nominal:
            return True
        node = up
    return False


def _path(parse: Parse, head: int, tok: int) -> tuple[list[int], list[int]]:
    """The dependency labels from `tok` up to the lowest ancestor it shares with `head`, and from
    `head` up to it (at most three each)."""
    heads, deps = parse.head, parse.dep
    depth: dict[int, int] = {}
    node, steps = head, 0
    while node not in depth and steps <= 30:
        depth[node] = steps
        node, steps = heads[node], steps + 1
    up: list[int] = []
    node = tok
    for _ in range(30):
        if node in depth:
            break
        up.append(deps[node])
        if heads[node] == node:
            break
        node = heads[node]
    down: list[int] = []
    if node in depth:
        walk = head
        for _ in range(min(depth[node], 3)):
            down.append(deps[walk])
            walk = heads[walk]
    return up[:3], down


def speaker_slots(lay: Layout, head: int, candidate: int | None, rule_source: int | None) -> list[int]:
    """The features of one candidate speaker (None: nobody) of cue word `head`."""
    parse = lay.parse
    lemma, dep = parse.lemma[head], parse.dep[head]
    if candidate is None:
        passive = int(any(parse.dep[j] == _NSUBJPASS and parse.head[j] == head
                          for j in range(parse.sent_lo[head], parse.sent_hi[head])))
        none = int(rule_source is None)
        return _slots(
            (300,),
            (301, lemma),
            (302, dep),
            (303, none),
            (304, passive, none),
            (305, parse.tag[head]),
            (306, dep, parse.pos[parse.head[head]]),
            (307, parse.pos[head], none),
        )
    up, down = _path(parse, head, candidate)
    up += [0] * (3 - len(up))
    down += [0] * (3 - len(down))
    before = int(candidate < head)
    distance = _bucket(abs(candidate - head))
    chosen = int(candidate == rule_source)
    c_dep, c_pos, c_ent = parse.dep[candidate], parse.pos[candidate], parse.ent[candidate]
    c_word = parse.lower[candidate] if c_pos == _PRON else parse.lemma[candidate]
    return _slots(
        (310, c_dep),
        (311, c_pos, c_ent),
        (312, *up, *down),
        (313, before, distance),
        (314, chosen),
        (315, c_dep, dep),
        (316, lemma, c_dep),
        (317, c_word),
        (318, chosen, c_dep, parse.pos[head]),
        (319, up[0], down[0], before),
        (320, lemma, up[0], down[0]),
        (321, c_ent, chosen),
        (322, parse.pos[head], up[0], up[1], down[0]),
        (323, c_word, c_dep),
    )


_NSUBJPASS = word("nsubjpass")
