"""Jekyll compatibility: posts of a node's Jekyll site, read as that site showed them.

Owns: the site as Liquid sees it (:mod:`.site`, :mod:`.data`), the Liquid
renderer (:mod:`.liquid`), kramdown's readings of Markdown (:mod:`.kramdown`)
and its attribute lists (:mod:`.attributes`), raw HTML (:mod:`.htmltokens`,
:mod:`.rawhtml`), the post source as Jekyll read it (:mod:`.source`), the
old URLs of posts (:mod:`.urls`), links to them (:mod:`.sitelinks`) and
redirects from them (:mod:`.redirects`), and ``newsnode import``
(:mod:`.importer`).

Imports: :mod:`~sphinx_newsnode.core` and :mod:`~sphinx_newsnode.model`.
Features import the shared modules named in :data:`SHARED`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SHARED = (
    "site", "data", "liquid", "lexer", "rendering", "tags", "filters", "escaping",
    "htmltokens", "kramdown", "urls",
)  # fmt: skip


def setup_jekyll(app: Sphinx) -> None:
    """Connect the Jekyll site, the source rewriting, the transforms and the redirects."""
    from sphinx_newsnode.jekyll.attributes import AttributeLists
    from sphinx_newsnode.jekyll.rawhtml import RawHtmlFallbacks, RawHtmlFiles
    from sphinx_newsnode.jekyll.redirects import setup_redirects
    from sphinx_newsnode.jekyll.site import setup_site
    from sphinx_newsnode.jekyll.sitelinks import SiteLinks
    from sphinx_newsnode.jekyll.source import setup_source

    for suffix in (".markdown", ".MD"):  # Jekyll post extensions (SPEC §9)
        if suffix not in app.config.source_suffix:
            app.add_source_suffix(suffix, "markdown")
    setup_site(app)
    setup_source(app)
    app.add_transform(AttributeLists)
    app.add_transform(RawHtmlFallbacks)
    app.add_post_transform(RawHtmlFiles)
    app.add_transform(SiteLinks)
    setup_redirects(app)
