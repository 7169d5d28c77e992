"""Which URLs and paths of a post may reach the output, and what they name.

Front-matter values are untrusted: they end up in ``href`` and ``src``
attributes. Only ``http``, ``https`` and ``mailto`` URLs and relative targets
pass (SPEC §5); local paths must stay inside the source tree or the site root
(:func:`confined`, the one rule for every file the extension reads). A local
path names a document of the project (:func:`document_at`) or a file offered
for download (:func:`download_link`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urljoin, urlsplit

from docutils import nodes
from sphinx import addnodes

from sphinx_newsnode.model.domain import once_a_build

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_NODES = (nodes.reference, addnodes.pending_xref, addnodes.download_reference)
"""The nodes a link of a post can be: a URL, a cross-reference, a download."""
EMAIL_ADDRESS = re.compile(r"[^@\s/:]++@(?:[^@\s/:.]++\.)++[a-zA-Z]{2,}")
"""An e-mail address, written as a link target without ``mailto:``."""
UNLINKED = "#newsnode-unlinked"
"""The target of a link that must be shown as its text (a ``{% post_url %}`` to
no post): the gate's resolver of links to unpublished posts unlinks it."""
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
    return confined_to(path, tuple(root.resolve() for root in roots))


def confined_to(
    path: Path | str, roots: tuple[Path, ...], folders: dict[str, Path | None] | None = None
) -> Path | None:
    """:func:`confined`, for *roots* already resolved (:func:`source_roots`).

    *folders* remembers each folder resolved (``None`` when outside *roots*),
    by its path as given, for a caller checking many files in few folders
    (the gate's scan, with a string for each post): a file that is not
    itself a link then costs one ``lstat``.
    """
    if folders is None or os.path.islink(path):  # noqa: PTH114 (the scan asks for each post)
        return _inside(Path(path).resolve(), roots)
    head, name = os.path.split(path)
    if head not in folders:
        folders[head] = _inside(Path(head).resolve(), roots)
    folder = folders[head]
    return None if folder is None else folder / name


def _inside(resolved: Path, roots: tuple[Path, ...]) -> Path | None:
    """*resolved* if it lies inside one of *roots*."""
    return resolved if any(resolved.is_relative_to(root) for root in roots) else None


def source_roots(env: BuildEnvironment) -> tuple[Path, Path]:
    """The source directory and the site root, resolved once a build: where a post's files are."""
    return once_a_build(env, "source roots", lambda: (Path(env.srcdir).resolve(), site_root(env)))


def site_root(env: BuildEnvironment) -> Path:
    """The directory that site-absolute paths (``/assets/x.jpg``) start from.

    Resolved once a build (it is asked for every file a post names).
    """
    root = env.config.newsnode_site_root or ""
    return once_a_build(env, "site root", lambda: Path(env.srcdir, root).resolve())


def file_named(target: str, *, root: Path, folder: Path, site_relative: bool = False) -> Path:
    """The path a local *target* names (not resolved, not checked).

    ``/x`` is read against the site *root*, anything else against the post's
    *folder*; ``%20`` escapes are decoded, a query or fragment is dropped.
    With *site_relative* (a front-matter image: the hosted-portal theme
    passes ``background`` through ``absolute_url``), a relative target is
    read against the root first, and the folder only if the root has no
    such file.
    """
    path = unquote(urlsplit(target.strip()).path)
    if path.startswith("/"):
        return root / path.lstrip("/")
    if site_relative and (root / path).is_file():
        return root / path
    return folder / path


def local_path(
    env: BuildEnvironment, docname: str, target: str, *, site_relative: bool = False
) -> Path:
    """The file a local *target* of *docname* names (see :func:`file_named`).

    Raises :class:`UnsafePathError` when the file (symlinks resolved) is
    outside both the source directory and the site root.
    """
    folder = Path(env.doc2path(docname)).parent
    candidate = file_named(target, root=site_root(env), folder=folder, site_relative=site_relative)
    resolved = confined_to(candidate, source_roots(env))
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


def site_url(base_url: str, path: str = "") -> str:
    """The absolute URL of *path* (relative to the site root) on the site at *base_url*."""
    return urljoin(base_url if base_url.endswith("/") else base_url + "/", path)


def written_address(target: str) -> str | None:
    """The URL of an address written without its scheme, as a link's target.

    ``x@y.org`` is ``mailto:x@y.org``, ``www.gbif.org`` is ``https://www.gbif.org``:
    Jekyll made a relative link of each; its reader meant the address.
    """
    if EMAIL_ADDRESS.fullmatch(target):
        return "mailto:" + target
    if target.lower().startswith("www."):
        return "https://" + target
    return None


def download_url(base_url: str, filename: str) -> str:
    """Where the HTML site offers a download: *filename* as Sphinx names it (``hash/x.pdf``)."""
    return site_url(base_url, quote(f"_downloads/{filename}"))


def download_link(
    env: BuildEnvironment, path: Path, *children: nodes.Node
) -> addnodes.download_reference:
    """A link that copies the file at *path* to the output and offers it for download."""
    return addnodes.download_reference(
        "", "", *children, reftarget=srcdir_uri(env, path), refexplicit=True, refdoc=env.docname
    )


def document_at(env: BuildEnvironment, path: Path) -> str | None:
    """The published document a local path names (``x``, ``x.md``, ``x.html``, ``x/``)."""
    srcdir = Path(env.srcdir).resolve()
    if not path.is_relative_to(srcdir):
        return None
    relative = path.relative_to(srcdir).as_posix()
    stem = relative.removesuffix(".html").rstrip("/")
    for suffix in env.config.source_suffix:
        stem = stem.removesuffix(suffix)
    for candidate in (stem, f"{stem}/index".lstrip("/")):
        if candidate in env.found_docs:
            return candidate
    return None


def is_source_file(env: BuildEnvironment, path: Path) -> bool:
    """Whether *path* is a source file.

    Source files are never offered as downloads: one may be an unpublished
    post or a page the project excludes.
    """
    return path.name.endswith(tuple(env.config.source_suffix))
