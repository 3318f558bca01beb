"""Cues: reporting verbs in their inflected forms, "according to", and the speech act of each.

Built on small Docs from the session pipeline; the sentences are invented for these tests.
"""

import pytest

from claimx import lexicon
from claimx.cues import find_cues

ACTS = {"claim", "accusation", "denial", "warning", "threat", "promise", "admission", "question", "belief",
        "report", "stance", "intention", "other"}


def cues_in(nlp, text):
    """(cue text, act, form) for every cue found in `text`."""
    doc = nlp(text)
    return [(doc[c.start : c.end].text, c.act, c.form) for c in find_cues(doc)]


@pytest.mark.parametrize(
    "text, cue, act",
    [
        ("The mayor said the bridge was safe.", "said", "claim"),
        ("The mayor says the bridge is safe.", "says", "claim"),
        ("The mayor spoke on the radio, saying the bridge was safe.", "saying", "claim"),
        ("The mayor told reporters the bridge was safe.", "told", "claim"),
        ("The union claimed the factory was losing money.", "claimed", "claim"),
        ("The minister denied the report.", "denied", "denial"),
        ("Doctors warned that the clinic would close.", "warned", "warning"),
        ("The senator accused the governor of lying.", "accused", "accusation"),
        ("The coach admitted the team had played badly.", "admitted", "admission"),
        ("The landlord threatened to evict the tenants.", "threatened", "threat"),
        ("The candidate promised lower taxes.", "promised", "promise"),
        ("A journalist asked whether the plan was legal.", "asked", "question"),
        ("The professor believes the data are wrong.", "believes", "belief"),
    ],
)
def test_cues_reporting_verb_forms_and_acts(nlp, text, cue, act):
    assert cues_in(nlp, text) == [(cue, act, "verb")]


def test_cues_phrasal_verb(nlp):
    assert cues_in(nlp, "The auditor pointed out that two invoices were missing.") == [
        ("pointed out", "claim", "verb")
    ]


def test_cues_according_to(nlp):
    assert cues_in(nlp, "According to the police, three cars were stolen.") == [
        ("According to", "report", "according")
    ]


@pytest.mark.parametrize(
    "text",
    ["The children ate their lunch in the garden.", "The engineers built a new dam last year."],
)
def test_cues_ordinary_verb_is_not_a_cue(nlp, text):
    assert cues_in(nlp, text) == []


def test_cues_lexicon_acts_are_allowed():
    verbs = lexicon.reporting_verbs()
    assert verbs, "reporting_verbs.tsv is empty"
    bad = {form: verb.act for form, verb in verbs.items() if verb.act not in ACTS}
    assert bad == {}


@pytest.mark.parametrize(
    "text",
    [
        "The mayor did not say whether the harbour would reopen.",  # negated
        "He never claimed that the ballots were lost.",
        "Nobody said the ferry was late.",
        "No official confirmed that the depot had closed.",
        "The captain declined to say how long the crew would stay.",  # a refusal of speech
        "The agency refused to comment on the report.",
        "The clerk would not confirm the figures.",
        "If the governor says the budget is lost, the council will resign.",  # a condition
        "Critics could claim that the count was rigged.",  # hypothetical
        "The minister should announce the results soon.",  # an obligation
        "The mayor has to explain why the bridge failed.",
        "The council needs to answer for the delay.",
        "The council will announce its decision on Friday.",  # speech still to come
    ],
)
def test_cues_unasserted_speech_is_no_claim(extract, text):
    # speech that did not happen, or not yet: a fact-checker must not read it as a statement
    result = extract(text)
    assert result.claims == (), [(c.cue and c.cue.text, c.content.text) for c in result.claims]


def test_cues_speech_someone_wants_to_make_is_an_intention_not_a_statement(extract):
    claims = extract("The union wants to say that the deal is unfair.").claims
    assert [c.cue.text for c in claims if c.act != "intention"] == []


def test_cues_asserted_speech_around_the_same_words_is_a_claim(extract):
    # the negation belongs to the reported clause, not to the speech verb
    claims = extract("The mayor said the harbour would not reopen.").claims
    assert [(c.cue.text, c.content.text) for c in claims] == [("said", "the harbour would not reopen")]
