"""Creative Commons licences named in image credits.

A credit such as ``Photo by X (CC BY-NC)`` names its licence in words;
:func:`find_license` recognises it and gives the deed URL, which the hero
links with ``rel="license"`` (machine-readable) and reports cite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CC = re.compile(
    r"\bCC[\s-]?(?:(?P<zero>0|ZERO)\b|(?P<terms>BY(?:[\s-](?:NC|SA|ND))*)\b)"
    r"(?:[\s-]?(?P<version>[1-4]\.0))?"
)


@dataclass(frozen=True)
class License:
    """A Creative Commons licence found in a text."""

    name: str
    """Canonical name, e.g. ``CC BY-NC 4.0``."""
    url: str
    """The licence deed."""
    span: tuple[int, int]
    """Where the text named it."""


def find_license(text: str) -> License | None:
    """The first Creative Commons licence named in *text*, if any."""
    match = _CC.search(text)
    if not match:
        return None
    if match["zero"]:
        return License(
            "CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/", match.span()
        )
    terms = re.split(r"[\s-]+", match["terms"].upper())
    version = match["version"] or "4.0"
    slug = "-".join(terms).lower()
    return License(
        f"CC {'-'.join(terms)} {version}",
        f"https://creativecommons.org/licenses/{slug}/{version}/",
        match.span(),
    )
