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

from sphinx_newsnode.jekyll.liquid import Found, LiquidContext, page_variables, render
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.reading.cta import news_cta, news_cta_group

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx_newsnode.model.post import Post

logger = logging.getLogger(__name__)

# Every pattern over author text runs in linear time: a quantified class never
# holds the character that starts the pattern (so no two attempts scan the same
# text) and possessive quantifiers never hand characters back.
ATTRIBUTE_LIST = re.compile(r"\{:(?!:)([^{}]*+)\}")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_EXTENSION = re.compile(r"\{::(\w++)([^{}]*+)\}")
_LINK_TARGET = re.compile(r"\]\(([^()<>\"'\n]*+)\)")
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
        if not line.strip():
            continue  # nothing kramdown reads differently (and blank lines are many)
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
        if "](" in line and (spaced := _LINK_TARGET.sub(_bracket_spaced_target, line)) != line:
            line = spaced
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
        body, found = render(body, context, page_variables(post), post.body_line, escape=True)
    body, fixes = fix_markdown(body, post.body_line)
    return body, found + fixes


def _bracket_spaced_target(match: re.Match[str]) -> str:
    """``](a b.pdf)`` as ``](<a b.pdf>)``: kramdown reads a target with spaces, CommonMark not."""
    target = match[1].strip()
    if target and any(char.isspace() for char in target):
        return f"](<{target}>)"
    return match[0]


def _extensions(line: str, number: int, found: list[Found]) -> tuple[str, tuple[str, int] | None]:
    """*line* without kramdown extensions; the block left open, if any.

    One pass from left to right: what an extension leaves in the line (the
    raw HTML of ``{::nomarkdown}``) is not searched again.
    """
    out: list[str] = []
    position = 0
    while match := _EXTENSION.search(line, position):
        name, closed = match.group(1), match.group(2).endswith("/")
        found.append(Found(f"kramdown {name}", number, match.group(0)))
        out.append(line[position : match.start()])
        position = match.end()
        if name not in {"comment", "nomarkdown"} or closed:
            continue  # {::options .../}: dropped
        end = re.compile(r"\{:/(?:" + name + r")?\}").search(line, position)
        if name == "nomarkdown":  # its content is raw HTML: kept
            out.append(line[position : end.start()] if end else line[position:])
        elif end is None:
            return "".join(out), (name, number)
        position = end.end() if end else len(line)
    out.append(line[position:])
    return "".join(out).replace("{:/nomarkdown}", ""), None


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
        parents = {
            id(text.parent): text.parent
            for text in self.document.findall(nodes.Text)
            if "{:" in text and not isinstance(text.parent, nodes.FixedTextElement | nodes.literal)
        }
        for parent in parents.values():
            self.handle(parent)
        for link in list(self.document.findall(nodes.Element)):
            if isinstance(link, _LINKS) and BUTTON in link["classes"]:
                make_button(link)

    def handle(self, parent: nodes.Element) -> None:
        """Apply and remove the attribute lists in the texts of *parent*, in one pass."""
        children = list(parent.children)
        kept: list[nodes.Node] = []
        for index, child in enumerate(children):
            if not isinstance(child, nodes.Text) or "{:" not in child:
                kept.append(child)
                continue
            value = str(child)
            content_end = len(value.rstrip())
            out, position = [], 0
            for match in ATTRIBUTE_LIST.finditer(value):
                before = value[position : match.start()]
                last_on_line = match.end() >= content_end
                target = self.target(children, index, kept, match, before, last_on_line, parent)
                out.append(before.rstrip("\n") if last_on_line else before)
                self.apply_to(target, match.group(1), parent)
                position = match.end()
            out.append(value[position:])
            remaining = "".join(out)
            if remaining.strip() or len(children) > 1:
                kept.append(nodes.Text(remaining))
        parent.children = []
        parent.extend(kept)
        if isinstance(parent, nodes.paragraph) and not parent.astext().strip():
            parent.parent.remove(parent)  # the attribute list was the whole paragraph

    def target(
        self,
        children: list[nodes.Node],
        index: int,
        kept: list[nodes.Node],
        match: re.Match[str],
        before: str,
        last_on_line: bool,
        parent: nodes.Element,
    ) -> nodes.Element | None:
        """What the attribute list in ``children[index]`` applies to, as kramdown decides.

        *kept* holds the children before it, their own attribute lists removed.
        """
        previous = children[index - 1] if index > 0 else None
        if match.start() == 0 and isinstance(previous, _SPANS):
            return previous  # [text](url){: .class}: the link
        # MyST makes a soft line break a Text node of its own.
        previous_text = str(previous) if isinstance(previous, nodes.Text) else ""
        on_own_line = before.endswith("\n") or (
            match.start() == 0 and (index == 0 or previous_text.endswith("\n"))
        )
        last = index == len(children) - 1 and isinstance(parent, nodes.paragraph)
        if not (on_own_line and last and last_on_line):
            return None
        if match.start() == 0 and not "".join(c.astext() for c in kept).strip():
            # A paragraph of its own: the block before.
            block = parent.parent
            position = block.index(parent)
            before_block = block[position - 1] if position > 0 else None
            return before_block if isinstance(before_block, nodes.Element) else None
        content = [c for c in kept if c.astext().strip()]
        if len(content) == 1 and isinstance(content[0], _LINKS):
            return content[0]  # a link alone on its line: that link
        return parent

    def apply_to(self, node: nodes.Element | None, spec: str, where: nodes.Element) -> None:
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
                location=where,
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
