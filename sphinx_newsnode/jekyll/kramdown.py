"""kramdown habits in Jekyll posts, read as Jekyll reads them (SPEC §9).

Jekyll parses posts with kramdown, not CommonMark. Before MyST reads a post,
:func:`fix_markdown` rewrites, line for line, what kramdown reads
differently: ``{::comment}`` and ``{::options}`` blocks (dropped), link
targets with spaces (wrapped in ``<...>``), ``#Title`` without a space, and
typed ``•`` bullets.

Attribute lists (``{: .class #id key="value"}``) stay in the text MyST
reads: :mod:`~sphinx_newsnode.jekyll.attributes` applies them to the doctree
with :data:`ATTRIBUTE_LIST` and :func:`attributes`.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from sphinx_newsnode.jekyll.liquid import page_variables, render
from sphinx_newsnode.jekyll.rendering import Found, LiquidContext

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx_newsnode.model.post import Post

# Every pattern over author text runs in linear time: a quantified class never
# holds the character that starts the pattern (so no two attempts scan the same
# text) and possessive quantifiers never hand characters back.
ATTRIBUTE_LIST = re.compile(r"\{:(?!:)([^{}]*+)\}")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_EXTENSION = re.compile(r"\{::(\w++)([^{}]*+)\}")
_LINK_TARGET = re.compile(r"\]\(([^()<>\"'\n]*+)\)")
_NO_SPACE_HEADING = re.compile(r"^(#{1,6})(?=[^\s#])")
_BULLET = re.compile(r"^(\s*)•\s*")
#: kramdown's span-level elements, whose content it reads as Markdown.
SPAN_ELEMENTS = (
    "a", "abbr", "b", "bdo", "big", "cite", "code", "del", "dfn", "em", "font", "i", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time",
    "tt", "u", "var",
)  # fmt: skip
_SPAN_TAG_LINE = re.compile(
    r"^ {0,3}<(?:" + "|".join(SPAN_ELEMENTS) + r")\b[^<>]*+>[ \t]*$", re.IGNORECASE
)
SPAN_MARK = "<!-- kramdown: span -->"
"""What follows a span element's tag alone on its line: the line is then no
HTML block but the start of a paragraph, and the Markdown after it is read."""
_ATTRIBUTE = re.compile(
    r"""\.(-?[_a-zA-Z][\w-]*+)|\#([\w:.-]++)|([\w-]++)=("[^"]*+"|'[^']*+'|[^\s"']++)|([\w-]++)"""
)


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
        if _SPAN_TAG_LINE.match(line) and index + 1 < len(lines) and lines[index + 1].strip():
            # kramdown reads Markdown inside span elements (<small>, <span>...);
            # CommonMark makes a tag alone on its line an HTML block, read as is.
            line += SPAN_MARK
            found.append(Found("Markdown in span HTML", number, line.strip()))
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
        folder = context.sources / PurePosixPath(post.path).parent if context.sources else None
        body, found = render(
            body, context, page_variables(post), post.body_line, escape=True, folder=folder
        )
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
