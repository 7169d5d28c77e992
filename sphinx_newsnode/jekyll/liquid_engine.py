"""python-liquid, set up as Jekyll runs it (part of :mod:`.liquid`): imported for texts with Liquid.

A site whose posts hold no Liquid never imports python-liquid (4.8 MiB of
memory in every build, measured with the benchmark).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from liquid import Environment
from liquid.builtin.output import Output, OutputNode
from liquid.exceptions import LiquidError
from liquid.mode import Mode
from liquid.parser import get_parser
from liquid.stream import TokenStream
from liquid.stringify import to_liquid_string
from liquid.token import TOKEN_TAG
from liquid.undefined import Undefined

from sphinx_newsnode.jekyll.escaping import escape_value
from sphinx_newsnode.jekyll.filters import JEKYLL_FILTERS
from sphinx_newsnode.jekyll.lexer import tokens
from sphinx_newsnode.jekyll.rendering import (
    OUTPUT_LIMIT,
    Found,
    LiquidContext,
    RenderState,
    current,
    end_rendering,
    rendering,
)
from sphinx_newsnode.jekyll.tags import JEKYLL_TAGS

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from liquid.ast import Node
    from liquid.context import RenderContext
    from liquid.token import Token


class SafeOutputNode(OutputNode):
    """``{{ value }}``: undefined prints nothing (noted); untrusted values are escaped."""

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        value = self.expression.evaluate(context)
        state = current()
        if isinstance(value, Undefined):
            problem = f"{{{{ {self.expression} }}}} has no value; printed empty, as Jekyll does"
            state.note("output", self.token.start_index, self.token.value, problem)
            return 0
        pieces = []
        for piece in flattened(value):
            if state.escape and not hasattr(piece, "__html__"):
                pieces.append(escape_value(to_liquid_string(piece, autoescape=False)))
            else:
                pieces.append(to_liquid_string(piece, autoescape=False))
        return buffer.write("".join(pieces))


class SafeOutput(Output):
    node_class = SafeOutputNode


class JekyllLiquid(Environment):
    """Liquid as Jekyll runs it over a post: Shopify's tags and filters, Jekyll's on top.

    Errors do not stop a rendering: each is noted (:meth:`error`) with where it
    happened, and the construct stays as text or prints nothing.
    """

    loop_iteration_limit: ClassVar[int | None] = 10_000
    output_stream_limit: ClassVar[int | None] = OUTPUT_LIMIT
    context_depth_limit: ClassVar[int] = 20
    local_namespace_limit: ClassVar[int | None] = OUTPUT_LIMIT

    def __init__(self) -> None:
        super().__init__(tolerance=Mode.LAX, autoescape=True)
        for tag in (SafeOutput, *JEKYLL_TAGS):
            self.add_tag(tag)
        for name, function in JEKYLL_FILTERS.items():
            self.add_filter(name, function)
        self.known = frozenset(self.tags) | {f"end{name}" for name in self.tags} | {
            "else", "elsif", "when",
        }  # fmt: skip

    def _parse(self, source: str) -> list[Node]:
        """Parse *source* from the linear lexer's tokens (never python-liquid's lexer)."""
        state = current()
        lexed = tokens(source, self.known)
        if source is state.source:  # not an include's: those are noted where included
            for start, end, kind in lexed.constructs:
                state.note(kind, start, source[start:end])
            for offset, problem in lexed.problems:
                state.note("tag", offset, source[offset : offset + 60], problem)
        return list(get_parser(self).parse(TokenStream(iter(lexed.tokens))))

    def error(
        self,
        exc: type[LiquidError] | LiquidError,
        msg: str | None = None,
        token: Token | None = None,
    ) -> None:
        """Note the error for a warning, and go on rendering."""
        error = exc if isinstance(exc, LiquidError) else exc(msg, token=token)
        where = error.token or token
        state = current()
        offset = where.start_index if where is not None and where.source is state.source else -1
        kind = where.value if where is not None and where.kind == TOKEN_TAG else "output"
        message = str(error.args[0] if error.args else error).split("\n")[0]
        state.note(kind, offset, message, f"Liquid: {message}; left out")


_ENVIRONMENT = JekyllLiquid()


def render_liquid(
    text: str,
    context: LiquidContext,
    page: Mapping[str, Any],
    first_line: int = 1,
    *,
    escape: bool = False,
    folder: Path | None = None,
) -> tuple[str, list[Found]]:
    """*text* with its Liquid rendered, and every construct found in it (see :func:`.render`)."""
    state = RenderState(text, context, first_line, escape=escape, folder=folder)
    token = rendering(state)
    try:
        template = _ENVIRONMENT.from_string(text)
        rendered = template.render(page=page, site=context.site, post=page)
    except (LiquidError, RecursionError) as exc:
        state.note("tag", -1, text[:40], f"Liquid cannot be rendered ({exc}); kept as text")
        rendered = text
    finally:
        end_rendering(token)
    return rendered, sorted(state.found, key=lambda found: found.line)


def flattened(value: Any) -> list[Any]:
    """The items Liquid prints for *value*: a list's items, flattened, in order.

    :class:`LiquidError` past :data:`OUTPUT_LIMIT` items, or for a mapping
    (whose print would be as long and means nothing to a reader).
    """
    found: list[Any] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            raise LiquidError("a mapping cannot be printed", token=None)
        else:
            found.append(item)
            if len(found) > OUTPUT_LIMIT:
                raise LiquidError(f"more than {OUTPUT_LIMIT} values to print", token=None)
    return found
