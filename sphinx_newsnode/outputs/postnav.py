"""Around a post on its page: its byline, and the way on to the newer and older posts.

The byline, under the title, gives the date (``<time datetime>``, in the
post's language, linked to its year's archive page), the author when the
front matter names one, and the tags and categories linked to their archive
pages. At the end of a published post, a pager leads to the newer and the
older post of its language. Both are made when the page is written (HTML
and text; the report prints its own dates), from the posts of the
environment: a new post changes its neighbours' pagers without re-reading
them.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_newsnode.core.config import timezone
from sphinx_newsnode.core.i18n import translator
from sphinx_newsnode.model.dates import as_moment
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.entries import newer_and_older, published_entry
from sphinx_newsnode.model.languages import page_language
from sphinx_newsnode.outputs.render import localised_date, post_section, skip
from sphinx_newsnode.outputs.urls import archive_page, generated_link

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

    from sphinx_newsnode.model.post import Post
    from sphinx_newsnode.model.selection import Entry

BYLINE = "newsnode-byline"
SEPARATOR = " · "


class news_time(nodes.Inline, nodes.TextElement):  # noqa: N801 (docutils node naming)
    """A date; ``datetime`` holds its machine-readable form (HTML ``<time>``)."""


class news_pager(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """The newer and older post: ``links`` holds ``(rel, label, title, uri)``; ``label``."""


def authors(post: Post) -> list[str]:
    """The author(s) the front matter names: ``author: X``, a list, or ``{name: X}``."""
    value = post.extra.get("author", post.extra.get("authors"))
    values = value if isinstance(value, list) else [value]
    names = [v.get("name") if isinstance(v, dict) else v for v in values]
    return [name.strip() for name in names if isinstance(name, str) and name.strip()]


def byline(app: Sphinx, docname: str, post: Post, listed: bool) -> nodes.paragraph:
    """The byline of *post*; its links when it is *listed* (archive pages show it).

    Its parts are separated by `` · `` in the text itself, so every writer shows it.
    """
    language = page_language(app.env, docname)
    _ = translator(language).gettext
    parts: list[nodes.Node] = []
    if post.date:
        moment = as_moment(post.date, timezone(app.config))
        when = localised_date(app, post.date, language)
        stamp = moment.isoformat() if isinstance(post.date, dt.datetime) else post.date.isoformat()
        time = news_time(when, when, datetime=stamp, classes=[f"{BYLINE}__date"])
        year = archive_page(app, language, "year", post.date.year) if listed else None
        parts.append(generated_link(app.builder, docname, year, time))
    parts.extend(nodes.inline(name, name, classes=[f"{BYLINE}__author"]) for name in authors(post))
    for group, label in (("tags", _("Tags")), ("categories", _("Categories"))):
        names = getattr(post, group)
        if not names:
            continue
        part = nodes.inline(classes=[f"{BYLINE}__{group}"])
        part += nodes.inline(label + ":", label + ":", classes=[f"{BYLINE}__label"])
        for number, name in enumerate(names):
            part += nodes.Text("\u00a0" if number == 0 else ", ")  # label, first name: one line
            page = archive_page(app, language, group, name) if listed else None
            tag = generated_link(app.builder, docname, page, nodes.inline(name, name))
            if isinstance(tag, nodes.reference):
                tag["rel"] = "tag"
            part += tag
        parts.append(part)
    line = nodes.paragraph(classes=[BYLINE])
    for number, shown in enumerate(parts):
        if number:
            line += nodes.inline(SEPARATOR, SEPARATOR, classes=[f"{BYLINE}__separator"])
        line += shown
    return line


def pager(app: Sphinx, docname: str) -> news_pager | None:
    """Links to the newer and older post of *docname*'s language, if it has them."""
    newer, older = newer_and_older(app.env, docname)
    if newer is None and older is None:
        return None
    _ = translator(page_language(app.env, docname)).gettext
    links = [
        (rel, label, entry.title, app.builder.get_relative_uri(docname, entry.docname))
        for rel, label, entry in (
            ("next", _("Newer post"), newer),
            ("prev", _("Older post"), older),
        )
        if entry is not None
    ]
    return news_pager(links=links, label=_("More news"))


def add_byline_and_pager(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the byline under a post's title and the pager at its end (``doctree-resolved``)."""
    post = newsnode_domain(app.env).posts.get(docname)
    if post is None or app.builder.format == "latex":
        return
    section = post_section(doctree)
    if section is None:
        return
    entry: Entry | None = published_entry(app.env, docname)
    line = byline(app, docname, post, listed=bool(entry and entry.listed))
    if len(line):
        section.insert(1, line)
    if entry is not None and app.builder.format == "html" and (nav := pager(app, docname)):
        section += nav


def visit_time_html(self: HTML5Translator, node: news_time) -> None:
    attributes: dict[str, Any] = {"datetime": node["datetime"]}
    self.body.append(self.starttag(node, "time", "", **attributes))


def depart_time_html(self: HTML5Translator, node: news_time) -> None:
    self.body.append("</time>")


def visit_pager_html(self: HTML5Translator, node: news_pager) -> None:
    links = "".join(
        f'<a class="newsnode-pager__{rel}" rel="{rel}" href="{html.escape(uri)}">'
        f'<span class="newsnode-pager__label">{html.escape(label)}</span> '
        f'<span class="newsnode-pager__title">{html.escape(title)}</span></a>'
        for rel, label, title, uri in node["links"]
    )
    label = html.escape(node["label"])
    self.body.append(f'<nav class="newsnode-pager" aria-label="{label}">{links}</nav>\n')
    raise nodes.SkipNode


def pass_through(self: object, node: nodes.Node) -> None:
    """Other writers print a date as its text."""


def setup_postnav(app: Sphinx) -> None:
    """Register the byline's date, the pager, and their placement."""
    text = (pass_through, pass_through)
    app.add_node(
        news_time, html=(visit_time_html, depart_time_html),
        latex=text, text=text, man=text, texinfo=text,
    )  # fmt: skip
    app.add_node(
        news_pager, html=(visit_pager_html, None),
        latex=(skip, None), text=(skip, None), man=(skip, None), texinfo=(skip, None),
    )  # fmt: skip
    app.connect("doctree-resolved", add_byline_and_pager)
