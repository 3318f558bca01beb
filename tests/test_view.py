"""The HTML article view."""

from claimx.view import render_html

TEXT = "Mayor Elena Ruiz defended the budget on Monday.\n\n“The bridge <will> reopen,” Ruiz said of Denmark & Sweden."


def test_view_html_highlights_speaker_cue_claim_and_target(extract):
    html = render_html(extract(TEXT, doc_id="d1"))
    assert html.startswith("<!DOCTYPE html>")
    assert '<span class="speaker"' in html and '<span class="cue"' in html
    assert "claim act-claim direct" in html and "target" in html
    assert "&lt;will&gt;" in html and "Denmark &amp; Sweden" in html  # text is escaped
    assert "Elena Ruiz — claim, direct" in html  # tooltip names the resolved speaker


def test_view_jupyter_shows_a_fragment(extract):
    fragment = extract(TEXT)._repr_html_()
    assert "<!DOCTYPE" not in fragment and 'class="claimx"' in fragment


def test_view_a_lone_surrogate_anywhere_still_makes_a_page(extract):
    html = render_html(extract("“We will win \ud800,” said Ana Ruiz.", doc_id="d\ud800"))
    assert html.encode("utf-8") and "\ufffd" in html
