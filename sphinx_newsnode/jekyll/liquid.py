"""Liquid in Jekyll posts, rendered as Jekyll renders it (SPEC §9).

Jekyll runs Liquid over a post before Markdown. This is python-liquid (the
Shopify dialect: ``for`` with ``limit``, ``offset``, ``reversed`` and
``forloop``, ``if``/``elsif``/``unless``, ``assign``, ``capture``, ``case``
and the standard filters) with Jekyll's tags and filters on top
(:mod:`~sphinx_newsnode.jekyll.tags`, :mod:`~sphinx_newsnode.jekyll.filters`),
fed by a lexer that reads any text in linear time
(:mod:`~sphinx_newsnode.jekyll.lexer`). Loops, output, nesting and includes
have limits.

What Jekyll would render empty (an undefined variable) renders empty, with a
warning naming it once; what it could not render at all (an unknown tag or
filter, broken syntax) stays visible with a warning. Values of the front
matter printed into a body are escaped; values of the site's ``_data`` are
printed as written, as the site's own templates.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from liquid import Environment, Markup
from liquid.builtin.output import Output, OutputNode
from liquid.exceptions import LiquidError
from liquid.mode import Mode
from liquid.parser import get_parser
from liquid.stream import TokenStream
from liquid.stringify import to_liquid_string
from liquid.token import TOKEN_TAG
from liquid.undefined import Undefined

from sphinx_newsnode.core.diagnostics import Problem
from sphinx_newsnode.jekyll.escaping import escape_value
from sphinx_newsnode.jekyll.filters import JEKYLL_FILTERS
from sphinx_newsnode.jekyll.lexer import tokens
from sphinx_newsnode.jekyll.rendering import (
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

    from sphinx_newsnode.model.frontmatter import FrontMatter
    from sphinx_newsnode.model.post import Post

OUTPUT_LIMIT = 1_000_000
"""Characters Liquid may print for one text: an alias bomb or a huge data file
printed in a loop stops there, with a warning, instead of filling the disk."""


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


def render(
    text: str,
    context: LiquidContext,
    page: Mapping[str, Any],
    first_line: int = 1,
    *,
    escape: bool = False,
    folder: Path | None = None,
) -> tuple[str, list[Found]]:
    """*text* with its Liquid rendered, and every construct found in it.

    *page* holds ``page.*`` (the post's front matter); *first_line* is the
    file line of the text's first line; *folder* is the post's, for
    ``include_relative``. With *escape* (a post body, which MyST reads as
    Markdown and raw HTML) values not marked safe are escaped.
    """
    state = RenderState(text, context, first_line, escape=escape, folder=folder)
    token = rendering(state)
    try:
        template = _ENVIRONMENT.from_string(text)
        page = bounded(page)
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


def bounded(values: Mapping[str, Any], limit: int = OUTPUT_LIMIT) -> dict[str, Any]:
    """*values* without those that expand to more than *limit* items (an alias bomb).

    A YAML alias bomb is small as objects and billions of strings as text:
    every filter that prints or joins it would hang. Sizes are counted once
    per object.
    """
    sizes: dict[int, int] = {}

    def size(value: Any) -> int:
        if id(value) in sizes:
            return sizes[id(value)]
        sizes[id(value)] = limit + 1  # a cycle counts as too large
        children = (
            value.values() if isinstance(value, dict) else value
            if isinstance(value, list | tuple) else ()
        )  # fmt: skip
        total = 1
        for child in children:
            total += size(child)
            if total > limit:
                break
        sizes[id(value)] = total
        return total

    return {key: value for key, value in values.items() if size(value) <= limit}


def trusted(value: Any, seen: dict[int, Any] | None = None) -> Any:
    """*value* (the site's ``_data``) with every text marked safe to print as written.

    Walked once per object, so a YAML alias bomb stays as small as it is.
    """
    seen = {} if seen is None else seen
    if id(value) in seen:
        return seen[id(value)]
    if isinstance(value, str):
        result: Any = Markup(value)
    elif isinstance(value, dict):
        result = {}
        seen[id(value)] = result
        result.update((key, trusted(item, seen)) for key, item in value.items())
        return result
    elif isinstance(value, list):
        result = []
        seen[id(value)] = result
        result.extend(trusted(item, seen) for item in value)
        return result
    else:
        result = value
    seen[id(value)] = result
    return result


def page_variables(post: Post) -> dict[str, Any]:
    """``page.*`` of a post: its front matter as Jekyll would expose it."""
    variables: dict[str, Any] = dict(post.extra)
    variables.update(
        title=post.title or "",
        date=post.date,
        description=post.description or "",
        background=post.background or "",
        tags=list(post.tags),
        categories=list(post.categories),
        path=post.path,
    )
    return variables


#: Front-matter keys whose text may hold Liquid: images and credits looked up in
#: ``_data`` (``background: "{{ site.data.images.KEY.src }}"``).
LIQUID_KEYS = ("background", "thumbnail", "imageLicense", "image_license", "description",
               "imageAlt", "preTitle")  # fmt: skip


def render_front_matter(
    front_matter: FrontMatter, context: LiquidContext, path: str
) -> tuple[FrontMatter, list[Found]]:
    """*front_matter* with the Liquid of its texts rendered, and what was found.

    Done before the front matter is interpreted, so the one parser reads the
    values as the Jekyll site showed them. What cannot be rendered stays as
    written and is one of the front matter's problems.
    """
    data = dict(front_matter.data)
    page = {**front_matter.data, "path": path}
    found: list[Found] = []
    for key in LIQUID_KEYS:
        value = data.get(key)
        if not isinstance(value, str) or ("{{" not in value and "{%" not in value):
            continue
        data[key], constructs = render(value, context, page, front_matter.lines.get(key, 1))
        found += [dataclasses.replace(item, problem=f"{key}: {item.problem}") if item.problem
                  else item for item in constructs]  # fmt: skip
    if not found:
        return front_matter, found
    problems = [Problem(item.subtype, item.problem, item.line) for item in found if item.problem]
    rendered = dataclasses.replace(front_matter, data=data)
    rendered.problems = [*front_matter.problems, *problems]
    return rendered, found
