"""The gate's first phase: every post file on disk, and whether it may be published.

At ``builder-inited``, before anything is read, each file matched by
``newsnode_posts`` (and every ``_drafts`` folder) is read for its front
matter, its Liquid rendered by the build's Jekyll site, and interpreted by
the one parser (:func:`~sphinx_newsnode.model.post.parse_post`); the
resulting :class:`~sphinx_newsnode.model.domain.Scanned` records are the
domain's :attr:`~sphinx_newsnode.model.domain.NewsnodeDomain.scan`. Their
problems are reported here, once, with file and line.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.matching import get_matching_files

from sphinx_newsnode.core.config import DRAFTS_SHOW, timezone
from sphinx_newsnode.core.diagnostics import Subtype, counted, warn
from sphinx_newsnode.jekyll.site import jekyll_site
from sphinx_newsnode.model.domain import Scanned, newsnode_domain
from sphinx_newsnode.model.frontmatter import read_front_matter
from sphinx_newsnode.model.links import confined_to
from sphinx_newsnode.model.parser import parse_post
from sphinx_newsnode.model.post import (
    DRAFTS_FOLDER,
    Post,
    State,
    jekyll_skips,
    not_a_post,
    outside_the_tree,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: Files in a ``_drafts`` folder are unpublished posts wherever they are,
#: even outside ``newsnode_posts``: otherwise they would be built as pages.
DRAFTS_PATTERNS = (f"{DRAFTS_FOLDER}/**", f"**/{DRAFTS_FOLDER}/**")


def scan_posts(app: Sphinx) -> Iterator[Post]:
    """The record of every post file of the project at *app*.

    A post read into the environment and not modified since is not parsed
    again: its record is the one the environment holds (when the Jekyll
    site its Liquid was rendered with is the same).
    """
    config = app.config
    suffixes = tuple(config.source_suffix)
    patterns = [*config.newsnode_posts, *DRAFTS_PATTERNS]
    site = jekyll_site(app.env)
    domain = newsnode_domain(app.env)
    known = domain.posts if domain.data.get("site") == site.key else {}
    domain.data["site"] = site.key
    read_at = app.env.all_docs
    srcdir = os.fspath(app.srcdir)
    roots, folders = (Path(srcdir).resolve(),), dict[str, Path | None]()
    for relpath in sorted(get_matching_files(srcdir, patterns, config.exclude_patterns)):
        suffix = next((s for s in suffixes if relpath.endswith(s)), None)
        if suffix is None:
            continue  # an image or PDF beside the posts
        # Strings, not pathlib, for what every post is asked (a no-change build asks only this).
        path = os.path.join(srcdir, relpath)  # noqa: PTH118
        docname = relpath.removesuffix(suffix)
        if confined_to(path, roots, folders) is None:
            yield outside_the_tree(relpath, docname)  # a link out: never read
            continue
        post = known.get(docname)
        # Unchanged since it was read, as Sphinx itself decides (microseconds).
        if post is not None and _unchanged_since(path, read_at.get(docname)):
            yield post
            continue
        if reason := jekyll_skips(relpath):
            yield not_a_post(relpath, docname, reason)  # Jekyll never read it: neither do we
            continue
        front_matter = read_front_matter(Path(path))
        if front_matter is not None:
            yield parse_post(site.render_front_matter(front_matter, relpath), relpath, docname)


def _unchanged_since(path: str, read_at: int | None) -> bool:
    """Whether the file at *path* is unchanged since *read_at* (in microseconds, as Sphinx)."""
    try:
        return read_at is not None and os.stat(path).st_mtime_ns // 1000 <= read_at  # noqa: PTH116
    except OSError:
        return False  # gone since it was listed: read again, which tells the problem


def scan(app: Sphinx) -> dict[str, Scanned]:
    """Scan the posts into the domain; report their problems; the scan, by docname."""
    now = dt.datetime.now(timezone(app.config))
    allow_future = app.config.newsnode_future
    scanned = newsnode_domain(app.env).scan
    scanned.clear()
    for post in scan_posts(app):
        state = post.state(now, allow_future=allow_future)
        scanned[post.docname] = Scanned(post, state)
        report_problems(app, post, state)
    jekyll_site(app.env).note_posts(
        {name: item.post for name, item in scanned.items()},
        frozenset(name for name, item in scanned.items() if item.published),
    )
    counts = Counter(item.state for item in scanned.values())
    logger.info(
        "newsnode: %s (%s), unpublished ones %s",
        counted(len(scanned), "post"),
        ", ".join(counted(n, *STATE_NOUNS[state]) for state, n in sorted(counts.items())) or "none",
        "shown as drafts" if app.config.newsnode_drafts == DRAFTS_SHOW else "excluded",
    )
    return scanned


#: How the build's first line counts the posts in each state: one, several.
STATE_NOUNS: dict[State, tuple[str, str]] = {
    State.DRAFT: ("draft", "drafts"),
    State.IN_DOUBT: ("in doubt", "in doubt"),
    State.NOT_A_POST: ("not a post", "not posts"),
    State.PUBLISHED: ("published", "published"),
    State.SCHEDULED: ("scheduled", "scheduled"),
}


def report_problems(app: Sphinx, post: Post, state: State) -> None:
    """Log the problems of *post* as located warnings, and why it is held back."""
    in_doubt = state is State.IN_DOUBT
    if not (post.problems or in_doubt or state is State.NOT_A_POST):
        return
    source = Path(app.srcdir, post.path)
    causes = [p for p in post.problems if in_doubt and p.line == post.doubt_line]
    for problem in post.problems:
        # One warning per problem: the one that holds the post back says so.
        held = "; held back from publication until this is fixed" if problem in causes else ""
        warn(problem.subtype, problem.message + held, f"{source}:{problem.line}")
    if in_doubt and not causes:
        warn(Subtype.DRAFT, f"treated as a draft: {post.doubt}", f"{source}:{post.doubt_line}")
    elif state is State.NOT_A_POST:
        # Not a warning: the Jekyll site showed nothing broken, it skipped the file.
        logger.info("newsnode: held back, not a post: %s", post.not_a_post, location=f"{source}:1")
