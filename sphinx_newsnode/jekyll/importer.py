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
from sphinx_newsnode.jekyll.liquid import LiquidContext, read_site_data, render_front_matter
from sphinx_newsnode.jekyll.permalinks import STYLES, posts_folder
from sphinx_newsnode.model.frontmatter import load_yaml, read_front_matter
from sphinx_newsnode.model.links import confined, is_external
from sphinx_newsnode.model.post import DRAFTS_FOLDER, Post, jekyll_skips, parse_post

if TYPE_CHECKING:
    from collections.abc import Iterator

POST_SUFFIXES = (".md", ".markdown", ".MD")
PAGE_SUFFIXES = frozenset({"", ".html", *POST_SUFFIXES})
SKIPPED_FOLDERS = {"_site", ".git", "node_modules", "vendor", ".jekyll-cache", ".sass-cache"}
# Linear: see audit._MARKUP.
_REFERENCE = re.compile(
    r"""!?\[[^\[\]]*+\]\(\s*+<([^<>\n]++)>|!?\[[^\[\]]*+\]\(\s*+([^()\s"'<>]++)"""
    r"""|\b(?:src|href)\s*+=\s*+["']([^"'<>]++)["']|^[ \t]*+\[[^\[\]\n]++\]:[ \t]*+(\S++)""",
    re.MULTILINE,
)


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


def read_post(site: Path, path: Path) -> tuple[Post, str] | str:
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
    suffix = next(s for s in POST_SUFFIXES if relative.endswith(s))
    post = parse_post(front_matter, relative, relative.removesuffix(suffix))
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    return post, text


def references(post: Post, body: str) -> Iterator[tuple[int, str]]:
    """``(line, target)`` of the local files a post names: front matter and body."""
    for key, target in (("background", post.background), ("thumbnail", post.thumbnail)):
        if target:
            yield post.line(key), target
    for button in post.cta:
        if button.href:
            yield button.line, button.href
    line, counted = post.body_line, 0
    for match in _REFERENCE.finditer(body):
        line += body.count("\n", counted, match.start())
        counted = match.start()
        yield line, next(g for g in match.groups() if g)


def local_file(site: Path, post: Post, target: str) -> Path | None:
    """The file of the site a target names, or ``None`` for URLs, anchors and pages."""
    target = target.strip()
    if not target or target.startswith(("#", "{")) or is_external(target):
        return None
    path = unquote(urlsplit(target).path)
    if not path or path.endswith("/") or PurePosixPath(path).suffix in PAGE_SUFFIXES:
        return None  # a page of the old site, not a file
    base = site if path.startswith("/") else (site / post.path).parent
    candidate = (base / path.lstrip("/")).resolve()
    return candidate if candidate.is_relative_to(site.resolve()) else None


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
    read: list[tuple[Path, tuple[Post, str]]] = []
    for path in find_posts(site):
        record = read_post(site, path)
        if record == OUTSIDE:
            report.refused.append((path.relative_to(site).as_posix(), record))
        elif isinstance(record, str):
            report.skipped.append((path.relative_to(site).as_posix(), record))
        else:
            read.append((path, record))
    data = read_site_data(site)
    report.refused += [(str(path.relative_to(site)), why) for path, _l, _k, why in data.refused]
    context = LiquidContext(
        site={"title": config.get("title", ""), "url": "", "baseurl": "", "data": data.data},
        posts={post.docname: post for _path, (post, _text) in read},
        published=frozenset(
            post.docname for _p, (post, _t) in read if post.published and not post.in_drafts_folder
        ),
    )
    assets: dict[Path, None] = {}
    for number, (path, (raw_post, text)) in enumerate(read, 1):
        post, found = render_front_matter(raw_post, context)
        destination_path = destination / post.path
        report.posts["copied" if copy(path, destination_path) else "unchanged"] += 1
        if post.in_drafts_folder or not post.published:
            report.posts["drafts"] += 1
        body = "\n".join(text.split("\n")[post.body_line - 1 :])
        rendered, in_body = jekyll_markdown(body, context, post)
        found += in_body
        for item in found:
            kind = f"{item.kind} (kept as text)" if item.problem else item.kind
            report.constructs[kind].append((post.path, item.line))
        for line, target in references(post, rendered):
            if (file := local_file(site, post, target)) is None:
                continue
            if file.is_file():
                assets[file] = None
            else:
                report.missing.append((post.path, line, target))
        if number % 100 == 0 or number == len(read):
            print(f"read {number} of {len(read)} posts", file=progress or sys.stderr)
    if "output" in report.constructs:
        assets.update(dict.fromkeys(path.resolve() for path in data.files))
    for asset in assets:
        relative = asset.relative_to(site.resolve())
        report.assets["copied" if copy(asset, destination / relative) else "unchanged"] += 1
    write_project_files(site, destination, config, [post for _p, (post, _t) in read], report)
    return report


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
    zone = config.get("timezone")
    if isinstance(zone, str) and zone in zoneinfo.available_timezones():
        lines.append(f"newsnode_timezone = {zone!r}")
    language = config.get("lang") or config.get("locale")
    if isinstance(language, str) and re.fullmatch(r"[a-zA-Z]{2}([_-][a-zA-Z]{2})?", language):
        lines.append(f"language = {language.replace('-', '_')!r}")
    permalink = config.get("permalink")
    is_pattern = isinstance(permalink, str) and (permalink in STYLES or ":" in permalink)
    if is_pattern and permalink != "date":
        lines.append(f"newsnode_jekyll_permalink = {permalink!r}")
    folders = sorted({str(posts_folder(post)) for post in posts} - {"_posts", DRAFTS_FOLDER})
    if folders:
        patterns = ["_posts/**", *(f"{folder}/**" for folder in folders)]
        lines.append(f"newsnode_posts = {patterns!r}")
    return "\n".join(lines) + "\n"


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
