"""Liquid in Jekyll posts, rendered as Jekyll renders it (SPEC §9).

Jekyll runs Liquid over a post before Markdown. This is python-liquid (the
Shopify dialect: ``for`` with ``limit``, ``offset``, ``reversed`` and
``forloop``, ``if``/``elsif``/``unless``, ``assign``, ``capture``, ``case``
and the standard filters) with Jekyll's tags and filters on top
(:mod:`~sphinx_newsnode.jekyll.tags`, :mod:`~sphinx_newsnode.jekyll.filters`),
fed by a lexer that reads any text in linear time
(:mod:`~sphinx_newsnode.jekyll.lexer`). Loops, output, nesting and includes
have limits. python-liquid is imported only to render a text that holds
Liquid (:mod:`.liquid_engine`).

What Jekyll would render empty (an undefined variable) renders empty, with a
warning naming it once; what it could not render at all (an unknown tag or
filter, broken syntax) stays visible with a warning. Values of the front
matter printed into a body are escaped; values of the site's ``_data`` are
printed as written, as the site's own templates.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from sphinx_newsnode.core.diagnostics import Problem
from sphinx_newsnode.jekyll.rendering import OUTPUT_LIMIT, Found, LiquidContext

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from sphinx_newsnode.model.frontmatter import FrontMatter
    from sphinx_newsnode.model.post import Post


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
    from sphinx_newsnode.jekyll.liquid_engine import render_liquid

    return render_liquid(text, context, bounded(page), first_line, escape=escape, folder=folder)


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
