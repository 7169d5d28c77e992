"""Raw HTML in posts: its files in the output, its content in every builder (SPEC §9).

Jekyll posts embed HTML: ``<img>`` figures, ``<figure>`` and ``<div>``
wrappers, ``<p align>``, ``<a>`` to documents, ``<iframe>`` videos. MyST
keeps each as a ``raw`` node, which only HTML builders write.

* Every ``src`` and ``href`` that names a file of the site
  (``{{ site.url }}/assets/x.png``, ``/assets/x.pdf``, ``assets/x.png`` from
  the site root as the node's site read it) is copied to the output: images
  with the post's images, other files as downloads. :class:`RawHtmlFiles`
  rewrites the HTML to point at the copies, relative to the page, so the
  site works under any path (Read the Docs' ``/en/latest/``).
* :class:`RawHtmlFallbacks` gives other builders what the HTML shows: a lone
  ``<img>`` becomes a real image (every builder); any other block gets a
  sibling only non-HTML builders render, with its text, its images (the PDF
  prints them) and its links' URLs.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.osutil import relative_uri

from sphinx_newsnode.core import order
from sphinx_newsnode.core.config import app_of
from sphinx_newsnode.jekyll.htmltokens import Tag, tags, tokens
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.links import (
    UnsafePathError,
    download_url,
    is_external,
    is_safe_url,
    is_source_file,
    local_path,
    srcdir_uri,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from sphinx.environment import BuildEnvironment

_ = get_translation("sphinx_newsnode")
_LONE_IMAGE = re.compile(r"^\s*(?:<p>\s*)?(<img\b[^>]*>)\s*(?:</p>\s*)?$", re.IGNORECASE)
FALLBACK = "newsnode-html-fallback"
FILES = "newsnode_files"
"""Attribute of a raw node: ``{value as written: (kind, key, copied name)}`` of its files."""
_URL_ATTRIBUTES = frozenset({"src", "href", "poster"})
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


def fallback(env: BuildEnvironment, source: str) -> list[nodes.Node]:
    """What an HTML fragment shows, for builders that drop it.

    Its text; its images of the site as images (the PDF prints them), others
    as their alt text; its links' URLs printed (a file of the site at its
    address on the site, when ``html_baseurl`` gives one).
    """
    shown: list[nodes.Node] = []
    for kind, text, url in read_html(source):
        if shown:
            shown.append(nodes.Text(" "))
        if kind == "text":
            shown.append(nodes.Text(text))
            continue
        file = site_file(env, url)
        if kind == "image" and file is not None:
            shown.append(nodes.image(uri=srcdir_uri(env, file), alt=text))
            continue
        label = _("image: %s") % (text or url.rsplit("/", 1)[-1]) if kind == "image" else text
        if file is not None and (address := download_address(env, file)):
            url = address
        if not is_external(url) or not is_safe_url(url):
            shown.append(nodes.Text(label or ""))  # a local or unsafe URL means nothing in print
            continue
        if label:
            shown.append(nodes.Text(f"{label}: "))
        shown.append(nodes.reference(url, url, refuri=url))
    return [node for node in shown if node.astext() or isinstance(node, nodes.image)]


def download_address(env: BuildEnvironment, file: Path) -> str | None:
    """The address of a file of the site on the published site, when it has a base URL."""
    base = env.config.html_baseurl
    if not base:
        return None
    key, _absolute = env.relfn2path(srcdir_uri(env, file), env.docname)
    return download_url(base, str(env.dlfiles.add_file(env.docname, key)))


def site_file(env: BuildEnvironment, value: str) -> Path | None:
    """The file of the site a ``src`` or ``href`` names, if it names one.

    Site-absolute, or relative from the site root first (the node's pages
    lived under dated folders, and the theme wrote asset paths from the
    root); never a source file (a page or a post), never one out of the tree.
    """
    value = value.strip()
    if not value or value.startswith(("#", "{")) or is_external(value):
        return None
    try:
        path = local_path(env, env.docname, value, site_relative=True)
    except UnsafePathError:
        return None  # refused where the page is read (reading.confine)
    return path if path.is_file() and not is_source_file(env, path) else None


def image_of(env: BuildEnvironment, source: str) -> nodes.image | None:
    """An image node for a lone ``<img>`` tag with a safe ``src``."""
    tag: Tag | None = next(tags(source), None)
    src = tag.get("src").strip() if tag is not None else ""
    if tag is None or not src or not is_safe_url(src):
        return None
    if (file := site_file(env, src)) is not None:
        src = srcdir_uri(env, file)
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
            if match and (image := image_of(self.env, match.group(1))) is not None:
                image.source, image.line = raw.source, raw.line
                raw.replace_self(image if inline else nodes.paragraph("", "", image))
                continue
            raw[FILES] = self.register_files(source)
            if not (shown := fallback(self.env, source)):
                continue  # a comment, <br>, a closing tag
            only = addnodes.only(expr="not html")
            only.source, only.line = raw.source, raw.line
            only += shown if inline else nodes.paragraph("", "", *shown, classes=[FALLBACK])
            raw.parent.insert(raw.parent.index(raw) + 1, only)

    def raw_html(self) -> Iterator[nodes.raw]:
        return raw_html(self.document)

    def register_files(self, source: str) -> dict[str, tuple[str, str, str]]:
        """Have Sphinx copy the files the HTML names: ``{value: (kind, key, name)}``."""
        found: dict[str, tuple[str, str, str]] = {}
        env = self.env
        for tag in tags(source):
            for attribute in tag.attributes:
                if attribute.name not in _URL_ATTRIBUTES or attribute.value in found:
                    continue
                if (file := site_file(env, attribute.value)) is None:
                    continue
                key, _absolute = env.relfn2path(srcdir_uri(env, file), env.docname)
                if tag.name == "img" and attribute.name == "src":
                    name = env.images.add_file(env.docname, key)
                    found[attribute.value] = ("image", key, name)
                else:
                    dest = env.dlfiles.add_file(env.docname, key)
                    found[attribute.value] = ("download", key, f"_downloads/{dest}")
        return found


def raw_html(document: nodes.document) -> Iterator[nodes.raw]:
    """The raw HTML nodes of *document*."""
    for raw in document.findall(nodes.raw):
        if "html" in raw.get("format", "").split():
            yield raw


class RawHtmlFiles(SphinxPostTransform):
    """Point the ``src`` and ``href`` of raw HTML at the copies of the files they name.

    Before: ``raw("<img src='/assets/x.png'>")``. After:
    ``raw("<img src='../_images/x.png'>")``, relative to the page being written.
    """

    default_priority = order.HERO_BANNER
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        builder: Any = app_of(self.env).builder
        page = builder.get_target_uri(self.env.docname)
        for raw in list(raw_html(self.document)):
            files = raw.get(FILES)
            if not files:
                continue
            urls = {}
            for value, (kind, key, name) in files.items():
                if kind == "image":
                    builder.images[key] = name  # copied with the page's own images
                    name = f"{builder.imagedir}/{name}"
                urls[value] = quote(relative_uri(page, name))
            rewritten = rewrite_urls(raw.astext(), urls)
            raw.replace_self(nodes.raw(rewritten, rewritten, format="html"))


def rewrite_urls(source: str, urls: dict[str, str]) -> str:
    """*source* with each ``src``/``href`` value found in *urls* replaced, the rest as written."""
    pieces: list[str] = []
    position = 0
    for tag in tags(source):
        for attribute in tag.attributes:
            if attribute.name in _URL_ATTRIBUTES and attribute.span and attribute.value in urls:
                start, end = attribute.span
                pieces += [source[position:start], html.escape(urls[attribute.value])]
                position = end
    pieces.append(source[position:])
    return "".join(pieces)
