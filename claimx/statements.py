"""Statements: which claims of a corpus are one statement, reported several times.

A statement is what one speaker said once; each outlet (or a headline and its article body)
reporting it gives a claim. `find_statements` groups a corpus's claims into statements:

- only claims of the same resolved speaker entity join, named as `build_graph` names it
  (`graph.full_names`, `graph.entity_node`), so the same person in two articles is one speaker; an
  unnamed or unknown source is an entity of its own document, so its claims join within that
  document only; a claim without a resolved speaker never joins;
- two direct quotes (kind "direct" or "mixed") are one statement when the shorter's words appear
  in the longer, in order, for at least `QUOTE_OVERLAP` of its words (a word changed, words dropped,
  a truncation, an inserted "[the council]" or new punctuation keep a quote one statement);
- a reported version ("Ruiz said the harbour would reopen in May") joins a quote, or another
  reported version, when the smaller of their content-word sets (lowercased, light suffixes off, no
  stop words) lies in the other for at least `REPORTED_OVERLAP` of its words, sharing at least
  `MIN_SHARED_WORDS`, and neither negates what the other does not; a reported version joins
  only the report it matches best (highest containment, then one of its own document, then
  Jaccard), so that a short headline never bridges two statements that both contain it.

Only groups of two or more claims are statements: a claim reported once already has its claim
node, and a statement id that links nothing would only double it.

At corpus scale claims are blocked by speaker and, within a block, candidate pairs come from
MinHash signatures with LSH banding (alike content-word sets) and from an index of each claim's
rarest words (a short claim inside a long one, which Jaccard-based banding misses); only
candidates are checked by the rules above, and a union-find forms the groups, so the cost grows
near-linearly with the number of claims. Everything is seeded: the same corpus gives the same
statements and ids on every run.

`Statement.drift` compares the direct reports of a statement with the longest one, word by word:
what each adds, drops or changes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Mapping
from datetime import date
from difflib import SequenceMatcher
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from claimx.errors import bad_date
from claimx.graph import entity_node, full_names, named_documents
from claimx.models import Claim, Extraction, FrozenModel, Kind, published_moment

QUOTE_OVERLAP = 0.75  # two quotes: words of the shorter found in order in the longer, over its length
MIN_QUOTE_WORDS = 4  # a shorter quote of fewer words ("Of course") is too common to join anything
MIN_QUOTE_CONTENT = 2  # content words two quotes must share: function words alone make no statement
REPORTED_OVERLAP = 0.8  # a reported version: content words of the smaller set found in the other
MIN_SHARED_WORDS = 3  # content words a reported version must share with the other report

NUM_HASHES = 64  # MinHash signature length
BAND_ROWS = 2  # LSH: 32 bands of 2 rows; a pair with Jaccard 0.3 is a candidate with p ≈ 0.95
ANCHORS = 2  # each claim is indexed under its rarest content words, for containment candidates
WINDOW = 32  # in one bucket or posting list, a claim is paired with its next WINDOW members only
SEED = 14  # of the MinHash permutations: fixed, so statements are the same on every run

_WORD = re.compile(r"\w+(?:['’.,\-]\w+)*")
_SUFFIXES = ("ing", "ed", "es", "s", "e")
_QUOTED: frozenset[str] = frozenset({"direct", "mixed"})
_NEGATIONS: frozenset[str] = frozenset({"not", "no", "never", "nor", "nothing", "none", "nobody", "neither"})


class Report(FrozenModel):
    """One claim reporting a statement: where it is, what kind, its exact wording, and the outlet
    and date of its document when the caller gave them. `doc_id` is the document as
    `build_graph` names it, so the claim's node is `claim:<doc_id>:<claim_id>`."""

    doc_id: str
    claim_id: str
    kind: Kind
    text: str
    outlet: str | None = None
    published: str | None = None

    @property
    def claim_node(self) -> str:
        """The claim's node id in `build_graph`'s graph."""
        return f"claim:{self.doc_id}:{self.claim_id}"


class Drift(FrozenModel):
    """How one direct report's words differ from the statement's longest direct report: runs
    of words it adds, drops, and changes (longest's words → its own), as each text spells them."""

    doc_id: str
    claim_id: str
    added: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    changed: tuple[tuple[str, str], ...] = ()


class Statement(FrozenModel):
    """Claims by one speaker that are one statement. `speakers` are the speaker's node ids in
    `build_graph`'s graph (several for "A and B said"), `speaker_name` the fullest name the
    reports give. `reports` come earliest `published` first, undated reports after in corpus
    order; `first` is the first of them. `longest` is the longest direct report, against which
    `drift` lists every other direct report whose words differ."""

    statement_id: str
    speakers: tuple[str, ...]
    speaker_name: str
    reports: tuple[Report, ...]
    first: Report
    longest: Report | None = None
    drift: tuple[Drift, ...] = ()

    @property
    def speaker(self) -> str:
        """The (first) speaker's node id."""
        return self.speakers[0]


@cache
def stop_words() -> frozenset[str]:
    """The function words left out of content words (claimx/data/stop_words.txt)."""
    text = resources.files("claimx.data").joinpath("stop_words.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def words(text: str) -> list[str]:
    """The word tokens of a text, as written: punctuation and brackets are not words."""
    return _WORD.findall(text)


def content_words(tokens: Iterable[str]) -> frozenset[str]:
    """Lowercased tokens less stop words, possessive 's and light inflection ("reopens",
    "reopened" → "reopen"), with "n't" read as "not", so tense and person shifts of reported
    speech do not count."""
    stops = stop_words()
    found = set()
    for token in tokens:
        word = token.casefold().replace("’", "'")
        if word.endswith("n't"):
            word = "not"
        elif word.endswith("'s"):
            word = word[:-2]
        word = word.strip("'")
        if not word or word in stops:
            continue
        found.add(_stem(word))
    return frozenset(found)


def _stem(word: str) -> str:
    if word.endswith("ss"):
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def quotes_match(shorter: list[str], longer: list[str], shared: int, *, overlap: float = QUOTE_OVERLAP) -> bool:
    """Whether two quotes (casefolded word tokens, the shorter first, sharing `shared` content
    words) are one statement: the shorter's words are in the longer, in order, for `overlap`."""
    if len(shorter) < MIN_QUOTE_WORDS or shared < MIN_QUOTE_CONTENT:
        return False
    matcher = SequenceMatcher(None, shorter, longer, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched >= overlap * len(shorter)


def reported_match(a: frozenset[str], b: frozenset[str], *, overlap: float = REPORTED_OVERLAP) -> bool:
    """Whether a reported version and another report (content-word sets) are one statement: a
    negation in one but not the other ("would not reopen") makes them two."""
    shared = len(a & b)
    return (shared >= MIN_SHARED_WORDS and shared >= overlap * min(len(a), len(b))
            and bool(a & _NEGATIONS) == bool(b & _NEGATIONS))


def find_statements(
    extractions: Iterable[Extraction],
    *,
    metadata: Mapping[str, Mapping[str, Any]] | None = None,
    quote_overlap: float = QUOTE_OVERLAP,
    reported_overlap: float = REPORTED_OVERLAP,
    blocks: Collection[tuple[str, ...]] | None = None,
) -> list[Statement]:
    """The statements of a corpus, in the corpus order of their first claim.

    A document's outlet and published date, which the reports carry and order by, are its
    Extraction's own; `metadata` may give others, mapping a document's id (its `doc_id`, else
    `doc<N>` as in `build_graph`) to `{"outlet": …, "published": …}` (`source` is read as
    `outlet`; `published` an ISO date or datetime, a naive one taken as UTC). `blocks` limits
    the comparisons to the claims of these speakers (`claim_speakers`), whose statements come out
    exactly as a search of all would find them (words are weighed over all claims): a store finds
    again only the statements of the speakers a write changed."""
    named = named_documents(extractions)
    names = full_names([(given, extraction) for given, _, extraction in named])
    meta: dict[str, Mapping[str, Any]] = {}  # doc name → its outlet and published
    claims: list[tuple[str, str, Claim, tuple[str, ...]]] = []  # doc name, given id, claim, speaker nodes
    for given, doc, extraction in named:
        own = {"outlet": extraction.outlet, "published": extraction.published}
        meta[doc] = metadata.get(given, own) if metadata is not None else own
        node_of = {entity.id: entity_node(entity, doc, names) for entity in extraction.entities}
        for claim in extraction.claims:
            speakers = claim_speakers(claim, node_of)
            if speakers:
                claims.append((doc, given, claim, speakers))

    if len({speakers for *_, speakers in claims}) == len(claims):
        return []  # no speaker has two claims: nothing can be one statement
    content = [content_words(words(claim.text)) for _, _, claim, _ in claims]
    keep = [i for i, c in enumerate(content) if c]
    block_of: dict[tuple[str, ...], int] = {}
    block_ids = np.array([block_of.setdefault(claims[i][3], len(block_of)) for i in keep], dtype=np.int64)
    vocabulary: dict[str, int] = {}
    sets = [np.array(sorted({vocabulary.setdefault(w, len(vocabulary)) for w in content[i]}), dtype=np.int64)
            for i in keep]
    pairs = candidate_pairs(block_ids, sets, list(vocabulary))  # words weighed over the whole corpus
    if blocks is not None:  # … but only the pairs of the speakers asked for are compared
        wanted = np.array([block in blocks for block in block_of], dtype=bool)
        pairs = pairs[wanted[block_ids[pairs[:, 0]]]] if len(pairs) else pairs

    folded: dict[int, list[str]] = {}  # casefolded words of the quotes compared, made as needed

    def fold(i: int) -> list[str]:
        if i not in folded:
            folded[i] = [w.casefold().replace("’", "'") for w in words(claims[i][2].text)]
        return folded[i]

    quoted = [claims[i][2].kind in _QUOTED for i in keep]
    parent = list(range(len(keep)))
    best: dict[int, tuple[tuple[float, bool, float, int], int]] = {}  # a reported claim → its best match
    for a, b in pairs.tolist():
        i, j = keep[a], keep[b]
        if _overlap(claims[i], claims[j]):
            continue  # one stretch of text read twice (a claim and a claim inside it) is not a repeat
        if quoted[a] and quoted[b]:
            root_a, root_b = _find(parent, a), _find(parent, b)
            if root_a != root_b:
                short, long_ = sorted((fold(i), fold(j)), key=len)
                if quotes_match(short, long_, len(content[i] & content[j]), overlap=quote_overlap):
                    parent[max(root_a, root_b)] = min(root_a, root_b)
        elif reported_match(content[i], content[j], overlap=reported_overlap):
            shared = len(content[i] & content[j])
            score = (shared / min(len(content[i]), len(content[j])), claims[i][0] == claims[j][0],
                     shared / len(content[i] | content[j]))
            for one, other in ((a, b), (b, a)):
                if not quoted[one] and (score + (-other,), other) > best.get(one, ((-1.0, False, 0.0, 0), -1)):
                    best[one] = (score + (-other,), other)
    for one, (_, other) in best.items():  # a reported version joins its best match only, so that it
        root_a, root_b = _find(parent, one), _find(parent, other)  # never bridges two statements
        parent[max(root_a, root_b)] = min(root_a, root_b)

    groups: dict[int, list[int]] = {}
    for a, i in enumerate(keep):
        groups.setdefault(_find(parent, a), []).append(i)
    statements = []
    for members in sorted((m for m in groups.values() if len(m) > 1), key=min):
        statements.append(_statement([claims[i] for i in members], [words(claims[i][2].text) for i in members], meta))
    return statements


def statement_ids(statements: Iterable[Statement]) -> dict[tuple[str, str], str]:
    """(doc_id, claim_id) of every report → its statement's id."""
    return {(r.doc_id, r.claim_id): s.statement_id for s in statements for r in s.reports}


def claim_speakers(claim: Claim, node_of: dict[str, str]) -> tuple[str, ...]:
    """The claim's speaker nodes (`node_of`: its document's entity id → node), sorted: the block
    its statements are found in; empty when any of its speakers has no entity."""
    if claim.speaker is None:
        return ()
    ids = claim.speaker.entity_ids or ((claim.speaker.entity_id,) if claim.speaker.entity_id else ())
    if not ids or any(entity_id not in node_of for entity_id in ids):
        return ()
    return tuple(sorted({node_of[entity_id] for entity_id in ids}))


def _overlap(one: tuple[str, str, Claim, tuple[str, ...]], other: tuple[str, str, Claim, tuple[str, ...]]) -> bool:
    """Whether two claims of one document share characters of the text."""
    a, b = one[2].content, other[2].content
    return one[0] == other[0] and a.start < b.end and b.start < a.end


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def candidate_pairs(blocks: np.ndarray, sets: list[np.ndarray], vocabulary: list[str]) -> np.ndarray:
    """Pairs (i < j, as an (n, 2) array, sorted and unique) of items of one block that may be one
    statement: those sharing an LSH band of their MinHash signatures, and those where one holds
    the other's rarest words. `sets` are each item's content-word ids into `vocabulary`."""
    n = len(sets)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    lengths = np.array([len(s) for s in sets], dtype=np.int64)
    flat = np.concatenate(sets)
    owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
    found = [_band_pairs(blocks, _signatures(flat, lengths, vocabulary))]
    found.append(_anchor_pairs(blocks, flat, owner, lengths, len(vocabulary)))
    pairs = np.concatenate(found)
    pairs = np.sort(pairs, axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    packed = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.stack([packed // n, packed % n], axis=1)


def _word_hashes(vocabulary: list[str]) -> np.ndarray:
    """A 64-bit hash per word, the same in every process (Python's `hash` is salted)."""
    return np.array([int.from_bytes(hashlib.blake2b(w.encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                                    "little") for w in vocabulary], dtype=np.uint64)


def _signatures(flat: np.ndarray, lengths: np.ndarray, vocabulary: list[str]) -> np.ndarray:
    """MinHash signatures (n, NUM_HASHES) of the items' word sets, by multiply-shift hashing."""
    rng = np.random.default_rng(SEED)
    mul = rng.integers(0, 2**63, NUM_HASHES, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    add = rng.integers(0, 2**63, NUM_HASHES, dtype=np.uint64)
    hashes = _word_hashes(vocabulary)[flat]
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    signatures = np.empty((len(lengths), NUM_HASHES), dtype=np.uint32)
    step = max(1, 4_000_000 // NUM_HASHES)  # words per chunk: about 32 MB of products at a time
    item = 0
    while item < len(lengths):
        end = int(np.searchsorted(starts, starts[item] + step, side="right"))
        end = max(end, item + 1)
        lo, hi = starts[item], starts[end - 1] + lengths[end - 1]
        with np.errstate(over="ignore"):
            products = (hashes[lo:hi, None] * mul[None, :] + add[None, :]) >> np.uint64(32)
        signatures[item:end] = np.minimum.reduceat(products, starts[item:end] - lo, axis=0)
        item = end
    return signatures


def _band_pairs(blocks: np.ndarray, signatures: np.ndarray) -> np.ndarray:
    """Pairs of one block whose signatures agree on all rows of some band."""
    found = []
    for start in range(0, NUM_HASHES, BAND_ROWS):
        band = signatures[:, start:start + BAND_ROWS]
        keys = [band[:, r] for r in range(BAND_ROWS - 1, -1, -1)] + [blocks]
        order = np.lexsort(keys)
        sorted_band, sorted_blocks = band[order], blocks[order]
        same = np.empty(len(order), dtype=bool)
        same[0] = False
        same[1:] = (sorted_blocks[1:] == sorted_blocks[:-1]) & (sorted_band[1:] == sorted_band[:-1]).all(axis=1)
        found.append(_run_pairs(order, same, np.ones(len(order), dtype=bool)))
    return np.concatenate(found)


def _anchor_pairs(blocks: np.ndarray, flat: np.ndarray, owner: np.ndarray, lengths: np.ndarray,
                  n_words: int) -> np.ndarray:
    """Pairs of one block where one item holds one of the other's ANCHORS rarest words (fewest
    items of the corpus have them, ties by word id): a short claim contained in a long one."""
    frequency = np.bincount(flat, minlength=n_words)
    rank = np.lexsort((flat, frequency[flat], owner))  # each item's words, rarest first
    position = np.arange(len(flat)) - np.repeat(np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    anchor = np.zeros(len(flat), dtype=bool)
    anchor[rank[position < ANCHORS]] = True  # rank groups items in order, so positions align
    key = blocks[owner] * n_words + flat
    order = np.lexsort((owner, key))
    sorted_key = key[order]
    same = np.empty(len(order), dtype=bool)
    same[0] = False
    same[1:] = sorted_key[1:] == sorted_key[:-1]
    return _run_pairs(owner[order], same, anchor[order])


def _run_pairs(items: np.ndarray, same: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Pairs of `items` in one run (`same`: equal to the previous entry), each entry with the
    next WINDOW of its run, where either entry is `wanted`."""
    run = np.cumsum(~same)
    found = [np.empty((0, 2), dtype=np.int64)]
    for d in range(1, min(WINDOW, len(items) - 1) + 1):
        together = (run[d:] == run[:-d]) & (wanted[d:] | wanted[:-d])
        if not together.any():
            if not (run[d:] == run[:-d]).any():
                break
            continue
        found.append(np.stack([items[:-d][together], items[d:][together]], axis=1).astype(np.int64))
    return np.concatenate(found)


def _statement(members: list[tuple[str, str, Claim, tuple[str, ...]]], tokens: list[list[str]],
               metadata: Mapping[str, Mapping[str, Any]]) -> Statement:
    """The statement of grouped claims (in corpus order) with their word tokens."""
    reports, moments = [], []
    for doc, given, claim, _ in members:
        outlet, published, moment = _metadata(given, metadata.get(doc))
        reports.append(Report(doc_id=doc, claim_id=claim.id, kind=claim.kind, text=claim.text,
                              outlet=outlet, published=published))
        moments.append(moment)
    order = sorted(range(len(members)), key=lambda k: (moments[k] is None, moments[k] or 0.0, k))
    digest = hashlib.blake2b("\n".join(sorted(f"{r.doc_id}\t{r.claim_id}" for r in reports)).encode(
        "utf-8", "surrogatepass"), digest_size=8).hexdigest()
    names = [claim.speaker.name for _, _, claim, _ in members if claim.speaker is not None]
    rank = {k: n for n, k in enumerate(order)}
    quoted = [k for k in order if members[k][2].kind in _QUOTED]
    longest = max(quoted, key=lambda k: (len(tokens[k]), -rank[k])) if quoted else None
    drift = tuple(d for k in quoted if k != longest
                  for d in [_drift(reports[k], tokens[longest], tokens[k])] if d.added or d.dropped or d.changed)
    return Statement(
        statement_id=f"statement:{digest}", speakers=members[0][3],
        speaker_name=max(names, key=len) if names else "",
        reports=tuple(reports[k] for k in order), first=reports[order[0]],
        longest=reports[longest] if longest is not None else None, drift=drift,
    )


def _drift(report: Report, base: list[str], other: list[str]) -> Drift:
    """What `other`'s words add, drop and change against `base`'s, case and apostrophes aside."""
    def fold(ws: list[str]) -> list[str]:
        return [w.casefold().replace("’", "'") for w in ws]

    added, dropped, changed = [], [], []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, fold(base), fold(other), autojunk=False).get_opcodes():
        if tag == "insert":
            added.append(" ".join(other[j1:j2]))
        elif tag == "delete":
            dropped.append(" ".join(base[i1:i2]))
        elif tag == "replace":
            changed.append((" ".join(base[i1:i2]), " ".join(other[j1:j2])))
    return Drift(doc_id=report.doc_id, claim_id=report.claim_id, added=tuple(added), dropped=tuple(dropped),
                 changed=tuple(changed))


def _metadata(doc: str, fields: Mapping[str, Any] | None) -> tuple[str | None, str | None, float | None]:
    """A document's outlet, published date as given (ISO), and that date as a UTC timestamp."""
    if not fields:
        return None, None, None
    outlet = fields.get("outlet", fields.get("source"))
    published = fields.get("published")
    if published is None or published == "":
        return (str(outlet) if outlet is not None else None), None, None
    text = published.isoformat() if isinstance(published, date) else str(published).strip()
    try:
        moment = published_moment(text)
    except ValueError:
        raise bad_date(doc, published) from None
    return (str(outlet) if outlet is not None else None), text, moment.timestamp()
