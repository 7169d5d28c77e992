"""``news-list``: published posts, newest first (SPEC §6).

The directive leaves a ``news_list`` placeholder holding its
:class:`ListingSpec`; at ``doctree-resolved`` the placeholder becomes a
bullet list of the posts it selects, for every builder: cards with
thumbnails in HTML, a plain list with dates in LaTeX and text.

Listings are filled at write time from :func:`previewed_posts`, so a listing
page need not be re-read when a post changes, only rewritten.
:func:`rewrite_changed_listings` compares what each listing shows after a
build's reading phase with what it showed after the last one's, and rewrites
exactly the pages whose listings changed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_newsnode.core import order
from sphinx_newsnode.core.config import site_name
from sphinx_newsnode.core.i18n import translator
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.entries import (
    listed_posts,
    listing_entries,
    listing_language,
    neighbours,
    previewed_posts,
    published_posts,
    reading_key,
    site_languages,
)
from sphinx_newsnode.model.languages import (
    default_language,
    in_language,
    language_option,
    page_language,
    stories,
)
from sphinx_newsnode.model.post import split_words
from sphinx_newsnode.model.selection import ListingSpec
from sphinx_newsnode.outputs.render import render_listing
from sphinx_newsnode.outputs.urls import archive_index_page, archive_page, generated_link

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_newsnode.model.selection import Entry

LIST_DIRECTIVE = "news-list"
ROOT_PAGE = """# {title}

```{{news-list}}
:style: cards
:show-description:
:limit: 12
```
"""
logger = logging.getLogger(__name__)
LISTING_STYLES = ("compact", "cards")


class news_list(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """Placeholder for a listing; ``spec`` holds its :class:`ListingSpec`."""


class NewsListDirective(SphinxDirective):
    """``news-list``: a listing of published posts.

    Options: ``:year:``, ``:tags:``, ``:categories:`` (comma-separated),
    ``:limit:``, ``:style:`` (``compact`` or ``cards``), ``:show-description:``,
    ``:lang:`` (a language tag, or ``all``; default: the page's language).
    """

    option_spec: ClassVar[dict] = {
        "year": directives.nonnegative_int,
        "tags": directives.unchanged,
        "categories": directives.unchanged,
        "limit": directives.positive_int,
        "style": lambda value: directives.choice(value, LISTING_STYLES),
        "show-description": directives.flag,
        "lang": language_option,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        spec = ListingSpec(
            year=self.options.get("year"),
            tags=split_words(self.options.get("tags") or ""),
            categories=split_words(self.options.get("categories") or ""),
            limit=self.options.get("limit"),
            style=self.options.get("style", "compact"),
            show_description="show-description" in self.options,
            lang=self.options.get("lang"),
        )
        newsnode_domain(self.env).note_listing(self.env.docname, spec)
        node = news_list(spec=spec, classes=self.options.get("class", []))
        self.set_source_info(node)
        return [node]


def resolve_listings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace every ``news_list`` placeholder of *doctree* by its listing."""
    placeholders = list(doctree.findall(news_list))
    if not placeholders:
        return
    entries = previewed_posts(app.env)
    for node in placeholders:
        spec = node["spec"]
        rendered = render_listing(app, docname, spec, entries)
        if is_cut(app.env, docname, spec, entries) and (more := more_link(app, docname, spec)):
            rendered.append(more)
        for child in rendered:
            if isinstance(child, nodes.Element):
                child["classes"].extend(node["classes"])
        node.replace_self(rendered)


def is_cut(
    env: BuildEnvironment, docname: str, spec: ListingSpec, entries: Sequence[Entry]
) -> bool:
    """Whether the listing's ``:limit:`` leaves out posts it selects."""
    if not spec.limit:
        return False
    return len(listing_entries(env, docname, replace(spec, limit=None), entries)) > spec.limit


def more_link(app: Sphinx, docname: str, spec: ListingSpec) -> nodes.paragraph | None:
    """A link to the archive page holding what a cut listing leaves out.

    The page of its year, tag or category when it selects by one of them
    alone, else the archive's index; none where this build writes no archive.
    """
    language = listing_language(app.env, docname, spec)
    selected: list[tuple[str, str | int]] = [("year", spec.year)] if spec.year else []
    selected += [("tags", name) for name in spec.tags]
    selected += [("categories", name) for name in spec.categories]
    if len(selected) == 1:
        target = archive_page(app, language, *selected[0])
    else:
        target = archive_index_page(app, language)
    if target is None:
        return None
    _ = translator(language).gettext
    label = _("More in the news archive")
    text = nodes.inline(label, label)
    return nodes.paragraph(
        "", "", generated_link(app.builder, docname, target, text), classes=["newsnode-more"]
    )


def pages_shown(env: BuildEnvironment) -> dict[str, list[object]]:
    """For every page that shows other posts, the entries it shows now.

    Listings; a post's versions in other languages (its switcher); its newer
    and older post (its pager).
    """
    published = published_posts(env)
    listed = previewed_posts(env)
    shown: dict[str, list[object]] = {
        docname: [
            shown
            for spec in specs
            for shown in (
                *listing_entries(env, docname, spec, listed),
                is_cut(env, docname, spec, listed),
            )
        ]
        for docname, specs in newsnode_domain(env).listings.items()
    }
    entries = listed_posts(env)
    for versions in stories(published).values():
        if len(versions) > 1:  # what the switcher and JSON-LD show of each
            named = [(v.docname, v.lang, v.title) for v in versions]
            for entry in versions:
                shown.setdefault(entry.docname, []).extend(named)
    default = default_language(env.config)
    for language in site_languages(env):
        for docname, pair in neighbours(in_language(entries, language, default)).items():
            if page_language(env, docname) == language:  # what its pager shows
                shown.setdefault(docname, []).extend(
                    (e.docname, e.title) if e else None for e in pair
                )
    return shown


def rewrite_changed_listings(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages not re-read that show something else than after the last build's reading.

    Listings show other posts, and so does a post's language switcher (its
    versions in other languages): a new post, an edited title or a new
    translation changes pages that were not re-read. A post of a language the
    site did not have (or no longer has) changes the archive links of every
    post. What each page shows is kept in the environment before it is
    pickled (:attr:`~sphinx_newsnode.model.domain.NewsnodeDomain.shown`), so a
    build compares with the last one's view instead of making it again, and
    a build that read nothing (the same reading key) does not make it.
    Sphinx writes the pages returned (``env-updated``).
    """
    domain = newsnode_domain(env)
    if (key := reading_key(env)) == domain.shown_key:
        return []  # nothing read since: every page shows what it showed
    before, after = domain.shown, pages_shown(env)
    changed = {d for d, shown in after.items() if before.get(d) != shown}
    if (languages := site_languages(env)) != domain.languages:
        changed.update(domain.posts)
    changed.update(d for d in before if d not in after and d in env.all_docs)
    domain.note_shown(after, languages, key)
    return sorted(changed)


def write_root_page(app: Sphinx) -> None:
    """A site of posts without a root page gets one, written once: then it is the user's.

    Sphinx cannot build without it; this one lists the news (``builder-inited``,
    after the posts are scanned).
    """
    root = app.config.root_doc
    if any(Path(app.srcdir, root + suffix).exists() for suffix in app.config.source_suffix):
        return
    if not newsnode_domain(app.env).scan:
        return
    path = Path(app.srcdir, root + ".md")
    title = site_name(app)
    path.write_text(ROOT_PAGE.format(title=title), encoding="utf-8")
    logger.info("newsnode: wrote %s, the site's root page, listing the news (yours to edit)", path)


def setup_listing(app: Sphinx) -> None:
    """Register the listing node, directive and resolution."""
    app.connect("builder-inited", write_root_page, priority=order.ROOT_PAGE)
    app.add_node(news_list)
    app.add_directive(LIST_DIRECTIVE, NewsListDirective)
    app.connect("doctree-resolved", resolve_listings)
    app.connect("env-updated", rewrite_changed_listings)
