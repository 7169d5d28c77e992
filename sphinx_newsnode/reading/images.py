"""The images a post names in its front matter, each checked once (SPEC §4).

``background`` (the hero) and ``thumbnail`` (the listing card) are checked
by :func:`post_image` once a document: a URL with another scheme than
http(s), a path out of the tree or a missing file is one warning, at the
key's line, and the hero and the listing then share the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.model.links import (
    UnsafePathError,
    is_external,
    local_path,
    scheme,
    srcdir_uri,
)

if TYPE_CHECKING:
    from pathlib import Path

    from sphinx.environment import BuildEnvironment


@dataclass(frozen=True)
class PostImage:
    """An image a post may show: a web URL, or a file of the source tree."""

    uri: str
    """The URL, or the file as the current document names it (``/assets/x.jpg``)."""
    path: Path | None = None
    """The file, for a local image."""

    def register(self, env: BuildEnvironment, docname: str) -> str:
        """Have Sphinx copy the image with *docname*'s images; its ``env.images`` key or URL."""
        if self.path is None:
            return self.uri
        key, _absolute = env.relfn2path(self.uri, docname)
        env.images.add_file(docname, key)
        return key


def post_image(env: BuildEnvironment, target: str, what: str, line: int) -> PostImage | None:
    """The image *target* of the current document, or ``None`` with one warning.

    *what* names it in the warning (``hero image``, ``thumbnail``). A
    relative path is read from the site root first, as the hosted-portal
    theme reads ``background: assets/images/x.png``.
    """
    location = (env.docname, line)
    if is_external(target):
        if scheme(target) not in {"http", "https", None}:  # None: //host/x.jpg
            warn(Subtype.UNSAFE_URL, f"{what} {target!r} refused (http and https only)", location)
            return None
        return PostImage(target)
    try:
        path = local_path(env, env.docname, target, site_relative=True)
    except UnsafePathError as exc:
        warn(Subtype.UNSAFE_PATH, f"{what} refused: {exc}", location)
        return None
    if not path.is_file():
        warn(Subtype.IMAGE, f"{what} {target!r} not found (looked for {path})", location)
        return None
    return PostImage(srcdir_uri(env, path), path)
