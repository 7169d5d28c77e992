"""A Jekyll site's URLs, kept working after the move to Sphinx (SPEC §9).

Every published post had a URL on the old site: its ``permalink:`` front
matter, else Jekyll's pattern (``newsnode_jekyll_permalink``, by default
``date``: ``/:categories/:year/:month/:day/:title.html``). For each of them
the HTML builders write a redirect page (meta refresh and canonical link) to
the post's new page; none for unpublished posts, and redirects of a post
that was withdrawn are deleted. Links in posts to old URLs and to pages of
the old site (``/about/``, ``/about.html``) are resolved to the documents of
this project where one matches; a ``{% post_url %}`` to an unpublished or
missing post leaves its text, unlinked.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import posixpath
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from sphinx_newsnode.core.config import timezone
from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.jekyll.liquid import UNPUBLISHED_ANCHOR
from sphinx_newsnode.model.dates import as_moment, without_date_prefix
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.links import UnsafePathError, is_external, local_path, srcdir_uri
from sphinx_newsnode.model.post import DRAFTS_FOLDER, Post, State, short
from sphinx_newsnode.outputs.archive import SITE_BUILDERS
from sphinx_newsnode.reading.cta import document_at, download_link, is_source_file

if TYPE_CHECKING:
    import datetime as dt

    from sphinx.application import Sphinx
    from sphinx.config import Config

#: Jekyll's built-in permalink styles.
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_PLACEHOLDER = re.compile(r":(\w+)")


def jekyll_title(post: Post) -> str:
    """``:title``: the file name without its date, as Jekyll's pretty slug (case kept)."""
    name = str(post.extra.get("slug") or without_date_prefix(PurePosixPath(post.docname).name))
    return re.sub(r"[^\w.~!$&'()+,;=@-]+", "-", name).strip("-")


def posts_folder(post: Post) -> PurePosixPath | None:
    """The ``_posts`` (or ``_drafts``) folder a post is in, if any (``news/_posts``)."""
    path = PurePosixPath(post.path)
    return next((f for f in reversed(path.parents) if f.name in {"_posts", DRAFTS_FOLDER}), None)


def categories_of(post: Post) -> list[str]:
    """Jekyll's categories: folders above ``_posts`` (or ``_drafts``), then front matter."""
    folder = posts_folder(post)
    folders = list(folder.parent.parts) if folder is not None else []
    return folders + [c for c in post.categories if c not in folders]


def expand(pattern: str, post: Post, config: Config) -> str | None:
    """*pattern* with *post*'s values; ``None`` when it needs a date the post lacks."""
    pattern = STYLES.get(pattern, pattern)
    moment = as_moment(post.date, timezone(config)) if post.date is not None else None
    if moment is None and re.search(r":(year|month|day|y_day|week|short_day|i_)", pattern):
        return None
    values = {
        "categories": "/".join(categories_of(post)),
        "title": jekyll_title(post),
        "slug": jekyll_title(post).lower(),
        "name": jekyll_title(post),
        "output_ext": ".html",
        "path": post.path,
    }
    if moment is not None:
        values.update(date_values(moment))
    url = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), pattern)
    return "/" + re.sub(r"/{2,}", "/", url).lstrip("/")


def date_values(moment: dt.datetime) -> dict[str, str]:
    return {
        "year": f"{moment.year:04d}",
        "short_year": f"{moment.year % 100:02d}",
        "month": f"{moment.month:02d}",
        "i_month": str(moment.month),
        "short_month": moment.strftime("%b"),
        "long_month": moment.strftime("%B"),
        "day": f"{moment.day:02d}",
        "i_day": str(moment.day),
        "y_day": f"{moment.timetuple().tm_yday:03d}",
        "week": f"{moment.isocalendar()[1]:02d}",
        "short_day": moment.strftime("%a"),
        "hour": f"{moment.hour:02d}",
        "minute": f"{moment.minute:02d}",
        "second": f"{moment.second:02d}",
    }


def old_urls(post: Post, config: Config) -> list[str]:
    """The URLs *post* had on the Jekyll site: its ``permalink``, and the pattern's."""
    urls = []
    permalink = post.extra.get("permalink")
    if isinstance(permalink, str) and (url := expand(permalink.strip(), post, config)):
        urls.append(url)
    pattern = config.newsnode_jekyll_permalink
    if pattern and (url := expand(pattern, post, config)) is not None and url not in urls:
        urls.append(url)
    return urls


def url_keys(url: str) -> set[str]:
    """The forms under which a URL path is looked up: with and without ``.html``, ``/``."""
    path = unquote(urlsplit(url).path).rstrip("/")
    path = path.removesuffix("/index.html").removesuffix(".html")
    return {path, path.lower()} if path else set()


def old_url_table(app_config: Config, posts: list[Post]) -> dict[str, str]:
    """Old URL path (normalised) → docname, for the given posts."""
    table: dict[str, str] = {}
    for post in posts:
        for url in old_urls(post, app_config):
            for key in url_keys(url):
                table.setdefault(key, post.docname)
    return table


class SiteLinks(SphinxTransform):
    """Links of posts to old URLs and old pages become links to documents.

    Runs before MyST resolves its links, on the ``pending_xref`` nodes MyST
    could not place; a link to an unpublished post becomes its text.
    """

    default_priority = 420

    def apply(self, **kwargs: object) -> None:
        domain = newsnode_domain(self.env)
        if self.env.docname not in domain.scan:
            return
        for anchor in list(self.document.findall(nodes.reference)):
            if anchor.get("refuri") == UNPUBLISHED_ANCHOR:
                anchor.replace_self(anchor.children or [nodes.Text(anchor.astext())])
        for xref in list(self.document.findall(addnodes.pending_xref)):
            target = str(xref.get("reftarget", ""))
            if xref.get("reftype") != "myst" or not target.startswith("/") or target[:2] == "//":
                continue
            if (file := self.named_file(target)) is not None:
                if not is_source_file(self.env, file):  # MyST misses names with spaces
                    xref.replace_self(download_link(self.env, file, *xref.children))
                continue  # a document: MyST resolves it
            if (table := domain.old_urls) is None:  # once a build, not once a post
                published = [p for p, s in domain.scan.values() if s is State.PUBLISHED]
                table = domain.old_urls = old_url_table(self.config, published)
            docname = next((table[k] for k in url_keys(target) if k in table), None)
            docname = docname or self.document_named(target)
            if docname is None:
                continue
            xref["refdomain"], xref["reftype"] = "std", "doc"
            xref["reftarget"] = "/" + docname
            xref["refexplicit"] = True

        for image in self.document.findall(nodes.image):
            uri = image["uri"]
            if "%" in uri and not is_external(uri) and (file := self.named_file(uri)):
                image["uri"] = srcdir_uri(self.env, file)  # "/assets/yra%20call.png"

    def named_file(self, target: str) -> Path | None:
        """The file of the source tree a site-absolute target names, if any."""
        path = unquote(urlsplit(target).path).lstrip("/")
        if not path:
            return None
        try:
            file = local_path(self.env, self.env.docname, "/" + path)
        except UnsafePathError:
            return None
        return file if file.is_file() else None

    def document_named(self, target: str) -> str | None:
        """The document an old page URL names: ``/about/``, ``/about.html``, ``/a/b``."""
        srcdir = Path(self.env.srcdir)
        for key in sorted(url_keys(target)):
            if docname := document_at(self.env, (srcdir / key.lstrip("/")).resolve()):
                return docname
        return None


# -- redirects ------------------------------------------------------------------


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


def redirect_file(url: str) -> str | None:
    """The output file (POSIX, relative) that answers *url*, or ``None`` if unsafe."""
    path = unquote(urlsplit(url).path)
    if path.endswith("/"):
        path += "index.html"
    elif not PurePosixPath(path).suffix:
        path += ".html"
    normal = posixpath.normpath(path.lstrip("/"))
    if normal.startswith("..") or normal in {".", ""} or "\x00" in normal:
        return None
    return normal


def manifest_path(app: Sphinx) -> Path:
    return Path(app.doctreedir, f"newsnode-redirects-{app.builder.name}.json")


class RedirectWriter:
    """Writes the redirects of one build, and only ever touches its own files.

    The manifest (in the doctree folder) records each redirect written with
    the size and modification time it was left with. A file is this
    writer's only while it is exactly as it was left: a page of the site, an
    archive page, a feed, or a file a user or another extension wrote at
    that path is never replaced, nor deleted as a stale redirect.
    """

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.outdir = Path(app.builder.outdir)
        builder: Any = app.builder  # an HTML builder: it has get_outfilename
        self.pages = {os.path.normpath(builder.get_outfilename(d)) for d in app.env.found_docs}
        try:
            previous = json.loads(manifest_path(app).read_text())
            self.previous: dict[str, list[Any]] = previous if isinstance(previous, dict) else {}
        except (OSError, ValueError):
            self.previous = {}
        self.written: dict[str, list[Any]] = {}
        self.owners: dict[str, str] = {}

    def ours(self, name: str) -> bool:
        """Whether the file at *name* is a redirect this writer left, unchanged since."""
        recorded = self.previous.get(name)
        try:
            stat = (self.outdir / name).stat()
        except OSError:
            return False
        return recorded is not None and recorded[1:] == [stat.st_size, stat.st_mtime_ns]

    def free(self, name: str, page: bytes) -> bool:
        """Whether the redirect *page* may be written at *name*.

        Yes when nothing is there, when the redirect this writer left is,
        or when the file holds exactly *page* already (a build stopped
        before it saved its manifest): replacing it loses nothing.
        """
        path = self.outdir / name
        if not path.exists() or self.ours(name):
            return True
        return path.is_file() and path.stat().st_size == len(page) and path.read_bytes() == page

    def write(self, post: Post, url: str, location: tuple[str, int]) -> None:
        """The redirect from the old *url* of *post*, or a warning why there is none."""
        name = redirect_file(url)
        if name is None:
            warn(Subtype.REDIRECT, f"{short(url)} leads out of the output; no redirect", location)
            return
        if (owner := self.owners.get(name)) is not None:
            if owner != post.docname:
                warn(
                    Subtype.REDIRECT,
                    f"{short(url)} is already the old address of {owner}; no redirect",
                    location,
                )
            return
        path = self.outdir / name
        page = redirect_page(self.app, post, name).encode()
        digest = hashlib.sha256(page).hexdigest()[:16]
        recorded = self.previous.get(name)
        try:
            if os.path.normpath(path) in self.pages or not self.free(name, page):
                warn(
                    Subtype.REDIRECT,
                    f"{short(url)} names {short(name)}, a file of the site that is not a redirect; "
                    "it is left as it is and there is no redirect",
                    location,
                )
                return
            if not (recorded and recorded[0] == digest and self.ours(name)):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(page)
            stat = path.stat()
        except OSError as exc:  # a name too long, a part of the path that is a file
            warn(Subtype.REDIRECT, f"{short(url)}: no redirect ({exc.strerror})", location)
            return
        self.owners[name] = post.docname
        self.written[name] = [digest, stat.st_size, stat.st_mtime_ns]

    def finish(self) -> None:
        """Delete the redirects no longer wanted (those left unchanged); save the manifest."""
        for stale in self.previous.keys() - self.written.keys():
            if self.ours(stale):
                (self.outdir / stale).unlink()
        manifest_path(self.app).write_text(json.dumps(self.written, sort_keys=True))


def write_redirects(app: Sphinx, exception: Exception | None) -> None:
    """Write a redirect page for every old URL of every published post (``build-finished``).

    Runs after the feeds and sitemaps are written, so every file of the
    site is there to be respected.
    """
    if exception is not None or app.builder.name not in SITE_BUILDERS:
        return
    writer = RedirectWriter(app)
    domain = newsnode_domain(app.env)
    for post, state in sorted(domain.scan.values(), key=lambda item: item[0].docname):
        if state is not State.PUBLISHED or post.docname not in app.env.found_docs:
            continue
        for url in old_urls(post, app.config):
            writer.write(post, url, (post.docname, post.line("permalink")))
    writer.finish()


def redirect_page(app: Sphinx, post: Post, name: str) -> str:
    """A page at *name* sending readers and search engines to *post*'s page."""
    target_uri = app.builder.get_target_uri(post.docname)
    relative = posixpath.relpath(target_uri, posixpath.dirname(name) or ".")
    if target_uri.endswith("/") and not relative.endswith("/"):
        relative += "/"
    base = app.config.html_baseurl
    canonical = relative
    if base:
        canonical = urljoin(base if base.endswith("/") else base + "/", target_uri)
    return REDIRECT.format(
        lang=html.escape(app.config.language or "en"),
        title=html.escape(post.title or post.docname),
        canonical=html.escape(canonical),
        target=html.escape(relative),
    )


def setup_permalinks(app: Sphinx) -> None:
    """Resolve old links while reading; write redirects at the end of HTML builds."""
    app.add_transform(SiteLinks)
    app.connect("build-finished", write_redirects, priority=850)  # before the audit
