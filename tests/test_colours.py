"""The act colours stay apart for readers with the common colour-vision deficiencies."""

import itertools

import numpy as np

from claimx.colours import ACT_COLOURS, ACT_TINTS
from claimx.models import Act

# Machado, Oliveira and Fernandes (2009), full severity, on linear RGB
SIMULATIONS = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def _lab(colour: str, simulation: np.ndarray) -> np.ndarray:
    srgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ \
        np.clip(simulation @ linear, 0, 1)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _closest(palette: dict[str, str]) -> float:
    return min(np.linalg.norm(_lab(palette[a], m) - _lab(palette[b], m))
               for m in SIMULATIONS.values() for a, b in itertools.combinations(palette, 2))


def test_colours_every_act_has_one():
    assert set(ACT_COLOURS) == set(ACT_TINTS) == set(Act.__args__)
    assert len(set(ACT_COLOURS.values())) == len(ACT_COLOURS)


def test_colours_lines_stay_apart_under_colour_blindness():
    assert _closest(ACT_COLOURS) >= 10


def test_colours_tints_stay_apart_and_light():
    assert _closest(ACT_TINTS) >= 3.5
    assert all(_lab(tint, SIMULATIONS["normal"])[0] >= 65 for tint in ACT_TINTS.values())  # dark text reads on them
