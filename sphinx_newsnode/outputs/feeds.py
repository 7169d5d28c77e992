"""Atom and RSS 2.0 feeds of the published posts, and of each tag (SPEC §6).

Feeds are written with the standard library's ElementTree (escaping), RFC
3339 dates for Atom and RFC 822 dates for RSS; each entry's image is an
enclosure and a Media RSS ``media:content``. Links are absolute, from
``html_baseurl``; without it there is no feed, and the build says so. Dates
without a zone are read in ``newsnode_timezone``. A feed's own update time is
``SOURCE_DATE_EPOCH`` or, without it, its newest entry's date: the same
sources give the same bytes. A multilingual site has a feed per language too.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import mimetypes
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinx_newsnode import __version__
from sphinx_newsnode.core.config import (
    SITE_BUILDERS,
    builder_settings,
    conf_location,
    timezone,
)
from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.core.i18n import translator
from sphinx_newsnode.core.state import OwnedFiles, digest
from sphinx_newsnode.model.dates import as_moment
from sphinx_newsnode.model.entries import (
    listed_posts,
    names_by_slug,
    reading_key,
    site_languages,
)
from sphinx_newsnode.model.languages import language_name, project_language
from sphinx_newsnode.model.links import site_url
from sphinx_newsnode.model.selection import Entry, slug
from sphinx_newsnode.outputs.urls import image_site_url, page_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

FORMATS = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
ATOM = "http://www.w3.org/2005/Atom"
MEDIA = "http://search.yahoo.com/mrss/"
#: What XML 1.0 cannot hold: C0 controls but tab and line ends, surrogates, U+FFFE, U+FFFF
#: (written as what is refused: the negated class took 7 ms to compile in every build).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def feeds_enabled(app: Sphinx) -> bool:
    """Whether this build writes feeds (an HTML site with a base URL)."""
    config = app.config
    return bool(
        app.builder.name in SITE_BUILDERS and config.newsnode_feed_path and config.html_baseurl
    )


def feed_file(app: Sphinx, fmt: str, tag: str | None = None, language: str | None = None) -> str:
    """Path of a feed relative to the site root: ``feeds/atom.xml``, ``feeds/fr/atom.xml``..."""
    root = app.config.newsnode_feed_path.strip("/")
    if tag:
        return f"{root}/tags/{slug(tag)}/{fmt}.xml"
    return f"{root}/{language}/{fmt}.xml" if language else f"{root}/{fmt}.xml"


def feed_url(app: Sphinx, fmt: str, language: str | None = None) -> str:
    """The address of the site's feed (of one language's)."""
    return site_url(app.config.html_baseurl, feed_file(app, fmt, None, language))


def note_without_base_url(app: Sphinx, exception: Exception | None) -> None:
    """Say in the build's summary what is off without ``html_baseurl`` (``build-finished``).

    Feeds need absolute URLs. A site that never asked for feeds builds
    without them and a note says why; one whose ``conf.py`` sets
    ``newsnode_feed_path`` asked, and gets a warning.
    """
    config = app.config
    wanted = app.builder.name in SITE_BUILDERS and config.newsnode_feed_path
    if exception is not None or not wanted or config.html_baseurl:
        return
    if where := conf_location(app, "newsnode_feed_path"):
        warn(
            Subtype.FEED,
            f"newsnode_feed_path = {config.newsnode_feed_path!r} asks for feeds, but "
            "html_baseurl is not set, so none are written; set html_baseurl to the site's "
            "address",
            where,
        )
    else:
        logger.info(
            "newsnode: no feeds, and no absolute URLs in social metadata, as html_baseurl is "
            "not set; set it to the site's address (https://...) to have them"
        )


def updated_time(entries: list[Entry], zone: dt.tzinfo) -> dt.datetime:
    """``SOURCE_DATE_EPOCH``, else the newest entry's date, else the epoch."""
    if epoch := os.environ.get("SOURCE_DATE_EPOCH"):
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    dated = [as_moment(e.date, zone) for e in entries if e.date]
    return max(dated, default=dt.datetime.fromtimestamp(0, tz=dt.UTC))


def text_element(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    """A child element holding *text* without the characters XML 1.0 forbids."""
    element = ET.SubElement(parent, tag, attributes)
    element.text = _NOT_XML.sub("", text)
    return element


def image_elements(app: Sphinx, parent: ET.Element, entry: Entry, fmt: str) -> None:
    """The entry's image as an enclosure and as Media RSS content."""
    if not (image := image_site_url(app, entry.image)):
        return
    mime = mimetypes.guess_type(image)[0] or "image/jpeg"
    source = Path(app.srcdir, str(entry.image))
    size = str(source.stat().st_size if source.is_file() else 0)
    if fmt == "atom":
        link = {"rel": "enclosure", "href": image, "type": mime, "length": size}
        ET.SubElement(parent, "link", link)
    else:
        ET.SubElement(parent, "enclosure", {"url": image, "length": size, "type": mime})
    ET.SubElement(parent, "media:content", {"url": image, "medium": "image", "type": mime})


def build_feed(
    app: Sphinx, entries: list[Entry], tag: str | None, fmt: str, language: str | None = None
) -> bytes:
    """One feed of *entries* (newest first) in *fmt* (``atom`` or ``rss``), as bytes.

    *language*: the feed of that language's posts, titled in it.
    """
    config = app.config
    zone = timezone(config)
    _ = translator(language or config.language).gettext
    title = str(config.project)
    if tag:
        title += " – " + _("Tag: %s") % tag
    elif language:
        title += " – " + language_name(language)
    description = _("News of %s") % config.project
    updated = updated_time(entries, zone)
    address = site_url(app.config.html_baseurl, feed_file(app, fmt, tag, language))
    self_link = {"rel": "self", "href": address}
    lang = language or project_language(config)
    if fmt == "atom":
        root = channel = ET.Element("feed", {"xmlns": ATOM, "xmlns:media": MEDIA})
        root.set("xml:lang", lang)
        text_element(root, "id", address)
        text_element(root, "title", title)
        text_element(root, "subtitle", description)
        text_element(root, "updated", updated.isoformat())
        ET.SubElement(root, "link", {**self_link, "type": FORMATS["atom"]})
        ET.SubElement(root, "link", {"rel": "alternate", "href": site_url(app.config.html_baseurl)})
        text_element(root, "generator", "sphinx-newsnode", version=__version__)
    else:
        root = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM, "xmlns:media": MEDIA})
        channel = ET.SubElement(root, "channel")
        text_element(channel, "title", title)
        text_element(channel, "link", site_url(app.config.html_baseurl))
        text_element(channel, "description", description)
        ET.SubElement(channel, "atom:link", {**self_link, "type": FORMATS["rss"]})
        text_element(channel, "language", lang)
        text_element(channel, "generator", f"sphinx-newsnode {__version__}")
        text_element(channel, "lastBuildDate", email.utils.format_datetime(updated))
    add_items(app, channel, entries, fmt)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def add_items(app: Sphinx, channel: ET.Element, entries: list[Entry], fmt: str) -> None:
    """An Atom ``entry`` or RSS ``item`` per entry."""
    zone = timezone(app.config)
    for entry in entries:
        assert entry.date is not None
        url = page_url(app, entry.docname)
        moment = as_moment(entry.date, zone)
        if fmt == "atom":
            changed = max(moment, as_moment(entry.modified, zone)) if entry.modified else moment
            item = ET.SubElement(channel, "entry")
            text_element(item, "id", url)
            text_element(item, "title", entry.title)
            text_element(item, "published", moment.isoformat())
            text_element(item, "updated", changed.isoformat())
            ET.SubElement(item, "link", {"rel": "alternate", "href": url})
            if entry.summary:
                text_element(item, "summary", entry.summary)
            for name in entry.tags:
                ET.SubElement(item, "category", {"term": _NOT_XML.sub("", name)})
        else:
            item = ET.SubElement(channel, "item")
            text_element(item, "title", entry.title)
            text_element(item, "link", url)
            text_element(item, "guid", url, isPermaLink="true")
            text_element(item, "pubDate", email.utils.format_datetime(moment))
            if entry.summary:
                text_element(item, "description", entry.summary)
            for name in entry.tags:
                text_element(item, "category", name)
        image_elements(app, item, entry, fmt)


def feed_languages(app: Sphinx) -> list[str]:
    """The languages with a feed of their own: all of a multilingual site's, else none."""
    languages = site_languages(app.env)
    return languages if len(languages) > 1 else []


def write_feeds(app: Sphinx, exception: Exception | None) -> None:
    """Write the site feed, one per tag and one per language (``build-finished``)."""
    if exception is not None or app.builder.name not in SITE_BUILDERS:
        return
    if not feeds_enabled(app):
        OwnedFiles(app, "feeds").finish()  # feeds switched off: those written go
        return
    files = OwnedFiles(app, "feeds")  # the feeds of tags and languages gone are deleted
    made_of = digest([
        builder_settings(app),
        reading_key(app.env),
        os.environ.get("SOURCE_DATE_EPOCH"),
        __version__,
    ])  # fmt: skip
    if files.keep_previous(made_of):
        files.finish()  # nothing read since: the same feeds, standing as they were left
        return
    dated = [e for e in listed_posts(app.env) if e.date]  # undated posts have no feed date
    length = app.config.newsnode_feed_length
    outdir = Path(app.builder.outdir)
    feeds: list[tuple[str | None, str | None, list[Entry]]] = [(None, None, dated[:length])]
    for key, name in names_by_slug(dated, "tags").items():
        feeds.append((name, None, [e for e in dated if key in map(slug, e.tags)][:length]))
    for tongue in feed_languages(app):
        feeds.append((None, tongue, [e for e in dated if e.lang == tongue][:length]))
    for tag, language, entries in feeds:
        for fmt in FORMATS:
            data = build_feed(app, entries, tag, fmt, language)
            name = feed_file(app, fmt, tag, language)
            path = outdir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_file() or path.read_bytes() != data:  # unchanged feeds keep their date
                path.write_bytes(data)
            files.keep(name, made_of)
    files.finish()


def add_feed_links(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    """``<link rel="alternate">`` to the site feeds in every page's head.

    On a multilingual site, the feeds of the page's language too.
    """
    if not feeds_enabled(app):
        return
    project = str(app.config.project)
    feeds: list[tuple[str | None, str]] = [(None, project)]
    language = context.get("language")
    if language in feed_languages(app):
        feeds.append((language, f"{project} – {language_name(language)}"))
    links = "".join(
        f'<link rel="alternate" type="{mime}" title="{html.escape(title)}"'
        + (f' hreflang="{language}"' if language else "")
        + f' href="{html.escape(feed_url(app, fmt, language))}" />\n'
        for language, title in feeds
        for fmt, mime in FORMATS.items()
    )
    context["metatags"] = context.get("metatags", "") + links


def setup_feeds(app: Sphinx) -> None:
    """Connect feed writing, the head links and the base-URL check."""
    app.connect("build-finished", note_without_base_url)
    app.connect("html-page-context", add_feed_links)
    app.connect("build-finished", write_feeds)
