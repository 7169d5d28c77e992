"""``news-list``: published posts, newest first (SPEC §6).

The directive leaves a ``news_list`` placeholder holding its
:class:`ListingSpec`; at ``doctree-resolved`` the placeholder becomes a
bullet list of the posts it selects, for every builder: cards with
thumbnails in HTML, a plain list with dates in LaTeX and text.

Listings are filled at write time from :func:`listed_posts`, so a listing
page need not be re-read when a post changes, only rewritten.
:class:`ListingTracker` compares what each listing shows before and after a
build's reading phase and rewrites exactly the pages whose listings changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.entries import listed_posts, listing_entries, published_posts
from sphinx_newsnode.model.languages import language_option, stories
from sphinx_newsnode.model.post import split_words
from sphinx_newsnode.model.selection import Entry, ListingSpec
from sphinx_newsnode.outputs.render import render_listing

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

LIST_DIRECTIVE = "news-list"
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
    entries = listed_posts(app.env)
    for node in placeholders:
        rendered = render_listing(app, docname, node["spec"], entries)
        for child in rendered:
            if isinstance(child, nodes.Element):
                child["classes"].extend(node["classes"])
        node.replace_self(rendered)


class ListingTracker:
    """Rewrites exactly the pages that show other posts when what they show changes.

    Listings show other posts, and so does a post's language switcher (its
    versions in other languages): a new post, an edited title or a new
    translation changes pages that were not re-read.
    """

    def __init__(self) -> None:
        self._before: dict[str, list[Entry]] = {}

    def connect(self, app: Sphinx) -> None:
        app.connect("env-get-outdated", self.on_env_get_outdated)
        app.connect("env-get-updated", self.on_env_get_updated)

    def shown(self, env: BuildEnvironment) -> dict[str, list[Entry]]:
        """For every page with listings or translations, the entries it shows now."""
        published = published_posts(env)
        entries = [e for e in published if e.listed]
        shown = {
            docname: [e for spec in specs for e in listing_entries(env, docname, spec, entries)]
            for docname, specs in newsnode_domain(env).listings.items()
        }
        for versions in stories(published).values():
            if len(versions) > 1:
                for entry in versions:
                    shown.setdefault(entry.docname, []).extend(versions)
        return shown

    def on_env_get_outdated(self, app: Sphinx, env: BuildEnvironment, *_: set[str]) -> list[str]:
        """Remember what pages show before anything is re-read."""
        self._before = self.shown(env)
        return []

    def on_env_get_updated(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        """Pages not re-read that now show something else."""
        after = self.shown(env)
        changed = {d for d, shown in after.items() if self._before.get(d) != shown}
        changed.update(d for d in self._before if d not in after and d in env.all_docs)
        return sorted(changed)


def setup_listing(app: Sphinx) -> None:
    """Register the listing node, directive and resolution."""
    app.add_node(news_list)
    app.add_directive(LIST_DIRECTIVE, NewsListDirective)
    app.connect("doctree-resolved", resolve_listings)
    ListingTracker().connect(app)
