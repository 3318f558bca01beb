"""Names: which spans of a Doc name someone, and the words of each name.

The recogniser's entities, cleaned: no headline run-ons, no capitalised verbs or codes, a
demonym re-joined to the name it starts; people it missed, led by a known first name; and for a
pipeline without a recogniser, every run of proper nouns. Also the noun phrase of a mention,
and the coreference chains a pipeline may already have made.
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import ENT_TYPE, IS_ALPHA, POS
from spacy.symbols import PROPN as PROPN_ID
from spacy.tokens import Doc, Span, Token

from claimx import lexicon
from claimx.cues import verb_form
from claimx.text import is_acronym

DETERMINERS = frozenset({"a", "an", "the", "one", "some", "another", "this", "that", "these", "those"})
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
DASHES = frozenset({"-", "–", "—"})
MENTION_STOPS = frozenset({"appos", "relcl", "acl", "punct", "advcl", "parataxis"})


def propn_runs(doc: Doc, keep: np.ndarray) -> list[Span]:
    """Every run of tokens whose `keep` flag is set (proper nouns, in practice), less leading
    titles. A title inside a run starts a new one ("New York Gov. Ana Ruiz": "New York", "Ana
    Ruiz"), and so does a known first name that leads the run's last two or three words when
    no first name leads the run ("State Ana Ruiz")."""
    flags = np.concatenate([[False], keep, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(flags))
    runs = []
    for start, end in zip(edges[::2].tolist(), edges[1::2].tolist()):
        for piece_start, piece_end in _pieces(doc, start, end):
            while piece_start < piece_end and is_title(doc[piece_start]):
                piece_start += 1
            if piece_start < piece_end:
                runs.append(doc[piece_start:piece_end])
    return runs


def _pieces(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [i for i in range(start + 1, end - 1) if is_title(doc[i]) and not is_title(doc[i - 1])]
    first_names = lexicon.first_names()
    if not cuts and end - start > 2 and doc[start].lower_ not in first_names:
        cuts = [i for i in range(max(start + 1, end - 3), end - 1) if doc[i].lower_ in first_names][:1]
    bounds = [start, *cuts, end]
    return list(zip(bounds, bounds[1:]))


def unlabelled_people(doc: Doc) -> list[Span]:
    """People the recogniser missed: two or three proper nouns outside any entity, led (after
    their titles) by a known first name ("Mayor Ana Ruiz said")."""
    array = doc.to_array([POS, ENT_TYPE, IS_ALPHA])
    keep = (array[:, 0] == PROPN_ID) & (array[:, 1] == 0) & (array[:, 2] == 1)
    return [Span(doc, run.start, run.end, label="PERSON") for run in propn_runs(doc, keep) if looks_like_person(run)]


def names_from_parse(doc: Doc) -> list[Span]:
    """Names for a pipeline with no entity recogniser: every run of proper nouns, a person when a
    known first name leads it or a title introduces it, a place when places.tsv knows it, an
    organisation otherwise. A lone word that ends a person's name elsewhere is that person."""
    keep = doc.to_array(POS) == PROPN_ID
    for i in np.flatnonzero(keep).tolist():
        keep[i] = doc[i].text[:1].isupper()
    names = []
    for run in _joined_over_of(propn_runs(doc, keep)):
        if 1 < len(run) <= 3 and (run[0].lower_ in lexicon.first_names() or _introduced_as_person(run)) \
                or len(run) == 1 and run.start > 0 and is_title(doc[run.start - 1]):  # "Mr. Orme", "Pope Leo"
            label = "PERSON"
        elif " ".join(t.lower_ for t in run) in lexicon.places():
            label = "GPE"
        else:
            label = "ORG"
        names.append(Span(doc, run.start, run.end, label=label))
    surnames = {name[-1].lower_ for name in names if name.label_ == "PERSON"}
    return [Span(doc, name.start, name.end, label="PERSON")
            if len(name) == 1 and name.label_ == "ORG" and name[0].lower_ in surnames else name for name in names]


def _joined_over_of(runs: list[Span]) -> list[Span]:
    """An organisation noun's name run on over "of", "for" or "on" into the capitalised words
    after it ("Bureau of Prisons", "Center for Public Debate"), as one name."""
    bodies = lexicon.stand_in_nouns()
    joined: list[Span] = []
    for run in runs:
        if joined and run.start < joined[-1].end:
            continue  # inside the name just joined
        doc, end = run.doc, run.end
        if bodies.get(run[-1].lower_, "").startswith("body") and end + 1 < len(doc) \
                and doc[end].lower_ in ("of", "for", "on"):
            tail = end + 1
            while tail < len(doc) and doc[tail].is_alpha and doc[tail].text[:1].isupper() and not is_title(doc[tail]):
                tail += 1
            if tail > end + 1:
                run = doc[run.start : tail]
        joined.append(run)
    return joined


def _introduced_as_person(run: Span) -> bool:
    """Whether the text marks a run of proper nouns as a person: a title or role noun just
    before it ("Sen. X Y", "spokesman X Y") or a role noun in apposition ("X Y, an aide")."""
    doc, nouns = run.doc, lexicon.person_nouns()
    before = doc[run.start - 1] if run.start > 0 else None
    if before is not None and (is_title(before) or before.lower_ in nouns):
        return True
    role = next((c for c in run.root.children if c.dep_ == "appos"), None)
    return role is not None and (role.lower_ in nouns or role.lemma_.lower() in nouns)


def defined_acronyms(ents: list[Span]) -> dict[str, str]:
    """Acronyms the text defines after a name, "the Budget Committee (BC)" or "the Budget
    Committee, or BC," → lowercase acronym → that name. The acronym's first letter must be
    the name's."""
    defined = {}
    for ent in ents:
        doc, end = ent.doc, ent.end
        if ent.label_ == "PERSON" or len(ent) < 2 or end + 1 >= len(doc):
            continue
        if doc[end].text == "(" and end + 2 < len(doc) and doc[end + 2].text == ")":
            short = doc[end + 1]
        elif doc[end].text == "," and doc[end + 1].lower_ == "or" and end + 2 < len(doc):
            short = doc[end + 2]
        else:
            continue
        name = strip_determiner(ent)
        if is_acronym(short.text) and name[:1].upper() == short.text[0]:
            defined.setdefault(short.text.lower(), name)
    return defined


def with_name_tail(ent: Span) -> Span:
    """A people's adjective run into a name ("Christian Front", "Democratic Party"), which the
    recogniser cut after the adjective: the whole name, as an organisation."""
    doc, end = ent.doc, ent.end
    if ent.label_ != "NORP":
        return ent
    while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() and not doc[end].ent_type_ \
            and not is_title(doc[end]):  # "Finnish President X": a title, not a name's tail
        end += 1
    return ent if end == ent.end else Span(doc, ent.start, end, label="ORG", kb_id=ent.kb_id)


def with_first_name(ent: Span) -> Span:
    """A name the recogniser cut after a known first name and labelled something else ("Ana"
    + "Dorsett Varga" as an organisation): the whole name, as a person."""
    doc, start = ent.doc, ent.start
    if ent.label_ == "PERSON" or start == 0 or len(ent) > 2 or not all(t.pos_ == "PROPN" for t in ent):
        return ent
    first = doc[start - 1]
    if first.pos_ != "PROPN" or first.ent_type_ or not first.text[:1].isupper() \
            or first.lower_ not in lexicon.first_names():
        return ent
    return Span(doc, start - 1, ent.end, label="PERSON", kb_id=ent.kb_id)


def is_name(ent: Span) -> bool:
    """Whether an entity span holds a name at all: a capitalised noun. A capitalised verb or
    adjective ("Rising", "Masked"), a lowercase word ("mig-29") and a person noun the tagger read
    as a common noun ("Nurse" opening a headline) are none."""
    nouns = lexicon.person_nouns()
    return any(t.text[:1].isupper() and (t.pos_ == "PROPN" or t.pos_ == "NOUN" and t.lower_ not in nouns)
               for t in ent)


def is_person_name(ent: Span, words: list[str]) -> bool:
    """Whether a PERSON span is a person's name: words without digits, each capitalised or a
    particle, and all nouns unless a known first name leads ("Sinks Danish Ferry", "B-52s"
    are not)."""
    particles = lexicon.name_particles()

    def name_word(word: str) -> bool:
        head, dash, rest = word.partition("-")
        if dash and head.lower() + "-" in particles:
            word = rest  # "al-Hadi"
        return not any(c.isdigit() for c in word) and (word[:1].isupper() or word.lower() in particles)

    if not all(map(name_word, words)):
        return False
    if words[0].lower() in lexicon.first_names():
        return True
    return all(t.pos_ in ("PROPN", "NOUN") or t.is_punct or t.text in POSSESSIVE or t.lower_ in particles
               or is_title(t) for t in ent)


def looks_like_person(ent: Span) -> bool:
    """Two or three proper nouns led by a known first name: a person, whatever the label."""
    return 2 <= len(ent) <= 3 and all(t.pos_ == "PROPN" for t in ent) and ent[0].lower_ in lexicon.first_names()


def coreference_chains(doc: Doc) -> list[list[tuple[int, int]]]:
    """Coreference chains the pipeline already made, as token spans: spacy-experimental's
    `doc.spans["coref_clusters_*"]` or coreferee's `doc._.coref_chains`. Empty when there are none."""
    chains = [[(s.start, s.end) for s in group] for key, group in doc.spans.items() if key.startswith("coref_clusters")]
    if Doc.has_extension("coref_chains") and doc._.coref_chains is not None:
        for chain in doc._.coref_chains:
            chains.append([(m.token_indexes[0], m.token_indexes[-1] + 1) for m in chain])
    return chains


def mention_span(tok: Token) -> tuple[int, int]:
    """The noun phrase headed by `tok`, without appositions, relative clauses and punctuation
    (all of it when the head is listed with others: "X, Y and Z", "X, 61, and Y")."""
    start = tok.left_edge.i
    end = tok.i + 1
    rights = list(tok.rights)
    last_conj = max((k for k, c in enumerate(rights) if c.dep_ == "conj"), default=-1)
    for k, child in enumerate(rights):
        if child.dep_ in MENTION_STOPS and k >= last_conj:  # a stop before a later conjunct: "X, 61, and Y"
            break
        end = child.right_edge.i + 1
    doc = tok.doc
    while end - 1 > tok.i and (doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].text in POSSESSIVE):
        end -= 1
    while start < tok.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return (start, end)


def is_title(tok: Token) -> bool:
    entry = lexicon.person_nouns().get(tok.lower_) or lexicon.person_nouns().get(tok.lower_.rstrip("."))
    return entry is not None and entry.title


# Stray characters at a name word's edges: hyphens and stops the tokenizer left on, and U+FFFD,
# which stands in for a lone surrogate (text.clean) and so belongs to no name.
REPLACEMENT = "\ufffd"
_STRAY = "-.," + REPLACEMENT


def name_words(ent: Span) -> list[str]:
    """A person's name as written, word by word ("al-Hadi" is one word), without titles,
    possessive endings or punctuation between words."""
    groups: list[list[Token]] = []
    for tok in ent:
        if tok.text in POSSESSIVE:
            continue
        if groups and not tok.doc[tok.i - 1].whitespace_ and tok.i - 1 == groups[-1][-1].i:
            groups[-1].append(tok)
        else:
            groups.append([tok])
    words = [g for g in ([t for t in group] for group in groups) if not all(t.is_punct for t in g)]
    while len(words) > 1 and len(words[0]) == 1 and (words[0][0].lower_ in DETERMINERS or is_title(words[0][0])):
        words = words[1:]
    return ["".join(t.text for t in word).strip(_STRAY) or word[0].text for word in words]


def strip_determiner(span: Span) -> str:
    tokens = list(span)
    while tokens and (tokens[0].lower_ in DETERMINERS or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].text in POSSESSIVE):
        tokens = tokens[:-1]
    if not tokens:
        return ""
    return " ".join(span.doc[tokens[0].i : tokens[-1].i + 1].text.replace(REPLACEMENT, " ").split())


def phrases(words: list[str], longest: int = 4) -> list[str]:
    """Every run of up to `longest` consecutive words, longest first."""
    return [
        " ".join(words[i : i + size])
        for size in range(min(longest, len(words)), 0, -1)
        for i in range(len(words) - size + 1)
    ]


def last_line(ent: Span) -> Span | None:
    """The name an entity span really holds. NER sometimes joins a heading to a name across a
    line break or a dateline ("OSLO - Ana Ruiz"), and in title-case headlines runs a name on into
    its verb ("Mayor Ruiz Accuses Council"): keep the part after the last line break or
    dateline, and before an inner reporting verb."""
    start, end = ent.start, ent.end
    breaks = [t.i for t in ent if "\n" in t.text]
    if breaks:
        start = breaks[-1] + 1
    for tok in ent.doc[start + 1 : end - 1]:
        if tok.text in DASHES and all(t.text.isupper() for t in ent.doc[start : tok.i]):
            start = tok.i + 1  # a dateline, "OSLO - Ana Ruiz"
            break
    for tok in ent.doc[start + 1 : end - 1]:
        if tok.text[:1].isupper() and tok.lower_.endswith("s") and verb_form(tok.text) is not None:
            end = tok.i  # "Mayor Ruiz Accuses Council"; not "Mohammed Said Ali"
            break
    if start >= end:
        return None
    return ent if (start, end) == (ent.start, ent.end) else Span(ent.doc, start, end, label=ent.label_, kb_id=ent.kb_id)
