"""The quotes stage reads quotation marks from the characters alone."""

import pytest
from hypothesis import given, strategies as st

from claimx.quotes import scan_quotes


def contents(text, depth=0):
    return [text[q.start : q.end] for q in scan_quotes(text).quotes if q.depth == depth]


@pytest.mark.parametrize(
    "text, expected",
    [
        ('He said "we will win" today.', ["we will win"]),
        ("He said “we will win” today.", ["we will win"]),
        ("Sie sagte: „Wir schaffen das“, und ging.", ["Wir schaffen das"]),
        ("Il a dit «nous gagnerons» hier.", ["nous gagnerons"]),
        ("She called it ‘a disaster’ on Monday.", ["a disaster"]),
        ("He called it 'a disaster' on Monday.", ["a disaster"]),
    ],
)
def test_quotes_every_mark_style(text, expected):
    assert contents(text) == expected


def test_quotes_apostrophes_are_not_quotes():
    assert contents("It’s the minister’s plan, and the voters’ choice; don’t ask.") == []
    assert contents("It's the minister's plan; rock 'n' roll in the '90s.") == []


def test_quotes_feet_and_inches_are_not_quotes():
    assert contents('The senator is 6\'2" tall and carried a 12" ruler.') == []


def test_quotes_nested_double_in_double_and_single_in_double():
    text = "“He told me ‘never’ and then “maybe,” she said.”"
    top = contents(text)
    assert top == ["He told me ‘never’ and then “maybe,” she said."]
    assert contents(text, depth=1) == ["never", "maybe,"]


def test_quotes_split_quote_gives_two_quotes():
    assert contents("“We are ready,” she said, “and we will act.”") == ["We are ready,", "and we will act."]


def test_quotes_paragraph_continuation():
    text = "“The first paragraph of a long speech.\n\n“The second paragraph.\n\n“The end,” he said."
    scan = scan_quotes(text)
    assert [text[q.start : q.end] for q in scan.quotes] == [
        "The first paragraph of a long speech.",
        "The second paragraph.",
        "The end,",
    ]
    assert [q.continues for q in scan.quotes] == [False, True, True]
    assert [q.close is None for q in scan.quotes] == [True, True, False]


def test_quotes_unbalanced_mark_costs_only_its_own_quote():
    text = "She called it “absurd. He said “we will win” loudly. Later: “done.”"
    assert contents(text) == ["we will win", "done."]
    assert scan_quotes(text).orphans == (text.index("“absurd"),)


def test_quotes_unclosed_paragraph_quote_runs_to_paragraph_end():
    text = "“A quote whose closing mark was lost\n\nA narrative paragraph with “a phrase” in it."
    assert contents(text) == ["A quote whose closing mark was lost", "a phrase"]


def test_quotes_stray_closer_is_ignored():
    assert contents("The word ends here” and then “a quote” follows.") == ["a quote"]


def test_quotes_right_mark_used_as_opener():
    assert contents("He said ”we will win” loudly.") == ["we will win"]


@given(st.text(alphabet=st.sampled_from(list("ab ,.\n\"'“”‘’„«»:")), max_size=80))
def test_quotes_never_raise_and_spans_are_ordered(text):
    scan = scan_quotes(text)
    for q in scan.quotes:
        assert 0 <= q.open < q.start <= q.end <= len(text)
        if q.close is not None:
            assert q.close == q.end
    tops = [q for q in scan.quotes if q.depth == 0]
    for a, b in zip(tops, tops[1:]):
        assert a.outer_end <= b.open


def test_quotes_doubled_single_marks_are_double_quotes():
    text = "''Look, costs are rising,'' said the treasurer. ``Fine,'' he added."
    scan = scan_quotes(text)
    assert [text[q.start : q.end] for q in scan.quotes] == ["Look, costs are rising,", "Fine,"]
    assert [text[q.open : q.outer_end] for q in scan.quotes] == ["''Look, costs are rising,''", "``Fine,''"]


def test_quotes_curly_and_straight_marks_pair():
    assert contents("“We will win,\" he said. \"We always do.”") == ["We will win,", "We always do."]


def test_quotes_curly_apostrophe_before_digits_opens_nothing():
    assert contents("Back in the ’90s the town was poor, and the mayor was 5’ 10” tall.") == []
