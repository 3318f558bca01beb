"""Attribution, end to end: each form of attributed speech claimx promises, through `extract`.

Every sentence here is invented for these tests; speakers, kinds and contents are asserted exactly.
"""

import pytest


def summary(result):
    """A readable picture of the claims, for assertion messages."""
    return [
        (c.kind, c.content.text, [p.text for p in c.parts], c.cue and c.cue.text,
         c.speaker and (c.speaker.mention.text, c.speaker.name))
        for c in result.claims
    ]


def only_claim(result):
    assert len(result.claims) == 1, summary(result)
    return result.claims[0]


def claim_starting(result, words):
    """The one claim whose content begins with `words`."""
    found = [c for c in result.claims if c.content.text.startswith(words)]
    assert len(found) == 1, summary(result)
    return found[0]


def assert_claim(claim, *, content, kind, speaker, mention=None, cue=None, parts=None):
    assert claim.content.text == content
    assert claim.kind == kind
    assert claim.speaker is not None, f"no speaker for {content!r}"
    assert claim.speaker.name == speaker
    if mention is not None:
        assert claim.speaker.mention.text == mention
    if cue is not None:
        assert claim.cue is not None and claim.cue.text == cue
    if parts is not None:
        assert [p.text for p in claim.parts] == parts


# --- speech tags next to the quote --------------------------------------------------------


@pytest.mark.parametrize(
    "text, content, speaker, mention, cue, act",
    [
        ("“We will rebuild the bridge,” the mayor said.", "We will rebuild the bridge,",
         "mayor", "the mayor", "said", "claim"),
        ("The mayor admitted: “We were too slow.”", "We were too slow.", "mayor", "The mayor", "admitted", "admission"),
        ("Alvarez said, “The budget is balanced.”", "The budget is balanced.", "Alvarez", "Alvarez", "said", "claim"),
    ],
    ids=["cue-after", "cue-before-colon", "cue-before-comma"],
)
def test_attribution_cue_next_to_quote(extract, text, content, speaker, mention, cue, act):
    claim = only_claim(extract(text))
    assert_claim(claim, content=content, kind="direct", speaker=speaker, mention=mention, cue=cue)
    assert claim.act == act


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        ("“The talks are over,” said Jonas Berg.", "The talks are over,", "Jonas Berg"),
        ("“The talks are over”, – said Berg.", "The talks are over", "Berg"),
    ],
    ids=["inverted", "inverted-dash"],
)
def test_attribution_inverted_order(extract, text, content, speaker):
    assert_claim(only_claim(extract(text)), content=content, kind="direct", speaker=speaker, cue="said")


def test_attribution_inverted_with_audience_between(extract):
    claim = only_claim(extract("“Of course”, – assured reporters the prime minister’s spokeswoman Anna Lind."))
    assert_claim(claim, content="Of course", kind="direct", speaker="Anna Lind", cue="assured")
    assert "reporters" not in claim.speaker.mention.text


# --- quotes interrupted, continued, or spread over paragraphs ----------------------------


def test_attribution_split_quote_is_one_claim(extract):
    text = "Governor Maria Costa spoke on Monday. “We are ready,” she said, “and we will act.”"
    claim = only_claim(extract(text))
    assert_claim(claim, content="We are ready,” she said, “and we will act.", kind="direct",
                 speaker="Maria Costa", mention="she", cue="said", parts=["We are ready,", "and we will act."])


def test_attribution_follow_on_paragraph_continues_last_speaker(extract):
    text = ("“The river has never been this high,” said Mayor Tomas Reyes.\n\n"
            "“Every family on the east bank must leave tonight.”")
    result = extract(text)
    assert len(result.claims) == 2, summary(result)
    first, second = result.claims
    assert_claim(first, content="The river has never been this high,", kind="direct", speaker="Tomas Reyes")
    assert_claim(second, content="Every family on the east bank must leave tonight.", kind="direct",
                 speaker="Tomas Reyes")
    assert second.cue is None
    assert second.speaker.entity_id == first.speaker.entity_id
    assert second.confidence < first.confidence


def test_attribution_follow_on_in_same_paragraph_joins_claim(extract):
    text = "“The convoy left at dawn,” said Colonel Erik Dahl. “The roads were clear.”"
    assert_claim(only_claim(extract(text)), content="The convoy left at dawn,” said Colonel Erik Dahl. “The roads were clear.",
                 kind="direct", speaker="Erik Dahl", parts=["The convoy left at dawn,", "The roads were clear."])


def test_attribution_follow_on_skips_heading_line(extract):
    text = ("“The river has never been this high,” said Mayor Tomas Reyes.\n\n"
            "Flood waters reach the old town square\n\n"
            "“Every family on the east bank must leave tonight.”")
    follow = claim_starting(extract(text), "Every family")
    assert_claim(follow, content="Every family on the east bank must leave tonight.", kind="direct",
                 speaker="Tomas Reyes")


def test_attribution_multi_paragraph_quote_takes_last_paragraph_tag(extract):
    text = ("“The first stage of the reform is finished and the schools have their money.\n\n"
            "“The second stage will begin in the autumn, once parliament approves it.\n\n"
            "“Nothing will be cut,” the education minister Sofia Marin said.")
    claim = only_claim(extract(text))
    assert claim.kind == "direct"
    assert claim.speaker is not None and claim.speaker.name == "Sofia Marin"
    assert [p.text for p in claim.parts] == [
        "The first stage of the reform is finished and the schools have their money.",
        "The second stage will begin in the autumn, once parliament approves it.",
        "Nothing will be cut,",
    ]


def test_attribution_quote_after_adding_that_joins_first_quote(extract):
    text = ("“The factory will stay open,” the spokeswoman said, adding that no jobs would be lost. "
            "“We have orders until next year.”")
    result = extract(text)
    claim = claim_starting(result, "The factory will stay open")
    assert_claim(claim, content=text[1 : text.rindex("”")], kind="direct", speaker="spokeswoman",
                 parts=["The factory will stay open,", "We have orders until next year."])
    assert not [c for c in result.claims if c.content.text.startswith("We have orders")]


# --- tags inside the marks ----------------------------------------------------------------


def test_attribution_tag_inside_quote(extract):
    text = "Colonel Erik Dahl arrived at the base on Sunday.\n\n“We have no data, he said. – Ask the army.”"
    assert_claim(only_claim(extract(text)), content="We have no data, he said. – Ask the army.", kind="direct",
                 speaker="Erik Dahl", mention="he", cue="said")


def test_attribution_first_person_aside_is_not_a_tag(extract):
    text = "“The convoy left at dawn,” said Colonel Erik Dahl.\n\n“So the plan, I think, is fine.”"
    follow = claim_starting(extract(text), "So the plan")
    assert_claim(follow, content="So the plan, I think, is fine.", kind="direct", speaker="Erik Dahl")
    assert follow.speaker.mention.text == "Colonel Erik Dahl"


# --- colon forms --------------------------------------------------------------------------


def test_attribution_pronoun_colon_before_quote(extract):
    text = "Health Minister David Moreau faced the committee on Tuesday. He admitted: “We ordered too few vaccines.”"
    claim = only_claim(extract(text))
    assert_claim(claim, content="We ordered too few vaccines.", kind="direct", speaker="David Moreau",
                 mention="He", cue="admitted")
    assert claim.act == "admission"


@pytest.mark.parametrize(
    "text, speaker, mention, content",
    [
        # a surname the tagger reads as a common noun is a name when the article names her
        ("Lind: the talks will resume next week in Oslo\n\nTrade minister Eva Lind met the unions.",
         "Eva Lind", "Lind", "the talks will resume next week in Oslo"),
        ("Karlsson: the harbour will reopen before the summer season", "Karlsson", "Karlsson",
         "the harbour will reopen before the summer season"),
    ],
    ids=["Lind", "Karlsson"],
)
def test_attribution_name_colon_line(extract, text, speaker, mention, content):
    claim = only_claim(extract(text))
    assert_claim(claim, content=content, kind="indirect", speaker=speaker, mention=mention, cue=":")


def test_attribution_label_colon_line_is_not_a_claim(extract):
    assert extract("Flight: This map shows the route of the ferry across the bay").claims == ()


def test_attribution_headline_line_does_not_take_the_next_quote_tag(extract):
    text = "Lind: the talks will resume next week in Oslo\n\n“We will rebuild the pier,” Mayor Tomas Reyes said."
    quote = claim_starting(extract(text), "We will rebuild")
    assert_claim(quote, content="We will rebuild the pier,", kind="direct", speaker="Tomas Reyes", cue="said")


# --- quotes inside reported speech --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The minister stressed that “the deal is final.”",
        "The minister said the deal was “final and binding” for both sides.",
    ],
)
def test_attribution_quote_inside_reported_speech_is_mixed(extract, text):
    claim = only_claim(extract(text))
    assert claim.kind == "mixed"
    assert claim.speaker is not None and claim.speaker.mention.text == "The minister"


@pytest.mark.parametrize("text, content", [
    ("Tom Hale told a radio host that he is feeling “a lot of pressure” before the vote.",
     "he is feeling “a lot of pressure” before the vote"),
    ("Ana Ruiz said that she would offer “a prayer” for the winner.", "she would offer “a prayer” for the winner"),
    ("Ana Ruiz said the talks “should be over by Friday,” pointing to the deadline.",
     "the talks “should be over by Friday,”"),
], ids=["belief-verb-in-clause", "verb-in-clause", "participle-after"])
def test_attribution_a_fragment_of_the_reported_clause_takes_the_speech_verb(extract, text, content):
    claims = [c for c in extract(text).claims if "“" in c.content.text]
    assert len(claims) == 1 and claims[0].kind == "mixed", summary(extract(text))
    assert claims[0].content.text.startswith(content) and claims[0].cue.text in ("said", "told")


@pytest.mark.parametrize("other", ["critics", "she"])
def test_attribution_someone_elses_tag_in_the_clause_keeps_the_quote(extract, other):
    result = extract(f"Tom Hale said the plan, which {other} called “a disaster,” would pass.")
    quoted = [c for c in result.claims if c.kind == "direct"]
    assert quoted and quoted[0].speaker.mention.text == other, summary(result)


@pytest.mark.parametrize("text, content", [
    ("The union endorsed Ana Ruiz, who says she is honoured by the support.", "Ana Ruiz"),
    ("The mayor condemned the attack, which killed four people.", "the attack"),
])
def test_attribution_an_aside_after_an_object_is_not_what_was_said(extract, text, content):
    cue = text.split()[2]
    claims = [c for c in extract(text).claims if c.cue is not None and c.cue.text == cue]
    assert [c.content.text for c in claims] == [content], summary(extract(text))


def test_attribution_mixed_content_with_inner_quote(extract):
    claim = only_claim(extract("The minister said the deal was “final and binding” for both sides."))
    assert claim.content.text == "the deal was “final and binding” for both sides"


def test_attribution_mixed_content_keeps_quote_marks_balanced(extract):
    claim = only_claim(extract("The minister stressed that “the deal is final.”"))
    assert claim.content.text.strip("“”") == "the deal is final."
    assert claim.content.text.count("“") == claim.content.text.count("”"), claim.content.text


# --- what is not a speaker, and what is not a claim ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The storm flattened the harbour overnight.\n\n“Nobody could have predicted a wind this strong.”",
        "The storm flattened the harbour overnight. Fishermen counted their losses.\n\n"
        "“Nobody could have predicted a wind this strong.”",
    ],
)
def test_attribution_quote_without_speaker_has_none(extract, text):
    claim = only_claim(extract(text))
    assert claim.content.text == "Nobody could have predicted a wind this strong."
    assert claim.kind == "direct"
    assert claim.speaker is None
    assert claim.cue is None


@pytest.mark.parametrize(
    "text",
    [
        "The council spent three hours on the so-called “green corridor” on Tuesday.",
        "The nurses walked out at noon. Workers unloaded the “emergency” grain at the docks before sunrise.",
    ],
)
def test_attribution_scare_quote_is_not_a_claim(extract, text):
    result = extract(text)
    assert result.claims == (), summary(result)


@pytest.mark.parametrize("end", [".\n", ".\n\n", "!\n", ".”\n"])
def test_attribution_a_line_break_before_a_possessive_speaker_glues_nothing(extract, end):
    text = f"The ferry will stop in May{end}Berg’s spokesman said the repairs were done."
    claims = [c for c in extract(text).claims if c.content.text == "the repairs were done"]
    assert len(claims) == 1 and claims[0].speaker.mention.text == "Berg’s spokesman", summary(extract(text))


def test_attribution_glued_heading_is_not_the_speaker(extract):
    text = "Mayor-Vows-To-Rebuild-Bridge-After-FloodThe city says the bridge will reopen."
    result = extract(text)
    for claim in result.claims:
        if claim.speaker is not None:
            assert "Vows" not in claim.speaker.mention.text, summary(result)
            assert "Flood" not in claim.speaker.name, summary(result)
    assert not [e for e in result.entities if "Vows" in e.name], result.entities


# --- reported speech ----------------------------------------------------------------------


def test_attribution_reported_speech(extract):
    claim = only_claim(extract("The senator said the bill would fail."))
    assert_claim(claim, content="the bill would fail", kind="indirect", speaker="senator",
                 mention="The senator", cue="said")


def test_attribution_according_to(extract):
    claim = only_claim(extract("According to the report, unemployment rose."))
    assert_claim(claim, content="unemployment rose", kind="indirect", speaker="report",
                 mention="the report", cue="According to")
    assert claim.act == "report"


@pytest.mark.parametrize(
    "text, speaker, content",
    [
        ("Mayor Paula Grant spoke at the opening of the new library, saying: “Every child deserves a place to read.”",
         "Paula Grant", "Every child deserves a place to read."),
        ("Chairman Lars Moen told shareholders on Thursday that profits had doubled, saying: "
         "“This was our best year ever.”", "Lars Moen", "This was our best year ever."),
    ],
    ids=["after-intransitive", "after-reported-clause"],
)
def test_attribution_participle_takes_main_subject(extract, text, speaker, content):
    claim = claim_starting(extract(text), content)
    assert_claim(claim, content=content, kind="direct", speaker=speaker, cue="saying")


# --- offsets ------------------------------------------------------------------------------

_ARTICLE = """Harbour-Plan-Approved-After-Long-Night-Of-VotesCouncil backs the new harbour

Lind: the harbour will be dredged before winter

“We will rebuild the pier,” Mayor Tomas Reyes said. “It will be wider than before.”

According to the council, the work will cost €4 million. Reyes admitted: “We were too slow.”

“We are ready,” said Anna Lind, “and the crews are waiting.”

Boats tied up by the “old” wall

“Nobody will lose a mooring.”

The minister said the plan was “final and binding” for the port.
"""


def test_attribution_offsets_index_the_text(extract):
    result = extract(_ARTICLE)
    assert len(result.claims) >= 5, summary(result)
    spans = []
    for claim in result.claims:
        spans += [claim.content, *claim.parts]
        spans += [s for s in (claim.cue, claim.speaker and claim.speaker.mention) if s is not None]
    for span in spans:
        assert _ARTICLE[span.start : span.end] == span.text


@pytest.mark.parametrize(
    "text, speaker, content",
    [
        ("The latest test, the agency said, was its biggest yet.", "agency",
         "The latest test, the agency said, was its biggest yet"),
        ("As the host country, Norway should have acted sooner, Halvorsen said.", "Halvorsen",
         "As the host country, Norway should have acted sooner"),
    ],
    ids=["mid-sentence", "sentence-end"],
)
def test_attribution_parenthetical_tag_reports_its_sentence(extract, text, speaker, content):
    claim = only_claim(extract(text))
    assert_claim(claim, content=content, kind="indirect", speaker=speaker)


def test_attribution_relative_pronoun_is_the_mention_antecedent_the_name(extract):
    claim = only_claim(extract("The board met Senator Ana Ruiz, who said the bridge would reopen."))
    assert_claim(claim, content="the bridge would reopen", kind="indirect", speaker="Ana Ruiz", mention="who")


# --- reported speech beyond complement clauses --------------------------------------------


@pytest.mark.parametrize(
    "text, speaker, content, act",
    [
        ("The mayor accused the council on Tuesday of hiding the costs.", "mayor",
         "the council on Tuesday of hiding the costs", "accusation"),
        ("The union denied any links to the group.", "union", "any links to the group", "denial"),
        ("The minister blamed the contractor for the delay.", "minister", "the contractor for the delay",
         "accusation"),
        ("Local farmers claim to have found the missing herd.", "Local farmers", "to have found the missing herd",
         "claim"),
        ("The union refused to sign the deal.", "union", "to sign the deal", "intention"),
        ("The senator called the plan a fraud.", "senator", "the plan a fraud", "claim"),
    ],
    ids=["accuse-of", "deny", "blame-for", "claim-to", "refuse-to", "call-x-y"],
)
def test_attribution_verbs_with_object_or_infinitive_content(extract, text, speaker, content, act):
    claim = only_claim(extract(text))
    assert_claim(claim, content=content, kind="indirect", speaker=speaker)
    assert claim.act == act


@pytest.mark.parametrize(
    "text",
    [
        "The minister told the board.",  # the object is the hearer
        "The map shows the route of the ferry.",  # a thing perceived
        "The party held a rally in the square.",  # an event
        "The senator called the minister.",  # a name without what it is called
        "She dismissed these claims.",  # a statement the text refers back to
        "He sought refuge in the embassy.",  # a thing wanted, not a claim
        "Most delegates will vote for the governor.",  # a vote to come is no stance taken yet
    ],
)
def test_attribution_objects_that_are_not_claims(extract, text):
    assert extract(text).claims == ()


@pytest.mark.parametrize(
    "text, speaker, content",
    [
        ("The party backs the treaty.", "party", "the treaty"),
        ("Sweden embraced the plan.", "Sweden", "the plan"),
        ("The mayor defended the harbour budget.", "mayor", "the harbour budget"),
    ],
)
def test_attribution_stance_taken_is_a_stance_claim(extract, text, speaker, content):
    # support and defence are positions, not statements: kept apart as act "stance"
    claim = only_claim(extract(text))
    assert_claim(claim, content=content, kind="indirect", speaker=speaker)
    assert claim.act == "stance"


def test_attribution_passive_without_agent_has_no_speaker(extract):
    result = extract("It was announced that the plant will close. The festival is expected to draw large crowds.")
    assert [(c.content.text, c.speaker) for c in result.claims] == [
        ("the plant will close", None),
        ("The festival is expected to draw large crowds", None),
    ]


def test_attribution_passive_with_this_reports_the_sentence_before(extract):
    result = extract("The harbour will reopen in May. This was confirmed by the port authority on Monday.")
    claim = only_claim(result)
    assert_claim(claim, content="The harbour will reopen in May", kind="indirect", speaker="port authority")


def test_attribution_headline_form(extract):
    claim = only_claim(extract("Mayor Ruiz Accuses Council Of Hiding Bridge Costs\n\nThe council met on Monday."))
    assert_claim(claim, content="Council Of Hiding Bridge Costs", kind="indirect", speaker="Mayor Ruiz",
                 cue="Accuses")
    assert claim.act == "accusation"


def test_attribution_teaser_lines_are_furniture(extract):
    text = "Related stories\n\nA new law says that every roof in the city must be covered in..."
    assert extract(text).claims == ()


def test_attribution_content_runs_to_sentence_end_but_not_into_the_next_claim(extract):
    result = extract("The mayor said the bridge would reopen, because the repairs are done, and the governor said it would not.")
    assert [(c.speaker.name, c.content.text) for c in result.claims] == [
        ("mayor", "the bridge would reopen, because the repairs are done"),
        ("governor", "it would not"),
    ]


def test_attribution_plural_pronoun_continues_a_plural_source(extract):
    result = extract("Officials said the port was closed. They said it would reopen.")
    assert [c.speaker.name for c in result.claims] == ["Officials", "Officials"]


def test_attribution_nested_reported_speech_gives_both_claims(extract):
    result = extract("The spokesman recalled that the president has repeatedly said that the fight needs a coalition.")
    assert [(c.speaker.name, c.content.text) for c in result.claims] == [
        ("spokesman", "the president has repeatedly said that the fight needs a coalition"),
        ("president", "the fight needs a coalition"),
    ]


def test_attribution_held_statement_noun(extract):
    claim = claim_starting(extract("The mayor's claim that the bridge is safe was disputed."), "the bridge")
    assert_claim(claim, content="the bridge is safe", kind="indirect", speaker="mayor", mention="The mayor")
    assert claim.cue.text == "claim"


def test_attribution_belief_adjective(extract):
    claim = only_claim(extract("The farmers are suspicious that the dam is leaking. The road is clear."))
    assert_claim(claim, content="the dam is leaking", kind="indirect", speaker="farmers", cue="suspicious")
    assert claim.act == "belief"


def test_attribution_unbalanced_mark_costs_only_its_quote(extract):
    text = "“Alpha is fine,” Ana Ruiz said. “Beta is broken, Bob Lee said. “Gamma is good,” Carl Dyer said."
    by_speaker = {c.speaker.name: c.content.text for c in extract(text).claims}
    assert by_speaker["Ana Ruiz"] == "Alpha is fine,"
    assert by_speaker["Carl Dyer"] == "Gamma is good,"


@pytest.mark.parametrize(
    "line",
    [
        "United States Agrees To New Trade Talks With China",
        "Police Reports Show Sharp Rise In Burglaries",
        "Oslo: the ferry schedule changes on Monday for the winter",
    ],
)
def test_attribution_headline_and_label_negatives(extract, line):
    claims = extract(line + "\n\nThe council met on Monday.").claims
    assert all(c.speaker is None or c.speaker.name not in ("United", "Police", "Norway", "Oslo") for c in claims)


def test_attribution_coordinated_clauses_keep_their_own_objects_and_speakers(extract):
    result = extract("Norway endorses the treaty and Sweden demands its repeal.")
    assert [(c.speaker.name, c.content.text) for c in result.claims] == [("Norway", "the treaty"), ("Sweden", "its repeal")]


@pytest.mark.parametrize(
    "text, content, act",
    [
        ("The senator called for a ban on the imports.", "a ban on the imports", "other"),
        ("The union warned of a long strike.", "a long strike", "warning"),
        ("The minister pointed to the rising costs.", "the rising costs", "claim"),
    ],
)
def test_attribution_preposition_frames(extract, text, content, act):
    claim = only_claim(extract(text))
    assert claim.content.text == content and claim.act == act and claim.kind == "indirect"


def test_attribution_preposition_outside_a_frame_is_nothing(extract):
    assert extract("The senator called at noon and talked with the guards.").claims == ()


def test_attribution_raising_verbs_have_no_source(extract):
    claim = only_claim(extract("The plan appears to have failed. She seems happy."))
    assert (claim.content.text, claim.speaker, claim.act) == ("The plan appears to have failed", None, "belief")


def test_attribution_quote_ending_a_reported_clause_makes_it_mixed(extract):
    text = "Berg reminded that the city is focused on the data of its experts, “which suggests that the ships stayed outside.”"
    claim = only_claim(extract(text))
    assert claim.kind == "mixed" and claim.content.text.startswith("the city is focused")


# --- repairs of common parser errors --------------------------------------------------------


def parsed(nlp, text, analysis):
    """A Doc of `text` with a parse given by hand, so that a rule meant to repair a parser's error
    is tested on that error whatever the model does. `analysis` holds one "word head dep pos
    lemma" line per token, with the head as a token index."""
    from spacy.tokens import Doc

    rows = [line.split() for line in analysis.strip().splitlines()]
    words, spaces, at = [row[0] for row in rows], [], 0
    for word in words:
        at = text.index(word, at) + len(word)
        spaces.append(text[at : at + 1] == " ")
    doc = Doc(nlp.vocab, words=words, spaces=spaces, heads=[int(r[1]) for r in rows], deps=[r[2] for r in rows],
              pos=[r[3] for r in rows], lemmas=[r[4] for r in rows])
    assert doc.text == text
    return doc


def test_attribution_tag_whose_verb_runs_into_a_relative_clause(nlp):
    # the parser read "moved" as the complement of "said"; the comma before it says otherwise
    from claimx.component import analyse

    text = "“We will tax imports,” Lee said of Acme Corp., whose parent moved jobs abroad."
    doc = parsed(nlp, text, """
        “ 8 punct PUNCT “
        We 3 nsubj PRON we
        will 3 aux AUX will
        tax 8 ccomp VERB tax
        imports 3 dobj NOUN import
        , 8 punct PUNCT ,
        ” 8 punct PUNCT ”
        Lee 8 nsubj PROPN Lee
        said 8 ROOT VERB say
        of 8 prep ADP of
        Acme 11 compound PROPN Acme
        Corp. 9 pobj PROPN Corp.
        , 11 punct PUNCT ,
        whose 14 poss PRON whose
        parent 15 nsubj NOUN parent
        moved 8 ccomp VERB move
        jobs 15 dobj NOUN job
        abroad 15 advmod ADV abroad
        . 8 punct PUNCT .
    """)
    claim = only_claim(analyse(doc))
    assert_claim(claim, content="We will tax imports,", kind="direct", speaker="Lee", cue="said")


def test_attribution_clause_after_the_verb_wins_over_an_opening_phrase(nlp):
    # the parser hung the opening phrase's clause ("failed") on "recalled" too
    from claimx.component import analyse

    text = "Regarding the claim that the bridge failed, the mayor recalled that inspectors approved it."
    doc = parsed(nlp, text, """
        Regarding 10 prep VERB regard
        the 2 det DET the
        claim 0 pobj NOUN claim
        that 6 mark SCONJ that
        the 5 det DET the
        bridge 6 nsubj NOUN bridge
        failed 10 ccomp VERB fail
        , 10 punct PUNCT ,
        the 9 det DET the
        mayor 10 nsubj NOUN mayor
        recalled 10 ROOT VERB recall
        that 13 mark SCONJ that
        inspectors 13 nsubj NOUN inspector
        approved 10 ccomp VERB approve
        it 13 dobj PRON it
        . 10 punct PUNCT .
    """)
    claim = claim_starting(analyse(doc), "inspectors")
    assert_claim(claim, content="inspectors approved it", kind="indirect", speaker="mayor", cue="recalled")


def test_attribution_clause_the_parser_hung_on_a_later_verb(extract):
    text = "While city officials state the main goal is to cut traffic, they will meet again on Monday."
    claim = only_claim(extract(text))
    assert_claim(claim, content="the main goal is to cut traffic", kind="indirect", speaker="city officials", cue="state")


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        ("The audit found serious gaps in the accounts. This was stated to journalists the Finance Minister "
         "Anna Berg.", "The audit found serious gaps in the accounts", "Anna Berg"),
        ("The plant will close in March. This was said to reporters the company’s spokesman Lars Holm.",
         "The plant will close in March", "Lars Holm"),
    ],
    ids=["second-object", "object"],
)
def test_attribution_translated_passive_names_its_agent_without_by(extract, text, content, speaker):
    # word order of translated news: the agent follows the audience, with no "by"
    claim = only_claim(extract(text))
    assert_claim(claim, content=content, kind="indirect", speaker=speaker)


def test_attribution_country_closing_a_place_name_is_not_the_speaker(nlp):
    # the parser read "Norway" as the subject; the fighters, with their place, are the speakers
    from claimx.component import analyse

    text = "Local guides in the fjord villages near Bergen, Norway claim to have seen the whale."
    doc = parsed(nlp, text, """
        Local 1 amod ADJ local
        guides 10 dep NOUN guide
        in 1 prep ADP in
        the 5 det DET the
        fjord 5 compound NOUN fjord
        villages 2 pobj NOUN village
        near 5 prep ADP near
        Bergen 6 pobj PROPN Bergen
        , 10 punct PUNCT ,
        Norway 10 nsubj PROPN Norway
        claim 10 ROOT VERB claim
        to 13 aux PART to
        have 13 aux AUX have
        seen 10 xcomp VERB see
        the 15 det DET the
        whale 13 dobj NOUN whale
        . 10 punct PUNCT .
    """)
    claim = only_claim(analyse(doc))
    assert claim.content.text == "to have seen the whale"
    assert claim.speaker.mention.text == "Local guides in the fjord villages near Bergen"


def test_attribution_place_before_the_subject_is_not_a_trailing_place(extract):
    claim = only_claim(extract("In Bergen, Larsen said the harbour was full."))
    assert_claim(claim, content="the harbour was full", kind="indirect", speaker="Larsen")


def test_attribution_object_runs_on_into_the_list_after_its_colon(nlp):
    # the parser hung the list on the verb as a second object
    from claimx.component import analyse

    text = "The mayor reiterated her plans: a new school and a cleaner harbour."
    doc = parsed(nlp, text, """
        The 1 det DET the
        mayor 2 nsubj NOUN mayor
        reiterated 2 ROOT VERB reiterate
        her 4 poss PRON her
        plans 2 dobj NOUN plan
        : 4 punct PUNCT :
        a 8 det DET a
        new 8 amod ADJ new
        school 2 dobj NOUN school
        and 8 cc CCONJ and
        a 12 det DET a
        cleaner 12 amod ADJ clean
        harbour 8 conj NOUN harbour
        . 2 punct PUNCT .
    """)
    claim = only_claim(analyse(doc))
    assert_claim(claim, content="her plans: a new school and a cleaner harbour", kind="indirect", speaker="mayor")


@pytest.mark.parametrize("model", ["default", "rules"])
def test_attribution_reported_clause_stops_short_of_the_next_quote_mark(model):
    """Two apostrophes open and close quotes in some newspapers; the parser hangs the opening mark
    of the next quote on the sentence before it. The clause must not take it, and the quote."""
    import claimx

    nlp = claimx.load(attribution_model=model)
    text = ("Aides said the governor simply wanted an honest debate, not a fight. "
            "''That was never the point,'' Mr. Varga said. ''We wanted the facts.''")
    result = claimx.extract(text, nlp=nlp)
    reported = claim_starting(result, "the governor")
    assert_claim(reported, content="the governor simply wanted an honest debate, not a fight",
                 kind="indirect", speaker="Aides", cue="said")
    quote = claim_starting(result, "That was never")
    assert quote.kind == "direct" and quote.speaker.name == "Varga"


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("The fees will rise again next year, said the hundreds of tenants who signed the letter.", "hundreds of tenants"),
        ("The fees will rise again next year, said a lawyer representing the tenants.", "lawyer"),
    ],
)
def test_attribution_tag_after_clause_keeps_its_source_modifiers(extract, text, speaker):
    """An inverted tag at the end of its sentence runs on through what modifies its source."""
    claim = only_claim(extract(text))
    assert_claim(claim, content="The fees will rise again next year", kind="indirect", speaker=speaker, cue="said")


@pytest.mark.parametrize(
    "text, content",
    [
        ("The harbour board backed the dredging plan on Tuesday.", "the dredging plan"),
        ("The ferry union criticized the new timetable last week.", "the new timetable"),
    ],
)
def test_attribution_object_content_leaves_out_when_it_was_said(extract, text, content):
    claim = only_claim(extract(text))
    assert claim.content.text == content, summary(extract(text))


@pytest.mark.parametrize("text, speaker", [
    ("Alan Brook, a demographer at Vestmark University, said the trend would continue.", "Alan Brook"),
    ("Ana Ruiz, the head of the Oslo Farmers Union, said prices would fall.", "Ana Ruiz"),
])
def test_attribution_a_place_inside_the_speakers_apposition_is_not_the_speaker(extract, text, speaker):
    claim = only_claim(extract(text))
    assert claim.speaker is not None and claim.speaker.name == speaker, summary(extract(text))


@pytest.mark.parametrize("dateline", ["OSLO \u2014", "OSLO, Norway (AP) \u2014", "BERGEN -", "OSLO \u2015",
                                      "OSLO, May 3 (Reuters) -"])
def test_attribution_a_dateline_is_never_the_speaker(extract, dateline):
    for text in (f"{dateline} Ana Ruiz said on Monday the ferry would stop.",
                 f"Ferries stop\n\n{dateline} Ana Ruiz\u2019s campaign said the ferry would stop."):
        claim = only_claim(extract(text))
        assert claim.speaker is not None and "Ana Ruiz" in claim.speaker.name, summary(extract(text))


@pytest.mark.parametrize("text, speaker", [
    ("UN-backed forces said the town had fallen to the rebels.", "UN-backed forces"),
    ("US Senator Ana Ruiz - a member since 2010 - said the bill would pass.", "Ana Ruiz"),
    ("VESTMARK - which has 32 members - said it would act soon.", "VESTMARK"),
    ("The plan - OSLO - was dropped.\nNATO - which met in May - said it would act soon.", "NATO"),
])
def test_attribution_capitals_before_a_dash_that_are_no_dateline_keep_their_sentence(extract, text, speaker):
    claim = only_claim(extract(text))
    assert claim.speaker is not None and claim.speaker.name == speaker, summary(extract(text))


@pytest.mark.parametrize("tail", ["reported last week", "said on Monday", "said yesterday"])
def test_attribution_a_closing_tag_may_say_when(extract, tail):
    text = f"Ferry fares will rise by a tenth in the spring, the Vestmark Institute {tail}."
    claim = only_claim(extract(text))
    assert claim.content.text == "Ferry fares will rise by a tenth in the spring"
    assert claim.speaker is not None and claim.speaker.name == "Vestmark Institute"


@pytest.mark.parametrize("tail", ["told reporters", "told reporters on Monday", "told her", "told the Vestmark Courier"])
def test_attribution_a_closing_tag_may_say_to_whom(extract, tail):
    text = f"Ferry fares will rise by a tenth in the spring, Ana Ruiz {tail}."
    claim = only_claim(extract(text))
    assert claim.content.text == "Ferry fares will rise by a tenth in the spring"
    assert claim.speaker is not None and claim.speaker.name == "Ana Ruiz"


def test_attribution_a_closing_tag_followed_by_its_own_clause_is_not_read_back(extract):
    result = extract("Prices will fall, the agency said after the vote that it would not act.")
    assert [c.content.text for c in result.claims] == ["it would not act"], summary(result)


@pytest.mark.parametrize("label", ["Rivers", "Steel"])
def test_attribution_a_line_printed_twice_makes_its_claim_twice(extract, label):
    line = f"{label}: talks with the union are in doubt, but the strike fund is safe"
    result = extract(f"{line}\n\n{line}\n\nThe union met on Monday.")
    copies = [c for c in result.claims if c.content.text == "talks with the union are in doubt, but the strike fund is safe"]
    assert [c.content.start for c in copies] == [len(label) + 2, len(line) + 2 + len(label) + 2], summary(result)
    assert {c.speaker.name for c in copies} == {label}
    assert copies[0].speaker.entity_id == copies[1].speaker.entity_id  # one referent, however tagged
    assert copies[0].confidence == copies[1].confidence


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("In a statement on Monday, Tom Hale, 61, said that the plan had failed.", "Tom Hale"),
        ("During the hearing in Vestmark, Lena Marsh, the committee chair, said the vote would wait.", "Lena Marsh"),
    ],
)
def test_attribution_a_name_hung_on_an_opening_phrase_is_the_subject(extract, text, speaker):
    # the parser makes the name an apposition or conjunct of the opening phrase's noun, and
    # the verb is left with no subject: the name set off just before it is who spoke
    (claim,) = extract(text).claims
    assert claim.speaker is not None and claim.speaker.name == speaker
    assert claim.speaker.mention.text == speaker


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        ("The ferry will stop running in winter, a spokeswoman, Ana Ruiz, said.",
         "The ferry will stop running in winter", "Ana Ruiz"),
        ("The mill will close in May, a union official, Tom Hale, said on Friday.", "The mill will close in May",
         "Tom Hale"),
    ],
)
def test_attribution_a_closing_tag_names_its_speaker_after_a_role(extract, text, content, speaker):
    # "…, a spokeswoman, NAME, said": the parser hangs the role on the content's last noun and the
    # name on the role; the role and the name are the tag, not the content
    (claim,) = extract(text).claims
    assert claim.content.text == content
    assert claim.speaker is not None and claim.speaker.name == speaker


def test_attribution_a_name_set_off_before_an_inverted_speaker_is_not_the_speaker(extract):
    (claim,) = extract("The ferry was named for its first captain, Ana Ruiz, said Tom Hale.").claims
    assert claim.speaker is not None and claim.speaker.name == "Tom Hale"


def test_attribution_an_inverted_speaker_wins_over_words_the_parser_made_a_subject(extract):
    # "CONTENT, said X": the parser hangs the content's noun on "said" as a subject too
    result = extract("Cheaper bus passes would help the families who live far from the centre, "
                     "said Tom Hale, a planner at Vestmark University.")
    said = next(c for c in result.claims if c.cue is not None and c.cue.text == "said")
    assert said.speaker is not None and said.speaker.name == "Tom Hale"
    assert said.content.text.startswith("Cheaper bus passes would help")


def test_attribution_a_reported_clause_holds_a_quote_claimed_inside_it(extract):
    # the quote is the doctor's, by its own tag; her claim is the clause around it
    result = extract("Ana Ruiz said the village had lost a doctor who often said "
                     "\u201crest is the best medicine.\u201d")
    outer = next(c for c in result.claims if c.speaker is not None and c.speaker.name == "Ana Ruiz")
    assert outer.content.text.startswith("the village had lost a doctor who often said")
    assert outer.content.text.endswith("medicine.\u201d") or outer.content.text.endswith("medicine.")
    quote = next(c for c in result.claims if c.kind == "direct")
    assert quote.content.text == "rest is the best medicine."
    assert outer.content.start <= quote.content.start and quote.content.end <= outer.content.end


@pytest.mark.parametrize("text", [
    "\u201cWill the bridge open by May, who knows?\u201d Tom Hale told Radio Vestmark.",
    "\u201cIs this a joke?\u201d Tom Hale asked the committee.",
])
def test_attribution_a_question_is_told_to_the_one_its_tag_names(extract, text):
    # "who knows?" inside the marks is no tag; after a question, a verb whose object is its
    # hearer ("told the station") is still the quote's tag
    (claim,) = extract(text).claims
    assert claim.kind == "direct"
    assert claim.speaker is not None and claim.speaker.name == "Tom Hale"


def test_attribution_a_question_is_not_told_as_a_story(extract):
    # "told the story" has an object of its own: a new sentence, no tag of the question
    result = extract("\u201cWho will pay?\u201d The mayor told the story at every rally.")
    assert not any(c.kind == "direct" and c.speaker is not None for c in result.claims)


@pytest.mark.parametrize("text, cue, content", [
    ("The union backed the merger, hoping it would save jobs.", "backed", "the merger"),
    ("Tom Hale praised the new bridge, which engineers had doubted.", "praised", "the new bridge"),
])
def test_attribution_an_object_stops_before_a_participle_or_relative_clause_set_off(extract, text, cue, content):
    # what follows the comma says why, or describes the object: it is not what was said
    claim = next(c for c in extract(text).claims if c.cue is not None and c.cue.text == cue)
    assert claim.content.text == content


def test_attribution_an_object_stops_before_the_clause_its_sentence_goes_on_to(extract):
    # "Although X blame Y for Z, W points to …": what X said ends with its own clause
    result = extract("Although farmers blame the drought for the poor harvest, Lena Marsh points to falling prices.")
    blame = next(c for c in result.claims if c.cue is not None and c.cue.text == "blame")
    assert blame.content.text == "the drought for the poor harvest"
