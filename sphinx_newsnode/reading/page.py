"""Shaping a post's page from its front matter (SPEC §1, §3–5).

:class:`PostTransform` runs while a post is read, before Sphinx collects
titles, images and the table of contents, so what it adds is seen by all of
them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform

from sphinx_newsnode.core import order
from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.model.dates import without_date_prefix
from sphinx_newsnode.model.domain import PageFacts, newsnode_domain
from sphinx_newsnode.model.licenses import find_license
from sphinx_newsnode.model.links import UnsafePathError, local_path, srcdir_uri
from sphinx_newsnode.model.post import Post, State
from sphinx_newsnode.reading.cta import make_cta_group, news_cta_group
from sphinx_newsnode.reading.hero import make_hero, news_credit, news_hero
from sphinx_newsnode.reading.images import PostImage, post_image
from sphinx_newsnode.reading.markup import markdown_inline

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

#: What the post transform puts at the top of a post's section.
_HEADER = (news_hero, news_cta_group, nodes.admonition)
_HEADER_CLASSES = {"newsnode-lead", "newsnode-pretitle"}

_ = get_translation("sphinx_newsnode")

#: Nodes that may precede a document's first heading without being content.
SCALARS = (str, int, float, bool, dt.date)
_NOT_CONTENT = (
    nodes.docinfo,
    nodes.comment,
    nodes.target,
    nodes.substitution_definition,
    nodes.system_message,
    nodes.meta,
    nodes.decoration,
)


class PostTransform(SphinxTransform):
    """Give a post its title, metadata, draft banner, hero, lead and buttons.

    Before: the body as parsed, possibly without a heading. After::

        document
            meta (description; robots=noindex for a draft shown in show mode)
            admonition.newsnode-draft     (show mode, unpublished posts only)
            section.newsnode-post
                title                     (front-matter title if the body had none)
                news_hero                 (background + imageLicense)
                paragraph.newsnode-pretitle, paragraph.newsnode-lead
                news_cta_group            (front-matter cta)
                ...body
    """

    default_priority = order.POST_PAGE

    def apply(self, **kwargs: object) -> None:
        scanned = newsnode_domain(self.env).scan.get(self.env.docname)
        if scanned is None:
            return
        post, state = scanned
        note_metadata(self.env.metadata[post.docname], post)
        section = post_section(self.document, post)
        section["classes"].append("newsnode-post")
        header: list[nodes.Node] = []
        if state is not State.PUBLISHED:  # the notice tops the page, above any banner
            section.parent.insert(section.parent.index(section), draft_banner(post, state))
            self.document.insert(0, nodes.meta(name="robots", content="noindex"))
        lead = front_matter_paragraph(self.document, post, "description", "newsnode-lead")
        if lead is not None:
            self.document.insert(0, nodes.meta(name="description", content=lead.astext()))
        background = (
            post_image(self.env, post.background, "hero image", post.line("background"))
            if post.background
            else None
        )
        if self.config.newsnode_auto_hero:
            header.extend(front_matter_header(self.document, post, background, lead))
        section[1:1] = header
        if self.config.newsnode_site_root:
            resolve_site_paths(self.env, self.document, post)
        hero = next((n for n in header if isinstance(n, news_hero)), None)
        summary = shortened(lead.astext() if lead is not None else excerpt(section, post))
        facts = page_facts(self.document, post, summary, hero, background)
        newsnode_domain(self.env).note_post(post, facts)


def note_metadata(metadata: dict[str, object], post: Post) -> None:
    """The post's other front-matter keys (``author``, ``layout``...) for templates.

    Scalars only: a nested value (a YAML alias bomb) would be expanded by
    every repr and dump. Posts are reached through listings, archives and
    feeds, not toctrees: they are orphans.
    """
    metadata.update({k: v for k, v in post.extra.items() if isinstance(v, SCALARS)})
    metadata["orphan"] = True


def post_section(document: nodes.document, post: Post) -> nodes.section:
    """The post's top section.

    The front-matter title is the first heading (see
    :func:`~sphinx_newsnode.jekyll.source.prepare_source`); a level-1 heading
    of the body's own follows it as another top section, and is moved into
    it as its first section, as Jekyll showed it under the page's title. A
    post without a heading (reStructuredText, no title) gets a section made,
    titled from front matter, with the body moved into it.
    """
    children = document.children
    start = next(
        (i for i, c in enumerate(children) if not isinstance(c, _NOT_CONTENT)), len(children)
    )
    if start < len(children) and isinstance(first := children[start], nodes.section):
        for later in [c for c in children[start + 1 :] if isinstance(c, nodes.section)]:
            document.remove(later)
            first += later
        return first
    content = children[start:]
    title = post.title
    if not title:
        title = without_date_prefix(PurePosixPath(post.docname).name)
        title = title.replace("-", " ").replace("_", " ").strip().capitalize() or post.docname
        warn(Subtype.FRONT_MATTER, f"the post has no title; using {title!r}", (post.docname, 1))
    section = nodes.section(classes=[])
    section += nodes.title(title, title)
    section["names"].append(nodes.fully_normalize_name(title))
    section.extend(content)
    del document[start:]
    document += section
    document.note_implicit_target(section, section)
    return section


def front_matter_header(
    document: nodes.document,
    post: Post,
    background: PostImage | None,
    lead: nodes.paragraph | None,
) -> list[nodes.Node]:
    """Hero, pre-title, lead and buttons from front matter."""
    header: list[nodes.Node] = []
    if post.background:
        hero = make_hero(
            document,
            target=post.background,
            image=background,
            license_text=post.image_license,
            alt=post.image_alt,
            image_line=post.line("background"),
            license_line=post.line(post.license_key),
        )
        hero["auto"] = True
        header.append(hero)
    pretitle = front_matter_paragraph(document, post, "preTitle", "newsnode-pretitle")
    header.extend(p for p in (pretitle, lead) if p is not None)
    if post.cta:
        header.append(make_cta_group(document.settings.env, post.cta))
    return header


def front_matter_paragraph(
    document: nodes.document, post: Post, key: str, cls: str
) -> nodes.paragraph | None:
    """A paragraph of the Markdown front-matter value of *key*, if any."""
    text = {"description": post.description, "preTitle": post.pretitle}[key]
    if not text:
        return None
    inline = markdown_inline(text, document, key=key, line=post.line(key))
    return nodes.paragraph("", "", *inline, classes=[cls])


def page_facts(
    document: nodes.document,
    post: Post,
    summary: str,
    hero: news_hero | None,
    background: PostImage | None,
) -> PageFacts:
    """What listings, feeds and metadata need of this page."""
    env = document.settings.env
    credit = ""
    if hero is not None:
        credit = " ".join(c.astext() for c in hero.findall(news_credit))
    elif post.image_license and post.background:
        key = post.license_key
        inline = markdown_inline(post.image_license, document, key=key, line=post.line(key))
        credit = "".join(n.astext() for n in inline)
    found = find_license(credit) if credit else None
    # The listing card shows the thumbnail, else the hero's image (checked once).
    listed = (
        post_image(env, post.thumbnail, "thumbnail", post.line("thumbnail"))
        if post.thumbnail
        else background
    )
    return PageFacts(
        summary=summary,
        # Registered with the post's images: copied even when the page does not show it.
        image=listed.register(env, post.docname) if listed else None,
        image_alt=post.image_alt or "",
        credit=" ".join(credit.split()),
        license_url=found.url if found else None,
    )


def resolve_site_paths(env: BuildEnvironment, document: nodes.document, post: Post) -> None:
    """Point the body's site-absolute image paths at ``newsnode_site_root``."""
    for image in document.findall(nodes.image):
        uri = image["uri"]
        if not uri.startswith("/") or "newsnode-hero__image" in image["classes"]:
            continue
        try:
            path = local_path(env, post.docname, uri)
        except UnsafePathError as exc:
            warn(Subtype.UNSAFE_PATH, f"image refused: {exc}", image)
            continue
        if path.is_file():
            image["uri"] = srcdir_uri(env, path)


MAX_SUMMARY = 600
"""Characters of a post's summary in listings, feeds and metadata."""


def shortened(text: str, limit: int = MAX_SUMMARY) -> str:
    """*text* cut at a word boundary to at most *limit* characters, marked with an ellipsis.

    The post page shows its description whole; every listing, archive page,
    feed entry and meta tag repeats the summary, so it is bounded.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.;:") + "…"


def excerpt(section: nodes.Element, post: Post) -> str:
    """The text of the body before Jekyll's excerpt separator, if the post has one.

    The separator is ``<!--more-->`` or the post's ``excerpt_separator``.
    """
    separator = post.extra.get("excerpt_separator")
    separator = separator if isinstance(separator, str) and separator.strip() else "<!--more-->"
    parts: list[str] = []
    for block in section.children[1:]:
        if not isinstance(block, nodes.Element) or isinstance(block, _HEADER):
            continue
        if set(block["classes"]) & _HEADER_CLASSES:
            continue
        text = block.astext()
        if separator in text:
            parts.append(text.split(separator, 1)[0])
            return " ".join(" ".join(parts).split())
        if not isinstance(block, nodes.raw | nodes.comment | nodes.Invisible):
            parts.append(text)
    return ""


def draft_banner(post: Post, state: State) -> nodes.admonition:
    """The *Draft* notice of an unpublished post built in ``show`` mode."""
    reasons = {
        State.DRAFT: _("This post is a draft and is not published."),
        State.SCHEDULED: _("This post is scheduled for %s and is not published yet.") % post.date,
        State.IN_DOUBT: _("This post is held back as a draft: %s.") % post.doubt,
    }
    banner = nodes.admonition(classes=["newsnode-draft", "warning"])
    banner += nodes.title(_("Draft"), _("Draft"))
    banner += nodes.paragraph(reasons[state], reasons[state])
    return banner
