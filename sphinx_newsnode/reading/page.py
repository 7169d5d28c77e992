"""Shaping a post's page from its front matter (SPEC §1, §3–5).

:class:`PostTransform` runs while a post is read, before Sphinx collects
titles, images and the table of contents, so what it adds is seen by all of
them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform

from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.jekyll.kramdown import jekyll_markdown
from sphinx_newsnode.model.dates import without_date_prefix
from sphinx_newsnode.model.domain import PageFacts, newsnode_domain
from sphinx_newsnode.model.licenses import find_license
from sphinx_newsnode.model.links import UnsafePathError, is_external, local_path, scheme, srcdir_uri
from sphinx_newsnode.model.post import Post, State
from sphinx_newsnode.reading.cta import make_cta_group, news_cta_group
from sphinx_newsnode.reading.hero import make_hero, news_credit, news_hero
from sphinx_newsnode.reading.markup import markdown_inline

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: What the post transform puts at the top of a post's section.
_HEADER = (news_hero, news_cta_group, nodes.admonition)
_HEADER_CLASSES = {"newsnode-lead", "newsnode-pretitle"}

_ = get_translation("sphinx_newsnode")
_MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")

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
            section.newsnode-post
                title                     (front-matter title if the body had none)
                admonition.newsnode-draft (show mode, unpublished posts only)
                news_hero                 (background + imageLicense)
                paragraph.newsnode-pretitle, paragraph.newsnode-lead
                news_cta_group            (front-matter cta)
                ...body
    """

    default_priority = 500

    def apply(self, **kwargs: object) -> None:
        domain = newsnode_domain(self.env)
        entry = domain.scan.get(self.env.docname)
        if entry is None:
            return
        post, state = entry
        metadata = self.env.metadata[post.docname]
        # author, layout, permalink... for templates; scalars only: a nested
        # value (a YAML alias bomb) would be expanded by every repr and dump.
        metadata.update({k: v for k, v in post.extra.items() if isinstance(v, SCALARS)})
        # Posts are reached through listings, archives and feeds, not toctrees.
        metadata["orphan"] = True
        section = self.page_section(post)
        section["classes"].append("newsnode-post")
        header: list[nodes.Node] = []
        if state is not State.PUBLISHED:
            header.append(draft_banner(post, state))
            self.document.insert(0, nodes.meta(name="robots", content="noindex"))
        lead = self.paragraph(post, "description", post.description, "newsnode-lead")
        if lead is not None:
            self.document.insert(0, nodes.meta(name="description", content=lead.astext()))
        if self.config.newsnode_auto_hero:
            header.extend(self.front_matter_header(post, lead))
        section[1:1] = header
        if self.config.newsnode_site_root:
            self.resolve_site_paths(post)
        hero = next((n for n in header if isinstance(n, news_hero)), None)
        summary = shortened(lead.astext() if lead is not None else excerpt(section, post))
        domain.note_post(post, self.page_facts(post, summary, hero))

    def page_facts(self, post: Post, summary: str, hero: news_hero | None) -> PageFacts:
        """What listings, feeds and metadata need of this page."""
        credit = ""
        if hero is not None:
            credit = " ".join(c.astext() for c in hero.findall(news_credit))
        elif post.image_license and post.background:
            key = post.license_key
            inline = markdown_inline(
                post.image_license, self.document, key=key, line=post.line(key)
            )
            credit = "".join(n.astext() for n in inline)
        found = find_license(credit) if credit else None
        return PageFacts(
            summary=summary,
            image=self.listing_image(post),
            image_alt=post.image_alt or "",
            credit=" ".join(credit.split()),
            license_url=found.url if found else None,
        )

    def listing_image(self, post: Post) -> str | None:
        """The post's thumbnail (else hero) as an ``env.images`` key or URL.

        The file is registered with the post's images, so it is copied to
        the output even when the page itself does not show it.
        """
        target = post.thumbnail or post.background
        if not target:
            return None
        # The hero has checked (and warned about) its own image already.
        checked = not post.thumbnail and self.config.newsnode_auto_hero
        key = "thumbnail" if post.thumbnail else "background"
        location = (post.docname, post.line(key))
        if is_external(target):
            if scheme(target) in {"http", "https"}:
                return target
            if not checked:
                warn(
                    Subtype.UNSAFE_URL, f"{key} {target!r} refused (http and https only)", location
                )
            return None
        try:
            path = local_path(self.env, post.docname, target)
        except UnsafePathError as exc:
            if not checked:
                warn(Subtype.UNSAFE_PATH, f"{key} refused: {exc}", location)
            return None
        if not path.is_file():
            if not checked:
                warn(Subtype.IMAGE, f"{key} {target!r} not found", location)
            return None
        key, _absolute = self.env.relfn2path(srcdir_uri(self.env, path), post.docname)
        self.env.images.add_file(post.docname, key)
        return key

    def page_section(self, post: Post) -> nodes.section:
        """The post's top section.

        When the body does not start with a heading, one is made, titled from
        front matter, and the body moved into it.
        """
        children = self.document.children
        start = next(
            (i for i, c in enumerate(children) if not isinstance(c, _NOT_CONTENT)), len(children)
        )
        if start < len(children) and isinstance(first := children[start], nodes.section):
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
        del self.document[start:]
        self.document += section
        self.document.note_implicit_target(section, section)
        return section

    def front_matter_header(self, post: Post, lead: nodes.paragraph | None) -> list[nodes.Node]:
        """Hero, pre-title, lead and buttons from front matter."""
        header: list[nodes.Node] = []
        if post.background:
            hero = make_hero(
                self.document,
                image=post.background,
                license_text=post.image_license,
                alt=post.image_alt,
                image_line=post.line("background"),
                license_line=post.line(post.license_key),
            )
            hero["auto"] = True
            header.append(hero)
        pretitle = self.paragraph(post, "preTitle", post.pretitle, "newsnode-pretitle")
        header.extend(p for p in (pretitle, lead) if p is not None)
        if post.cta:
            header.append(make_cta_group(self.env, post.cta))
        return header

    def paragraph(self, post: Post, key: str, text: str | None, cls: str) -> nodes.paragraph | None:
        """A paragraph of the Markdown front-matter value *text*, if any."""
        if not text:
            return None
        inline = markdown_inline(text, self.document, key=key, line=post.line(key))
        return nodes.paragraph("", "", *inline, classes=[cls])

    def resolve_site_paths(self, post: Post) -> None:
        """Point the body's site-absolute image paths at ``newsnode_site_root``."""
        for image in self.document.findall(nodes.image):
            uri = image["uri"]
            if not uri.startswith("/") or "newsnode-hero__image" in image["classes"]:
                continue
            try:
                path = local_path(self.env, post.docname, uri)
            except UnsafePathError as exc:
                warn(Subtype.UNSAFE_PATH, f"image refused: {exc}", image)
                continue
            if path.is_file():
                image["uri"] = srcdir_uri(self.env, path)


def prepare_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """Replace a post's front matter by its title, as a Markdown heading.

    The front matter is read once, by the gate; MyST's second reading would
    turn values into strings and reject YAML that node sites do contain
    (``date: 2023-13-01``). When the body does not start with a level-1
    heading, the front-matter title takes the place of the closing ``---`` as
    one, so MyST nests the body's ``##`` sections under it as Jekyll's layout
    does. Lines are replaced one for one: line numbers stay those of the file.
    """
    entry = newsnode_domain(app.env).scan.get(docname)
    if entry is None or entry[0].body_line <= 1 or not is_markdown(app, entry[0].path):
        return
    post = entry[0]
    lines = source[0].split("\n")
    end = post.body_line - 1
    header = [""] * end
    body = jekyll_body(app, post, "\n".join(lines[end:]))
    if post.title and not starts_with_title(body.split("\n")):
        header[-1] = "# " + _MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", " ".join(post.title.split()))
    source[0] = "\n".join(header) + "\n" + body


def jekyll_body(app: Sphinx, post: Post, body: str) -> str:
    """The body with its Liquid rendered and kramdown's readings made CommonMark."""
    body, found = jekyll_markdown(body, newsnode_domain(app.env).liquid, post)
    for item in found:
        if item.problem:
            warn(item.subtype, item.problem, (post.docname, item.line))
    return body


def is_markdown(app: Sphinx, path: str) -> bool:
    """Whether the source file *path* is parsed as Markdown."""
    return any(
        path.endswith(suffix) and filetype == "markdown"
        for suffix, filetype in app.config.source_suffix.items()
    )


def starts_with_title(body: list[str]) -> bool:
    """Whether Markdown *body* lines start with a level-1 heading."""
    content = [line for line in body[:40] if line.strip()]
    if not content:
        return False
    first = content[0]
    if re.match(r" {0,3}#(?:\s|$)", first):
        return True
    following = body[body.index(first) + 1] if body.index(first) + 1 < len(body) else ""
    return bool(re.fullmatch(r" {0,3}=+\s*", following))


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
