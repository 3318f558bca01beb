"""The linguistic data files: well-formed, documented, and read as the code expects."""

from importlib import resources

import pytest

from claimx import lexicon

DATA = resources.files("claimx.data")
FILES = sorted(p.name for p in DATA.iterdir() if p.name.endswith((".tsv", ".txt")))
KEY_COLUMNS = {"prep_frames.tsv": 2}  # keyed by verb and preposition together


@pytest.mark.parametrize("name", FILES)
def test_lexicon_files_say_what_they_are_and_have_no_duplicate_keys(name):
    lines = DATA.joinpath(name).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#") and any("Source" in line or "source" in line for line in lines if line.startswith("#"))
    width = KEY_COLUMNS.get(name, 1)
    keys = ["\t".join(line.split("\t")[:width]) for line in lines if line.strip() and not line.startswith("#")]
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})
    assert all(k == k.strip() and k for k in keys)


def test_lexicon_acts_are_the_documented_ones():
    for table in (lexicon.reporting_verbs(), ):
        assert {v.act for v in table.values()} <= lexicon.ACTS
    assert set(lexicon.statement_nouns().values()) <= lexicon.ACTS
    assert set(lexicon.reporting_adjectives().values()) <= lexicon.ACTS


def test_lexicon_loaders_read_every_file():
    assert lexicon.reporting_verbs()["said"].lemma == "say"
    assert lexicon.first_names()["maria"] == "f"
    assert lexicon.person_nouns()["spokeswoman"].gender == "f"
    assert lexicon.pronouns()["she"].gender == "f"
    assert lexicon.places()["u.s."] == ("United States", "alias")
    assert lexicon.object_roles()["tell"] == "hearer"
    assert lexicon.role_classes()["spokesman"] == lexicon.role_classes()["press secretary"]
    assert "reporters" in lexicon.addressee_nouns() and "see also" in lexicon.furniture_labels()
