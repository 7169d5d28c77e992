"""A post's other languages: its switcher, ``hreflang`` links and page language (SPEC §7b).

A published post whose story (``lang-ref``) has published versions in other
languages gets, under its title, a switcher naming each language in its own
words (``English · Français``), and in its head a ``<link rel="alternate"
hreflang>`` for each version and ``x-default`` for the story's original.
Every page says its language: ``<html lang>`` is the page's (a post's, an
archive page's), and a post's section carries it too. All of it is made when
the page is written, from :func:`~sphinx_newsnode.model.entries.story_versions`,
so a new translation rewrites its siblings without re-reading them.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_newsnode.core import order
from sphinx_newsnode.core.i18n import translator
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.entries import published_entry, story_versions
from sphinx_newsnode.model.languages import (
    default_language,
    language_name,
    original,
    page_language,
    project_language,
)
from sphinx_newsnode.outputs.render import post_section, skip
from sphinx_newsnode.outputs.urls import page_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

    from sphinx_newsnode.model.selection import Entry


class news_languages(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """The language switcher; ``versions`` holds ``(tag, name, uri or "")``, ``label``."""


def versions_of(app: Sphinx, docname: str) -> list[Entry]:
    """The published versions of *docname*'s story, itself included; one: no translations."""
    entry = published_entry(app.env, docname)
    if entry is None:
        return []
    return story_versions(app.env).get(entry.story, [entry])


def mark_post(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A post's section says its language; a translated post gets its switcher.

    At ``doctree-resolved``, for HTML: the section gets ``lang``, and the
    switcher stands under the title.
    """
    if app.builder.format != "html" or docname not in newsnode_domain(app.env).posts:
        return
    section = post_section(doctree)
    if section is None:
        return
    language = page_language(app.env, docname)
    section["classes"].append(f"language-{language}")  # lang="..." in HTML
    if len(versions := versions_of(app, docname)) < 2:
        return
    links = [
        (
            version.lang,
            language_name(version.lang),
            "" if version.docname == docname
            else app.builder.get_relative_uri(docname, version.docname),
        )
        for version in versions
    ]  # fmt: skip
    _ = translator(language).gettext
    # Under the title, and under the byline when the post has one.
    second = section[1] if len(section) > 1 else None
    at = 2 if isinstance(second, nodes.Element) and "newsnode-byline" in second["classes"] else 1
    section.insert(at, news_languages(versions=links, label=_("Other languages")))


def visit_languages_html(self: HTML5Translator, node: news_languages) -> None:
    items = []
    for tag, name, uri in node["versions"]:
        text = html.escape(name)
        if uri:
            items.append(
                f'<li><a href="{html.escape(uri)}" hreflang="{tag}" lang="{tag}">{text}</a></li>'
            )
        else:
            items.append(f'<li><span aria-current="page" lang="{tag}">{text}</span></li>')
    label = html.escape(node["label"])
    self.body.append(
        f'<nav class="newsnode-languages" aria-label="{label}"><ul>{"".join(items)}</ul></nav>\n'
    )
    raise nodes.SkipNode


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    """The page's language for ``<html lang>``; a post's alternates in other languages."""
    if pagename not in app.env.all_docs:
        return  # generated pages set their own
    language = page_language(app.env, pagename)
    if language != project_language(app.config):
        context["language"] = language
    versions = versions_of(app, pagename)
    if len(versions) < 2 or not app.config.html_baseurl:
        return
    first = original(versions, default_language(app.config))
    alternates = [(v.lang, page_url(app, v.docname)) for v in versions]
    alternates.append(("x-default", page_url(app, first.docname)))
    context["metatags"] = context.get("metatags", "") + "".join(
        f'<link rel="alternate" hreflang="{tag}" href="{html.escape(url)}" />\n'
        for tag, url in alternates
    )


def setup_languages(app: Sphinx) -> None:
    """Register the switcher and the page-language handler."""
    app.add_node(
        news_languages,
        html=(visit_languages_html, None),
        latex=(skip, None),
        text=(skip, None),
        man=(skip, None),
        texinfo=(skip, None),
    )
    app.connect("doctree-resolved", mark_post)
    app.connect("html-page-context", page_context, priority=order.PAGE_LANGUAGE)
