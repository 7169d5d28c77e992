"""Markdown from front matter, turned into safe inline docutils nodes.

``imageLicense`` and ``description`` are Markdown inline (the fixture's
``*Anthopleura michaelseni*`` is emphasis). They are rendered with MyST's own
renderer and configuration, then reduced to a whitelist of inline nodes:
raw HTML keeps only its text, links keep only safe schemes. Each reduction is
reported, so nothing is lost silently.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.parsers.rst.languages import get_language as get_language_rst
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from sphinx import addnodes

from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.jekyll.attributes import apply_span_lists
from sphinx_newsnode.model.links import is_safe_url

if TYPE_CHECKING:
    from collections.abc import MutableMapping
    from typing import Any

    from markdown_it import MarkdownIt
    from myst_parser.config.main import MdParserConfig
    from sphinx.environment import BuildEnvironment

_INLINE_NODES = (
    nodes.Text,
    nodes.emphasis,
    nodes.strong,
    nodes.literal,
    nodes.reference,
    nodes.inline,
    nodes.subscript,
    nodes.superscript,
    addnodes.pending_xref,
)
_TAG = re.compile(r"<[^<>]*+>")
#: What makes a text more than plain text for MyST (emphasis, links, code, HTML,
#: entities, escapes, roles, attribute lists, autolinks).
_MARKDOWN = re.compile(r"[*_\[\]`<>&\\{}~|!]|https?://|www\.|@")
_PARSERS: dict[int, tuple[MdParserConfig, MarkdownIt]] = {}


class SnippetRenderer(SphinxRenderer):
    """MyST's Sphinx renderer, for snippets that always bring their document.

    MyST's ``setup_render`` evaluates ``options.get("document",
    make_document())``: a throw-away docutils document whose default
    settings docutils' option parser builds, 0.6 ms on every call (two per
    post). This one sets up the same per-render state from the snippet's
    document alone (a test compares it with MyST's).
    """

    def setup_render(self, options: dict[str, Any], env: MutableMapping[str, Any]) -> None:
        self.md_env = env
        self.md_options = options
        self.md_config = options["myst_config"]
        self.document = options["document"]
        self.current_node = options.get("current_node", self.document)
        self.reporter = self.document.reporter
        self.language_module_rst = get_language_rst(self.document.settings.language_code)  # type: ignore[assignment]
        self._heading_offset = 0
        self._level_to_section = {0: self.document}
        self._heading_slugs = {}


def markdown_parser(config: MdParserConfig) -> MarkdownIt:
    """MyST's parser for *config*, made once a process (it was most of a post's cost)."""
    made = _PARSERS.get(id(config))
    if made is None or made[0] is not config:
        made = _PARSERS[id(config)] = (config, create_md_parser(config, SnippetRenderer))
    return made[1]


def markdown_inline(
    text: str, document: nodes.document, *, key: str, line: int
) -> list[nodes.Node]:
    """Render the Markdown *text* of front-matter *key* into inline nodes.

    *line* is the key's line in the file: the nodes carry it, and so do the
    warnings about what had to be removed.
    """
    env: BuildEnvironment = document.settings.env
    if not _MARKDOWN.search(text):
        return [nodes.Text(" ".join(text.split()))]  # plain text needs no parser
    snippet = nodes.document(document.settings, document.reporter, source=document["source"])
    parser = markdown_parser(env.myst_config)  # type: ignore[attr-defined]  # set by MyST
    parser.options["document"] = snippet
    parser.render(text)
    location = (env.docname, line)
    result: list[nodes.Node] = []
    for block in snippet.children:
        if isinstance(block, (nodes.comment, nodes.target, nodes.system_message)):
            continue
        if not isinstance(block, nodes.paragraph):
            block = nodes.paragraph("", "", _sanitise(block, key, location))
        if result:
            result.append(nodes.Text(" "))
        result.extend(_sanitise(child, key, location) for child in block.children)
    # kramdown attribute lists after a link ([x](url){:target="_blank"}): applied.
    holder = nodes.paragraph("", "", *result)
    if dropped := apply_span_lists(holder):
        warn(Subtype.UNSAFE_MARKUP, f"{key}: attributes {', '.join(dropped)} removed", location)
    result = list(holder.children)
    for node in result:
        for descendant in node.findall():
            # Belong to the page's document, not the snippet's: a node that
            # kept the snippet would pickle it (settings, reporter, all) with
            # every doctree, five times its own size.
            descendant.document = document
            if isinstance(descendant, nodes.Element):
                descendant.line = line
                descendant.source = document["source"]
    return result


def _sanitise(node: nodes.Node, key: str, location: tuple[str, int]) -> nodes.Node:
    """*node* with everything outside the inline whitelist reduced to text."""
    if isinstance(node, nodes.raw):
        warn(
            Subtype.UNSAFE_MARKUP,
            f"{key}: raw HTML {node.astext().strip()[:60]!r} removed; its text is kept",
            location,
        )
        return nodes.Text(_text_of(node))
    if not isinstance(node, _INLINE_NODES) and isinstance(node, nodes.Element):
        warn(
            Subtype.UNSAFE_MARKUP,
            f"{key}: only inline Markdown is used; a {node.tagname} was kept as text",
            location,
        )
        return nodes.Text(node.astext())
    if isinstance(node, nodes.reference) and not is_safe_url(node.get("refuri", "")):
        warn(Subtype.UNSAFE_URL, f"{key}: link to {node['refuri']!r} removed", location)
        return nodes.Text(node.astext())
    if isinstance(node, nodes.Element):
        node.children = [_sanitise(child, key, location) for child in node.children]
        for child in node.children:
            child.parent = node
    return node


def _text_of(node: nodes.Node) -> str:
    """The visible text of *node*, HTML tags stripped."""
    text = node.astext()
    if isinstance(node, nodes.raw) or "<" in text:
        text = html.unescape(_TAG.sub("", text))
    return text
