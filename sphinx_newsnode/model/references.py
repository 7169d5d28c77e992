"""The files a post names: hero, thumbnail, buttons, links and images of its body.

The body's targets are those of Markdown links and images, raw HTML
``src`` and ``href`` and reference definitions. One reading for every use:
``newsnode import`` copies the files a post uses, and the leak audit
fingerprints the images only drafts use. The pattern reads author text in
linear time (no quantified class holds the character its alternative starts
with; possessive quantifiers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx_newsnode.model.post import Post

_REFERENCE = re.compile(
    r"""(?P<bang>!?)\[[^\[\]]*+\]\(\s*+(?:<(?P<pointy>[^<>\n]++)>|(?P<plain>[^()\s"'<>]++))"""
    r"""|<(?P<tag>[a-zA-Z]\w*+)\b[^<>]*?\b(?:src|href)\s*+=\s*+["'](?P<quoted>[^"'<>]++)"""
    r"""|^[ \t]*+\[[^\[\]\n]++\]:[ \t]*+(?P<definition>\S++)""",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Reference:
    """One target a post names, at a line of its file."""

    line: int
    target: str
    image: bool
    """Named as an image (``background``, ``thumbnail``, ``![...]()``, ``<img src>``)."""
    site_relative: bool = False
    """A relative path is read from the site root first: a front-matter image
    (the theme passes it through ``absolute_url``) or raw HTML (``<img
    src="assets/x.png">``, the build's :mod:`~sphinx_newsnode.jekyll.rawhtml` rule)."""


def references(post: Post, body: str) -> Iterator[Reference]:
    """Every target *post* names, as written, local or not: front matter first, then *body*.

    *body* is the text after the front matter.
    """
    for key, target in (("background", post.background), ("thumbnail", post.thumbnail)):
        if target:
            yield Reference(post.line(key), target, image=True, site_relative=True)
    for button in post.cta:
        if button.href:
            yield Reference(button.line, button.href, image=False)
    line, counted = post.body_line, 0
    for match in _REFERENCE.finditer(body):
        line += body.count("\n", counted, match.start())
        counted = match.start()
        target = match["pointy"] or match["plain"] or match["quoted"] or match["definition"]
        image = match["bang"] == "!" or (match["tag"] or "").lower() == "img"
        yield Reference(line, target, image=image, site_relative=bool(match["tag"]))
