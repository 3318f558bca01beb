"""The corpus report: one self-contained page with an index, top speakers, the network, a
filterable claims table and the articles. Its behaviour in a browser is in test_browser.py."""

import re
from html.parser import HTMLParser

import pytest

import claimx
from claimx.models import Claim, Entity, EntityRef, Extraction, Span, Speaker
from claimx.view import Box, article_pieces

TEXTS = [
    ("Mayor Ana Ruiz accused the harbour board of hiding the costs.\n\n"
     "“The board misled us,” Ruiz said. “It will not happen again.”", "one"),
    ("Tom Hale denied that Ana Ruiz had been misled. “We showed her every figure,” Hale said.", "two"),
]


class _Page(HTMLParser):
    """The ids, links, sources and the claim rows of a page."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.sources, self.rows = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        if "src" in attrs or (tag == "link" and "href" in attrs):
            self.sources.append(attrs.get("src") or attrs["href"])
        if tag == "tr" and "data-act" in attrs:
            self.rows.append(attrs)


def _parse(html):
    page = _Page()
    page.feed(html)
    return page


def test_report_holds_every_part_and_loads_nothing(nlp):
    results = list(claimx.extract_many(TEXTS, nlp=nlp))
    html = claimx.render_report(results, title="Harbour <dispute>")
    page = _parse(html)
    assert "<title>Harbour &lt;dispute&gt;</title>" in html
    assert {"network", "speakers", "claims", "documents", "d0", "d1"} <= set(page.ids)
    assert "default-src 'none'" in html and not page.sources
    assert not re.search(r"\b(?:src|href)=\"(?:https?:)?//", html)
    claims = [claim for result in results for claim in result.claims]
    assert len(page.rows) == len(claims)
    # each claim's row links to an anchor in its article, and the anchors exist
    anchors = [href[1:] for href in page.links if re.fullmatch(r"#d\d+-c\d+", href)]
    assert len(anchors) == len(claims) and set(anchors) <= set(page.ids)
    assert 'class="actor"' in html and 'class="edge"' in html
    assert "Ana Ruiz" in html and "Tom Hale" in html


def test_report_rows_carry_the_graph_entities_for_the_filters(nlp):
    results = list(claimx.extract_many(TEXTS, nlp=nlp))
    page = _parse(claimx.render_report(results))
    keyed = [row for row in page.rows if row["data-s"]]
    assert keyed, "the claims have speakers"
    assert all(re.fullmatch(r"(e\d+ ?)+", row["data-s"]) for row in keyed)
    assert {row["data-act"] for row in page.rows} <= set(claimx.models.Act.__args__)
    assert all(0.0 <= float(row["data-confidence"]) <= 1.0 for row in page.rows)


def _split_quote() -> Extraction:
    text = "“We will win,” said Ana Ruiz. “The plan is sound.” The Northern Ruiz Trust agreed."
    first, second = text.index("We"), text.index("The plan")
    return Extraction(
        text=text, doc_id="split",
        entities=(Entity(id="e0", name="Ana Ruiz", kind="person"),
                  Entity(id="e1", name="Northern Ruiz Trust", kind="organization")),
        claims=(Claim(
            id="c0", kind="direct", act="claim",
            content=Span(start=first, end=second + 18, text=text[first:second + 18]),
            parts=(Span(start=first, end=first + 12, text=text[first:first + 12]),
                   Span(start=second, end=second + 18, text=text[second:second + 18])),
            speaker=Speaker(mention=Span(start=text.index("Ana"), end=text.index("Ana") + 8, text="Ana Ruiz"),
                            name="Ana Ruiz", entity_id="e0"),
            # a target whose name lies inside the speaker mention: the marks overlap
            targets=(EntityRef(id="e1", name="Ruiz"),),
        ),),
    )


def test_report_shows_a_split_quote_as_its_parts_without_the_tag():
    html = claimx.render_report(_split_quote())
    assert "We will win, … The plan is sound." in html
    assert "said Ana Ruiz. “The plan" not in html.split('id="claims-table"')[1].split("</table>")[0]


def test_a_speaker_box_stays_whole_when_marks_overlap_it():
    pieces = article_pieces(_split_quote(), anchor="d0-")
    boxes = [p for p in pieces if isinstance(p, Box)]
    assert len(boxes) == 1 and "".join(q.text for q in boxes[0].pieces) == "Ana Ruiz"
    assert len(boxes[0].pieces) == 2  # "Ana " and the target "Ruiz" inside one box
    html = claimx.render_report(_split_quote())
    assert html.count('<span class="speaker" title="Ana Ruiz">') == 1


def test_report_takes_lone_surrogates_and_markup_in_names(tmp_path):
    text = "“We will win \ud800,” said Ana <b>Ruiz."
    result = Extraction(text=text, doc_id="d\ud800", claims=(Claim(
        id="c0", kind="direct", content=Span(start=1, end=15, text=text[1:15]),
        speaker=Speaker(mention=Span(start=22, end=len(text) - 1, text=text[22:-1]), name="Ana <b>Ruiz")),))
    with pytest.warns(UserWarning, match="renamed"):  # the graph cannot carry the surrogate in a name
        path = claimx.write_html(result, tmp_path / "r.html")
    html = path.read_text(encoding="utf-8")
    assert "\ufffd" in html and "Ana &lt;b&gt;Ruiz" in html and "<b>" not in html


def test_report_of_nothing_is_still_a_page():
    html = claimx.render_report([])
    assert "0 documents · 0 claims" in html and "No claim has a speaker." in html


def test_report_counts_documents_that_share_a_name_apart(nlp):
    results = list(claimx.extract_many([(TEXTS[0][0], "same"), (TEXTS[0][0], "same")], nlp=nlp))
    with pytest.warns(UserWarning, match="renamed"):
        html = claimx.render_report(results)
    speakers = html.split('id="speakers"')[1].split("</table>")[0]
    ruiz = speakers.split("Ana Ruiz")[1].split("</tr>")[0]
    assert ruiz.rstrip().endswith('<td class="num">2</td>')  # spoke in both documents


def test_report_lists_a_statement_with_its_reports_and_drift(nlp):
    texts = [("“The harbour will reopen in May after the dredging,” said Ana Ruiz on Monday.",
              {"id": "herald", "outlet": "Bay Herald", "published": "2024-04-02"}),
             ("“The harbour will reopen in June after the dredging,” said Ana Ruiz.",
              {"id": "times", "outlet": "Coast Times", "published": "2024-04-01"})]
    html = claimx.render_report(list(claimx.extract_many(texts, nlp=nlp)))
    section = html.split('<section id="statements">')[1].split("</section>")[0]
    assert section.count('class="statement"') == 1 and "2 reports · 2 outlets" in section
    assert section.index("Coast Times") < section.index("Bay Herald")  # the earlier report first
    assert 'class="changed"' in section and "→" in section
    page = _parse(html)
    assert {href for href in page.links if re.fullmatch(r"#s\d+", href)} == {"#s0"}  # table and articles link to it
    assert html.count('href="#s0"') >= 4  # two rows, two articles
