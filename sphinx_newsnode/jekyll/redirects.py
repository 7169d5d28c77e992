"""Redirect pages from the old Jekyll URLs of published posts (SPEC §9).

Every published post had a URL on the old site: its ``permalink:``, and
Jekyll's pattern (``newsnode_jekyll_permalink``). HTML builders write a page
at each (meta refresh and canonical link) that sends readers and search
engines to the post's new page; none for unpublished posts, and the
redirects of a withdrawn post are deleted. A redirect never replaces or
deletes a file it did not write (:class:`RedirectWriter`).
"""

from __future__ import annotations

import hashlib
import html
import os
import posixpath
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_newsnode.core import order
from sphinx_newsnode.core.config import SITE_BUILDERS, builder_settings
from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.core.state import (
    OwnedFiles,
    digest,
    read_state,
    short_digest,
    write_state,
)
from sphinx_newsnode.jekyll.urls import old_urls, redirect_file
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.entries import published_posts, reading_key
from sphinx_newsnode.model.languages import default_language, original, post_language, stories
from sphinx_newsnode.model.links import site_url
from sphinx_newsnode.model.post import Post, State, short

if TYPE_CHECKING:
    from sphinx.application import Sphinx


REDIRECT = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="canonical" href="{canonical}">
<meta http-equiv="refresh" content="0; url={target}">
<meta name="robots" content="noindex">
</head>
<body>
<p><a href="{target}">{title}</a></p>
</body>
</html>
"""


class RedirectWriter:
    """Writes the redirects of one build, and only ever touches its own files.

    Its :class:`~sphinx_newsnode.core.state.OwnedFiles` record each redirect
    written with the size and modification time it was left with. A file is
    this writer's only while it is exactly as it was left: a page of the site,
    an archive page, a feed, or a file a user or another extension wrote at
    that path is never replaced, nor deleted as a stale redirect.
    """

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.outdir = Path(app.builder.outdir)
        self.files = OwnedFiles(app, "redirects")
        self.owners: dict[str, str] = {}
        self.stories: dict[str, str] = {}
        """The story of each post (its ``lang-ref``): versions may share an old address."""
        self.problems: list[tuple[str, tuple[str, int]]] = []
        """What was warned, said again by a build that keeps these redirects."""

    @cached_property
    def pages(self) -> set[str]:
        """The output files of the site's documents (made when a redirect is first written)."""
        builder: Any = self.app.builder  # an HTML builder: it has get_outfilename
        return {os.path.normpath(builder.get_outfilename(d)) for d in self.app.env.found_docs}

    def keep_unchanged(
        self, last: dict[str, Any], site: str, made_of: dict[str, str], urls: dict[str, list[str]]
    ) -> set[str] | None:
        """Keep the redirects of the posts made of what they were; the posts to write.

        *made_of*: each published post's inputs; *urls*: the old URLs of
        those worked out again (every post whose inputs changed).
        ``None`` when every post's redirects must be written: the site's
        documents, settings or stories changed, the last build warned, a
        redirect does not stand as it was left, or a changed post wants an
        address another post has (which one wins depends on them all).
        """
        before, previous = last.get("posts"), self.files.previous
        if last.get("site") != site or last.get("problems") or not isinstance(before, dict):
            return None
        if any(len(recorded) != 4 for recorded in previous.values()):
            return None  # written before redirects recorded their post
        if not all(map(self.files.ours, previous)):
            return None
        changed = {docname for docname, made in made_of.items() if before.get(docname) != made}
        owners = {
            name: recorded[1]
            for name, recorded in previous.items()
            if recorded[1] in made_of and recorded[1] not in changed
        }
        if {redirect_file(url) for docname in changed for url in urls[docname]} & owners.keys():
            return None
        for name in owners:
            self.files.keep_recorded(name)
        self.owners.update(owners)
        return changed

    def problem(self, message: str, location: tuple[str, int]) -> None:
        """Warn that a redirect is not written, and remember it."""
        warn(Subtype.REDIRECT, message, location)
        self.problems.append((message, location))

    def free(self, name: str, page: bytes) -> bool:
        """Whether the redirect *page* may be written at *name*.

        Yes when nothing is there, when the redirect this writer left is,
        or when the file holds exactly *page* already (a build stopped
        before it saved its manifest): replacing it loses nothing.
        """
        path = self.outdir / name
        if not path.exists() or self.files.ours(name):
            return True
        return path.is_file() and path.stat().st_size == len(page) and path.read_bytes() == page

    def write(self, post: Post, url: str, location: tuple[str, int]) -> None:
        """The redirect from the old *url* of *post*, or a warning why there is none."""
        name = redirect_file(url)
        if name is None:
            self.problem(f"{short(url)} leads out of the output; no redirect", location)
            return
        if (owner := self.owners.get(name)) is not None:
            # Translations named alike had one address on the old site; the
            # story's original (written first) answers it.
            if owner != post.docname and self.stories.get(owner) != self.stories.get(post.docname):
                self.problem(
                    f"{short(url)} is already the old address of {owner}; no redirect",
                    location,
                )
            return
        path = self.outdir / name
        page = redirect_page(self.app, post, name).encode()
        digest = hashlib.sha256(page).hexdigest()[:16]
        recorded = self.files.previous.get(name)
        try:
            if os.path.normpath(path) in self.pages or not self.free(name, page):
                self.problem(
                    f"{short(url)} names {short(name)}, a file of the site that is not a redirect; "
                    "it is left as it is and there is no redirect",
                    location,
                )
                return
            if not (recorded and recorded[0] == digest and self.files.ours(name)):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(page)
            self.files.keep(name, digest, post.docname)
        except OSError as exc:  # a name too long, a part of the path that is a file
            self.problem(f"{short(url)}: no redirect ({exc.strerror})", location)
            return
        self.owners[name] = post.docname


def write_redirects(app: Sphinx, exception: Exception | None) -> None:
    """Write a redirect page for every old URL of every published post (``build-finished``).

    Runs after the feeds and sitemaps are written, so every file of the
    site is there to be respected. When nothing they are made from changed
    (the published posts, their old URLs, titles and languages, the site's
    documents, the builder's settings) and every redirect stands as it was
    left, none is written again; when nothing was read since the last build
    (:func:`~sphinx_newsnode.model.entries.reading_key`), the old URLs are
    not even worked out.
    """
    if exception is not None or app.builder.name not in SITE_BUILDERS:
        return
    writer = RedirectWriter(app)
    files, last = writer.files, read_state(app, "redirect-inputs", {})
    settings = builder_settings(app)
    read = digest([settings, reading_key(app.env)])
    if last.get("read") == read and files.keep_previous():
        # Nothing read and the same settings: the same redirects, standing as they were left.
        say_again(last)
        files.finish()
        return
    domain = newsnode_domain(app.env)
    entries = published_posts(app.env)
    writer.stories = {entry.docname: entry.story for entry in entries}
    default = default_language(app.config)
    originals = {original(v, default).docname for v in stories(entries).values()}
    planned = [
        post
        for post, state in sorted(
            domain.scan.values(),
            key=lambda item: (item[0].docname not in originals, item[0].docname),
        )
        if state is State.PUBLISHED and post.docname in app.env.found_docs
    ]
    site = digest([settings, sorted(app.env.found_docs), sorted(writer.stories.items())])
    read_at = {post.docname: app.env.all_docs.get(post.docname) for post in planned}
    made_of, urls_of = posts_made_of(
        app, planned, read_at, last if last.get("site") == site else {}
    )
    inputs = digest([site, list(made_of.items())])
    if last.get("inputs") == inputs and files.keep_previous():
        # The same redirects, standing as they were left.
        say_again(last)
    else:
        changed = writer.keep_unchanged(last, site, made_of, urls_of)
        for post in planned:
            if changed is None or post.docname in changed:
                name = post.docname
                for url in urls_of[name] if name in urls_of else old_urls(post, app.config):
                    writer.write(post, url, (post.docname, post.line("permalink")))
        last = {"inputs": inputs, "problems": writer.problems, "site": site, "posts": made_of}
    last["read at"] = read_at
    write_state(app, "redirect-inputs", {**last, "read": read})
    files.finish()


def posts_made_of(
    app: Sphinx, posts: list[Post], read_at: dict[str, int | None], last: dict[str, Any]
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """What each post's redirects are made of; the old URLs of those worked out again.

    A post the *last* build (of the same site) recorded, and not read since
    (*read_at*: when Sphinx read each), is made of what it was: its old URLs
    are not worked out again.
    """
    before, read_before = last.get("posts") or {}, last.get("read at") or {}
    made_of, urls_of = {}, {}
    for post in posts:
        name = post.docname
        if name in before and read_before.get(name, -1) == read_at[name]:
            made_of[name] = before[name]
            continue
        urls_of[name] = urls = old_urls(post, app.config)
        made_of[name] = short_digest(repr((post.title, post_language(post, app.config), urls)))
    return made_of, urls_of


def say_again(last: dict[str, Any]) -> None:
    """Warn again what the build that wrote the standing redirects warned."""
    for message, (docname, line) in last.get("problems", []):
        warn(Subtype.REDIRECT, message, (docname, line))


def redirect_page(app: Sphinx, post: Post, name: str) -> str:
    """A page at *name* sending readers and search engines to *post*'s page."""
    target_uri = app.builder.get_target_uri(post.docname)
    relative = posixpath.relpath(target_uri, posixpath.dirname(name) or ".")
    if target_uri.endswith("/") and not relative.endswith("/"):
        relative += "/"
    base = app.config.html_baseurl
    canonical = site_url(base, target_uri) if base else relative
    return REDIRECT.format(
        lang=html.escape(post_language(post, app.config)),
        title=html.escape(post.title or post.docname),
        canonical=html.escape(canonical),
        target=html.escape(relative),
    )


def setup_redirects(app: Sphinx) -> None:
    """Write redirects at the end of HTML builds, after the feeds and sitemaps."""
    app.connect("build-finished", write_redirects, priority=order.REDIRECTS)
