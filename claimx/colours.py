"""Colours: one per speech act, told apart by readers with any common colour-vision deficiency.

The hues are Paul Tol's "muted" qualitative scheme (https://personal.sron.nl/~pault/), nine
colours chosen to stay distinct under deuteranopia, protanopia and tritanopia, with three of
Okabe and Ito's (https://jfly.uni-koeln.de/color/: blue, orange, vermillion), which keep clear of
them, and grey for `other`. Statements are blue, blame warm, the future orange to purple.
`ACT_COLOURS` draws lines and badges; `ACT_TINTS` are the same hues mixed with white, light
enough to read text on. The act's name is always printed beside its colour as well.
"""

from __future__ import annotations

ACT_COLOURS = {
    "claim": "#0072B2",  # Okabe-Ito blue
    "report": "#88CCEE",  # Tol cyan
    "accusation": "#D55E00",  # Okabe-Ito vermillion
    "denial": "#AA4499",  # Tol purple
    "admission": "#44AA99",  # Tol teal
    "warning": "#E69F00",  # Okabe-Ito orange
    "threat": "#882255",  # Tol wine
    "promise": "#117733",  # Tol green
    "question": "#DDCC77",  # Tol sand
    "belief": "#999933",  # Tol olive
    "stance": "#CC6677",  # Tol rose
    "intention": "#332288",  # Tol indigo
    "other": "#BBBBBB",  # grey
}


def _tint(colour: str, share: float = 0.3) -> str:
    """`colour` mixed with white: `share` of the colour."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * share):02x}" for c in rgb)


ACT_TINTS = {act: _tint(colour) for act, colour in ACT_COLOURS.items()}
