"""Furniture: headings, captions and teasers for other articles yield no claims.

The page snippets are invented for these tests.
"""

import pytest

from claimx.furniture import dateline_end, in_teaser

PAGE = """The harbour reopened on Monday after a week of repairs, the port authority said.

See also: Mayor Says The Old Bridge Is Safe

Read more: Council accuses builder of hiding the costs

Related stories

Minister says the ferry port will reopen in May
Union warns of a long strike at the docks
"""


def test_furniture_teasers_and_link_lists_yield_no_claims(extract):
    result = extract(PAGE)
    assert [c.content.text for c in result.claims] == ["The harbour reopened on Monday after a week of repairs"]


@pytest.mark.parametrize(
    "line, teaser",
    [
        ("See also: Mayor Says The Old Bridge Is Safe", True),
        ("READ MORE | Council accuses builder of hiding the costs", True),
        ("Minister says the ferry port will reopen in May", True),  # listed under "Related stories"
        ("The harbour reopened on Monday after a week of repairs, the port authority said.", False),
    ],
)
def test_furniture_teaser_lines(line, teaser):
    assert in_teaser(PAGE, PAGE.index(line)) is teaser if line in PAGE else in_teaser(line, 0) is teaser


def test_furniture_a_headline_opening_the_article_is_still_read(extract):
    result = extract("Mayor Says The Old Bridge Is Safe\n\nThe bridge reopened on Monday after the repairs.")
    assert [(c.speaker.name, c.content.text) for c in result.claims] == [("Mayor", "The Old Bridge Is Safe")]


@pytest.mark.parametrize("line, after", [
    ("OSLO \u2014 Ana Ruiz said so.", "Ana"),
    ("OSLO, Norway (AP) \u2014 Ana Ruiz said so.", "Ana"),
    ("OSLO, May 3 (Reuters) - Ana Ruiz said so.", "Ana"),
    ("NEW YORK -- Ana Ruiz said so.", "Ana"),
    ("UN-backed forces said so.", None),
    ("US Senator Ana Ruiz - a member - said so.", None),
    ("NATO - which met - said so.", None),
    ("OSLO \u2014 the ferry stopped.", None),
])
def test_furniture_a_dateline_ends_at_its_dash(nlp, line, after):
    doc = nlp.make_doc(line)
    end = dateline_end(doc, 0)
    assert (None if end is None else doc[end].text) == after
