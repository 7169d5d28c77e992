"""The publication gate: unpublished posts never enter the build (SPEC §3).

At ``builder-inited`` the posts are scanned (:mod:`~sphinx_newsnode.gate.scan`)
and, in ``exclude`` mode, the files of unpublished posts are hidden from
Sphinx's document discovery, so no builder ever reads them: no page, no
``_sources`` copy, no search entry, no copied image, no toctree entry.

Discovery's result is corrected at ``env-get-outdated``, the first event
after it and before anything is read or purged (:func:`hide_from_discovery`):
the unpublished posts leave the documents found and the documents to read,
and one that was read before is removed, exactly as if an exclude pattern
had kept it out. Not ``exclude_patterns``: Sphinx tries every pattern on
every file, which at 5,000 posts and 500 drafts took 0.4 s a build; and
patterns added at ``config-inited`` would pickle the drafts' names with the
configuration and force a full re-read whenever a post flips state. This
way a flip is an ordinary added or removed document. The Jekyll folders
(``_includes``...) are excluded with transient patterns, one per folder.

A post that is withdrawn makes every page be written again (sidebars may
link it); its outputs are swept (:mod:`~sphinx_newsnode.gate.sweep`), links
to it are resolved as text (:mod:`~sphinx_newsnode.gate.links`) and the leak
audit proves the result (:mod:`~sphinx_newsnode.gate.audit`).
"""

from __future__ import annotations

import glob
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_newsnode.core import order
from sphinx_newsnode.core.config import DRAFTS_EXCLUDE, DRAFTS_SHOW
from sphinx_newsnode.gate.scan import scan
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.links import site_root

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_newsnode.model.domain import Scanned
    from sphinx_newsnode.model.post import Post

#: Folders of a Jekyll site that are never pages: data, templates, the built site.
#: A Markdown file there (an include, a page inside a linked folder) is not built.
JEKYLL_FOLDERS = ("_data", "_includes", "_layouts", "_sass", "_site", "_plugins")


class PublicationGate:
    """Decides which posts are built, for one Sphinx application."""

    def __init__(self) -> None:
        self.patterns: list[str] = []
        """The exclude patterns added for this build's discovery (the Jekyll folders)."""
        self.kept_out: set[str] = set()
        """The documents of this build's unpublished posts that no builder may read."""

    def connect(self, app: Sphinx) -> None:
        """Connect the gate's handlers to *app*'s events."""
        app.connect("builder-inited", self.on_builder_inited, priority=order.GATE_SCAN)
        app.connect("env-get-outdated", self.on_env_get_outdated, priority=order.GATE_DISCOVERY)
        app.connect("env-get-updated", self.on_env_get_updated)
        app.connect("write-started", self.on_write_started)

    def on_builder_inited(self, app: Sphinx) -> None:
        """Scan the posts and hide the unpublished ones from discovery."""
        exclude = app.config.newsnode_drafts == DRAFTS_EXCLUDE
        self.kept_out = {post.docname for post in hidden(scan(app).values(), exclude=exclude)}
        self.patterns = jekyll_folders(app)
        app.config.exclude_patterns.extend(self.patterns)

    def on_env_get_outdated(
        self,
        app: Sphinx,
        env: BuildEnvironment,
        added: set[str],
        changed: set[str],
        removed: set[str],
    ) -> list[str]:
        """Discovery is done: hide the unpublished posts, give ``exclude_patterns`` back."""
        hide_from_discovery(env, self.kept_out, added, changed, removed)
        domain = newsnode_domain(env)
        domain.withdrawn = removed & domain.held_back().keys()
        for pattern in self.patterns:
            app.config.exclude_patterns.remove(pattern)
        self.patterns = []
        return []

    def on_env_get_updated(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        """Rewrite every page when a post was withdrawn.

        Sidebars of pages that were not re-read may still link it, and the
        search index keeps the words of a pruned document as keys: both are
        rebuilt from scratch.
        """
        if not newsnode_domain(env).withdrawn:
            return []
        if index_name := getattr(app.builder, "searchindex_filename", None):
            Path(app.builder.outdir, index_name).unlink(missing_ok=True)
        return sorted(env.found_docs)

    def on_write_started(self, app: Sphinx, builder: object) -> None:
        """Keep drafts shown in ``show`` mode out of sphinx-sitemap's sitemap.

        Added after the environment was pickled, so the configuration it
        stores stays the user's.
        """
        if app.config.newsnode_drafts != DRAFTS_SHOW or "sitemap_excludes" not in app.config:
            return
        held_back = newsnode_domain(app.env).held_back()
        app.config.sitemap_excludes = [
            *app.config.sitemap_excludes,
            *(glob.escape(app.builder.get_target_uri(name)) for name in held_back),
        ]


def hidden(scanned: Iterable[Scanned], *, exclude: bool) -> list[Post]:
    """The posts no builder may read.

    Every unpublished one in ``exclude`` mode; in ``show`` mode only those that
    are not readable (not text, broken front matter, not a post: MyST would add
    its own warnings, or fail).
    """
    return [
        item.post for item in scanned if not item.published and (exclude or not item.post.buildable)
    ]


def hide_from_discovery(
    env: BuildEnvironment, docnames: set[str], added: set[str], changed: set[str], removed: set[str]
) -> None:
    """Take *docnames* out of what Sphinx's discovery found, as an exclude pattern would.

    They leave the project's documents and the documents to read; one read by
    an earlier build is removed (purged before anything is read), and what
    discovery noted of one never read (a message catalog) is forgotten.
    """
    project = env.project
    for docname in docnames & project.docnames:
        project.docnames.discard(docname)
        if (path := project._docname_to_path.pop(docname, None)) is not None:
            project._path_to_docname.pop(path, None)
        added.discard(docname)
        changed.discard(docname)
        if docname in env.all_docs:
            removed.add(docname)
        else:
            env.dependencies.pop(docname, None)


def jekyll_folders(app: Sphinx) -> list[str]:
    """Exclude patterns of the Jekyll folders of the site root, when it is in the source tree."""
    srcdir = Path(app.srcdir).resolve()
    root = site_root(app.env)
    if not root.is_relative_to(srcdir):
        return []
    prefix = root.relative_to(srcdir).as_posix().removeprefix(".").strip("/")
    return [escape_pattern(f"{prefix}/{name}".lstrip("/")) + "/**" for name in JEKYLL_FOLDERS]


def escape_pattern(path: str) -> str:
    """A Sphinx exclude pattern matching exactly *path*."""
    return re.sub(r"([*?\[])", r"[\1]", path)
