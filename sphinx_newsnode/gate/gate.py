"""The publication gate: unpublished posts never enter the build (SPEC §3).

At ``builder-inited`` every file matched by ``newsnode_posts`` is read for
its front matter and given a :class:`~sphinx_newsnode.model.post.State`. In
``exclude`` mode the files of unpublished posts are then hidden from Sphinx's
document discovery, so no builder ever reads them: no page, no
``_sources`` copy, no search entry, no copied image, no toctree entry.

Why the exclusion is *transient*: the patterns are added to
``exclude_patterns`` after the environment compared its configuration with
the previous build, and removed again at ``env-get-outdated``, once discovery
is done. Adding them at ``config-inited`` would pickle the drafts' names with
the configuration and force a full re-read whenever a post flips state;
this way a flip is an ordinary added or removed document.

Pages that an earlier build wrote for a post that is now unpublished are
deleted from the output at ``write-started``, before anything is written.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.util import docname_join, logging
from sphinx.util.matching import get_matching_files

from sphinx_newsnode.core.config import DRAFTS_EXCLUDE, DRAFTS_SHOW, timezone
from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.gate.audit import digest, draft_only_images, fingerprint, text_id, with_sources
from sphinx_newsnode.jekyll.liquid import (
    LiquidContext,
    SiteData,
    read_site_data,
    render_front_matter,
    site_variables,
)
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.frontmatter import read_front_matter
from sphinx_newsnode.model.links import confined, site_root
from sphinx_newsnode.model.post import (
    DRAFTS_FOLDER,
    Post,
    State,
    jekyll_skips,
    not_a_post,
    outside_the_tree,
    parse_post,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from docutils.nodes import Element
    from sphinx import addnodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)
_ = get_translation("sphinx_newsnode")


#: Files in a ``_drafts`` folder are unpublished posts wherever they are,
#: even outside ``newsnode_posts``: otherwise they would be built as pages.
DRAFTS_PATTERNS = (f"{DRAFTS_FOLDER}/**", f"**/{DRAFTS_FOLDER}/**")
#: Folders of a Jekyll site that are never pages: data, templates, the built site.
#: A Markdown file there (an include, a page inside a linked folder) is not built.
JEKYLL_FOLDERS = ("_data", "_includes", "_layouts", "_sass", "_site", "_plugins")


def scan_posts(app: Sphinx, site: dict[str, Any], data: SiteData) -> Iterator[Post]:
    """Read the front matter of every post file of the project at *app*.

    Liquid in front-matter texts is rendered with *site* (``site.*``). A post
    read into the environment and not modified since is not parsed again:
    its record is the one the environment holds (when the site and its
    *data* files are the same).
    """
    config = app.config
    suffixes = tuple(config.source_suffix)
    patterns = [*config.newsnode_posts, *DRAFTS_PATTERNS]
    context = LiquidContext(site=site)
    domain = newsnode_domain(app.env)
    key = digest([{k: v for k, v in site.items() if k != "data"}, data.stamp])
    known = domain.posts if domain.data.get("site") == key else {}
    domain.data["site"] = key
    read_at = app.env.all_docs
    srcdir = Path(app.srcdir)
    for relpath in sorted(get_matching_files(app.srcdir, patterns, config.exclude_patterns)):
        suffix = next((s for s in suffixes if relpath.endswith(s)), None)
        if suffix is None:
            continue  # an image or PDF beside the posts
        path = Path(app.srcdir, relpath)
        docname = relpath.removesuffix(suffix)
        if confined(path, srcdir) is None:
            yield outside_the_tree(relpath, docname)  # a link out: never read
            continue
        post = known.get(docname)
        # Unchanged since it was read, as Sphinx itself decides (microseconds).
        if post is not None and path.stat().st_mtime_ns // 1000 <= read_at.get(docname, -1):
            yield post
            continue
        if reason := jekyll_skips(relpath):
            yield not_a_post(relpath, docname, reason)  # Jekyll never read it: neither do we
            continue
        front_matter = read_front_matter(path)
        if front_matter is not None:
            post = parse_post(front_matter, relpath, docname)
            yield render_front_matter(post, context)[0]


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


class PublicationGate:
    """Decides which posts are built, for one Sphinx application."""

    def __init__(self) -> None:
        self.held_back: dict[str, Post] = {}
        """Unpublished posts of this build, by docname."""
        self._patterns: list[str] = []
        self._orphaned: set[tuple[str, str]] = set()
        """(kind, name) of copied files only a purged document used."""
        self._withdrawn: set[str] = set()

    def connect(self, app: Sphinx) -> None:
        """Connect the gate's handlers to *app*'s events."""
        app.connect("builder-inited", self.on_builder_inited)
        app.connect("env-get-outdated", self.on_env_get_outdated)
        # Before Sphinx's own collectors forget the document's images.
        app.connect("env-purge-doc", self.on_env_purge_doc, priority=100)
        app.connect("env-get-updated", self.on_env_get_updated)
        app.connect("missing-reference", self.on_missing_reference)
        app.connect("write-started", self.on_write_started)

    def on_builder_inited(self, app: Sphinx) -> None:
        """Scan the posts, report their problems and hide the unpublished ones."""
        now = dt.datetime.now(timezone(app.config))
        allow_future = app.config.newsnode_future
        domain = newsnode_domain(app.env)
        scan = domain.scan
        scan.clear()
        self.held_back.clear()
        data = read_site_data(site_root(app.env))
        for path, line, subtype, message in data.refused:
            warn(subtype, message, f"{path}:{line}")
        site = site_variables(app, data)
        for post in scan_posts(app, site, data):
            state = post.state(now, allow_future=allow_future)
            scan[post.docname] = (post, state)
            report_problems(app, post)
            if state is not State.PUBLISHED:
                self.held_back[post.docname] = post
            source = Path(app.srcdir, post.path)
            if state is State.IN_DOUBT:
                warn(
                    Subtype.DRAFT,
                    f"treated as a draft: {post.doubt}",
                    f"{source}:{post.doubt_line}",
                )
            elif state is State.NOT_A_POST:
                # Not a warning: the Jekyll site showed nothing broken, it skipped the file.
                logger.info(
                    "newsnode: held back, not a post: %s", post.not_a_post, location=f"{source}:1"
                )
        domain.old_urls = None  # made from this scan when a post needs it
        domain.liquid = LiquidContext(
            site=site,
            posts={name: post for name, (post, _state) in scan.items()},
            published=frozenset(n for n, (_p, s) in scan.items() if s is State.PUBLISHED),
        )
        counts = Counter(state.value for _post, state in scan.values())
        logger.info(
            "newsnode: %d posts (%s), unpublished ones %s",
            len(scan),
            ", ".join(f"{n} {name}" for name, n in sorted(counts.items())) or "none",
            "shown as drafts" if app.config.newsnode_drafts == DRAFTS_SHOW else "excluded",
        )
        # Shown drafts are built, except files no builder may read.
        exclude = app.config.newsnode_drafts == DRAFTS_EXCLUDE
        hidden = [post for post in self.held_back.values() if exclude or not post.buildable]
        self._patterns = [escape_pattern(post.path) for post in hidden]
        self._patterns += jekyll_folders(app)
        app.config.exclude_patterns.extend(self._patterns)

    def on_env_get_outdated(
        self,
        app: Sphinx,
        env: BuildEnvironment,
        added: set[str],
        changed: set[str],
        removed: set[str],
    ) -> list[str]:
        """Discovery is done: give the user's ``exclude_patterns`` back."""
        self._withdrawn = removed & self.held_back.keys()
        patterns = app.config.exclude_patterns
        for pattern in self._patterns:
            patterns.remove(pattern)
        self._patterns = []
        return []

    def on_env_purge_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        """Note the copied images and downloads that only *docname* used."""
        for kind, files in copied_files(env).items():
            for users, name in files.values():
                if users == {docname}:
                    self._orphaned.add((kind, str(name)))

    def on_env_get_updated(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        """Rewrite every page when a post was withdrawn.

        Sidebars of pages that were not re-read may still link it, and the
        search index keeps the words of a pruned document as keys: both are
        rebuilt from scratch.
        """
        if not self._withdrawn:
            return []
        if index_name := getattr(app.builder, "searchindex_filename", None):
            Path(app.builder.outdir, index_name).unlink(missing_ok=True)
        return sorted(env.found_docs)

    def on_write_started(self, app: Sphinx, builder: object) -> None:
        """Before anything is written: clear out stale drafts, keep shown ones from sitemaps."""
        if app.config.newsnode_drafts == DRAFTS_EXCLUDE:
            self.remove_stale_outputs(app)
            return
        swept_record(app).unlink(missing_ok=True)  # drafts are built: sweep them next time
        if "sitemap_excludes" in app.config:
            self.exclude_from_sitemap(app)

    def exclude_from_sitemap(self, app: Sphinx) -> None:
        """Keep drafts shown in ``show`` mode out of sphinx-sitemap's sitemap.

        Added after the environment was pickled, so the configuration it
        stores stays the user's.
        """
        app.config.sitemap_excludes = [
            *app.config.sitemap_excludes,
            *(glob.escape(app.builder.get_target_uri(name)) for name in self.held_back),
        ]

    def on_missing_reference(
        self, app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref, contnode: Element
    ) -> Element | None:
        """A ``{doc}`` link to an unpublished post: plain text, never its name."""
        target = node.get("reftarget", "")
        if node.get("reftype") != "doc":
            return None
        docname = docname_join(node.get("refdoc", ""), target)
        if docname not in self.held_back:
            return None
        text = contnode.astext() if node.get("refexplicit") else _("an unpublished post")
        warn(Subtype.DRAFT, "link to an unpublished post shown as plain text", node)
        return nodes.inline(text, text)

    def remove_stale_outputs(self, app: Sphinx) -> None:
        """Delete what earlier builds wrote for posts that are now unpublished.

        Done before writing: builders such as epub list the output directory
        in their manifest as they finish.
        """
        builder = app.builder
        folders = {
            "images": Path(builder.outdir, builder.imagedir),
            "downloads": Path(builder.outdir, "_downloads"),
        }
        in_use = {
            (kind, str(name))
            for kind, files in copied_files(app.env).items()
            for _users, name in files.values()
        }
        stale = {folders[kind] / name for kind, name in self._orphaned - in_use}
        # Posts held back in the previous build were swept then (the audit checks).
        record = swept_record(app)
        try:
            swept = set(json.loads(record.read_text()))
        except (OSError, ValueError):
            swept = set()
        unswept = [p for d, p in self.held_back.items() if text_id(d) not in swept]
        for post in unswept:
            stale.update(output_files(app, post))
        # Images a draft used in an earlier build that this one's env never knew (-E).
        draft_images = draft_only_images(app, with_sources(app, unswept))
        if draft_images and folders["images"].is_dir():
            current = {name for _users, name in app.env.images.values()}
            stale.update(
                path
                for path in folders["images"].iterdir()
                if path.is_file()
                and path.name not in current
                and fingerprint(path.read_bytes()) in draft_images
            )
        if self._withdrawn and hasattr(builder, "globalcontext_filename"):
            # json/pickle builders copy environment.pickle to their output as
            # they finish, but do not overwrite an older copy: it would keep
            # the withdrawn post. Remove it; the builder writes a fresh one.
            stale.add(Path(builder.outdir, "environment.pickle"))
        for path in stale:
            if path.is_file():
                path.unlink()
                logger.info("newsnode: removed %s (unpublished)", path)
        self._orphaned.clear()
        record.write_text(json.dumps(sorted(map(text_id, self.held_back))))


def swept_record(app: Sphinx) -> Path:
    """Ids of the posts whose outputs the last build of this builder cleared."""
    return Path(app.doctreedir, f"newsnode-swept-{app.builder.name}.json")


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


def report_problems(app: Sphinx, post: Post) -> None:
    """Log the front-matter problems of *post* as located warnings."""
    path = Path(app.srcdir, post.path)
    for problem in post.problems:
        warn(problem.subtype, problem.message, f"{path}:{problem.line}")
