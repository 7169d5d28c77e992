"""The URLs a post had on the old Jekyll site (SPEC §9).

Its ``permalink:`` front matter, else Jekyll's pattern
(``newsnode_jekyll_permalink``, by default ``date``:
``/:categories/:year/:month/:day/:title.html``), expanded as Jekyll expands
them; the forms under which a URL is looked up (with and without ``.html``
and a final ``/``); and the output file a URL names. The redirects and the
links of posts to old URLs are made from these.
"""

from __future__ import annotations

import functools
import posixpath
import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from sphinx_newsnode.core.config import timezone
from sphinx_newsnode.model.dates import as_moment, without_date_prefix
from sphinx_newsnode.model.post import Post, posts_folder

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from sphinx.config import Config

#: Jekyll's built-in permalink styles.
PERMALINK_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_PLACEHOLDER = re.compile(r":(\w+)")
_DATED = re.compile(r":(year|month|day|y_day|week|short_day|i_)")
_NOT_IN_SLUG = re.compile(r"[^\w.~!$&'()+,;=@-]+")
_SLASHES = re.compile(r"/{2,}")


def jekyll_title(post: Post) -> str:
    """``:title``: the file name without its date, as Jekyll's pretty slug (case kept)."""
    name = str(post.extra.get("slug") or without_date_prefix(post.docname.rpartition("/")[2]))
    return _NOT_IN_SLUG.sub("-", name).strip("-")


def categories_of(post: Post) -> list[str]:
    """Jekyll's categories: folders above ``_posts`` (or ``_drafts``), then front matter."""
    folder = posts_folder(post)
    folders = list(folder.parent.parts) if folder is not None else []
    return folders + [c for c in post.categories if c not in folders]


def expand(pattern: str, post: Post, config: Config) -> str | None:
    """*pattern* with *post*'s values; ``None`` when it needs a date the post lacks."""
    parts, dated = _parsed(PERMALINK_STYLES.get(pattern, pattern))
    moment = as_moment(post.date, timezone(config)) if post.date is not None else None
    if moment is None and dated:
        return None
    values = []
    for literal, name in parts:
        values.append(literal)
        if moment is not None and (of_date := DATE_VALUES.get(name)):
            values.append(of_date(moment))
        elif of_post := POST_VALUES.get(name):
            values.append(of_post(post))
        elif name:
            values.append(":" + name)  # not a placeholder Jekyll knows: kept as written
    return "/" + _SLASHES.sub("/", "".join(values)).lstrip("/")


@functools.lru_cache(maxsize=64)
def _parsed(pattern: str) -> tuple[tuple[tuple[str, str], ...], bool]:
    """*pattern* as ``(text, placeholder)`` pairs, and whether it needs a date (once a pattern)."""
    pieces = _PLACEHOLDER.split(pattern)  # text, name, text, name, ..., text
    pairs = tuple(zip(pieces[::2], [*pieces[1::2], ""], strict=True))
    return pairs, bool(_DATED.search(pattern))


#: Jekyll's placeholders of a post, each worked out only when a pattern has it.
POST_VALUES: dict[str, Callable[[Post], str]] = {
    "categories": lambda post: "/".join(categories_of(post)),
    "title": jekyll_title,
    "slug": lambda post: jekyll_title(post).lower(),
    "name": jekyll_title,
    "output_ext": lambda _post: ".html",
    "path": lambda post: post.path,
}
#: Jekyll's placeholders of a post's date.
DATE_VALUES: dict[str, Callable[[dt.datetime], str]] = {
    "year": lambda moment: f"{moment.year:04d}",
    "short_year": lambda moment: f"{moment.year % 100:02d}",
    "month": lambda moment: f"{moment.month:02d}",
    "i_month": lambda moment: str(moment.month),
    "short_month": lambda moment: moment.strftime("%b"),
    "long_month": lambda moment: moment.strftime("%B"),
    "day": lambda moment: f"{moment.day:02d}",
    "i_day": lambda moment: str(moment.day),
    "y_day": lambda moment: f"{moment.timetuple().tm_yday:03d}",
    "week": lambda moment: f"{moment.isocalendar()[1]:02d}",
    "short_day": lambda moment: moment.strftime("%a"),
    "hour": lambda moment: f"{moment.hour:02d}",
    "minute": lambda moment: f"{moment.minute:02d}",
    "second": lambda moment: f"{moment.second:02d}",
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


# -- redirects ------------------------------------------------------------------


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
