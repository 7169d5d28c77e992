"""Warning subtypes and the one helper that logs them.

Every warning the extension emits has ``type="newsnode"`` and a subtype from
:class:`Subtype`, so users can silence one kind with ``suppress_warnings``
(``"newsnode.image"``) and tests can match on a stable name.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

if TYPE_CHECKING:
    from docutils import nodes

logger = logging.getLogger("sphinx_newsnode")


class Subtype(StrEnum):
    """The subtypes of ``newsnode`` warnings; their values are public and stable."""

    CONFIG = "config"
    FRONT_MATTER = "front_matter"
    DATE = "date"
    DRAFT = "draft"
    IMAGE = "image"
    LICENSE = "license"
    CTA = "cta"
    UNSAFE_URL = "unsafe_url"
    UNSAFE_PATH = "unsafe_path"
    UNSAFE_MARKUP = "unsafe_markup"
    FEED = "feed"
    PDF = "pdf"
    JEKYLL = "jekyll"
    REDIRECT = "redirect"
    GBIF = "gbif"


#: What each subtype reports (rendered in the docs' reference).
SUBTYPE_HELP: dict[Subtype, str] = {
    Subtype.CONFIG: "A ``newsnode_*`` configuration value is invalid; its default is used.",
    Subtype.FRONT_MATTER: "Front matter is unreadable, or a key has the wrong type.",
    Subtype.DATE: "A post's date is missing, invalid or ambiguous.",
    Subtype.DRAFT: "A post is held back because its publication is in doubt (and no "
    "other warning names the cause), or a page links to an unpublished post.",
    Subtype.IMAGE: "A hero image file is missing.",
    Subtype.LICENSE: "A hero image has no licence text (``newsnode_require_license``).",
    Subtype.CTA: "A call-to-action button is incomplete or its target does not exist.",
    Subtype.UNSAFE_URL: "A URL with a scheme other than http, https or mailto was dropped.",
    Subtype.UNSAFE_PATH: "A path pointing outside the source tree and site root was refused.",
    Subtype.FEED: "``newsnode_feed_path`` is set in ``conf.py`` but feeds cannot be written "
    "(they need ``html_baseurl``).",
    Subtype.PDF: "Characters pdfTeX cannot print were transliterated or left out of a PDF.",
    Subtype.UNSAFE_MARKUP: "Raw HTML or block Markdown in a front-matter value was reduced "
    "to its text.",
    Subtype.REDIRECT: "An old URL of a post gets no redirect page: it leads out of the "
    "output, names a file of the site, or is another post's.",
    Subtype.GBIF: "A report's GBIF figures are missing or unreadable "
    "(``_data/gbif/YEAR.json``, written by ``newsnode stats``); the report has no data "
    "section.",
    Subtype.JEKYLL: "Jekyll Liquid that cannot be rendered outside Jekyll (an ``include``, "
    "template logic, an unknown variable or filter, a ``post_url`` to a missing post) "
    "was kept as text.",
}


def warn(
    subtype: Subtype,
    message: str,
    location: str | tuple[str, int | None] | nodes.Node | None,
    **kwargs: Any,
) -> None:
    """Log a ``newsnode.<subtype>`` warning at *location*."""
    logger.warning(message, type="newsnode", subtype=subtype.value, location=location, **kwargs)


@dataclass(frozen=True)
class Problem:
    """Something wrong in a post's front matter, at a 1-based line."""

    subtype: Subtype
    message: str
    line: int


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``1 post``, ``2 posts`` (or *plural*: ``2 files not posts``)."""
    return f"{number} {noun}" if number == 1 else f"{number} {plural or noun + 's'}"
