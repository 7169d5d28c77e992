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

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.errors import NoUri
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective
from sphinx.util.i18n import format_date
from sphinx.util.nodes import make_refnode
from sphinx.util.osutil import relative_uri

from sphinx_newsnode.core.config import timezone
from sphinx_newsnode.model.dates import DateError, PostDate, as_moment, parse_date
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.post import Post, State

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

_ = get_translation("sphinx_newsnode")

LIST_DIRECTIVE = "news-list"
STYLES = ("compact", "cards")


MAX_SLUG = 50
"""Characters of a tag's slug before it is cut and made unique with a hash:
a file name stays far below the 255 bytes file systems take."""


@functools.lru_cache(maxsize=4096)
def slug(name: str) -> str:
    """The URL-safe, stable form of a tag or category name (``Data use`` → ``data-use``).

    Names that differ only in case or punctuation have the same slug, and
    share one page and one feed.
    """
    text = re.sub(r"[^\w-]+", "-", name.strip().lower()).strip("-") or "-"
    if len(text) > MAX_SLUG:
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        text = f"{text[:MAX_SLUG].rstrip('-')}-{digest}"
    return text


@dataclass(frozen=True)
class Entry:
    """What listings, archives and feeds show of one published post."""

    docname: str
    title: str
    date: PostDate | None
    summary: str
    image: str | None
    """Source path of the thumbnail (or hero) image, or its http(s) URL."""
    image_alt: str
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    lang: str | None
    listed: bool = True
    """False for ``excludeFromArchive`` posts: published, but in no listing."""
    modified: PostDate | None = None
    """Jekyll's ``last_modified_at``, when the post has a readable one."""

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None


@dataclass(frozen=True)
class ListingSpec:
    """The selection and look of one listing."""

    year: int | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    limit: int | None = None
    style: str = "compact"
    show_description: bool = False

    def select(self, entries: Iterable[Entry]) -> list[Entry]:
        """The entries this listing shows, in order.

        Tags and categories are compared by :func:`slug`, as their pages are:
        ``IPT`` and ``ipt`` are one tag.
        """
        tags = {slug(name) for name in self.tags}
        categories = {slug(name) for name in self.categories}
        chosen = [
            e
            for e in entries
            if (self.year is None or e.year == self.year)
            and (not tags or tags.intersection(map(slug, e.tags)))
            and (not categories or categories.intersection(map(slug, e.categories)))
        ]
        return chosen[: self.limit] if self.limit else chosen


class news_list(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """Placeholder for a listing; ``spec`` holds its :class:`ListingSpec`."""


def published_entry(env: BuildEnvironment, docname: str) -> Entry | None:
    """The entry of *docname*, if it is a published post.

    It must have been read into the environment *and* be published now: the
    second check keeps drafts of ``show`` mode out.
    """
    domain = newsnode_domain(env)
    post = domain.posts.get(docname)
    scanned = domain.scan.get(docname)
    if post is None or scanned is None or scanned[1] is not State.PUBLISHED:
        return None
    page = domain.pages.get(docname)
    title = env.titles[docname].astext() if docname in env.titles else post.title
    return Entry(
        docname=docname,
        title=title or docname,
        date=post.date,
        summary=page.summary if page else "",
        image=page.image if page else None,
        image_alt=(page.image_alt if page else "") or "",
        tags=post.tags,
        categories=post.categories,
        lang=post.lang,
        listed=not post.exclude_from_archive,
        modified=last_modified(post),
    )


def last_modified(post: Post) -> PostDate | None:
    """The post's ``last_modified_at`` (jekyll-last-modified-at), if readable."""
    try:
        return parse_date(post.extra.get("last_modified_at"))
    except DateError:
        return None


def listed_posts(env: BuildEnvironment) -> list[Entry]:
    """Published posts of the environment that listings show, newest first."""
    zone = timezone(env.config)
    entries = [
        entry
        for docname in newsnode_domain(env).posts
        if (entry := published_entry(env, docname)) is not None and entry.listed
    ]
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    entries.sort(key=lambda e: e.docname)
    entries.sort(key=lambda e: as_moment(e.date, zone) if e.date else oldest, reverse=True)
    return entries


def words(argument: str | None) -> tuple[str, ...]:
    """A comma- or space-separated option value."""
    return tuple(w for w in re.split(r"[,\s]+", argument or "") if w)


class NewsListDirective(SphinxDirective):
    """``news-list``: a listing of published posts.

    Options: ``:year:``, ``:tags:``, ``:categories:`` (comma-separated),
    ``:limit:``, ``:style:`` (``compact`` or ``cards``), ``:show-description:``.
    """

    option_spec: ClassVar[dict] = {
        "year": directives.nonnegative_int,
        "tags": directives.unchanged,
        "categories": directives.unchanged,
        "limit": directives.positive_int,
        "style": lambda value: directives.choice(value, STYLES),
        "show-description": directives.flag,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        spec = ListingSpec(
            year=self.options.get("year"),
            tags=words(self.options.get("tags")),
            categories=words(self.options.get("categories")),
            limit=self.options.get("limit"),
            style=self.options.get("style", "compact"),
            show_description="show-description" in self.options,
        )
        newsnode_domain(self.env).note_listing(self.env.docname, spec)
        node = news_list(spec=spec, classes=self.options.get("class", []))
        self.set_source_info(node)
        return [node]


def render_listing(
    app: Sphinx, fromdocname: str, spec: ListingSpec, entries: Sequence[Entry]
) -> list[nodes.Node]:
    """The nodes of a listing of *entries* on page *fromdocname*."""
    shown = spec.select(entries)
    if not shown:
        return [nodes.paragraph(_("No news yet."), _("No news yet."), classes=["newsnode-empty"])]
    builder = app.builder
    html = builder.format == "html"
    listing = nodes.bullet_list(classes=["newsnode-list", f"newsnode-list--{spec.style}"])
    for entry in shown:
        item = nodes.list_item(classes=["newsnode-list__item"])
        if html and spec.style == "cards" and (image := thumbnail(app, fromdocname, entry)):
            item += image
        heading = nodes.paragraph(classes=["newsnode-list__heading"])
        if entry.date:
            when = localised_date(app, entry.date)
            heading += nodes.inline(when, when, classes=["newsnode-list__date"])
            heading += nodes.Text(" ")
        title = nodes.inline(entry.title, entry.title, classes=["newsnode-list__title"])
        heading += page_link(builder, fromdocname, entry.docname, title, entry.title)
        item += heading
        if spec.show_description and entry.summary:
            item += nodes.paragraph(
                entry.summary, entry.summary, classes=["newsnode-list__description"]
            )
        listing += item
    return [listing]


def page_link(
    builder: Builder, fromdocname: str, docname: str, content: nodes.Node, title: str
) -> nodes.Node:
    """A link from *fromdocname* to page *docname*, or *content* alone.

    A LaTeX document holds only its own tree: a post outside it has no URI
    there (``NoUri``), as for Sphinx's own cross-references.
    """
    try:
        return make_refnode(builder, fromdocname, docname, "", content, title)
    except NoUri:
        return content


def localised_date(app: Sphinx, date: PostDate) -> str:
    """*date* in ``newsnode_date_format`` and the project's language."""
    return format_date(
        app.config.newsnode_date_format,
        date=as_moment(date, timezone(app.config)),
        language=app.config.language,
    )


def thumbnail(app: Sphinx, fromdocname: str, entry: Entry) -> nodes.image | None:
    """An image node for *entry*'s thumbnail, with its final URL."""
    url = image_url(app.builder, fromdocname, entry.image)
    if url is None:
        return None
    return nodes.image(
        uri=url, alt=entry.image_alt, candidates={"?": url}, classes=["newsnode-list__thumbnail"]
    )


def image_url(builder: Builder, fromdocname: str, image: str | None) -> str | None:
    """URL, from page *fromdocname*, of a post image copied to ``_images``."""
    if image is None:
        return None
    target = copied_image(builder, image)
    if target is None or is_remote(target):
        return target
    # Have the builder copy it, as it does for the images of pages it writes.
    if isinstance(images := getattr(builder, "images", None), dict):
        images[image] = builder.env.images[image][1]
    return relative_uri(builder.get_target_uri(fromdocname), target)


def is_remote(image: str) -> bool:
    return image.startswith(("http://", "https://"))


def copied_image(builder: Builder, image: str | None) -> str | None:
    """Where a post image is in the output, from the site root (``_images/x.png``).

    A remote image is its URL; an image the environment did not copy is ``None``.
    """
    if image is None or is_remote(image):
        return image
    copied = builder.env.images.get(image)
    if copied is None:
        return None
    return f"{getattr(builder, 'imagedir', '_images')}/{copied[1]}"


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
    """Rewrites exactly the pages whose listings change in a build."""

    def __init__(self) -> None:
        self._before: dict[str, list[Entry]] = {}

    def connect(self, app: Sphinx) -> None:
        app.connect("env-get-outdated", self.on_env_get_outdated)
        app.connect("env-get-updated", self.on_env_get_updated)

    def shown(self, env: BuildEnvironment) -> dict[str, list[Entry]]:
        """For every page with listings, the entries they show now."""
        listings = newsnode_domain(env).listings
        if not listings:
            return {}
        entries = listed_posts(env)
        return {
            docname: [e for spec in specs for e in spec.select(entries)]
            for docname, specs in listings.items()
        }

    def on_env_get_outdated(
        self,
        app: Sphinx,
        env: BuildEnvironment,
        added: set[str],
        changed: set[str],
        removed: set[str],
    ) -> list[str]:
        """Remember what listings show before anything is re-read."""
        self._before = self.shown(env)
        return []

    def on_env_get_updated(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        """Pages not re-read whose listings now show something else."""
        after = self.shown(env)
        return sorted(d for d, shown in after.items() if self._before.get(d) != shown)


def setup_listing(app: Sphinx) -> None:
    """Register the listing node, directive and resolution."""
    app.add_node(news_list)
    app.add_directive(LIST_DIRECTIVE, NewsListDirective)
    app.connect("doctree-resolved", resolve_listings)
    ListingTracker().connect(app)
