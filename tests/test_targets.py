"""Targets: whom each claim is about."""


def test_targets_named_in_content_and_said_of(extract):
    result = extract("“The port will close,” Mayor Ana Ruiz said of Denmark. Ruiz said Sweden would object.")
    assert [[t.name for t in c.targets] for c in result.claims] == [["Denmark"], ["Sweden"]]


def test_targets_object_of_accuse_is_a_target(extract):
    result = extract("The minister accused Norway of hiding the costs.")
    assert [t.name for t in result.claims[0].targets] == ["Norway"]


def test_targets_point_into_entities(extract):
    result = extract("Ruiz said Sweden would object.")
    ids = {e.id: e.name for e in result.entities}
    assert all(ids[t.id] == t.name for c in result.claims for t in c.targets)


def test_targets_gendered_pronoun_in_content_is_the_person_it_stands_for(extract):
    text = ("Governor Maria Lind vetoed the budget on Friday.\n\n"
            "Senator Peter Alm said she had ignored the farmers. Alm said he would appeal.")
    result = extract(text)
    said = [c for c in result.claims if c.cue is not None and c.cue.text == "said"]
    targets = {c.content.text: [t.name for t in c.targets] for c in said}
    assert targets["she had ignored the farmers"] == ["Maria Lind"]
    assert targets["he would appeal"] == []  # "he" is the speaker himself
    assert [c.speaker.name for c in said] == ["Peter Alm", "Peter Alm"]


def test_targets_it_and_they_are_not_guessed(extract):
    result = extract("Norway signed the pact. Sweden said they would regret it.")
    assert [t.name for t in result.claims[0].targets] == []
