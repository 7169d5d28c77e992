"""Creative Commons licences named in image credits.

A credit such as ``Photo by X (CC BY-NC)`` names its licence in words;
:func:`find_license` recognises it and gives the deed URL, which the hero
links with ``rel="license"`` (machine-readable) and reports cite. A credit
that names no version (``CC BY-NC``) is linked to the current one, 4.0, and
the link says that this was assumed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CC = re.compile(
    r"\bCC[\s-]?(?:(?P<zero>0|ZERO)\b|(?P<terms>BY(?:[\s-](?:NC|SA|ND))*)\b)"
    r"(?:[\s-]?(?P<version>[1-4]\.0))?"
)


CURRENT_VERSION = "4.0"


@dataclass(frozen=True)
class License:
    """A Creative Commons licence found in a text."""

    name: str
    """Canonical name, e.g. ``CC BY-NC 4.0``."""
    url: str
    """The licence deed."""
    span: tuple[int, int]
    """Where the text named it."""
    version_stated: bool = True
    """Whether the text named the version (else :data:`CURRENT_VERSION` is assumed)."""

    @property
    def title(self) -> str:
        """What a link to the deed says: the licence, and any version assumed."""
        if self.version_stated:
            return self.name
        return f"{self.name} (the credit names no version; the current one is assumed)"


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
    version = match["version"] or CURRENT_VERSION
    slug = "-".join(terms).lower()
    return License(
        f"CC {'-'.join(terms)} {version}",
        f"https://creativecommons.org/licenses/{slug}/{version}/",
        match.span(),
        version_stated=bool(match["version"]),
    )
