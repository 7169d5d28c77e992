"""kramdown attribute lists, applied as kramdown applies them (SPEC §9).

``{: .class #id key="value"}`` stays in the text MyST reads (it is not
CommonMark); :class:`AttributeLists` then applies each to what kramdown
would: a span list right after a link or image to that link or image, a
list on the last line of a paragraph (or alone in the next one) to the
paragraph. Classes and ids are kept, ``target`` on links too; other
attributes are removed with an info message. (Links given the class
``button`` become buttons in the reading layer.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from sphinx_newsnode.core import order
from sphinx_newsnode.jekyll.kramdown import ATTRIBUTE_LIST, attributes
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.links import LINK_NODES
from sphinx_newsnode.model.post import CSS_CLASS

if TYPE_CHECKING:
    import re

logger = logging.getLogger(__name__)

_SPANS = (*LINK_NODES, nodes.image, nodes.inline, nodes.emphasis, nodes.strong, nodes.literal)


class AttributeLists(SphinxTransform):
    """Apply kramdown attribute lists in posts.

    Before: ``paragraph[reference, Text("{: .button }")]``. After:
    ``paragraph[reference(classes=[button])]``.
    """

    default_priority = order.ATTRIBUTE_LISTS

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
        if len(content) == 1 and isinstance(content[0], LINK_NODES):
            return content[0]  # a link alone on its line: that link
        return parent

    def apply_to(self, node: nodes.Element | None, spec: str, where: nodes.Element) -> None:
        dropped = []
        for kind, value in attributes(spec):
            if node is None:
                dropped.append(value)
            elif kind == "class" and CSS_CLASS.fullmatch(value):
                node["classes"].append(value)
            elif kind == "id":
                identifier = nodes.make_id(value)
                if identifier and identifier not in self.document.ids:
                    node["ids"].append(identifier)
                    self.document.ids[identifier] = node
            elif kind == "target" and isinstance(node, LINK_NODES):
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


def apply_span_lists(parent: nodes.Element) -> list[str]:
    """Apply the attribute lists that follow a link or image among *parent*'s children.

    For a few inline nodes of their own (a credit in front matter:
    ``[collectada](url){:target="_blank"}``): classes and ``target`` are
    applied, the list's text removed; what else it held is returned.
    """
    dropped: list[str] = []
    for index, child in reversed(list(enumerate(parent.children))):
        previous = parent[index - 1] if index > 0 else None
        if not isinstance(child, nodes.Text) or not isinstance(previous, _SPANS):
            continue
        match = ATTRIBUTE_LIST.match(str(child))
        if match is None:
            continue
        for kind, value in attributes(match.group(1)):
            if kind == "class" and CSS_CLASS.fullmatch(value):
                previous["classes"].append(value)
            elif kind == "target" and isinstance(previous, LINK_NODES):
                previous["target"] = value
                if value == "_blank":
                    previous["rel"] = "noopener"
            else:
                dropped.append(value if kind in {"word", "class"} else f"{kind}={value}")
        rest = str(child)[match.end() :]
        if rest:
            parent.replace(child, nodes.Text(rest))
        else:
            parent.remove(child)
    return dropped
