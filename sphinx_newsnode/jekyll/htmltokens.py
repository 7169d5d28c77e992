"""Raw HTML of posts, split into text and tags in linear time.

Python's :class:`html.parser.HTMLParser` rescans the rest of its input at
every ``<`` that does not close (``<a <a <a ...``): quadratic on a hostile
post. This tokenizer reads each character a bounded number of times. It
gives each tag's attributes with the position of their values, so callers
can rewrite a ``src`` or ``href`` and leave the rest of the HTML as written.

A ``<`` that does not start a well-formed tag is text, as browsers read it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

# Possessive quantifiers throughout: a match succeeds or fails without
# handing characters back, so each attempt costs the length it reads.
_NAME = re.compile(r"<(/?)([a-zA-Z][\w:.-]*+)")
_ATTRIBUTE = re.compile(r"""\s++([^\s"'<>/=]++)(?:\s*+=\s*+("[^"]*+"|'[^']*+'|[^\s"'<>=`]++))?""")
_TAG_END = re.compile(r"\s*+/?>")
_SKIPPED = frozenset({"script", "style"})


@dataclass(frozen=True)
class Attribute:
    """One attribute of a tag; ``span`` is where its value is written (quotes excluded)."""

    name: str
    value: str
    """The value with its character references decoded."""
    span: tuple[int, int] | None
    """Start and end of the written value in the source; ``None`` without one."""


@dataclass(frozen=True)
class Tag:
    """A start or end tag of an HTML fragment."""

    name: str
    """Lower case."""
    closing: bool
    start: int
    end: int
    attributes: tuple[Attribute, ...] = ()

    def get(self, name: str, default: str = "") -> str:
        """The value of attribute *name* (the first one written)."""
        return next((a.value for a in self.attributes if a.name == name), default)

    def attribute(self, name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.name == name), None)


def tokens(source: str) -> Iterator[str | Tag]:
    """Text (character references decoded) and tags of *source*, in order.

    Comments and the content of ``<script>`` and ``<style>`` are left out.
    """
    position = 0
    text_start = 0
    length = len(source)
    unclosed_from: dict[str, int] = {}  # no </script> (or </style>) after this point
    while (lt := source.find("<", position)) != -1:
        if source.startswith("<!--", lt):
            end = source.find("-->", lt + 4)
            end = length if end == -1 else end + 3
            if lt > text_start:
                yield html.unescape(source[text_start:lt])
            position = text_start = end
            continue
        tag = _tag_at(source, lt)
        if tag is None:
            position = lt + 1  # a "<" that starts no tag: text
            continue
        if lt > text_start:
            yield html.unescape(source[text_start:lt])
        yield tag
        position = text_start = tag.end
        if tag.name in _SKIPPED and not tag.closing:
            close = None
            if unclosed_from.get(tag.name, length) > tag.end:
                close = re.compile(rf"</{tag.name}\s*+>", re.IGNORECASE).search(source, tag.end)
            if close is None:
                unclosed_from[tag.name] = tag.end
            position = text_start = close.end() if close else length
    if text_start < length:
        yield html.unescape(source[text_start:])


def tags(source: str) -> Iterator[Tag]:
    """The tags of *source* (see :func:`tokens`)."""
    return (token for token in tokens(source) if isinstance(token, Tag))


def _tag_at(source: str, start: int) -> Tag | None:
    """The tag that starts at *start*, if one does."""
    name = _NAME.match(source, start)
    if name is None:
        return None
    position = name.end()
    attributes: list[Attribute] = []
    while attribute := _ATTRIBUTE.match(source, position):
        written = attribute.group(2)
        span = None
        value = ""
        if written is not None:
            quoted = written[:1] in {'"', "'"}
            value_start = attribute.start(2) + quoted
            value_end = attribute.end(2) - quoted
            span = (value_start, value_end)
            value = html.unescape(source[value_start:value_end])
        attributes.append(Attribute(attribute.group(1).lower(), value, span))
        position = attribute.end()
    end = _TAG_END.match(source, position)
    if end is None:
        return None
    return Tag(name.group(2).lower(), name.group(1) == "/", start, end.end(), tuple(attributes))
