"""A post's source as Jekyll read it, before MyST reads it (SPEC §1, §9).

At ``source-read`` the front matter of a post (read once, by the gate) is
replaced by its title as a Markdown heading, and the body gets its Liquid
rendered and kramdown's readings made CommonMark. Lines are replaced one
for one: line numbers stay those of the file.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sphinx_newsnode.core.diagnostics import warn
from sphinx_newsnode.jekyll.kramdown import jekyll_markdown
from sphinx_newsnode.jekyll.site import jekyll_site
from sphinx_newsnode.model.domain import newsnode_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_newsnode.model.post import Post

_MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


def prepare_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """Replace a post's front matter by its title, as a Markdown heading.

    The front matter is read once, by the gate; MyST's second reading would
    turn values into strings and reject YAML that node sites do contain
    (``date: 2023-13-01``). The front-matter title takes the place of the
    closing ``---`` as a level-1 heading: it is the page's title, as in
    Jekyll's layout, and MyST nests the body's sections under it (a body that
    starts with its own ``#`` heading keeps it as its first heading, see
    :func:`~sphinx_newsnode.reading.page.post_section`). Lines are replaced
    one for one: line numbers stay those of the file.
    """
    entry = newsnode_domain(app.env).scan.get(docname)
    if entry is None or entry[0].body_line <= 1 or not is_markdown(app, entry[0].path):
        return
    post = entry[0]
    lines = source[0].split("\n")
    end = post.body_line - 1
    header = [""] * end
    body = jekyll_body(app, post, "\n".join(lines[end:]))
    if post.title:
        header[-1] = "# " + _MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", " ".join(post.title.split()))
    source[0] = "\n".join(header) + "\n" + body


def jekyll_body(app: Sphinx, post: Post, body: str) -> str:
    """The body with its Liquid rendered and kramdown's readings made CommonMark.

    The post depends on the includes it renders and, when it reads
    ``site.data``, on the data files: an edit of one re-reads it.
    """
    site = jekyll_site(app.env)
    site.liquid.read.clear()
    rendered, found = jekyll_markdown(body, site.liquid, post)
    for item in found:
        if item.problem:
            warn(item.subtype, item.problem, (post.docname, item.line))
    used = set(site.liquid.read)
    if "site.data" in body:
        used.update(site.data.files)
    for path in sorted(used):
        app.env.note_dependency(str(path))
    return rendered


def is_markdown(app: Sphinx, path: str) -> bool:
    """Whether the source file *path* is parsed as Markdown."""
    return any(
        path.endswith(suffix) and filetype == "markdown"
        for suffix, filetype in app.config.source_suffix.items()
    )


def setup_source(app: Sphinx) -> None:
    """Read posts as Jekyll did, before MyST parses them."""
    app.connect("source-read", prepare_source)
