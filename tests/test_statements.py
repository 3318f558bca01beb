"""Statements: which claims are one statement, on corpora built here (invented people and quotes).

The paired corpus holds, per speaker, one statement reported many ways (a word changed, words
dropped, truncated, "[…]" insertions, new punctuation, reported versions in other tenses and
persons), other statements of the same speaker on the same topic, and the same words said by
another speaker. Pairwise precision and recall over its claim pairs are measured and printed.
"""

from __future__ import annotations

from itertools import combinations

import pytest

import claimx
from claimx.models import Claim, Entity, Extraction, Span, Speaker
from claimx.statements import Statement, content_words, find_statements, statement_ids, words

RUIZ, HALE, LIN = ("Ana Ruiz", "person"), ("Tom Hale", "person"), ("Mei Lin", "person")
OFFICIAL = ("council official", "unnamed")

HARBOUR = "The harbour will reopen in May, once the cranes are repaired and the dredging is finished."
TAX = "We will not raise council tax this year, whatever the government decides."
BRIDGE = "The Elm Street bridge is safe, and the engineers have told us so twice."
WAITING = "Hospital waiting lists have fallen by a third since January, and they will keep falling."

# (doc id, outlet, published, [(speaker, kind, text, gold statement label or None)])
CORPUS: list[tuple[str, str, str | None, list[tuple[tuple[str, str] | None, str, str, str | None]]]] = [
    ("gazette-1", "Harbour Gazette", "2024-03-04", [
        (RUIZ, "indirect", "the harbour would reopen in May", "harbour"),  # the headline
        (RUIZ, "direct", HARBOUR, "harbour"),
        (RUIZ, "direct", TAX, "tax"),
        (RUIZ, "direct", "The harbour will stay closed to cruise ships until the autumn.", None),
        (HALE, "direct", BRIDGE, "bridge"),
    ]),
    ("courier-1", "Evening Courier", "2024-03-05T09:30:00", [
        (("Ruiz", "person"), "direct", "The harbour will reopen in June, once the cranes are repaired and the "
                                       "dredging is finished.", "harbour"),  # a word changed, surname only
        (RUIZ, "direct", "We will not raise council tax this year", "tax"),  # truncated
        (RUIZ, "direct", "We will raise parking charges this year to pay for the new bus lanes.", None),
        (HALE, "indirect", "the Elm Street bridge was safe and that engineers had told them so twice", "bridge"),
        (LIN, "direct", WAITING, "waiting"),
    ]),
    ("post-1", "Coast Post", "2024-03-03", [
        (RUIZ, "direct", "The harbour will reopen in May, once the cranes [at the east quay] are repaired and the "
                         "dredging is finished.", "harbour"),  # an insertion, and the earliest date
        (RUIZ, "indirect", "the council would not raise council tax this year, whatever the government decided",
         "tax"),
        (RUIZ, "direct", "The cranes at the harbour are older than the harbour master.", None),
        (HALE, "direct", "The Elm Street bridge is safe.", "bridge"),  # truncated, 6 words
        (LIN, "indirect", "hospital waiting lists had fallen by a third since January", "waiting"),
    ]),
    ("daily-1", "The Daily", None, [
        (RUIZ, "direct", "The harbour will reopen in May -- once the cranes are repaired, and the dredging is "
                         "finished!", "harbour"),  # punctuation only
        (RUIZ, "mixed", "“We will not raise council tax this year,” whatever the government decides", "tax"),
        (RUIZ, "indirect", "the dredging would cost the city four million pounds", None),
        (HALE, "direct", "Hospital waiting lists have fallen by a third since January, and they will keep falling.",
         None),  # Lin's words, said by Hale: another statement
        (LIN, "direct", "Hospital waiting lists have fallen by a quarter since January, and they will keep falling.",
         "waiting"),  # a word changed
        (LIN, "direct", "Waiting lists for hip operations will be halved by next year.", "hips"),
        (OFFICIAL, "direct", "The tender process was fair and open to every bidder.", "tender-daily"),
        (OFFICIAL, "direct", "The tender process was fair and open to every bidder", "tender-daily"),
    ]),
    ("wire-1", "Wire Service", "2024-03-04T18:00:00+00:00", [
        (RUIZ, "direct", "The harbour will reopen in May, once the cranes are repaired", "harbour"),  # words dropped
        (RUIZ, "indirect", "the harbour would reopen in May once the cranes were repaired", "harbour"),
        (RUIZ, "indirect", "the harbour would reopen to ferries next week", None),
        (HALE, "indirect", "the bridge on Elm Street would need new railings", None),
        (LIN, "indirect", "waiting lists for hip operations would be halved by next year", "hips"),
        (LIN, "direct", "Waiting lists for hip operations will be halved by next year.", "hips"),
        (OFFICIAL, "direct", "The tender process was fair and open to every bidder.", None),  # another doc's official
        (None, "direct", HARBOUR, None),  # no speaker: never joins
    ]),
    ("bulletin-1", "Town Bulletin", "2024-03-06", [
        (RUIZ, "direct", "The harbour will reopen by May, once the cranes have been repaired and dredging is "
                         "finished.", "harbour"),  # several small edits
        (RUIZ, "direct", "The harbour will reopen in May, and the ferries will return in June.", None),
        (RUIZ, "indirect", "the harbour would not reopen before the cranes were repaired", None),
        (RUIZ, "indirect", "council tax would not go up this year", "tax"),
        (HALE, "indirect", "the bridge on Elm Street was safe", "bridge"),
        (LIN, "indirect", "waiting lists at the hospital were a third shorter than in January", "waiting"),
        (LIN, "direct", "Hospital waiting lists for children have grown since January.", None),
    ]),
]


def document(doc_id: str, claims: list[tuple[tuple[str, str] | None, str, str, str | None]]) -> Extraction:
    """An Extraction whose text is its claims' texts, each speaker one entity."""
    text, built, entities = "", [], {}
    for n, (speaker, kind, content, _) in enumerate(claims):
        start = len(text)
        text += content + "\n"
        who = None
        if speaker is not None:
            if speaker not in entities:
                entities[speaker] = Entity(id=f"e{len(entities)}", name=speaker[0], kind=speaker[1])
            entity = entities[speaker]
            who = Speaker(mention=Span(start=start, end=start, text=""), name=entity.name, entity_id=entity.id)
        built.append(Claim(id=f"c{n}", content=Span(start=start, end=start + len(content), text=content),
                           kind=kind, speaker=who))
    return Extraction(text=text, doc_id=doc_id, claims=tuple(built), entities=tuple(entities.values()))


def corpus() -> tuple[list[Extraction], dict[str, dict[str, str | None]]]:
    docs = [document(doc_id, claims) for doc_id, _, _, claims in CORPUS]
    metadata = {doc_id: {"outlet": outlet, "published": published} for doc_id, outlet, published, _ in CORPUS}
    return docs, metadata


def pairwise(statements: list[Statement]) -> tuple[float, float]:
    """Precision and recall over pairs of the corpus's claims that are one statement."""
    gold: dict[str, list[tuple[str, str]]] = {}
    for doc_id, _, _, claims in CORPUS:
        for n, (_, _, _, label) in enumerate(claims):
            if label is not None:
                gold.setdefault(label, []).append((doc_id, f"c{n}"))
    gold_pairs = {frozenset(p) for members in gold.values() for p in combinations(members, 2)}
    found = {frozenset(p) for s in statements for p in combinations([(r.doc_id, r.claim_id) for r in s.reports], 2)}
    right = len(gold_pairs & found)
    return right / len(found), right / len(gold_pairs)


def by_member(statements: list[Statement]) -> dict[tuple[str, str], Statement]:
    return {(r.doc_id, r.claim_id): s for s in statements for r in s.reports}


def test_statements_precision_and_recall_on_the_paired_corpus():
    docs, metadata = corpus()
    precision, recall = pairwise(find_statements(docs, metadata=metadata))
    print(f"\nstatements on the paired corpus: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.95 and recall >= 0.95


def test_statements_join_edits_truncations_and_reported_versions():
    docs, metadata = corpus()
    found = by_member(find_statements(docs, metadata=metadata))
    harbour = found["gazette-1", "c1"]
    members = {(r.doc_id, r.claim_id) for r in harbour.reports}
    assert members == {("gazette-1", "c0"), ("gazette-1", "c1"), ("courier-1", "c0"), ("post-1", "c0"),
                       ("daily-1", "c0"), ("wire-1", "c0"), ("wire-1", "c1"), ("bulletin-1", "c0")}
    assert harbour.speakers == ("entity:ana ruiz",) and harbour.speaker_name == "Ana Ruiz"
    assert found["gazette-1", "c2"] is found["courier-1", "c1"] is found["post-1", "c1"] is found["daily-1", "c1"] \
        is found["bulletin-1", "c3"]  # "council tax would not go up this year"
    assert found["gazette-1", "c4"] is found["bulletin-1", "c4"]
    assert found["courier-1", "c4"] is found["bulletin-1", "c5"]


def test_statements_keep_other_statements_of_the_speaker_apart():
    docs, metadata = corpus()
    found = by_member(find_statements(docs, metadata=metadata))
    for other in [("gazette-1", "c3"), ("courier-1", "c2"), ("post-1", "c2"), ("daily-1", "c2"), ("wire-1", "c2"),
                  ("wire-1", "c3"), ("bulletin-1", "c1"), ("bulletin-1", "c2"), ("bulletin-1", "c6")]:
        assert other not in found, other
    assert found["wire-1", "c4"] is not found["courier-1", "c4"]  # Lin on hips is not Lin on waiting lists


def test_statements_never_join_different_speakers_or_unresolved_ones():
    docs, metadata = corpus()
    statements = find_statements(docs, metadata=metadata)
    found = by_member(statements)
    assert ("daily-1", "c3") not in found  # Hale saying Lin's words
    assert ("wire-1", "c7") not in found  # no speaker
    assert ("wire-1", "c6") not in found  # an unnamed official of another document
    assert found["daily-1", "c6"] is found["daily-1", "c7"]  # the same unnamed official, in one document
    assert found["daily-1", "c6"].speakers == ("entity:daily-1:e3",)
    for statement in statements:
        assert len(statement.speakers) == 1


def test_statements_order_reports_by_date_then_corpus_order():
    docs, metadata = corpus()
    harbour = by_member(find_statements(docs, metadata=metadata))["gazette-1", "c1"]
    order = [(r.doc_id, r.claim_id) for r in harbour.reports]
    assert order == [("post-1", "c0"), ("gazette-1", "c0"), ("gazette-1", "c1"), ("wire-1", "c0"), ("wire-1", "c1"),
                     ("courier-1", "c0"), ("bulletin-1", "c0"), ("daily-1", "c0")]
    assert harbour.first == harbour.reports[0] and harbour.first.outlet == "Coast Post"
    assert harbour.first.published == "2024-03-03" and harbour.reports[-1].published is None
    assert harbour.first.claim_node == "claim:post-1:c0"
    undated = by_member(find_statements(docs))["gazette-1", "c1"]
    assert undated.first.doc_id == "gazette-1" and undated.first.outlet is None


def test_statements_drift_is_word_exact():
    docs, metadata = corpus()
    found = by_member(find_statements(docs, metadata=metadata))
    harbour = found["gazette-1", "c1"]
    assert (harbour.longest.doc_id, harbour.longest.claim_id) == ("post-1", "c0")  # with its insertion
    drift = {(d.doc_id, d.claim_id): (d.added, d.dropped, d.changed) for d in harbour.drift}
    assert drift == {
        ("gazette-1", "c1"): ((), ("at the east quay",), ()),
        ("courier-1", "c0"): ((), ("at the east quay",), (("May", "June"),)),
        ("daily-1", "c0"): ((), ("at the east quay",), ()),  # punctuation is no drift
        ("wire-1", "c0"): ((), ("at the east quay", "and the dredging is finished"), ()),
        ("bulletin-1", "c0"): ((), ("the",), (("in", "by"), ("at the east quay are", "have been"))),
    }
    tax = found["gazette-1", "c2"]
    assert tax.longest.doc_id == "gazette-1"
    assert {(d.doc_id, d.dropped) for d in tax.drift} == {("courier-1", ("whatever the government decides",))}
    waiting = found["courier-1", "c4"]
    assert [(d.doc_id, d.changed) for d in waiting.drift] == [("daily-1", (("third", "quarter"),))]


def test_statements_ids_are_stable_and_singletons_are_no_statement():
    docs, metadata = corpus()
    first, again = find_statements(docs, metadata=metadata), find_statements(list(reversed(docs)), metadata=metadata)
    assert {s.statement_id for s in first} == {s.statement_id for s in again}
    assert all(len(s.reports) >= 2 for s in first)
    ids = statement_ids(first)
    assert ids["gazette-1", "c0"] == ids["wire-1", "c1"] and ids["gazette-1", "c0"].startswith("statement:")
    assert first == find_statements(docs, metadata=metadata)
    assert [s.model_dump(mode="json") for s in first] == [Statement.model_validate(s.model_dump(mode="json"))
                                                          .model_dump(mode="json") for s in first]


def test_statements_entities_are_the_graphs():
    docs, metadata = corpus()
    graph = claimx.build_graph(docs)
    for statement in find_statements(docs, metadata=metadata):
        for report in statement.reports:
            said = {u for u, _, k in graph.in_edges(report.claim_node, keys=True) if k == "said"}
            assert said == set(statement.speakers)


def test_statements_content_words_drop_function_words_and_tense():
    assert content_words(words("they would reopen it in May")) == {"reopen", "may"}
    assert content_words(words("“We will reopen it,”")) == {"reopen"}
    assert content_words(words("The harbour isn't closing")) == {"harbour", "not", "clos"}
    assert words("The cranes [at the east quay] are repaired.") == ["The", "cranes", "at", "the", "east", "quay",
                                                                     "are", "repaired"]


def test_statements_metadata_dates_are_checked():
    docs, _ = corpus()
    with pytest.raises(claimx.ClaimxError, match=r"\[E170\]"):
        find_statements(docs, metadata={"post-1": {"published": "last Tuesday"}})


def test_statements_through_the_extractor(extract):
    texts = {
        "a": 'Ana Ruiz, the mayor, said on Monday: "The harbour will reopen in May, once the cranes are repaired and '
             'the dredging is finished."',
        "b": "Mayor Ana Ruiz said on Tuesday that the harbour would reopen in May.",
        "c": "HARBOUR TO REOPEN\n\n“The harbour will reopen in May,” Ruiz said. She added that the cranes were old.",
        "d": 'Tom Hale said: "The harbour will reopen in May." Hale runs the ferry company.',
        "e": 'Ana Ruiz said the harbour would stay closed to cruise ships until the autumn. "We will not raise '
             'council tax this year," she said.',
    }
    docs = [extract(text).model_copy(update={"doc_id": doc_id}) for doc_id, text in texts.items()]
    statements = find_statements(docs)
    assert len(statements) == 1
    (statement,) = statements
    assert statement.speakers == ("entity:ana ruiz",)
    assert {r.doc_id for r in statement.reports} == {"a", "b", "c"}
    assert {r.kind for r in statement.reports} == {"direct", "indirect"}
    assert [d.dropped for d in statement.drift] == [("once the cranes are repaired and the dredging is finished",)]


def test_statements_a_claim_and_a_claim_inside_it_are_not_two_reports():
    text = "Ana Ruiz said that the harbour would reopen in May after the long dredging work."
    outer = text.index("that") + 5
    inner = text.index("the harbour")
    mention = Span(start=0, end=8, text="Ana Ruiz")

    def claim(cid: str, start: int) -> Claim:
        return Claim(id=cid, kind="indirect", content=Span(start=start, end=len(text) - 1, text=text[start:-1]),
                     speaker=Speaker(mention=mention, name="Ana Ruiz", entity_id="e0"))

    nested = Extraction(text=text, doc_id="n", entities=(Entity(id="e0", name="Ana Ruiz", kind="person"),),
                        claims=(claim("c0", outer - 5), claim("c1", inner)))
    assert find_statements([nested]) == []


def test_statements_a_headline_printed_twice_is_one_statement(extract):
    line = "Rivers: talks with the union are in doubt, but the strike fund is safe"
    result = extract(f"{line}\n\n{line}\n\nThe union met on Monday.")
    found = find_statements([result])
    assert len(found) == 1 and len(found[0].reports) == 2
    assert {r.text for r in found[0].reports} == {"talks with the union are in doubt, but the strike fund is safe"}
