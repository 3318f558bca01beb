"""Colours: one per speech act, told apart by readers with any common colour-vision deficiency.

The hues come from the palettes made for colour-blind readers: Paul Tol's "muted" and "bright"
schemes (https://personal.sron.nl/~pault/) and Okabe and Ito's (https://jfly.uni-koeln.de/color/).
Thirteen acts are more than any one of them holds, so these twelve and grey were picked from
all of them to lie far apart (CIELAB distance at least 10) for normal vision and under simulated
protanopia, deuteranopia and tritanopia (Machado et al. 2009, full severity); the two closest,
blue and purple, went to a common act and a rare one.
`ACT_COLOURS` draws lines and badges; `ACT_TINTS` are the same hues mixed with white, light
enough to read text on, and so closer (distance at least 3.5): the act's name is always printed
beside its colour, or shown when the pointer rests on it.
"""

from __future__ import annotations

ACT_COLOURS = {
    "claim": "#4477AA",  # Tol bright blue
    "report": "#88CCEE",  # Tol muted cyan
    "accusation": "#D55E00",  # Okabe-Ito vermillion
    "denial": "#882255",  # Tol muted wine
    "admission": "#CC79A7",  # Okabe-Ito reddish purple
    "warning": "#E69F00",  # Okabe-Ito orange
    "threat": "#CC6677",  # Tol muted rose
    "promise": "#117733",  # Tol muted green
    "question": "#F0E442",  # Okabe-Ito yellow (rare: pale on white)
    "belief": "#999933",  # Tol muted olive
    "stance": "#332288",  # Tol muted indigo
    "intention": "#AA4499",  # Tol muted purple
    "other": "#BBBBBB",  # grey
}


def _tint(colour: str, share: float = 0.45) -> str:
    """`colour` mixed with white: `share` of the colour."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * share):02x}" for c in rgb)


ACT_TINTS = {act: _tint(colour) for act, colour in ACT_COLOURS.items()}
