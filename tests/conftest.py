"""Shared fixtures. The spaCy pipeline is loaded once per test session."""

import pytest


@pytest.fixture(scope="session")
def nlp():
    import claimx

    return claimx.load()


@pytest.fixture(scope="session")
def extract(nlp):
    """claimx.extract bound to the session pipeline."""
    import claimx

    return lambda text, **kw: claimx.extract(text, nlp=nlp, **kw)
