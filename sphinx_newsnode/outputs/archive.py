"""Generated pages: a year archive, a page per tag and category, an index.

The pages are written through Sphinx at ``html-collect-pages`` (SPEC §6):
their body is a doctree rendered by the builder's own translator into the
theme's ``page.html``, so themes and ``dirhtml`` treat them like any page.
Their URLs are stable: ``archive/2021``, ``archive/tags/data-use``,
``archive/categories/events`` under ``newsnode_archive_path``; a
multilingual site has them again for each other language, under
``archive/fr/``, showing each story once. Sphinx's
search index only holds documents, so it finds the posts these pages list,
not the pages themselves.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_newsnode.core.config import SITE_BUILDERS
from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.core.i18n import translator
from sphinx_newsnode.core.state import digest, read_state, write_state
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.entries import listed_posts, listing_entries, names_by_slug, spellings
from sphinx_newsnode.model.languages import default_language, in_language, languages_of
from sphinx_newsnode.model.selection import Entry, ListingSpec, slug
from sphinx_newsnode.outputs.render import render_listing
from sphinx_newsnode.outputs.urls import page_link

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


@dataclass(frozen=True)
class ArchivePage:
    """One generated listing page."""

    pagename: str
    title: str
    group: str
    """``year``, ``tags`` or ``categories``."""
    value: str
    spec: ListingSpec


def archive_languages(app: Sphinx, entries: list[Entry]) -> dict[str, str]:
    """The folder of each language's archive: the default language's at the root.

    A site in one language has one archive; a multilingual one an archive per
    language (``archive/fr/``), each showing every story once, in its language
    where it can.
    """
    root = app.config.newsnode_archive_path.strip("/")
    default = default_language(app.config)
    others = [language for language in languages_of(entries) if language != default]
    return {default: root} | {language: f"{root}/{language}" for language in others}


def archive_pages(app: Sphinx, entries: list[Entry], language: str, root: str) -> list[ArchivePage]:
    """Every generated listing page of *language*: years newest first, then tags and categories."""
    _ = translator(language).gettext
    chosen = in_language(entries, language, default_language(app.config))
    pages = [
        ArchivePage(
            f"{root}/{year}", _("News of %s") % year, "year", str(year),
            ListingSpec(year=year, show_description=True, lang=language),
        )
        for year in sorted({e.year for e in chosen if e.year}, reverse=True)
    ]  # fmt: skip
    for group, label in (("tags", _("Tag: %s")), ("categories", _("Category: %s"))):
        for name in names_by_slug(chosen, group).values():
            spec = (
                ListingSpec(tags=(name,), show_description=True, lang=language)
                if group == "tags"
                else ListingSpec(categories=(name,), show_description=True, lang=language)
            )
            pagename = f"{root}/{group}/{slug(name)}"
            pages.append(ArchivePage(pagename, label % name, group, name, spec))
    return pages


def warn_shared_slugs(app: Sphinx, env: BuildEnvironment) -> None:
    """One warning per set of tag (or category) names sharing a page (``env-check-consistency``)."""
    config = app.config
    if app.builder.name not in SITE_BUILDERS or not (
        config.newsnode_archive_path or config.newsnode_feed_path
    ):
        return
    entries = listed_posts(env)
    posts = newsnode_domain(env).posts
    for group in ("tags", "categories"):
        for key, counts in spellings(entries, group).items():
            if len(counts) < 2:
                continue
            names = sorted(counts, key=lambda name: (-counts[name], name))
            user = next(e for e in entries if names[1] in getattr(e, group))
            shown = " and ".join(repr(name) for name in names)
            warn(
                Subtype.FRONT_MATTER,
                f"{group} {shown} differ only in case or punctuation: they share the page "
                f"and feed {key!r}, shown as {names[0]!r}",
                (user.docname, posts[user.docname].line(group) if user.docname in posts else 1),
            )


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict, str]]:
    """Write the archive pages and their index, per language (``html-collect-pages``).

    When nothing they show changed (entries, page titles for the sidebar,
    the builder's configuration), the pages an earlier build wrote stand.
    """
    if app.builder.name not in SITE_BUILDERS or not app.config.newsnode_archive_path:
        return
    entries = listed_posts(app.env)
    folders = archive_languages(app, entries)
    fingerprint = archive_fingerprint(app, entries)
    indexes = [Path(app.builder.get_outfilename(f"{f}/index")) for f in folders.values()]  # type: ignore[attr-defined]
    if all(i.is_file() for i in indexes) and read_state(app, "archive", "") == fingerprint:
        return
    write_state(app, "archive", fingerprint)
    for language, root in folders.items():
        pages = archive_pages(app, entries, language, root)
        for archive in pages:
            section = titled_section(archive.title)
            section.extend(render_listing(app, archive.pagename, archive.spec, entries))
            yield page(app, archive.pagename, archive.title, section, language)
        title = translator(language).gettext("News archive")
        index = archive_index(app, f"{root}/index", pages, entries, language)
        yield page(app, f"{root}/index", title, index, language)


def archive_fingerprint(app: Sphinx, entries: list[Entry]) -> str:
    """What the archive pages depend on, hashed."""
    env = app.env
    titles = sorted((name, title.astext()) for name, title in env.titles.items())
    build_info = getattr(app.builder, "build_info", None)
    parts = [repr(entries), repr(titles), repr(sorted(env.toctree_includes.items()))]
    parts.append(repr((build_info.config_hash, build_info.tags_hash)) if build_info else "")
    return digest(parts)


def archive_index(
    app: Sphinx, pagename: str, pages: list[ArchivePage], entries: list[Entry], language: str
) -> nodes.section:
    """The index page: every year, tag and category, with its post count."""
    _ = translator(language).gettext
    section = titled_section(_("News archive"))
    headings = {"year": _("Years"), "tags": _("Tags"), "categories": _("Categories")}
    for group, heading in headings.items():
        items = nodes.bullet_list(classes=["newsnode-archive", f"newsnode-archive--{group}"])
        for archive in (p for p in pages if p.group == group):
            count = len(listing_entries(app.env, archive.pagename, archive.spec, entries))
            label = nodes.inline(archive.value, archive.value)
            link = page_link(app.builder, pagename, archive.pagename, label, archive.title)
            items += nodes.list_item("", nodes.paragraph("", "", link, nodes.Text(f" ({count})")))
        if len(items):
            sub = titled_section(heading)
            sub += items
            section += sub
    return section


def titled_section(title: str) -> nodes.section:
    section = nodes.section(ids=[nodes.make_id(title) or "section"])
    section += nodes.title(title, title)
    return section


def page(
    app: Sphinx, pagename: str, title: str, section: nodes.section, language: str
) -> tuple[str, dict, str]:
    """The ``(pagename, context, template)`` of a generated page in *language*."""
    builder = app.builder
    # What the builder sets before writing each document: these pages have
    # no section or figure numbers.
    builder.secnumbers = {}  # type: ignore[attr-defined]
    builder.fignumbers = {}  # type: ignore[attr-defined]
    body = builder.render_partial(section)["fragment"]  # type: ignore[attr-defined]
    # Templates take "title" as HTML (Sphinx passes rendered titles): escape it.
    context = {"title": html.escape(title), "body": body, "display_toc": False}
    context["language"] = language  # <html lang>, in every theme
    return pagename, context, "page.html"


def setup_archive(app: Sphinx) -> None:
    """Connect the generated pages and the check of their names."""
    app.connect("html-collect-pages", collect_pages)
    app.connect("env-check-consistency", warn_shared_slugs)
