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
