"""The public contract: extract, extract_many, load, the spaCy component, and bad input."""

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import claimx
from claimx.text import clean
from claimx.windows import window_size, windows
from claimx.errors import ClaimxError
from claimx.loading import DEFAULT_MODEL, choose_model

ARTICLE = (
    "Mayor Elena Ruiz defended the budget on Monday.\n\n"
    "“We will rebuild the bridge before winter,” Ruiz said. “Nobody will be left behind.”\n\n"
    "The council’s treasurer, Mark Obi, warned that the costs would double.\n\n"
    "“This plan is a fantasy,” Obi told reporters.\n"
)


def spans_of(result):
    for claim in result.claims:
        yield claim.content
        yield from claim.parts
        if claim.cue is not None:
            yield claim.cue
        if claim.speaker is not None:
            yield claim.speaker.mention


def test_extraction_finds_speakers_and_kinds(extract):
    result = extract(ARTICLE)
    found = [(c.speaker.name if c.speaker else None, c.kind) for c in result.claims]
    assert found == [
        ("Elena Ruiz", "indirect"),  # "defended the budget": a stance, from the verb's object
        ("Elena Ruiz", "direct"),
        ("Mark Obi", "indirect"),
        ("Mark Obi", "direct"),
    ]
    assert result.claims[0].confidence < result.claims[2].confidence
    assert result.claims[2].act == "warning"
    assert {e.name for e in result.entities} >= {"Elena Ruiz", "Mark Obi"}


def test_extraction_models_are_frozen_and_serialise(extract):
    result = extract(ARTICLE)
    with pytest.raises(Exception):
        result.claims[0].kind = "indirect"
    data = result.model_dump(mode="json")
    assert data["claims"][0]["speaker"]["name"] == "Elena Ruiz"
    assert claimx.Extraction.model_validate(data) == result


def test_extraction_spans_index_the_input(extract):
    result = extract(ARTICLE)
    for span in spans_of(result):
        assert ARTICLE[span.start : span.end] == span.text


def test_extraction_speaker_entity_ids_point_into_entities(extract):
    result = extract(ARTICLE)
    ids = {e.id for e in result.entities}
    for claim in result.claims:
        assert claim.speaker.entity_id in ids
        assert result.entity(claim.speaker.entity_id).name == claim.speaker.name


def test_extraction_rejects_non_text_with_type_name(extract):
    with pytest.raises(TypeError, match=r"\[E001\].*bytes"):
        extract(b"bytes are not text")
    with pytest.raises(TypeError, match=r"\[E001\].*NoneType"):
        claimx.extract(None)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t"])
def test_extraction_empty_text_gives_empty_result(extract, text):
    result = extract(text)
    assert result.claims == () and result.entities == () and result.text == text


def test_extraction_lone_surrogates_and_controls_keep_offsets(extract):
    text = "Intro \ud800 with\x00 junk\x07.\n\n“We will rebuild the bridge,” the mayor said.\udfff"
    result = extract(text)
    assert result.text == text
    assert [c.content.text for c in result.claims] == ["We will rebuild the bridge,"]
    for span in spans_of(result):
        assert text[span.start : span.end] == span.text


def _long_article(sections: int) -> str:
    """An invented article long enough for several windows: full names given once at the top,
    then surnames, pronouns, quotes over two paragraphs and reported speech."""
    people = [("Ana Ruiz", "Ruiz", "she", "the harbour minister"), ("Tom Hale", "Hale", "he", "the board chairman"),
              ("Paul Orme", "Orme", "he", "the senator"), ("Karin Lund", "Lund", "she", "the union leader")]
    out = [f"{role.capitalize()}, {name}, spoke on Monday about the port.\n\n" for name, _, _, role in people]
    for i in range(sections):
        _, surname, pronoun, _ = people[i % 4]
        other = people[(i + 1) % 4][0]
        out.append([
            f"“The dredging plan number {i} will work,” {surname} said. “It is costed and ready.”\n\n",
            f"{surname} accused {other} of hiding the costs of phase {i}. {pronoun.capitalize()} said the figures "
            "were wrong.\n\n",
            f"“We cannot wait for phase {i},” {surname} told reporters.\n\n“The ships are already too big for the "
            "channel. Every month costs the town.”\n\n",
            f"According to {surname}, the board had approved stage {i} in secret.\n\n",
            f"The town council met again on day {i} and heard from residents about the noise.\n\n",
        ][i % 5])
    return "".join(out)


def _signature(result):
    return [(c.id, c.content.start, c.content.end, tuple((p.start, p.end) for p in c.parts), c.kind, c.act,
             c.cue and (c.cue.start, c.cue.end), c.speaker and (c.speaker.mention.start, c.speaker.name,
                                                                c.speaker.entity_id),
             tuple((t.id, t.name) for t in c.targets), round(c.confidence, 6)) for c in result.claims]


@pytest.mark.parametrize("max_length", [800, 1500])
def test_extraction_long_text_read_in_windows_equals_one_parse(nlp, monkeypatch, max_length):
    text = _long_article(40)
    whole = claimx.extract(text, nlp=nlp)
    monkeypatch.setattr(nlp, "max_length", max_length)
    windowed = claimx.extract(text, nlp=nlp)
    assert len(windows(clean(text), window_size(max_length))) > 3
    assert len(whole.claims) > 40
    assert _signature(windowed) == _signature(whole)
    def entities(result):  # the surface forms are a set: the order they were resolved in may differ
        return [(e.id, e.name, e.kind, set(e.aliases)) for e in result.entities]

    assert entities(windowed) == entities(whole)
    for span in spans_of(windowed):
        assert text[span.start : span.end] == span.text


def test_extraction_long_texts_in_a_stream_are_read_in_windows(nlp, monkeypatch):
    text = _long_article(12)
    whole = claimx.extract(text, nlp=nlp)
    monkeypatch.setattr(nlp, "max_length", 900)
    results = list(claimx.extract_many([("“Short,” said Ana Bell.", "a"), (text, "b")], nlp=nlp))
    assert [r.doc_id for r in results] == ["a", "b"]
    assert _signature(results[1]) == _signature(whole)


def test_extraction_many_keeps_order_and_ids(nlp):
    texts = [("“Yes,” said Ana Bell. “We agree.”", "a"), ("", "b"), ("“No,” said Carl Dyer.", {"id": 3})]
    results = list(claimx.extract_many(iter(texts), nlp=nlp, batch_size=2))
    assert [r.doc_id for r in results] == ["a", "b", "3"]
    assert [len(r.claims) for r in results] == [1, 0, 1]
    assert results[2].claims[0].speaker.name == "Carl Dyer"


def test_extraction_many_names_the_bad_item(nlp):
    with pytest.raises(TypeError, match=r"texts\[1\].*int"):
        list(claimx.extract_many(["fine", 42], nlp=nlp))


def test_extraction_component_sets_doc_claims(nlp, extract):
    doc = nlp(ARTICLE)
    assert doc._.claims == extract(ARTICLE).claims
    assert "claimx" in nlp.pipe_names


def test_extraction_load_names_its_model(nlp):
    assert nlp.meta["claimx"]["model"].startswith("en_core_web_sm")
    assert nlp.meta["claimx"]["version"] == claimx.__version__


def test_extraction_unknown_model_is_a_coded_error():
    with pytest.raises(ClaimxError, match=r"\[E002\].*no_such_model"):
        claimx.load("no_such_model")


def test_extraction_model_choice_order(monkeypatch):
    import spacy.util

    monkeypatch.delenv("CLAIMX_MODEL", raising=False)
    monkeypatch.setattr(spacy.util, "is_package", lambda name: name in {"en_core_web_md", "en_core_web_sm"})
    assert choose_model("my_model") == "my_model"
    assert choose_model() == "en_core_web_md"
    monkeypatch.setenv("CLAIMX_MODEL", "env_model")
    assert choose_model() == "env_model"
    monkeypatch.delenv("CLAIMX_MODEL")
    monkeypatch.setattr(spacy.util, "is_package", lambda name: False)
    assert choose_model() == DEFAULT_MODEL


def test_extraction_import_loads_no_model():
    code = "import sys, claimx; print('spacy' in sys.modules, 'pydantic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


# Arbitrary text, salted with quote marks, speech verbs, names and lone surrogates.
_TEXTS = st.lists(
    st.one_of(
        st.text(max_size=12),
        st.sampled_from(["“", "”", '"', "'", "‘", "’", "„", "«", "»", "\n", "\n\n", " – ", ": ", ", ", ". "]),
        st.sampled_from([" said ", " he ", " Ruiz ", " told reporters ", " according to ", "\ud800", "\udfff"]),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXTS)
def test_extraction_never_raises_and_spans_are_exact(extract, text):
    result = extract(text)
    for span in spans_of(result):
        assert text[span.start : span.end] == span.text
    assert extract(text) == result


def test_extraction_many_in_two_processes_matches_one(nlp):
    texts = [ARTICLE, "“No,” said Carl Dyer.", ""] * 3
    one = list(claimx.extract_many(texts, nlp=nlp, batch_size=2))
    two = list(claimx.extract_many(texts, nlp=nlp, batch_size=2, n_process=2))
    assert two == one


def test_extraction_docs_with_claims_still_serialise(nlp):
    from spacy.tokens import Doc, DocBin

    doc = nlp(ARTICLE)
    again = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert again._.claims == doc._.claims
    store = DocBin(store_user_data=True)
    store.add(doc)
    assert list(store.get_docs(nlp.vocab))[0]._.claims == doc._.claims


def test_extraction_own_pipeline_with_claimx_matches_load(nlp):
    import spacy

    own = spacy.load(nlp.meta["claimx"]["loaded_as"])
    own.add_pipe("claimx_paragraphs", before="parser")
    own.add_pipe("claimx")
    text = "Bridge collapse: city in shock\nMayor John Smith said the bridge would be rebuilt.\n\n" + ARTICLE
    assert own(text)._.claims == nlp(text)._.claims
    assert claimx.extract(text, nlp=own) == claimx.extract(text, nlp=nlp)


def test_extraction_readme_example_prints_what_the_readme_shows():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    shown = readme.split("```python\nimport claimx\n", 1)[1].split("prints\n\n```\n", 1)[1].split("```", 1)[0]
    out = subprocess.run([sys.executable, str(root / "examples" / "quickstart.py")], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout == shown


def test_extraction_many_keeps_the_vocabulary_flat(nlp, monkeypatch):
    import random

    import claimx.extraction

    monkeypatch.setattr(claimx.extraction, "MEMORY_WINDOW", 10)
    rng = random.Random(3)

    def texts(n):
        for _ in range(n):
            words = " ".join("".join(rng.choice("bcdfgklmnprst") for _ in range(9)) for _ in range(20))
            yield f"“The {words} plan is sound,” said Ana Bell."

    list(claimx.extract_many(texts(10), nlp=nlp))
    before = len(nlp.vocab.strings)
    results = list(claimx.extract_many(texts(60), nlp=nlp))
    assert len(results) == 60 and all(r.claims[0].speaker.name == "Ana Bell" for r in results)
    assert len(nlp.vocab.strings) - before < 200  # 60 × 20 new words would add ~1,200


def test_extraction_fast_pipeline_skips_the_recogniser_and_still_resolves_names():
    fast = claimx.load(fast=True)
    assert "ner" in fast.disabled and fast.meta["claimx"]["fast"] is True
    result = claimx.extract(ARTICLE, nlp=fast)
    assert [c.speaker.name for c in result.claims if c.kind == "direct"] == ["Elena Ruiz", "Mark Obi"]
    assert all(ARTICLE[c.content.start : c.content.end] == c.content.text for c in result.claims)
    # a name no first-name list knows is a person when a title introduces it, and takes "she"
    text = "Sen. Zorba Quell opened the hearing.\n\n“The agency failed,” she said."
    speaker = claimx.extract(text, nlp=fast).claims[0].speaker
    assert speaker.name == "Zorba Quell"
    assert claimx.extract(text, nlp=fast).entity(speaker.entity_id).kind == "person"


def test_extraction_follow_on_keeps_its_speaker_when_its_leader_is_filtered(nlp):
    # min_confidence may drop the tagged quote a follow-on continues: the speaker still carries over
    from claimx.attribution import Attribution
    from claimx.component import _speakers
    from claimx.entities import Resolver

    text = "“We will rebuild,” Ana Bell said.\n\n“It will take a year.”"
    doc = nlp(text, disable=["claimx"])
    tag = next(t.i for t in doc if t.text == "said")
    leader = Attribution([(1, 16)], "direct", "claim", "tag", (tag, tag + 1), (tag - 2, tag))
    follow_on = Attribution([(text.index("It"), len(text) - 1)], "direct", "claim", "follow-on", follows=leader)
    (mention, records), = _speakers(doc, text, [follow_on], Resolver(doc))
    assert mention.text == "Ana Bell" and records[0].name.endswith("Bell")


def test_extraction_a_long_text_is_never_one_doc(nlp, monkeypatch):
    """Claims are sought in windows no longer than one parse holds, so memory stays flat however
    long the text (one Doc over a long text costs gigabytes)."""
    import claimx.component

    seen = []
    find_cues = claimx.component.find_cues
    monkeypatch.setattr(claimx.component, "find_cues", lambda doc: seen.append(len(doc.text)) or find_cues(doc))
    monkeypatch.setattr(nlp, "max_length", 1000)
    text = _long_article(40).replace("\n\n", " ")  # one long paragraph: windows cut after sentences
    result = claimx.extract(text, nlp=nlp)
    assert len(text) > 3000 and len(seen) > 3 and max(seen) <= 1000
    assert len(result.claims) > 20
    for span in spans_of(result):
        assert text[span.start : span.end] == span.text


def test_extraction_windows_cover_the_text_once():
    text = _long_article(20)
    parts = windows(text, 600)
    assert parts[0].start == 0 and parts[-1].end == len(text)
    assert [w.own_start for w in parts[1:]] == [w.own_end for w in parts[:-1]]
    assert all(w.start <= w.own_start < w.own_end <= w.end and w.end - w.start <= 600 for w in parts)
    assert all(text[w.start - 1] == "\n" for w in parts[1:])  # context starts at a paragraph
