"""Social metadata of post pages: Open Graph, Twitter cards, JSON-LD (SPEC §6).

Every published post page gets ``og:*`` and ``article:*`` tags, a Twitter
card and one schema.org ``NewsArticle`` in JSON-LD (with its image's licence
and credit). URLs are absolute, from ``html_baseurl``; without it the tags
that need one are left out.

When sphinxext-opengraph is loaded too, it writes the ``og:*`` tags: this
module hands it the post's values as page-level overrides and writes only
what it does not (``article:*``, Twitter, JSON-LD), so no tag is doubled.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

from sphinx_newsnode.core import order
from sphinx_newsnode.core.config import timezone
from sphinx_newsnode.model.dates import as_moment
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.entries import published_entry, story_versions
from sphinx_newsnode.model.languages import default_language, open_graph_locale, original
from sphinx_newsnode.outputs.urls import image_site_url, page_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_newsnode.model.selection import Entry

OPENGRAPH_EXTENSION = "sphinxext.opengraph"


def open_graph(app: Sphinx, entry: Entry) -> dict[str, str]:
    """The ``og:`` properties of a post page."""
    properties = {"og:title": entry.title, "og:type": "article"}
    properties["og:locale"] = open_graph_locale(entry.lang)
    if entry.summary:
        properties["og:description"] = entry.summary
    if app.config.html_baseurl:
        properties["og:url"] = page_url(app, entry.docname)
        if image := image_site_url(app, entry.image):
            properties["og:image"] = image
            properties["og:image:alt"] = entry.image_alt or entry.title
    return properties


def article_tags(app: Sphinx, entry: Entry) -> list[tuple[str, str, str]]:
    """``(attribute, name, content)`` of the ``article:`` and Twitter tags."""
    tags = [
        ("property", "og:locale:alternate", open_graph_locale(version.lang))
        for version in translations(app, entry)
    ]
    if entry.date:
        moment = as_moment(entry.date, timezone(app.config))
        tags.append(("property", "article:published_time", moment.isoformat()))
    if entry.modified:
        modified = as_moment(entry.modified, timezone(app.config))
        tags.append(("property", "article:modified_time", modified.isoformat()))
    tags += [("property", "article:tag", name) for name in entry.tags]
    image = image_site_url(app, entry.image) if app.config.html_baseurl else None
    tags.append(("name", "twitter:card", "summary_large_image" if image else "summary"))
    tags.append(("name", "twitter:title", entry.title))
    if entry.summary:
        tags.append(("name", "twitter:description", entry.summary))
    if image:
        tags.append(("name", "twitter:image", image))
        tags.append(("name", "twitter:image:alt", entry.image_alt or entry.title))
    return tags


def json_ld(app: Sphinx, entry: Entry) -> dict[str, Any]:
    """The schema.org ``NewsArticle`` of a post."""
    page = newsnode_domain(app.env).pages.get(entry.docname)
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": entry.title,
    }
    if entry.date:
        article["datePublished"] = as_moment(entry.date, timezone(app.config)).isoformat()
    if entry.modified:
        article["dateModified"] = as_moment(entry.modified, timezone(app.config)).isoformat()
    if entry.summary:
        article["description"] = entry.summary
    article["inLanguage"] = entry.lang
    if others := translations(app, entry):
        first = original([entry, *others], default_language(app.config))
        if first is entry:
            article["workTranslation"] = [work(app, version) for version in others]
        else:
            article["translationOfWork"] = work(app, first)
    if app.config.html_baseurl:
        article["url"] = article["mainEntityOfPage"] = page_url(app, entry.docname)
        if image := image_site_url(app, entry.image):
            picture: dict[str, Any] = {"@type": "ImageObject", "url": image}
            if page and page.credit:
                picture["creditText"] = page.credit
            if page and page.license_url:
                picture["license"] = page.license_url
            article["image"] = picture
    if entry.tags:
        article["keywords"] = list(entry.tags)
    return article


def translations(app: Sphinx, entry: Entry) -> list[Entry]:
    """The published versions of *entry*'s story in other languages."""
    versions = story_versions(app.env).get(entry.story, [])
    return [version for version in versions if version.docname != entry.docname]


def work(app: Sphinx, entry: Entry) -> dict[str, str]:
    """A version of a story, as JSON-LD names it from another."""
    named = {"@type": "NewsArticle", "headline": entry.title, "inLanguage": entry.lang}
    if app.config.html_baseurl:
        named["url"] = page_url(app, entry.docname)
    return named


_SCRIPT_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_json(value: object) -> str:
    """*value* as JSON to embed in a ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as JSON escapes: no ``</script>``,
    ``<!--`` or ``<script`` in a value can end the element early or put the
    browser's script parser into another state, and the data stays the same.
    """
    return json.dumps(value, ensure_ascii=False, indent=1).translate(_SCRIPT_UNSAFE)


def meta_tag(attribute: str, name: str, content: str) -> str:
    return f'<meta {attribute}="{html.escape(name)}" content="{html.escape(content)}" />\n'


def add_social_metadata(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    """Write the post's social metadata into the page head."""
    if doctree is None or (entry := published_entry(app.env, pagename)) is None:
        return
    properties = open_graph(app, entry)
    head = []
    if OPENGRAPH_EXTENSION in app.extensions:
        # sphinxext-opengraph reads og: keys of the page metadata as overrides;
        # a copy, so the environment's metadata is left as it was.
        context["meta"] = {**(context.get("meta") or {}), **properties}
    else:
        head += [meta_tag("property", name, value) for name, value in properties.items()]
    head += [meta_tag(*tag) for tag in article_tags(app, entry)]
    data = script_json(json_ld(app, entry))
    head.append(f'<script type="application/ld+json">\n{data}\n</script>\n')
    context["metatags"] = context.get("metatags", "") + "".join(head)


def setup_social(app: Sphinx) -> None:
    """Connect the metadata writer before sphinxext-opengraph's own handler."""
    app.connect("html-page-context", add_social_metadata, priority=order.SOCIAL_METADATA)
