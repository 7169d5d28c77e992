"""Which URLs and paths from front matter may reach the output.

Front-matter values are untrusted: they end up in ``href`` and ``src``
attributes. Only ``http``, ``https`` and ``mailto`` URLs and relative targets
pass (SPEC §5); local paths must stay inside the source tree or the site root.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


class UnsafePathError(ValueError):
    """A local path that leaves the source tree and the site root."""


def scheme(url: str) -> str | None:
    """The scheme of *url*, lower-cased; ``None`` for relative targets.

    Control characters and spaces are ignored, as browsers ignore them
    (``java\\tscript:`` is ``javascript:``).
    """
    match = _SCHEME.match(_INVISIBLE.sub("", url))
    return match.group(1).lower() if match else None


def is_external(url: str) -> bool:
    """Whether *url* names another site (a scheme or ``//host``)."""
    return scheme(url) is not None or url.startswith("//")


def is_safe_url(url: str) -> bool:
    """Whether *url* may be written into an ``href`` or ``src``."""
    found = scheme(url)
    return found is None or found in SAFE_SCHEMES


def confined(path: Path, *roots: Path) -> Path | None:
    """*path* with its symbolic links resolved, if it lies inside one of *roots*.

    The one rule for every file the extension reads (the build, Liquid and
    ``newsnode import``): nothing is read through a path or a link that
    leads out of the tree it belongs to.
    """
    resolved = path.resolve()
    inside = any(resolved.is_relative_to(root.resolve()) for root in roots)
    return resolved if inside else None


def site_root(env: BuildEnvironment) -> Path:
    """The directory that site-absolute paths (``/assets/x.jpg``) start from."""
    root = env.config.newsnode_site_root
    return Path(env.srcdir, root).resolve() if root else Path(env.srcdir).resolve()


def local_path(env: BuildEnvironment, docname: str, target: str) -> Path:
    """The file a local *target* of *docname* names.

    ``/x`` is read against the site root, anything else against the post's
    folder; ``%20`` escapes are decoded, a query or fragment is dropped.
    Raises :class:`UnsafePathError` when the file (symlinks resolved) is
    outside both the source directory and the site root.
    """
    path = unquote(urlsplit(target.strip()).path)
    if path.startswith("/"):
        candidate = site_root(env) / path.lstrip("/")
    else:
        candidate = Path(env.doc2path(docname)).parent / path
    resolved = confined(candidate, Path(env.srcdir), site_root(env))
    if resolved is None:
        raise UnsafePathError(f"{target!r} points outside the source tree")
    return resolved


def srcdir_uri(env: BuildEnvironment, path: Path) -> str:
    """The URI by which the current document names the file *path*.

    ``/x`` inside the source directory, relative to the document outside it:
    the form Sphinx's image and download collectors read.
    """
    srcdir = Path(env.srcdir).resolve()
    if path.is_relative_to(srcdir):
        return "/" + path.relative_to(srcdir).as_posix()
    docdir = Path(env.doc2path(env.docname)).parent.resolve()
    return Path(os.path.relpath(path, docdir)).as_posix()
