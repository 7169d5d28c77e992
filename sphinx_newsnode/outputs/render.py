"""Lists of posts as nodes, for every builder: listings, archives, report summaries.

The one way the outputs show a list of posts and their dates, and the small
pieces their nodes share (the section of a post's page, a visitor that
skips a node).
HTML gets cards with thumbnails (``:style: cards``); LaTeX and text a plain
list with dates. Dates are formatted with ``newsnode_date_format`` in the
language of each post (:mod:`~sphinx_newsnode.outputs.datetext`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_newsnode.core.config import timezone
from sphinx_newsnode.core.i18n import translator
from sphinx_newsnode.model.dates import as_moment
from sphinx_newsnode.model.entries import listing_entries, listing_language
from sphinx_newsnode.outputs.datetext import date_texts
from sphinx_newsnode.outputs.urls import image_url, page_link

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sphinx.application import Sphinx

    from sphinx_newsnode.model.dates import PostDate
    from sphinx_newsnode.model.selection import Entry, ListingSpec


def render_listing(
    app: Sphinx, fromdocname: str, spec: ListingSpec, entries: Sequence[Entry]
) -> list[nodes.Node]:
    """The nodes of a listing of *entries* on page *fromdocname* (each story once)."""
    shown = listing_entries(app.env, fromdocname, spec, entries)
    language = listing_language(app.env, fromdocname, spec)
    _ = translator(language).gettext
    if not shown:
        empty = _("No news yet.")
        return [nodes.paragraph(empty, empty, classes=["newsnode-empty"])]
    builder = app.builder
    html = builder.format == "html"
    listing = nodes.bullet_list(classes=["newsnode-list", f"newsnode-list--{spec.style}"])
    for entry in shown:
        item = nodes.list_item(classes=["newsnode-list__item"])
        if entry.lang != language:  # a story not told in the page's language: lang="..."
            item["classes"].append(f"language-{entry.lang}")
        if html and spec.style == "cards" and (image := thumbnail(app, fromdocname, entry)):
            item += image
        heading = nodes.paragraph(classes=["newsnode-list__heading"])
        if entry.date:
            when = localised_date(app, entry.date, entry.lang)
            # The space after the date inside it: a column of dates leaves none before the title.
            heading += nodes.inline("", when, nodes.Text(" "), classes=["newsnode-list__date"])
        title = nodes.inline(entry.title, entry.title, classes=["newsnode-list__title"])
        heading += page_link(builder, fromdocname, entry.docname, title, entry.title)
        if entry.draft:  # listed for reviewers in ``show`` mode
            item["classes"].append("newsnode-list__item--draft")
            heading += nodes.Text(" ")
            heading += nodes.inline(_("Draft"), _("Draft"), classes=["newsnode-badge"])
        item += heading
        if spec.show_description and entry.summary:
            item += nodes.paragraph(
                entry.summary, entry.summary, classes=["newsnode-list__description"]
            )
        listing += item
    return [listing]


def localised_date(app: Sphinx, date: PostDate, language: str | None = None) -> str:
    """*date* in ``newsnode_date_format``, in *language* (else the project's)."""
    return date_texts(app).text(
        app.config.newsnode_date_format,
        as_moment(date, timezone(app.config)),
        babel_locale(app, language),
    )


def babel_locale(app: Sphinx, language: str | None) -> str:
    """The locale Babel formats dates in for *language* (else the project's): ``pt_BR``."""
    return (language or app.config.language or "en").replace("-", "_")


def thumbnail(app: Sphinx, fromdocname: str, entry: Entry) -> nodes.image | None:
    """An image node for *entry*'s thumbnail, with its final URL."""
    url = image_url(app.builder, fromdocname, entry.image)
    if url is None:
        return None
    return nodes.image(
        uri=url, alt=entry.image_alt, candidates={"?": url}, classes=["newsnode-list__thumbnail"]
    )


def format_month(app: Sphinx, date: dt.date, language: str | None = None) -> str:
    """The month of *date* with its year, in *language* (else the project's)."""
    moment = dt.datetime(date.year, date.month, 1, tzinfo=dt.UTC)
    return date_texts(app).text("%B %Y", moment, babel_locale(app, language))


def post_section(doctree: nodes.document) -> nodes.section | None:
    """The section of a post's page, when it opens with its title (what goes under it)."""
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not section.children or not isinstance(section[0], nodes.title):
        return None
    return section


def skip(self: object, node: nodes.Node) -> None:
    """A visitor for the writers a node has nothing to show in."""
    raise nodes.SkipNode
