"""kramdown habits in Jekyll posts, read as Jekyll reads them (SPEC §9).

Jekyll parses posts with kramdown, not CommonMark. Before MyST reads a post,
:func:`fix_markdown` rewrites, line for line, what kramdown reads
differently: ``{::comment}`` and ``{::options}`` blocks (dropped), link
targets with spaces (wrapped in ``<...>``), ``#Title`` without a space, and
typed ``•`` bullets.

Attribute lists (``{: .class #id key="value"}``) stay in the text MyST
reads; :class:`AttributeLists` then applies each to what kramdown would
apply it to: a span list right after a link or image to that link or image,
a list on the last line of a paragraph (or alone in the next one) to the
paragraph. Classes and ids are kept, ``target`` on links too; other
attributes are removed with an info message. Links given the class
``button`` (``is-primary`` for a filled one) become call-to-action buttons.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from sphinx_newsnode.cta import news_cta, news_cta_group
from sphinx_newsnode.domain import newsnode_domain
from sphinx_newsnode.liquid import Found, LiquidContext, page_variables, render

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx_newsnode.posts import Post

logger = logging.getLogger(__name__)

ATTRIBUTE_LIST = re.compile(r"\{:(?!:)\s*([^{}]*?)\s*\}")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_EXTENSION = re.compile(r"\{::(\w+)([^}]*?)(/?)\}")
_SPACED_TARGET = re.compile(r"(\]\()\s*([^()<>\s\"'][^()<>\"']*?\s[^()<>\"']*?)\s*(\))")
_NO_SPACE_HEADING = re.compile(r"^(#{1,6})(?=[^\s#])")
_BULLET = re.compile(r"^(\s*)•\s*")
_ATTRIBUTE = re.compile(
    r"""\.(-?[_a-zA-Z][\w-]*)|\#([\w:.-]+)|([\w-]+)=("[^"]*"|'[^']*'|[^\s"']+)|([\w-]+)"""
)
_CSS_CLASS = re.compile(r"-?[_a-zA-Z][_a-zA-Z0-9-]*")
_LINKS = (nodes.reference, addnodes.pending_xref, addnodes.download_reference)
_SPANS = (*_LINKS, nodes.image, nodes.inline, nodes.emphasis, nodes.strong, nodes.literal)
BUTTON, PRIMARY = "button", ("is-primary", "primary")


def fix_markdown(text: str, first_line: int = 1) -> tuple[str, list[Found]]:
    """*text* with kramdown's block extensions and readings made CommonMark.

    Fenced code is left alone; the number of lines never changes.
    """
    lines = text.split("\n")
    found: list[Found] = []
    fence = ""
    open_block: tuple[str, int] | None = None  # a {::comment} block being dropped
    for index, line in enumerate(lines):
        number = first_line + index
        if open_block is not None:
            name, _start = open_block
            end = re.search(r"\{:/(" + name + r")?\}", line)
            lines[index] = line[end.end() :] if end else ""
            open_block = None if end else open_block
            continue
        if fence:
            if line.strip().startswith(fence):
                fence = ""
            continue
        if match := _FENCE.match(line):
            fence = match.group(1)[0] * 3
            continue
        line, open_block = _extensions(line, number, found)
        if attribute_list := ATTRIBUTE_LIST.search(line):
            found.append(Found("attribute list", number, attribute_list.group(0)))
        if _SPACED_TARGET.search(line):
            line = _SPACED_TARGET.sub(lambda m: f"{m[1]}<{m[2].strip()}>{m[3]}", line)
            found.append(Found("link with spaces", number, line.strip()))
        if _NO_SPACE_HEADING.match(line):
            line = _NO_SPACE_HEADING.sub(r"\1 ", line)
            found.append(Found("heading without a space", number, line.strip()))
        if _BULLET.match(line):
            line = _BULLET.sub(r"\1- ", line)
            found.append(Found("typed bullet", number, line.strip()))
        lines[index] = line
    return "\n".join(lines), found


def jekyll_markdown(
    body: str, context: LiquidContext | None, post: Post
) -> tuple[str, list[Found]]:
    """A post's body as Jekyll reads it: Liquid rendered, then kramdown's readings.

    What was found comes with it; the build warns about its problems and
    ``newsnode import`` reports it.
    """
    found: list[Found] = []
    if context is not None and ("{{" in body or "{%" in body):
        body, found = render(body, context, page_variables(post), post.body_line)
    body, fixes = fix_markdown(body, post.body_line)
    return body, found + fixes


def _extensions(line: str, number: int, found: list[Found]) -> tuple[str, tuple[str, int] | None]:
    """*line* without kramdown extensions; the block left open, if any."""
    while match := _EXTENSION.search(line):
        name, closed = match.group(1), match.group(3) == "/"
        found.append(Found(f"kramdown {name}", number, match.group(0)))
        if name in {"comment", "nomarkdown"} and not closed:
            end = re.compile(r"\{:/(" + name + r")?\}").search(line, match.end())
            if name == "nomarkdown":  # its content is raw HTML: kept
                inner = line[match.end() : end.start()] if end else line[match.end() :]
                line = line[: match.start()] + inner + (line[end.end() :] if end else "")
                continue
            if end is None:
                return line[: match.start()], (name, number)
            line = line[: match.start()] + line[end.end() :]
            continue
        line = line[: match.start()] + line[match.end() :]  # {::options .../}
    line = re.sub(r"\{:/nomarkdown\}", "", line)
    return line, None


def attributes(spec: str) -> Iterator[tuple[str, str]]:
    """``(kind, value)`` of an attribute list: ``class``, ``id``, ``key=value``, ``word``."""
    for cls, ident, key, value, word in _ATTRIBUTE.findall(spec):
        if cls:
            yield "class", cls
        elif ident:
            yield "id", ident
        elif key:
            yield key, value.strip("\"'")
        elif word:
            yield "word", word


class AttributeLists(SphinxTransform):
    """Apply kramdown attribute lists in posts; make ``.button`` links buttons."""

    default_priority = 400  # before SmartQuotes, which would curl the quotes

    def apply(self, **kwargs: object) -> None:
        if self.env.docname not in newsnode_domain(self.env).scan:
            return
        for text in list(self.document.findall(nodes.Text)):
            if "{:" in text and not isinstance(text.parent, nodes.FixedTextElement | nodes.literal):
                self.handle(text)
        for link in list(self.document.findall(nodes.Element)):
            if isinstance(link, _LINKS) and BUTTON in link["classes"]:
                make_button(link)

    def handle(self, text: nodes.Text) -> None:
        parent = text.parent
        value = str(text)
        out, position = [], 0
        for match in ATTRIBUTE_LIST.finditer(value):
            before, after = value[position : match.start()], value[match.end() :]
            target = self.target(text, match, before, after)
            out.append(before if after.strip() else before.rstrip("\n"))
            self.apply_to(target, match.group(1), text)
            position = match.end()
        out.append(value[position:])
        remaining = "".join(out)
        if remaining.strip() or len(parent.children) > 1:
            parent.replace(text, nodes.Text(remaining))
        else:
            parent.remove(text)
        if isinstance(parent, nodes.paragraph) and not parent.astext().strip():
            parent.parent.remove(parent)  # the attribute list was the whole paragraph

    def target(
        self, text: nodes.Text, match: re.Match[str], before: str, after: str
    ) -> nodes.Element | None:
        """What the attribute list applies to, as kramdown decides."""
        parent = text.parent
        index = parent.index(text)
        previous = parent[index - 1] if index > 0 else None
        if match.start() == 0 and isinstance(previous, _SPANS):
            return previous  # [text](url){: .class}: the link
        # MyST makes a soft line break a Text node of its own.
        previous_text = str(previous) if isinstance(previous, nodes.Text) else ""
        on_own_line = before.endswith("\n") or (
            match.start() == 0 and (index == 0 or previous_text.endswith("\n"))
        )
        last = index == len(parent) - 1 and isinstance(parent, nodes.paragraph)
        if not (on_own_line and last and not after.strip()):
            return None
        if match.start() == 0 and not parent.astext()[: parent.astext().find("{:")].strip():
            # A paragraph of its own: the block before.
            block = parent.parent
            position = block.index(parent)
            before_block = block[position - 1] if position > 0 else None
            return before_block if isinstance(before_block, nodes.Element) else None
        content = [c for c in parent.children[:index] if c.astext().strip()]
        if len(content) == 1 and isinstance(content[0], _LINKS):
            return content[0]  # a link alone on its line: that link
        return parent

    def apply_to(self, node: nodes.Element | None, spec: str, where: nodes.Text) -> None:
        dropped = []
        for kind, value in attributes(spec):
            if node is None:
                dropped.append(value)
            elif kind == "class" and _CSS_CLASS.fullmatch(value):
                node["classes"].append(value)
            elif kind == "id":
                identifier = nodes.make_id(value)
                if identifier and identifier not in self.document.ids:
                    node["ids"].append(identifier)
                    self.document.ids[identifier] = node
            elif kind == "target" and isinstance(node, _LINKS):
                node["target"] = value
                if value == "_blank":
                    node["rel"] = "noopener"
            else:
                dropped.append(value if kind in {"word", "class"} else f"{kind}={value}")
        if dropped:
            logger.info(
                "newsnode: kramdown attributes %s removed (not applicable in Sphinx)",
                ", ".join(dropped),
                location=where.parent,
            )


def make_button(link: nodes.Element) -> None:
    """Wrap a link in a call-to-action button; a paragraph of buttons becomes their group."""
    primary = any(cls in link["classes"] for cls in PRIMARY)
    kind = "primary" if primary else "secondary"
    button = news_cta(primary=primary, classes=["newsnode-cta", f"newsnode-cta--{kind}"])
    parent = link.parent
    parent.replace(link, button)
    button += link
    if type(parent) is nodes.paragraph and all(
        isinstance(child, news_cta) or not child.astext().strip() for child in parent.children
    ):
        group = news_cta_group(classes=["newsnode-cta-group", *parent["classes"]])
        group.extend(parent.children)
        group.source, group.line = parent.source, parent.line
        parent.replace_self(group)
