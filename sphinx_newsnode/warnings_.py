"""Warning subtypes and the one helper that logs them.

Every warning the extension emits has ``type="newsnode"`` and a subtype from
:class:`Subtype`, so users can silence one kind with ``suppress_warnings``
(``"newsnode.image"``) and tests can match on a stable name.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

if TYPE_CHECKING:
    from docutils import nodes

logger = logging.getLogger("sphinx_newsnode")


class Subtype(StrEnum):
    """The subtypes of ``newsnode`` warnings; their values are public and stable."""

    CONFIG = "config"
    """A ``newsnode_*`` configuration value is invalid."""
    FRONT_MATTER = "front_matter"
    """Front matter is unreadable or a key has the wrong type."""
    DATE = "date"
    """A post's date is missing, invalid or ambiguous."""
    DRAFT = "draft"
    """A post is held back because its publication is in doubt."""
    IMAGE = "image"
    """A hero image is missing or cannot be used."""
    LICENSE = "license"
    """A hero image has no licence text."""
    CTA = "cta"
    """A call-to-action button is incomplete or its target is missing."""
    UNSAFE_URL = "unsafe_url"
    """A URL with a scheme other than http, https or mailto was dropped."""
    UNSAFE_PATH = "unsafe_path"
    """A path pointing outside the source tree was refused."""
    UNSAFE_MARKUP = "unsafe_markup"
    """Raw HTML in a front-matter value was reduced to its text."""


def warn(
    subtype: Subtype,
    message: str,
    location: str | tuple[str, int | None] | nodes.Node | None,
    **kwargs: Any,
) -> None:
    """Log a ``newsnode.<subtype>`` warning at *location*."""
    logger.warning(message, type="newsnode", subtype=subtype.value, location=location, **kwargs)
