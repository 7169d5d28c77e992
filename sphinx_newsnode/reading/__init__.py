"""Reading a post: its page shaped from front matter as the node's site showed it.

Owns: the post page (title, draft banner, hero, lead, buttons, what listings
need of it: :mod:`.page`), the hero banner (:mod:`.hero`) and the images it
shows (:mod:`.images`), call-to-action buttons (:mod:`.cta`), front-matter
Markdown reduced to safe inline nodes (:mod:`.markup`) and the confinement
of a post's files to the source tree (:mod:`.confine`).

Imports: :mod:`~sphinx_newsnode.core` and :mod:`~sphinx_newsnode.model`.
Features import the shared modules named in :data:`SHARED`: the hero and
button nodes and their helpers, which the outputs print too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SHARED = ("markup", "images", "hero", "cta")


def setup_reading(app: Sphinx) -> None:
    """Register the post page transform, the hero, the buttons and the confinement."""
    from sphinx_newsnode.reading.confine import ConfinedFiles
    from sphinx_newsnode.reading.cta import setup_cta
    from sphinx_newsnode.reading.hero import setup_hero
    from sphinx_newsnode.reading.page import PostTransform

    app.add_transform(PostTransform)
    app.add_transform(ConfinedFiles)
    setup_hero(app)
    setup_cta(app)
