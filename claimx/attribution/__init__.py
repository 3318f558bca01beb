"""Attribution: which source and which content each cue joins.

The rules propose (`direct` for quotations, `reported` for reported speech, `lines` for lines
that make a claim on their own) and `decision` keeps. `candidates` holds the shapes they share.
"""

from claimx.attribution.candidates import CONFIDENCE, Attribution
from claimx.attribution.decision import Decision, attribute, load_decision

__all__ = ["CONFIDENCE", "Attribution", "Decision", "attribute", "load_decision"]
