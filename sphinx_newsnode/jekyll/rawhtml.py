"""Raw HTML in posts: kept for HTML, never lost from the PDF and text (SPEC §9).

Jekyll posts embed HTML: ``<img>`` figures, ``<iframe>`` videos, ``<div>``
wrappers, ``<br>``. MyST keeps each as a ``raw`` node, which only HTML
builders write. :class:`RawHtmlFallbacks` gives the others something to
show: a block that is a lone ``<img>`` becomes a real image (copied and
shown by every builder); any other block gets a sibling that only non-HTML
builders render, with its text and its links printed (``Video:
https://...``). HTML comments (``<!--more-->``) and ``<br>`` need nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform

from sphinx_newsnode.core import order
from sphinx_newsnode.jekyll.htmltokens import Tag, tags, tokens
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.links import is_external, is_safe_url

if TYPE_CHECKING:
    from collections.abc import Iterator

_ = get_translation("sphinx_newsnode")
_LONE_IMAGE = re.compile(r"^\s*(?:<p>\s*)?(<img\b[^>]*>)\s*(?:</p>\s*)?$", re.IGNORECASE)
FALLBACK = "newsnode-html-fallback"
_MEDIA = frozenset({"iframe", "video", "audio", "source", "embed"})


def read_html(source: str) -> list[tuple[str, str, str]]:
    """The visible text, links, media and images of an HTML fragment.

    Each part is ``(kind, text, url)``: ``text`` (no URL), ``link`` (an
    ``<a>`` with its text, or a video or audio with its title), ``image``
    (the alt text).
    """
    parts: list[tuple[str, str, str]] = []
    for token in tokens(source):
        if isinstance(token, str):
            if not token.strip():
                continue
            if parts and parts[-1][0] == "link" and not parts[-1][1]:
                kind, _text, url = parts.pop()  # the text of an <a>
                parts.append((kind, token.strip(), url))
            else:
                parts.append(("text", " ".join(token.split()), ""))
            continue
        if token.closing:
            continue
        if token.name in _MEDIA and (src := token.get("src")):
            label = token.get("title") or (_("Video") if token.name != "audio" else _("Audio"))
            parts.append(("link", label, src))
        elif token.name == "img" and (src := token.get("src")):
            parts.append(("image", token.get("alt"), src))
        elif token.name == "a" and (href := token.get("href")):
            parts.append(("link", "", href))
    return parts


def fallback(source: str) -> list[nodes.Node]:
    """What an HTML fragment shows, as text and printed links, for builders that drop it."""
    shown: list[nodes.Node] = []
    for kind, text, url in read_html(source):
        if shown:
            shown.append(nodes.Text(" "))
        if kind == "text":
            shown.append(nodes.Text(text))
            continue
        label = _("image: %s") % (text or url.rsplit("/", 1)[-1]) if kind == "image" else text
        if not is_external(url) or not is_safe_url(url):
            shown.append(nodes.Text(label or ""))  # a local or unsafe URL means nothing in print
            continue
        if label:
            shown.append(nodes.Text(f"{label}: "))
        shown.append(nodes.reference(url, url, refuri=url))
    return [node for node in shown if node.astext()]


def image_of(source: str) -> nodes.image | None:
    """An image node for a lone ``<img>`` tag with a safe ``src``."""
    tag: Tag | None = next(tags(source), None)
    src = tag.get("src").strip() if tag is not None else ""
    if tag is None or not src or not is_safe_url(src):
        return None
    image = nodes.image(uri=src, alt=tag.get("alt"))
    if width := tag.get("width"):
        image["width"] = width if not width.isdigit() else f"{width}px"
    image["classes"] += [c for c in tag.get("class").split() if c.isidentifier()]
    return image


class RawHtmlFallbacks(SphinxTransform):
    """Lone ``<img>`` blocks become images; other HTML blocks get a text fallback."""

    default_priority = order.RAW_HTML

    def apply(self, **kwargs: object) -> None:
        if self.env.docname not in newsnode_domain(self.env).scan:
            return
        for raw in list(self.raw_html()):
            source = raw.astext()
            inline = isinstance(raw.parent, nodes.TextElement)
            match = _LONE_IMAGE.match(source)
            if match and (image := image_of(match.group(1))) is not None:
                image.source, image.line = raw.source, raw.line
                raw.replace_self(image if inline else nodes.paragraph("", "", image))
                continue
            if not (shown := fallback(source)):
                continue  # a comment, <br>, a closing tag
            only = addnodes.only(expr="not html")
            only.source, only.line = raw.source, raw.line
            only += shown if inline else nodes.paragraph("", "", *shown, classes=[FALLBACK])
            raw.parent.insert(raw.parent.index(raw) + 1, only)

    def raw_html(self) -> Iterator[nodes.raw]:
        for raw in self.document.findall(nodes.raw):
            if "html" in raw.get("format", "").split():
                yield raw
