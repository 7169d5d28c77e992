"""``newsnode import``: a Jekyll site's posts into a Sphinx source tree, unmodified.

The posts (``_posts/``, ``*/_posts/``, ``_drafts/``) are copied byte for
byte, with the files they use: images and documents their front matter, Markdown,
HTML and Liquid name, and the ``_data`` files Liquid reads. Paths stay what
they were (``/assets/x.jpg`` is the same file under the new source folder),
so the posts need no edit. ``conf.py`` (from ``_config.yml``) and an index
with ``news-list`` are written only when absent. The report counts what was
copied and lists, with file and line, the assets that are missing and the
Liquid and kramdown constructs found. A second run copies only what changed.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import unquote, urlsplit

import yaml

from sphinx_newsnode.jekyll.kramdown import jekyll_markdown
from sphinx_newsnode.jekyll.liquid import render_front_matter
from sphinx_newsnode.jekyll.site import JekyllSite
from sphinx_newsnode.jekyll.urls import PERMALINK_STYLES
from sphinx_newsnode.model.frontmatter import load_yaml, read_front_matter
from sphinx_newsnode.model.languages import language_tag
from sphinx_newsnode.model.links import confined, file_named, is_external, written_address
from sphinx_newsnode.model.parser import parse_post
from sphinx_newsnode.model.post import (
    DRAFTS_FOLDER,
    Post,
    jekyll_skips,
    posts_folder,
)
from sphinx_newsnode.model.references import Reference, references

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx_newsnode.jekyll.rendering import Found

POST_SUFFIXES = (".md", ".markdown", ".MD")
PAGE_SUFFIXES = frozenset({"", ".html", *POST_SUFFIXES})
SKIPPED_FOLDERS = {"_site", ".git", "node_modules", "vendor", ".jekyll-cache", ".sass-cache"}


@dataclass
class ImportReport:
    """What an import did and found."""

    posts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    """``copied``, ``unchanged``, ``drafts`` (among both)."""
    assets: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    missing: list[tuple[str, int, str]] = field(default_factory=list)
    """``(post, line, target)`` of each referenced file that does not exist."""
    constructs: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))
    written: list[str] = field(default_factory=list)
    """Files made because they were absent (``conf.py``, ``index.md``)."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """``(file, why)`` of each file of a posts folder not imported as a post."""
    refused: list[tuple[str, str]] = field(default_factory=list)
    """``(file, why)`` of each file not read: links out of the site, broken data."""


OUTSIDE = "a link to a file outside the Jekyll site; not read"


def find_posts(site: Path) -> Iterator[Path]:
    """The post files of a Jekyll site: under ``_posts`` (any depth) and ``_drafts``."""
    for path in sorted(site.rglob("*")):
        parts = path.relative_to(site).parts
        if SKIPPED_FOLDERS & set(parts) or not path.is_file():
            continue
        if ("_posts" in parts[:-1] or DRAFTS_FOLDER in parts[:-1]) and path.name.endswith(
            POST_SUFFIXES
        ):
            yield path


@dataclass(frozen=True)
class SourcePost:
    """A post of the Jekyll site, read as the build will read it."""

    path: Path
    post: Post
    text: str
    found: list[Found]
    """The Liquid of its front matter."""


def read_post(site: Path, path: Path, jekyll: JekyllSite) -> SourcePost | str:
    """A post file's record and text, or why it is not imported as a post."""
    relative = path.relative_to(site).as_posix()
    if confined(path, site) is None:
        return OUTSIDE
    if reason := jekyll_skips(relative):
        return reason
    front_matter = read_front_matter(path)
    if front_matter is None:
        return "no front matter (Jekyll shows no post for it)"
    if not front_matter.decodable:
        return front_matter.errors[0][1]
    front_matter, found = render_front_matter(front_matter, jekyll.liquid, relative)
    suffix = next(s for s in POST_SUFFIXES if relative.endswith(s))
    post = parse_post(front_matter, relative, relative.removesuffix(suffix))
    return SourcePost(path, post, path.read_text(encoding="utf-8-sig", errors="replace"), found)


def local_file(site: Path, post: Post, reference: Reference) -> Path | None:
    """The file of the site a target names, or ``None`` for URLs, anchors and pages."""
    target = reference.target.strip()
    if not target or target.startswith(("#", "{")) or is_external(target):
        return None
    if written_address(target) is not None:
        return None  # an address written without its scheme, not a file
    path = unquote(urlsplit(target).path)
    if not path or path.endswith("/") or PurePosixPath(path).suffix in PAGE_SUFFIXES:
        return None  # a page of the old site, not a file
    folder = (site / post.path).parent
    candidate = file_named(target, root=site, folder=folder, site_relative=reference.site_relative)
    return confined(candidate, site)


def copy(source: Path, destination: Path) -> bool:
    """Copy the bytes of *source* unless *destination* has them already; whether copied."""
    data = source.read_bytes()
    if destination.is_file() and destination.read_bytes() == data:
        return False
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(data)
    return True


def import_site(site: Path, destination: Path, progress: TextIO | None = None) -> ImportReport:
    """Import the Jekyll site at *site* into the Sphinx source folder *destination*."""
    report = ImportReport()
    config = jekyll_config(site)
    jekyll = JekyllSite.read(site, title=config.get("title", ""), url="", baseurl="")
    report.refused += [
        (str(path.relative_to(site)), why) for path, _line, _kind, why in jekyll.data.refused
    ]
    read: list[SourcePost] = []
    for path in find_posts(site):
        record = read_post(site, path, jekyll)
        if isinstance(record, SourcePost):
            read.append(record)
        else:
            listed = report.refused if record == OUTSIDE else report.skipped
            listed.append((path.relative_to(site).as_posix(), record))
    now = dt.datetime.now(dt.UTC)
    jekyll.note_posts(
        {source.post.docname: source.post for source in read},
        frozenset(s.post.docname for s in read if s.post.state(now, allow_future=True).published),
    )
    assets: dict[Path, None] = {}
    for number, source in enumerate(read, 1):
        assets.update(dict.fromkeys(import_post(site, destination, source, jekyll, report)))
        if number % 100 == 0 or number == len(read):
            print(f"read {number} of {len(read)} posts", file=progress or sys.stderr)
    if "output" in report.constructs:
        assets.update(dict.fromkeys(path.resolve() for path in jekyll.data.files))
    assets.update(dict.fromkeys(jekyll.liquid.read))  # the includes the posts render
    for asset in assets:
        relative = asset.relative_to(site.resolve())
        report.assets["copied" if copy(asset, destination / relative) else "unchanged"] += 1
    write_project_files(site, destination, config, [source.post for source in read], report)
    return report


def import_post(
    site: Path, destination: Path, source: SourcePost, jekyll: JekyllSite, report: ImportReport
) -> list[Path]:
    """Copy one post; note what it holds; the files of the site it uses."""
    post = source.post
    report.posts["copied" if copy(source.path, destination / post.path) else "unchanged"] += 1
    if post.docname not in jekyll.liquid.published:
        report.posts["drafts"] += 1
    body = "\n".join(source.text.split("\n")[post.body_line - 1 :])
    rendered, in_body = jekyll_markdown(body, jekyll.liquid, post)
    for item in source.found + in_body:
        kind = f"{item.kind} (with a warning)" if item.problem else item.kind
        report.constructs[kind].append((post.path, item.line))
    used = []
    for reference in references(post, rendered):
        if (file := local_file(site, post, reference)) is None:
            continue
        if file.is_file():
            used.append(file)
        else:
            report.missing.append((post.path, reference.line, reference.target))
    return used


def jekyll_config(site: Path) -> dict[str, Any]:
    """``_config.yml`` of the site (empty when absent, unreadable or a link out of the site)."""
    path = site / "_config.yml"
    if not path.is_file() or confined(path, site) is None:
        return {}
    try:
        value = load_yaml(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return value if isinstance(value, dict) else {}


def write_project_files(
    site: Path, destination: Path, config: dict[str, Any], posts: list[Post], report: ImportReport
) -> None:
    """``conf.py`` and ``index.md``, each only if the destination has none."""
    if not (destination / "conf.py").exists():
        (destination / "conf.py").write_text(conf_py(site, config, posts), encoding="utf-8")
        report.written.append("conf.py")
    if not any((destination / f"index{suffix}").exists() for suffix in (".md", ".rst")):
        title = str(config.get("title") or "News")
        index = f"# {title}\n\n```{{news-list}}\n:style: cards\n:show-description:\n```\n"
        (destination / "index.md").write_text(index, encoding="utf-8")
        report.written.append("index.md")


def conf_py(site: Path, config: dict[str, Any], posts: list[Post]) -> str:
    """A ``conf.py`` carrying over what ``_config.yml`` says."""
    lines = [
        f"# Made by `newsnode import` from the Jekyll site {site.name!r}.",
        f"project = {str(config.get('title') or site.name)!r}",
        'extensions = ["sphinx_newsnode"]',
        'exclude_patterns = ["_build", "_site", "README.md"]',
    ]
    url = f"{config.get('url') or ''}{config.get('baseurl') or ''}".rstrip("/")
    if url.startswith(("http://", "https://")):
        lines.append(f"html_baseurl = {url + '/'!r}")
        # Links to the old site's pages this project has not imported lead there.
        lines.append(f"newsnode_old_site = {url + '/'!r}")
    zone = config.get("timezone")
    if isinstance(zone, str) and zone in zoneinfo.available_timezones():
        lines.append(f"newsnode_timezone = {zone!r}")
    language = config.get("lang") or config.get("locale")
    if isinstance(language, str) and re.fullmatch(r"[a-zA-Z]{2}([_-][a-zA-Z]{2})?", language):
        lines.append(f"language = {language.replace('-', '_')!r}")
    if by_path := languages_by_path(config):
        lines.append(f"newsnode_languages_by_path = {by_path!r}")
    permalink = config.get("permalink")
    is_pattern = isinstance(permalink, str) and (permalink in PERMALINK_STYLES or ":" in permalink)
    if is_pattern and permalink != "date":
        lines.append(f"newsnode_jekyll_permalink = {permalink!r}")
    folders = sorted({str(posts_folder(post)) for post in posts} - {"_posts", DRAFTS_FOLDER})
    if folders:
        patterns = ["_posts/**", *(f"{folder}/**" for folder in folders)]
        lines.append(f"newsnode_posts = {patterns!r}")
    return "\n".join(lines) + "\n"


def languages_by_path(config: dict[str, Any]) -> dict[str, str]:
    """The ``lang`` Jekyll's ``defaults`` give each folder: ``{"_posts/es": "es"}``.

    A default for the whole site (an empty ``path``) is the project's ``language``.
    """
    found = {}
    for default in config.get("defaults") or []:
        if not isinstance(default, dict):
            continue
        scope, values = default.get("scope"), default.get("values")
        path = scope.get("path") if isinstance(scope, dict) else None
        language = values.get("lang") if isinstance(values, dict) else None
        if isinstance(path, str) and path.strip("/") and (tag := language_tag(str(language))):
            found[path.strip("/")] = tag
    return found


def print_report(report: ImportReport, out: TextIO | None = None) -> None:
    """The report, for people: counts first, then what to look at, with file and line."""
    out = out or sys.stdout
    posts = report.posts
    total = posts["copied"] + posts["unchanged"]
    print(
        f"posts: {total} imported ({posts['copied']} copied, {posts['unchanged']} unchanged), "
        f"{posts['drafts']} of them drafts",
        file=out,
    )
    for path, why in report.skipped:
        print(f"  not a post, not imported: {path}: {why}", file=out)
    for path, why in report.refused:
        print(f"  refused: {path}: {why}", file=out)
    print(
        f"assets: {report.assets['copied']} copied, {report.assets['unchanged']} unchanged, "
        f"{len(report.missing)} missing",
        file=out,
    )
    for post, line, target in report.missing:
        print(f"  missing: {post}:{line}: {target}", file=out)
    if report.constructs:
        print("Liquid and kramdown found:", file=out)
        for kind, places in sorted(report.constructs.items()):
            shown = ", ".join(f"{path}:{line}" for path, line in places)
            print(f"  {kind}: {len(places)}: {shown}", file=out)
    for name in report.written:
        print(f"wrote {name}", file=out)
