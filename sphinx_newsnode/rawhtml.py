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
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform

from sphinx_newsnode.domain import newsnode_domain
from sphinx_newsnode.links import is_external, is_safe_url

if TYPE_CHECKING:
    from collections.abc import Iterator

_ = get_translation("sphinx_newsnode")
_LONE_IMAGE = re.compile(r"^\s*(?:<p>\s*)?(<img\b[^>]*>)\s*(?:</p>\s*)?$", re.IGNORECASE)
FALLBACK = "newsnode-html-fallback"


class _Reader(HTMLParser):
    """The visible text, links, media and images of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, str, str]] = []  # (kind, text, url)
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag in {"script", "style"}:
            self._skip += 1
        elif tag in {"iframe", "video", "audio", "source", "embed"} and found.get("src"):
            label = found.get("title") or (_("Video") if tag != "audio" else _("Audio"))
            self.parts.append(("link", label, found["src"]))
        elif tag == "img" and found.get("src"):
            self.parts.append(("image", found.get("alt", ""), found["src"]))
        elif tag == "a" and found.get("href"):
            self.parts.append(("link", "", found["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._skip or not data.strip():
            return
        if self.parts and self.parts[-1][0] == "link" and not self.parts[-1][1]:
            kind, _text, url = self.parts.pop()  # the text of an <a>
            self.parts.append((kind, data.strip(), url))
        else:
            self.parts.append(("text", " ".join(data.split()), ""))


def read_html(source: str) -> list[tuple[str, str, str]]:
    reader = _Reader()
    reader.feed(source)
    reader.close()
    return reader.parts


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


def image_of(tag: str) -> nodes.image | None:
    """An image node for a lone ``<img>`` tag with a safe ``src``."""
    attributes = dict(re.findall(r"""([\w-]+)\s*=\s*["']([^"']*)["']""", tag))
    source = attributes.get("src", "").strip()
    if not source or not is_safe_url(source):
        return None
    image = nodes.image(uri=source, alt=attributes.get("alt", ""))
    if width := attributes.get("width"):
        image["width"] = width if not width.isdigit() else f"{width}px"
    image["classes"] += [c for c in attributes.get("class", "").split() if c.isidentifier()]
    return image


class RawHtmlFallbacks(SphinxTransform):
    """Lone ``<img>`` blocks become images; other HTML blocks get a text fallback."""

    default_priority = 410  # after the attribute lists, before the post transform

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
