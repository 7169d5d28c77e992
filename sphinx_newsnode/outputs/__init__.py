"""Outputs: what readers, machines and printers get of the published posts.

Owns: ``news-list`` listings (:mod:`.listing`), generated archive, year, tag
and category pages (:mod:`.archive`), Atom and RSS feeds (:mod:`.feeds`),
social metadata (:mod:`.social`), a post's byline and the way to the
newer and older post (:mod:`.postnav`), a post's other languages and every
page's language (:mod:`.languages`), the annual report (:mod:`.report`) and
what a PDF can print (:mod:`.pdf`).

Imports: every layer below. Features import the shared modules named in
:data:`SHARED`: links and URLs of posts (:mod:`.urls`), lists of posts as
nodes (:mod:`.render`) and dates in words, kept from build to build
(:mod:`.datetext`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SHARED = ("urls", "render", "datetext")


def setup_outputs(app: Sphinx) -> None:
    """Connect every output."""
    from sphinx_newsnode.outputs.archive import setup_archive
    from sphinx_newsnode.outputs.datetext import save_date_texts
    from sphinx_newsnode.outputs.feeds import setup_feeds
    from sphinx_newsnode.outputs.languages import setup_languages
    from sphinx_newsnode.outputs.listing import setup_listing
    from sphinx_newsnode.outputs.pdf import setup_pdf
    from sphinx_newsnode.outputs.postnav import setup_postnav
    from sphinx_newsnode.outputs.report import setup_report
    from sphinx_newsnode.outputs.social import setup_social

    setup_listing(app)
    setup_archive(app)
    setup_feeds(app)
    setup_social(app)
    setup_postnav(app)  # before the language switcher, which goes under the byline
    setup_languages(app)
    setup_report(app)
    setup_pdf(app)
    app.connect("build-finished", save_date_texts)
