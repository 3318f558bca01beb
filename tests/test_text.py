"""What spaCy is given: same-length cleaning and paragraph-aligned chunks."""

from hypothesis import given, strategies as st

from claimx.text import chunks, clean


def test_text_clean_keeps_length_and_replaces_what_spacy_rejects():
    text = "a\ud800b\x00c\x07d\u2028e\tf\r\ng"
    cleaned = clean(text)
    assert len(cleaned) == len(text)
    assert cleaned == "a\ufffdb c d\ne\tf\r\ng"


def test_text_chunks_cut_after_paragraphs():
    text = "First paragraph here.\n\nSecond paragraph here.\n\nThird one."
    pieces = chunks(text, 30)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 30 for _, p in pieces)
    assert all(p.endswith("\n") for _, p in pieces[:-1])


@given(st.text(max_size=300), st.integers(min_value=1, max_value=60))
def test_text_chunks_cover_the_text_exactly(text, limit):
    pieces = chunks(text, limit)
    assert "".join(p for _, p in pieces) == text
    assert all(0 < len(p) <= limit for _, p in pieces) or text == ""
    assert [offset for offset, _ in pieces] == [sum(len(p) for _, p in pieces[:k]) for k in range(len(pieces))]


def test_text_a_lone_carriage_return_is_a_line_break():
    assert clean("Ana\rRuiz\r\nTom\r") == "Ana\nRuiz\r\nTom\n"


def test_text_cr_only_paragraphs_do_not_run_together(nlp):
    text = "Harbour chief quits\rTom Hale said the board had failed the town.\r\rIt was over."
    starts = [sent.start_char for sent in nlp(clean(text)).sents]
    assert text.index("Tom") in starts and text.index("It was") in starts


def test_text_clean_reads_rare_dashes_as_the_dashes_they_stand_for():
    text = "a \u2015 b \u2e3a c \ufe58 d \u2012 e \u2e3b f"
    cleaned = clean(text)
    assert len(cleaned) == len(text)
    assert cleaned == "a \u2014 b \u2014 c \u2014 d \u2013 e \u2014 f"


def test_text_a_horizontal_bar_around_an_aside_stays_out_of_the_speakers_name(extract):
    text = "The report \u2015 which draws on the work of several historians \u2015 says the city failed its poor."
    result = extract(text)
    assert [c.speaker.name for c in result.claims] == ["report"]
    assert result.claims[0].content.text == "the city failed its poor"
    assert "\u2015" in result.text  # spans index the caller's own text, bar and all
