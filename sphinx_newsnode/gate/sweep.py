"""The gate's last phase: what earlier builds wrote for posts now unpublished goes.

A post that was published and is now a draft left its page, its
``_sources`` copy, its doctree, its images and downloads in the output.
Before anything is written (``write-started``: builders such as epub list
the output folder as they finish), they are deleted. Posts held back in the
previous build were swept then (their ids are kept in a state file, never
their names); images only a purged document used are noted when Sphinx
purges it, before its collectors forget them.
"""

from __future__ import annotations

import glob
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from sphinx_newsnode.core import order
from sphinx_newsnode.core.config import DRAFTS_EXCLUDE
from sphinx_newsnode.core.state import read_state, state_file, write_state
from sphinx_newsnode.gate.evidence import draft_only_images, fingerprint, read_drafts, text_id
from sphinx_newsnode.model.domain import newsnode_domain

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_newsnode.model.post import Post

logger = logging.getLogger(__name__)
SWEPT = "swept"


class StaleOutputs:
    """Deletes the outputs of posts that are no longer published, for one application."""

    def __init__(self) -> None:
        self.orphaned: set[tuple[str, str]] = set()
        """(kind, name) of copied files only a purged document used."""

    def connect(self, app: Sphinx) -> None:
        # Before Sphinx's own collectors forget the document's images.
        app.connect("env-purge-doc", self.on_env_purge_doc, priority=order.PURGE_NOTES)
        app.connect("write-started", self.on_write_started)

    def on_env_purge_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        """Note the copied images and downloads that only *docname* used."""
        for kind, files in copied_files(env).items():
            for users, name in files.values():
                if users == {docname}:
                    self.orphaned.add((kind, str(name)))

    def on_write_started(self, app: Sphinx, builder: object) -> None:
        """Sweep in ``exclude`` mode; in ``show`` mode drafts are built: sweep them next time."""
        if app.config.newsnode_drafts == DRAFTS_EXCLUDE:
            self.sweep(app)
        else:
            state_file(app, SWEPT).unlink(missing_ok=True)

    def sweep(self, app: Sphinx) -> None:
        """Delete what earlier builds wrote for posts that are now unpublished."""
        held_back = newsnode_domain(app.env).held_back()
        stale = self.orphaned_files(app)
        swept = set(read_state(app, SWEPT, []))
        unswept = [post for name, post in held_back.items() if text_id(name) not in swept]
        for post in unswept:
            stale.update(output_files(app, post))
        stale.update(images_of_drafts(app, unswept))
        if newsnode_domain(app.env).withdrawn and hasattr(app.builder, "globalcontext_filename"):
            # json/pickle builders copy environment.pickle to their output as
            # they finish, but do not overwrite an older copy: it would keep
            # the withdrawn post. Remove it; the builder writes a fresh one.
            stale.add(Path(app.builder.outdir, "environment.pickle"))
        for path in stale:
            if path.is_file():
                path.unlink()
                logger.info("newsnode: removed %s (unpublished)", path)
        self.orphaned.clear()
        write_state(app, SWEPT, sorted(map(text_id, held_back)))

    def orphaned_files(self, app: Sphinx) -> set[Path]:
        """Copied files only purged documents used, and no document uses now."""
        builder: Any = app.builder
        folders = {
            "images": Path(builder.outdir, builder.imagedir),
            "downloads": Path(builder.outdir, "_downloads"),
        }
        in_use = {
            (kind, str(name))
            for kind, files in copied_files(app.env).items()
            for _users, name in files.values()
        }
        return {folders[kind] / name for kind, name in self.orphaned - in_use}


def images_of_drafts(app: Sphinx, posts: list[Post]) -> set[Path]:
    """Images a draft used in an earlier build that this one's environment never knew (-E)."""
    folder = Path(app.builder.outdir, getattr(app.builder, "imagedir", "_images"))
    draft_images = draft_only_images(app, read_drafts(app, posts)) if posts else {}
    if not draft_images or not folder.is_dir():
        return set()
    current = {name for _users, name in app.env.images.values()}
    return {
        path
        for path in folder.iterdir()
        if path.is_file()
        and path.name not in current
        and fingerprint(path.read_bytes()) in draft_images
    }


def copied_files(env: BuildEnvironment) -> dict[str, Mapping[Any, tuple[set[str], Any]]]:
    """The environment's images and downloads, each ``{file: (users, name)}``."""
    return {"images": env.images, "downloads": env.dlfiles}


def output_files(app: Sphinx, post: Post) -> set[Path]:
    """Files a builder may have written for *post* in an earlier build."""
    builder = app.builder
    outdir = Path(builder.outdir)
    files = {Path(app.doctreedir, post.docname + ".doctree")}
    if hasattr(builder, "get_outfilename"):
        files.add(Path(builder.get_outfilename(post.docname)))
    elif out_suffix := getattr(builder, "out_suffix", ""):
        files.add(outdir / (post.docname + out_suffix))
    sources = outdir / "_sources" / post.path
    if sources.parent.is_dir():
        files.update(sources.parent.glob(glob.escape(sources.name) + "*"))
    return files
