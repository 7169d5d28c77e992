"""Liquid in a post's text, split into tokens in linear time.

python-liquid's own lexer rescans the rest of the text at every ``{`` that
does not close (quadratic on a run of ``{``), and its expression parser
recurses on ``[``. :func:`tokens` gives python-liquid's parser the same
tokens from a scan that reads each character a bounded number of times;
what is not well-formed Liquid (an opener never closed, a tag without a
name, an expression too long or nested too deep) is text, with a problem,
as a reader would see it.

Two Jekyll tags are read here, as Jekyll reads them, because their content
is not Liquid: ``{% raw %}`` (the text as written) and ``{% highlight %}``
(a fenced code block). Every token keeps the offset it starts at, for lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from liquid.token import (
    TOKEN_COMMENT,
    TOKEN_CONTENT,
    TOKEN_EXPRESSION,
    TOKEN_OUTPUT,
    TOKEN_TAG,
    Token,
)

_OPENER = re.compile(r"\{[{%]")
_CLOSER = {"{{": "}}", "{%": "%}"}
_TAG = re.compile(r"-?\s*(#|\w++)(.*)", re.DOTALL)
MAX_EXPRESSION = 2000
"""Characters of one ``{{ }}`` or tag: longer is no template a node writes."""
MAX_NESTING = 32
"""Brackets and parentheses in one expression (python-liquid recurses on them)."""
#: Tags whose content is text, closed by their end tag.
VERBATIM = {"raw": "endraw", "highlight": "endhighlight", "comment": "endcomment"}


@dataclass
class Lexed:
    """The tokens of a text, and what in it is not Liquid after all."""

    tokens: list[Token] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    """``(offset, why)`` of each construct kept as text."""
    constructs: list[tuple[int, int, str]] = field(default_factory=list)
    """``(start, end, kind)`` of each output and tag that opens something:
    ``output``, ``include``, ``for``, ``raw``..."""


def tokens(source: str, known: frozenset[str]) -> Lexed:
    """Tokens of *source* for python-liquid's parser; *known* are the tag names it has.

    A tag with another name (a plugin the Jekyll site had) is kept as text.
    """
    lexer = _Lexer(source, known)
    lexer.run()
    return lexer.result


class _Lexer:
    def __init__(self, source: str, known: frozenset[str]) -> None:
        self.source = source
        self.known = known
        self.result = Lexed()
        self.text_start = 0
        self.lstrip = False
        # Where each kind of closer is next: searched for once however many
        # openers come before it (a run of "{"); len(source) when none is left.
        self.next_closer = {"}}": -1, "%}": -1}
        self.no_end_after: dict[str, int] = {}

    def closer_after(self, closer: str, start: int) -> int:
        if self.next_closer[closer] < start:
            found = self.source.find(closer, start)
            self.next_closer[closer] = found if found != -1 else len(self.source)
        return self.next_closer[closer]

    def run(self) -> None:
        source, position = self.source, 0
        unclosed: set[str] = set()
        while opener := _OPENER.search(source, position):
            start = opener.start()
            close = self.closer_after(_CLOSER[opener.group()], start + 2)
            if close == len(source):  # no closer of this kind is left: text
                if opener.group() not in unclosed:
                    unclosed.add(opener.group())
                    self.problem(start, f"{opener.group()!r} is never closed; kept as text")
                position = start + 1
                continue
            position = self.construct(start, close) or start + 1
        self.content(len(source), rstrip=False)

    def construct(self, start: int, close: int) -> int:
        """Read the construct between *start* and its closer; where to go on, or 0 for text."""
        source = self.source
        inner = source[start + 2 : close]
        end = close + 2
        if len(inner) > MAX_EXPRESSION or inner.count("[") + inner.count("(") > MAX_NESTING:
            self.problem(start, "a Liquid expression too long or nested too deep; kept as text")
            return end
        if source[start + 1] == "{":
            return self.output(start, end, inner)
        match = _TAG.match(inner)
        if match is None:
            return 0  # "{%" with no tag name: text
        name = match.group(1)
        if name in VERBATIM:
            return self.verbatim(start, end, name, match.group(2))
        if name not in self.known:
            self.problem(start, f"{{% {name} %}} is not a tag of Liquid or Jekyll; kept as text")
            return end
        self.content(start, rstrip=inner.startswith("-"))
        if not name.startswith("end") and name not in {"else", "elsif", "when"}:
            self.result.constructs.append((start, end, name))
        self.emit(TOKEN_TAG, name, start + 2 + match.start(1))
        if expression := _expression(match.group(2)):
            self.emit(TOKEN_EXPRESSION, expression, start + 2 + match.start(2))
        self.after(end, inner)
        return end

    def output(self, start: int, end: int, inner: str) -> int:
        self.content(start, rstrip=inner.startswith("-"))
        self.result.constructs.append((start, end, "output"))
        self.emit(TOKEN_OUTPUT, self.source[start:end], start)
        self.emit(TOKEN_EXPRESSION, _expression(inner.removeprefix("-")), start + 2)
        self.after(end, inner)
        return end

    def verbatim(self, start: int, end: int, name: str, argument: str) -> int:
        """``raw``, ``highlight`` and ``comment``: their content is not Liquid."""
        closer = VERBATIM[name]
        found = None
        if self.no_end_after.get(name, len(self.source)) > end:
            pattern = r"\{%-?\s*" + closer + r"\s*-?%\}"
            found = re.compile(pattern).search(self.source, end)
        if found is None:
            self.no_end_after[name] = end
            self.problem(start, f"{{% {name} %}} is never closed; kept as text")
            return end
        self.content(start, rstrip=False)
        self.result.constructs.append((start, end, name))
        inner = self.source[end : found.start()]
        if name == "raw":
            self.emit(TOKEN_CONTENT, inner, end)
        elif name == "highlight":  # a fenced code block, line for line
            language = _expression(argument).split(" ")[0] if argument.strip() else ""
            self.emit(TOKEN_CONTENT, f"```{language}{inner}```", start)
        else:
            self.emit(TOKEN_TAG, "comment", start)
            self.emit(TOKEN_COMMENT, inner, end)
            self.emit(TOKEN_TAG, "endcomment", found.start())
        self.text_start = found.end()
        return found.end()

    def after(self, end: int, inner: str) -> None:
        self.text_start = end
        self.lstrip = inner.endswith("-")

    def content(self, end: int, *, rstrip: bool) -> None:
        """The text before *end* (since the last construct), as a content token."""
        text = self.source[self.text_start : end]
        if self.lstrip:
            text = text.lstrip()
        if rstrip:
            text = text.rstrip()
        if text:
            self.emit(TOKEN_CONTENT, text, self.text_start)
        self.lstrip = False

    def emit(self, kind: str, value: str, start: int) -> None:
        self.result.tokens.append(Token(kind, value, start_index=start, source=self.source))

    def problem(self, start: int, why: str) -> None:
        self.result.problems.append((start, why))


def _expression(text: str) -> str:
    """A tag's or output's expression, without whitespace control and spaces."""
    return text.strip().removesuffix("-").strip()
