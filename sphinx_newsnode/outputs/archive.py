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
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_newsnode.core import order
from sphinx_newsnode.core.config import SITE_BUILDERS, builder_settings
from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.core.i18n import translator
from sphinx_newsnode.core.state import OwnedFiles, digest, read_state, write_state
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.entries import (
    listed_posts,
    names_by_slug,
    previewed_posts,
    reading_key,
    spellings,
)
from sphinx_newsnode.model.languages import default_language, in_language
from sphinx_newsnode.model.selection import Entry, ListingSpec
from sphinx_newsnode.outputs.render import render_listing
from sphinx_newsnode.outputs.urls import (
    archive_folders,
    archive_index_page,
    archive_page,
    page_link,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

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


def archive_pages(app: Sphinx, chosen: list[Entry], language: str) -> list[ArchivePage]:
    """Every generated listing page of *language*: years newest first, then tags and categories.

    *chosen* holds every story once, in *language* where it can be
    (:func:`~sphinx_newsnode.model.languages.in_language`).
    """
    _ = translator(language).gettext
    pages = [
        ArchivePage(
            str(archive_page(app, language, "year", year)), _("News of %s") % year, "year",
            str(year), ListingSpec(year=year, show_description=True, lang=language),
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
            pagename = str(archive_page(app, language, group, name))
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

    Each page is written when what it shows changed (its posts, its title
    and page links, the site's navigation, the builder's configuration) or
    its file is gone: a new post rewrites its year's, tags' and the index's
    pages, and the others written earlier stand. While nothing was read
    since the last build (the same :func:`.reading_key`) and every page it
    wrote stands, what they show is not worked out again.
    """
    if app.builder.name not in SITE_BUILDERS:
        return
    written = newsnode_domain(app.env).build_state.setdefault("archive pages", [])
    if not app.config.newsnode_archive_path:
        return
    shared = site_fingerprint(app)
    made_of = digest([shared, reading_key(app.env)])
    before = read_state(app, "archive-page-prints", {})
    prints: dict[str, str] = before.get("pages", {})
    if before.get("made of") == made_of and all(_outfile(app, page).is_file() for page in prints):
        written.extend(prints)
        return
    entries = previewed_posts(app.env)
    now: dict[str, str] = {}
    for language, index in archive_indexes(app).items():
        for pagename, shown, make in language_pages(app, entries, language, index):
            written.append(pagename)
            now[pagename] = digest([shared, repr(shown)])
            if prints.get(pagename) != now[pagename] or not _outfile(app, pagename).is_file():
                yield make()
    write_state(app, "archive-page-prints", {"made of": made_of, "pages": now})


def _outfile(app: Sphinx, pagename: str) -> Path:
    """The output file of the generated page *pagename*."""
    return Path(app.builder.get_outfilename(pagename))  # type: ignore[attr-defined]


def language_pages(
    app: Sphinx, entries: list[Entry], language: str, index: str
) -> Iterator[tuple[str, list[object], Callable[[], tuple[str, dict, str]]]]:
    """The archive pages of *language*, then its index: each its name, what it shows, its maker."""
    chosen = in_language(entries, language, default_language(app.config))
    pages = archive_pages(app, chosen, language)
    title = translator(language).gettext("News archive")
    # What each archive page shows over all its numbered pages, selected once:
    # selecting from every post for each numbered page grew with their product.
    selected = {archive.pagename: archive.spec.select(chosen) for archive in pages}
    counts = {pagename: len(shown) for pagename, shown in selected.items()}
    for archive in pages:
        yield from paginated(app, archive, selected[archive.pagename], language, (index, title))
    section = partial(archive_index, app, index, pages, counts, language)
    shown = [(p.pagename, p.title, p.value, counts[p.pagename]) for p in pages]
    yield index, [title, shown], lambda: page(app, index, title, section(), language)


def archive_indexes(app: Sphinx) -> dict[str, str]:
    """The archive index page of each language."""
    return {language: str(archive_index_page(app, language)) for language in archive_folders(app)}


def forget_gone_pages(app: Sphinx, exception: Exception | None) -> None:
    """Delete the archive pages an earlier build wrote that this one did not (``build-finished``).

    A tag no published post has any more must not keep a page naming the
    post: the leak audit, which reads everything next, would rightly find it.
    """
    written = newsnode_domain(app.env).build_state.pop("archive pages", None)
    if exception is not None or written is None:
        return
    files = OwnedFiles(app, "archive-pages")
    for pagename in written:
        outfile = _outfile(app, pagename)
        if outfile.is_file():
            files.keep(outfile.relative_to(app.outdir).as_posix())
    files.finish()


def paginated(
    app: Sphinx,
    archive: ArchivePage,
    selected: list[Entry],
    language: str,
    up: tuple[str, str],
) -> Iterator[tuple[str, list[object], Callable[[], tuple[str, dict, str]]]]:
    """The pages of one archive page: ``archive/2021``, then ``archive/2021/2``...

    *selected* is what it shows over all its pages. Each after the first is
    titled with its number; all link each other by number, and lead back up
    to the archive's index (*up*: its name and title). Each page comes as
    its name, what it shows and how to make it.
    """
    _ = translator(language).gettext
    size = app.config.newsnode_archive_page_size
    total = max(1, -(-len(selected) // size)) if size else 1
    names = [archive.pagename] + [f"{archive.pagename}/{n}" for n in range(2, total + 1)]
    for number, pagename in enumerate(names, 1):
        title = archive.title if number == 1 else _("%(title)s, page %(page)d") % {
            "title": archive.title, "page": number,
        }  # fmt: skip
        spec = replace(archive.spec, offset=(number - 1) * size, limit=size or None)
        parents = [up] + ([(archive.pagename, archive.title)] if number > 1 else [])
        yield (
            pagename,
            [title, names, parents, spec.window(selected)],
            _maker(app, pagename, title, spec, selected, language, names, parents),
        )


def _maker(
    app: Sphinx,
    pagename: str,
    title: str,
    spec: ListingSpec,
    entries: list[Entry],
    language: str,
    names: list[str],
    parents: list[tuple[str, str]],
) -> Callable[[], tuple[str, dict, str]]:
    def make() -> tuple[str, dict, str]:
        _ = translator(language).gettext
        section = titled_section(title)
        section.extend(render_listing(app, pagename, spec, entries))
        if len(names) > 1:
            section += page_numbers(app, pagename, names, _("Pages"))
        return page(app, pagename, title, section, language, parents)

    return make


def page_numbers(app: Sphinx, pagename: str, names: list[str], label: str) -> nodes.raw:
    """Numbered links to the pages of one archive page; the current one marked."""
    current = names.index(pagename) + 1
    links = []
    for number, name in enumerate(names, 1):
        if number == current:
            links.append(f'<span aria-current="page">{number}</span>')
            continue
        rel = {current + 1: ' rel="next"', current - 1: ' rel="prev"'}.get(number, "")
        uri = html.escape(app.builder.get_relative_uri(pagename, name))
        links.append(f'<a href="{uri}"{rel}>{number}</a>')
    markup = (
        f'<nav class="newsnode-pages" aria-label="{html.escape(label)}">{" ".join(links)}</nav>'
    )
    return nodes.raw("", markup, format="html")


def site_fingerprint(app: Sphinx) -> str:
    """What every generated page shows of the site: its navigation and the builder's settings.

    The titles of the pages in a toctree (the sidebars show them), never
    those of posts outside every toctree: a post's new title rewrites the
    pages listing it, not every page.
    """
    env = app.env
    navigated = {env.config.root_doc} | {d for ds in env.toctree_includes.values() for d in ds}
    titles = sorted((name, env.titles[name].astext()) for name in navigated if name in env.titles)
    return digest([repr(titles), repr(sorted(env.toctree_includes.items())), builder_settings(app)])


def archive_index(
    app: Sphinx, pagename: str, pages: list[ArchivePage], counts: dict[str, int], language: str
) -> nodes.section:
    """The index page: every year, tag and category, with its post count (*counts*)."""
    _ = translator(language).gettext
    section = titled_section(_("News archive"))
    headings = {"year": _("Years"), "tags": _("Tags"), "categories": _("Categories")}
    for group, heading in headings.items():
        items = nodes.bullet_list(classes=["newsnode-archive", f"newsnode-archive--{group}"])
        for archive in (p for p in pages if p.group == group):
            count = counts[archive.pagename]
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
    app: Sphinx,
    pagename: str,
    title: str,
    section: nodes.section,
    language: str,
    parents: Sequence[tuple[str, str]] = (),
) -> tuple[str, dict, str]:
    """The ``(pagename, context, template)`` of a generated page in *language*.

    *parents* (page names and titles, from the top) are the page's way back up:
    the breadcrumbs of the themes that show them.
    """
    builder = app.builder
    # What the builder sets before writing each document: these pages have
    # no section or figure numbers.
    builder.secnumbers = {}  # type: ignore[attr-defined]
    builder.fignumbers = {}  # type: ignore[attr-defined]
    body = builder.render_partial(section)["fragment"]  # type: ignore[attr-defined]
    # Templates take "title" as HTML (Sphinx passes rendered titles): escape it.
    context = {"title": html.escape(title), "body": body, "display_toc": False}
    context["language"] = language  # <html lang>, in every theme
    context["parents"] = [
        {"link": app.builder.get_relative_uri(pagename, name), "title": html.escape(text)}
        for name, text in parents
    ]
    return pagename, context, "page.html"


def setup_archive(app: Sphinx) -> None:
    """Connect the generated pages and the check of their names."""
    app.connect("html-collect-pages", collect_pages)
    app.connect("build-finished", forget_gone_pages, priority=order.GONE_PAGES)
    app.connect("env-check-consistency", warn_shared_slugs)
