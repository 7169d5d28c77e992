"""Jekyll's Liquid filters, on top of Shopify's (which python-liquid has).

``relative_url`` and ``absolute_url`` make site-absolute paths (this project
resolves them, wherever it is hosted); ``markdownify`` renders Markdown to
HTML with MyST's parser, a front-matter value's HTML escaped first; the
date, escaping, ``slugify``, ``jsonify``, ``group_by``, ``number_of_words``
and ``array_to_sentence_string`` filters read and print as Jekyll's do.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus

from liquid import Markup
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from sphinx_newsnode.jekyll.escaping import escape_value

if TYPE_CHECKING:
    from collections.abc import Callable

_SCHEME = re.compile(r"[a-zA-Z][\w+.-]*:|//")


def slugify(text: object) -> str:
    """Jekyll's ``slugify``: ASCII, lower case, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def site_path(value: object) -> str:
    """``relative_url``/``absolute_url``: Jekyll prepends ``site.url`` and ``baseurl``.

    Here a site-absolute path is what this project resolves to its own files
    and pages, wherever it is hosted; URLs stay as they are.
    """
    text = "" if value is None else str(value)
    return text if _SCHEME.match(text) else "/" + text.lstrip("/")


@cache
def _markdown() -> Any:
    return create_md_parser(MdParserConfig(), RendererHTML)


def markdownify(value: object) -> Markup:
    """Markdown to HTML, as Jekyll's ``markdownify``.

    A value of the site's own data is its author's; any other (front matter)
    has its HTML and MyST markup escaped first: its Markdown (emphasis,
    links with safe schemes) is rendered, never its HTML.
    """
    text = "" if value is None else str(value)
    if not hasattr(value, "__html__"):
        text = escape_value(text, markdown=True)
    return Markup(_markdown().render(text).strip())


def as_date(value: object) -> dt.date | None:
    """A date a filter can format: a date, a datetime or ISO text."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        return None


def date_format(pattern: str) -> Callable[[object], str]:
    """A filter printing a date with *pattern* (Jekyll's ``date_to_*``)."""

    def filter_date(value: object) -> str:
        date = as_date(value)
        if date is None:
            return "" if value is None else str(value)
        if not isinstance(date, dt.datetime):
            date = dt.datetime(date.year, date.month, date.day)
        return date.strftime(pattern.replace("%-d", str(date.day)))

    return filter_date


def number_of_words(value: object) -> int:
    return len(str(value or "").split())


def array_to_sentence_string(value: object, connector: str = "and") -> str:
    items = [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} {connector} {items[1]}"
    return f"{', '.join(items[:-1])}, {connector} {items[-1]}"


def jsonify(value: object) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)


def group_by(value: object, key: str) -> list[dict[str, Any]]:
    """Jekyll's ``group_by``: ``[{"name": ..., "items": [...], "size": n}]`` in first order."""
    groups: dict[str, list[Any]] = {}
    for item in value if isinstance(value, list | tuple) else []:
        name = item.get(key) if isinstance(item, dict) else None
        groups.setdefault("" if name is None else str(name), []).append(item)
    return [{"name": n, "items": items, "size": len(items)} for n, items in groups.items()]


def xml_escape(value: object) -> str:
    return html.escape("" if value is None else str(value))


#: name → filter function, registered in the Jekyll environment.
JEKYLL_FILTERS: dict[str, Callable[..., Any]] = {
    "relative_url": site_path,
    "absolute_url": site_path,
    "markdownify": markdownify,
    "smartify": lambda value: value,
    "slugify": slugify,
    "xml_escape": xml_escape,
    "cgi_escape": lambda value: quote_plus(str(value or "")),
    "uri_escape": lambda value: quote(str(value or ""), safe="/:?#[]@!$&'()*+,;="),
    "date_to_string": date_format("%d %b %Y"),
    "date_to_long_string": date_format("%d %B %Y"),
    "date_to_xmlschema": date_format("%Y-%m-%dT%H:%M:%S%z"),
    "date_to_rfc822": date_format("%a, %d %b %Y %H:%M:%S %z"),
    "number_of_words": number_of_words,
    "array_to_sentence_string": array_to_sentence_string,
    "jsonify": jsonify,
    "group_by": group_by,
    "normalize_whitespace": lambda value: " ".join(str(value or "").split()),
}
