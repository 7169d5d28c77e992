"""Liquid in Jekyll posts, rendered the way Jekyll would or kept visible (SPEC §9).

Jekyll runs Liquid over a post before Markdown. Node sites use a handful of
it: ``{{ site.baseurl }}`` and ``{{ site.url }}`` before site-absolute paths,
``{{ "/x" | relative_url }}``, ``{{ page.title }}``, ``{% link %}`` and
``{% post_url %}`` for links, ``{% raw %}``, ``{% comment %}``,
``{% highlight %}``, ``{% include figure.html url=... %}`` for figures, and
``{{ site.data.images.KEY.src }}`` in front matter. Those are rendered:
site URLs become site-absolute paths, which the extension resolves to
documents and files of this project. Anything else (other includes,
``{% if %}``, unknown variables and filters) cannot be rendered without the
Jekyll site: it is left in the text, visible, with a ``newsnode.jekyll``
warning. Line numbers never change: every rendering keeps its line breaks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import yaml

from sphinx_newsnode.core.diagnostics import Subtype
from sphinx_newsnode.model.frontmatter import load_yaml
from sphinx_newsnode.model.links import confined
from sphinx_newsnode.model.post import Problem

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from sphinx.application import Sphinx

    from sphinx_newsnode.model.post import Post

#: A reference to a post that is not published: the link becomes plain text.
UNPUBLISHED_ANCHOR = "#newsnode-unpublished"
_OPENER = re.compile(r"\{[{%]")
_CLOSER = {"{{": "}}", "{%": "%}"}
_TAG_CONTENT = re.compile(r"-?\s*(\w+)(.*?)-?", re.DOTALL)
# Linear: a parameter name starts only where no name character precedes it,
# and possessive quantifiers never give characters back.
_PARAMETER = re.compile(
    r"""(?<![\w-])([\w-]++)\s*+=\s*+("[^"]*+"|'[^']*+'|\{\{[^{}]*+\}\}|[^\s]++)"""
)
OUTPUT_LIMIT = 1_000_000
"""Characters Liquid may produce in one text: an alias bomb or a huge data
file printed in a loop stops here, with a warning, instead of filling the disk."""
_IMAGE_PARAMETERS = ("url", "src", "image", "file", "path")
_CAPTION_PARAMETERS = ("description", "caption", "title", "alt")
#: Video includes (``{% include youtube.html id="..." %}``) become links.
VIDEO_SITES = {
    "youtube": ("YouTube video", "https://www.youtube.com/watch?v=%s"),
    "vimeo": ("Vimeo video", "https://vimeo.com/%s"),
}


class LiquidError(ValueError):
    """An expression this renderer cannot evaluate without Jekyll."""


@dataclass(frozen=True)
class Found:
    """A Liquid construct of a post: what it is, where, and what became of it."""

    kind: str
    """``output``, ``link``, ``post_url``, ``include``, ``raw``, ``comment``..."""
    line: int
    text: str
    problem: str | None = None
    """Why it was kept as text (a warning), or ``None`` when rendered."""
    subtype: Subtype = Subtype.JEKYLL
    """The warning's subtype when there is a problem."""


@dataclass
class LiquidContext:
    """What Liquid in the posts of one project can see."""

    site: dict[str, Any] = field(default_factory=dict)
    """``site.*``: ``title``, ``url`` and ``baseurl`` (empty), ``data``."""
    posts: Mapping[str, Post] = field(default_factory=dict)
    """Every post, by docname."""
    published: frozenset[str] = frozenset()
    """Docnames of the published posts."""

    def post_named(self, name: str) -> Post | None:
        """The post ``{% post_url name %}`` names (``2021-09-22-slug``, ``fr/2021-...``)."""
        wanted = PurePosixPath(name.strip().strip("/"))
        for post in self.posts.values():
            path = PurePosixPath(post.docname)
            if path.name == wanted.name and (
                len(wanted.parts) == 1 or str(path).endswith(str(wanted))
            ):
                return post
        return None


@dataclass(frozen=True)
class SiteData:
    """``site.data`` of a site, and what reading it found."""

    data: dict[str, Any]
    stamp: tuple[tuple[str, str], ...]
    """``(path, sha256)`` of each file read: what the data depends on."""
    refused: tuple[tuple[Path, int, Subtype, str], ...]
    """``(file, line, subtype, why)`` of each data file not read."""
    files: tuple[Path, ...] = ()
    """The files read."""


DATA_SUFFIXES = frozenset({".yml", ".yaml", ".json"})


def read_site_data(root: Path) -> SiteData:
    """``site.data``: the YAML and JSON files of ``_data/`` under the site *root*.

    A file or folder that is a link leading out of *root* is not read; a
    file that is not valid YAML neither. Each is refused with its reason.
    """
    data: dict[str, Any] = {}
    stamp: list[tuple[str, str]] = []
    refused: list[tuple[Path, int, Subtype, str]] = []
    read: list[Path] = []
    folder = root / "_data"
    outside = "is a link to a file outside the site; it is not read"
    for path in data_files(folder, root, refused, outside):
        if confined(path, root) is None:
            refused.append((path, 1, Subtype.UNSAFE_PATH, f"{path.name} {outside}"))
            continue
        try:
            raw = path.read_bytes()
            value = load_yaml(raw.decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            # Expressions that need it stay visible, each with its own warning.
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or exc
            line = mark.line + 1 if mark else 1
            refused.append((path, line, Subtype.JEKYLL, f"data file not read: {problem}"))
            continue
        relative = path.relative_to(folder)
        stamp.append((relative.as_posix(), hashlib.sha256(raw).hexdigest()))
        read.append(path)
        target = data
        for part in relative.with_suffix("").parts[:-1]:
            target = target.setdefault(part, {})
            if not isinstance(target, dict):
                break
        else:
            target[path.stem] = value
    return SiteData(data, tuple(stamp), tuple(refused), tuple(read))


def data_files(
    folder: Path, root: Path, refused: list[tuple[Path, int, Subtype, str]], outside: str
) -> list[Path]:
    """The data files under *folder*, sorted, through links that stay inside *root*."""
    if not folder.is_dir():
        return []
    if confined(folder, root) is None:
        refused.append((folder, 1, Subtype.UNSAFE_PATH, f"{folder.name}/ {outside}"))
        return []
    found: list[Path] = []
    seen: set[Path] = set()
    for directory, folders, names in os.walk(folder, followlinks=True):
        here = Path(directory)
        if (resolved := here.resolve()) in seen:
            folders.clear()  # a link back up the tree: walked already
            continue
        seen.add(resolved)
        for name in list(folders):
            if confined(here / name, root) is None:
                refused.append((here / name, 1, Subtype.UNSAFE_PATH, f"{name}/ {outside}"))
                folders.remove(name)
        found.extend(here / n for n in names if Path(n).suffix.lower() in DATA_SUFFIXES)
    return sorted(found)


def render(
    text: str,
    context: LiquidContext,
    page: Mapping[str, Any],
    first_line: int = 1,
    *,
    escape: bool = False,
) -> tuple[str, list[Found]]:
    """*text* with its Liquid rendered, and every construct found in it.

    *page* holds ``page.*`` (the post's front matter); *first_line* is the
    file line of the text's first line. With *escape* (a post body, which
    MyST reads as Markdown and raw HTML), values of variables are
    HTML-escaped: front matter is untrusted, and ``{{ page.title }}`` must
    not put an ``<img onerror>`` into the page. What the template writes
    itself (string literals) is not escaped.
    """
    found: list[Found] = []
    out: list[str] = []
    position = 0
    budget = OUTPUT_LIMIT
    lines = _LineCounter(text, first_line)
    unclosed_from: dict[str, int] = {}  # no {% endraw %} (or endcomment) after this point
    for tag in scan_tags(text):
        if tag.start < position:
            continue  # inside a raw or comment block already consumed
        line = lines.at(tag.start)
        out.append(text[position : tag.start])
        position = tag.end
        if tag.name is None:  # {{ output }}
            try:
                value = evaluate(tag.content, context, page, budget, escape=escape)
                budget -= len(value)
                out.append(value)
                found.append(Found("output", line, tag.whole))
            except LiquidError as exc:
                out.append(tag.whole)
                found.append(Found("output", line, tag.whole, str(exc)))
            continue
        name, argument = tag.name, tag.content.strip()
        if name in {"raw", "comment"}:
            end = None
            if unclosed_from.get(name, len(text)) > position:
                end = re.compile(r"\{%-?\s*end" + name + r"\s*-?%\}").search(text, position)
            if end is None:
                unclosed_from[name] = min(position, unclosed_from.get(name, position))
                out.append(tag.whole)
                found.append(Found(name, line, tag.whole, f"{{% {name} %}} is never closed"))
                continue
            inner = text[position : end.start()]
            # raw: the text as written; comment: nothing, line breaks kept.
            out.append(inner if name == "raw" else "\n" * inner.count("\n"))
            found.append(Found(name, line, tag.whole))
            position = end.end()
            continue
        try:
            rendered = render_tag(name, argument, context, page, found, line, escape=escape)
        except LiquidError as exc:
            out.append(tag.whole)
            found.append(Found(kind_of(name), line, tag.whole, str(exc)))
            continue
        budget -= len(rendered)
        out.append(rendered)
    out.append(text[position:])
    return "".join(out), found


@dataclass(frozen=True)
class Tag:
    """One ``{{ output }}`` (``name`` is ``None``) or ``{% name content %}`` of a text."""

    start: int
    end: int
    whole: str
    name: str | None
    content: str


def scan_tags(text: str) -> Iterator[Tag]:
    """The Liquid tags of *text*, left to right, in linear time.

    A tag ends at the first closer (``}}`` or ``%}``) after its opener, as in
    Liquid. Where each kind of closer is next is remembered: however many
    openers come before it (a run of ``{``), it is searched for once.
    """
    position = 0
    next_closer = {"}}": -1, "%}": -1}  # -1: not searched yet; len(text): none left
    while opener := _OPENER.search(text, position):
        start = opener.start()
        closer = _CLOSER[opener.group()]
        if next_closer[closer] < start + 2:
            found = text.find(closer, start + 2)
            next_closer[closer] = found if found != -1 else len(text)
        close = next_closer[closer]
        if close == len(text):
            position = start + 1
            continue
        content = text[start + 2 : close]
        if closer == "}}":
            yield Tag(start, close + 2, text[start : close + 2], None, content.strip("-"))
            position = close + 2
            continue
        if (match := _TAG_CONTENT.fullmatch(content)) is None:
            position = start + 1  # "{%" not followed by a tag name: text
            continue
        yield Tag(start, close + 2, text[start : close + 2], match.group(1), match.group(2))
        position = close + 2


class _LineCounter:
    """Line numbers of offsets of one text, asked for in increasing order."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.line = first_line
        self.offset = 0

    def at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def kind_of(tag: str) -> str:
    return tag if tag in {"include", "link", "post_url", "highlight"} else "tag"


def render_tag(
    name: str,
    argument: str,
    context: LiquidContext,
    page: Mapping[str, Any],
    found: list[Found],
    line: int,
    *,
    escape: bool = False,
) -> str:
    """The text a tag stands for; :class:`LiquidError` when only Jekyll can say."""
    whole = f"{{% {name} {argument} %}}"
    if name == "link":
        target = literal_or_variable(argument, context, page)
        found.append(Found("link", line, whole))
        return "/" + target.strip().lstrip("/")
    if name == "post_url":
        return post_url(argument, context, found, line)
    if name == "highlight":
        found.append(Found("highlight", line, whole))
        return "```" + argument.split()[0] if argument else "```"
    if name == "endhighlight":
        return "```"
    if name == "include":
        return include(argument, context, page, found, line, escape=escape)
    raise LiquidError(f"{{% {name} %}} is Jekyll template logic; it is kept as text")


def post_url(argument: str, context: LiquidContext, found: list[Found], line: int) -> str:
    """A link target to the post named, or the unpublished anchor (with a problem)."""
    name = argument.strip().strip("\"'")
    whole = f"{{% post_url {name} %}}"
    post = context.post_named(name)
    if post is None:
        found.append(Found("post_url", line, whole, f"post_url {name}: no such post"))
        return UNPUBLISHED_ANCHOR
    if post.docname not in context.published:
        problem = f"post_url {name}: the post is not published; the link is plain text"
        found.append(Found("post_url", line, whole, problem, Subtype.DRAFT))
        return UNPUBLISHED_ANCHOR
    found.append(Found("post_url", line, whole))
    return "/" + post.path


def include(
    argument: str,
    context: LiquidContext,
    page: Mapping[str, Any],
    found: list[Found],
    line: int,
    *,
    escape: bool = False,
) -> str:
    """A figure include as a Markdown image with its caption; others stay text."""
    template, _, rest = argument.partition(" ")
    parameters = {
        key: parameter_value(value, context, page, escape=escape)
        for key, value in _PARAMETER.findall(rest)
    }
    image = next((parameters[k] for k in _IMAGE_PARAMETERS if parameters.get(k)), None)
    video = next((site for site in VIDEO_SITES if site in template.lower()), None)
    if image is None and video and parameters.get("id"):
        found.append(Found("include", line, f"{{% include {argument} %}}"))
        label, url = VIDEO_SITES[video]
        return f"[{label}]({url % parameters['id']})"
    if image is None:
        raise LiquidError(
            f"{{% include {template} %}} is a Jekyll template, not rendered; its text is kept"
        )
    caption = next((parameters[k] for k in _CAPTION_PARAMETERS if parameters.get(k)), "")
    caption = " ".join(caption.split())
    alt = re.sub(r"[\[\]*_`]", "", caption)
    found.append(Found("include", line, f"{{% include {argument} %}}"))
    return f"![{alt}](<{image}>) {caption}".rstrip()


def parameter_value(
    value: str, context: LiquidContext, page: Mapping[str, Any], *, escape: bool = False
) -> str:
    """An include parameter: a quoted string (with Liquid inside), or a variable."""
    if value[:1] in {'"', "'"}:
        inner = value[1:-1]
        return render(inner, context, page, escape=escape)[0] if "{{" in inner else inner
    if value.startswith("{{"):
        return evaluate(value[2:-2], context, page, escape=escape)
    try:
        found = format_value(lookup(value, context, page))
    except LiquidError:
        return value  # a bare word or number: itself
    return escape_value(found) if escape and reads_front_matter(value) else found


def literal_or_variable(text: str, context: LiquidContext, page: Mapping[str, Any]) -> str:
    text = text.strip()
    if text[:1] in {'"', "'"} and text[-1:] == text[:1]:
        return text[1:-1]
    if re.fullmatch(r"[\w./-]+\.\w+", text):  # {% link _posts/x.md %}: a bare path
        return text
    return str(lookup(text, context, page))


def evaluate(
    expression: str,
    context: LiquidContext,
    page: Mapping[str, Any],
    limit: int = OUTPUT_LIMIT,
    *,
    escape: bool = False,
) -> str:
    """The value of ``{{ expression }}``: a literal or variable through filters.

    At most *limit* characters; with *escape*, escaped when front matter
    contributes to it (see :func:`render`).
    """
    head, *filters = split_filters(expression)
    value: Any = literal_or_lookup(head.strip(), context, page)
    untrusted = reads_front_matter(head)
    name = ""
    for spec in filters:
        name, _, argument = spec.partition(":")
        name = name.strip()
        untrusted = untrusted or reads_front_matter(argument)
        value = apply_filter(name, argument.strip(), value, context, page)
    text = "" if value is None else format_value(value, limit)
    if not (escape and untrusted):
        return text
    # {{ page.x | markdownify }}: the template asks for the value's Markdown.
    return escape_value(text, markdown=name == "markdownify")


_MARKUP = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
#: What a front-matter value printed into a post body must not become: HTML,
#: a MyST directive or role (backticks, braces), new blocks (line breaks).
_IN_MARKDOWN = str.maketrans({**_MARKUP, "`": "&#96;", "{": "&#123;", "}": "&#125;", "\n": " "})
#: ... nor, unless it is asked for as Markdown, a link or an image.
_AS_TEXT = str.maketrans(
    {**_MARKUP, "`": "&#96;", "{": "&#123;", "}": "&#125;", "\n": " ", "[": "&#91;",
     "]": "&#93;", "\\": "&#92;", "\r": " "}
)  # fmt: skip


def escape_value(text: str, *, markdown: bool = False) -> str:
    """A front-matter value for a post body: shown as written, never markup.

    Character references work alike in Markdown text, link targets and raw
    HTML attributes, wherever the template prints the value; the line breaks
    of the value become spaces, so it opens no block and lines keep their
    numbers. With *markdown*, links and emphasis stay Markdown.
    """
    return text.translate(_IN_MARKDOWN if markdown else _AS_TEXT).replace("\r", " ")


def reads_front_matter(expression: str) -> bool:
    """Whether *expression* reads ``page.*`` (or ``post.*``): the post's untrusted front matter."""
    return re.match(r"\s*(?:page|post)\b", expression) is not None


def split_filters(expression: str) -> list[str]:
    """``a | b: "x|y" | c`` → ``["a", 'b: "x|y"', "c"]``."""
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    for char in expression:
        if quote:
            quote = "" if char == quote else quote
        elif char in {'"', "'"}:
            quote = char
        elif char == "|":
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def is_literal(text: str) -> bool:
    """Whether an expression is a string or number written in the template."""
    quoted = text[:1] in {'"', "'"} and text[-1:] == text[:1] and len(text) >= 2
    return quoted or re.fullmatch(r"-?\d+(\.\d+)?", text) is not None


def literal_or_lookup(text: str, context: LiquidContext, page: Mapping[str, Any]) -> Any:
    if is_literal(text):
        return text[1:-1] if text[:1] in {'"', "'"} else text
    return lookup(text, context, page)


def lookup(name: str, context: LiquidContext, page: Mapping[str, Any]) -> Any:
    """A variable: ``site.*`` or ``page.*`` (``post.*``), dotted or with ``["key"]``."""
    parts = [p for p in re.split(r"\.|\[[\"']?|[\"']?\]", name.strip()) if p]
    if not parts:
        raise LiquidError("an empty Liquid expression")
    roots: dict[str, Any] = {"site": context.site, "page": page, "post": page}
    if parts[0] not in roots:
        raise LiquidError(f"{{{{ {name.strip()} }}}} is not known outside Jekyll; kept as text")
    value: Any = roots[parts[0]]
    for part in parts[1:]:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            raise LiquidError(f"{{{{ {name.strip()} }}}} has no value here; kept as text")
    return value


def apply_filter(
    name: str, argument: str, value: Any, context: LiquidContext, page: Mapping[str, Any]
) -> Any:
    """One Liquid or Jekyll filter; :class:`LiquidError` for one this renderer lacks."""
    text = "" if value is None or isinstance(value, dict) else format_value(value)
    if name in {"relative_url", "absolute_url"}:
        # Jekyll prepends site.url and site.baseurl; here site-absolute paths
        # are resolved against this project, wherever it is hosted.
        return text if re.match(r"[a-zA-Z][\w+.-]*:|//", text) else "/" + text.lstrip("/")
    arg = str(literal_or_lookup(argument, context, page)) if argument else ""
    simple: dict[str, Callable[[], Any]] = {
        "prepend": lambda: arg + text,
        "append": lambda: text + arg,
        "default": lambda: text or arg,
        "downcase": text.lower,
        "upcase": text.upper,
        "capitalize": text.capitalize,
        "strip": text.strip,
        "escape": lambda: html.escape(text),
        "xml_escape": lambda: html.escape(text),
        "markdownify": lambda: text,
        "smartify": lambda: text,
        "slugify": lambda: slugify(text),
        "date": lambda: format_date(value, arg),
        "date_to_string": lambda: format_date(value, "%d %b %Y"),
        "date_to_long_string": lambda: format_date(value, "%d %B %Y"),
        "date_to_xmlschema": lambda: format_date(value, "%Y-%m-%dT%H:%M:%S%z"),
        "size": lambda: len(value) if isinstance(value, (list, dict, str)) else 0,
    }
    if name not in simple:
        raise LiquidError(f"the Liquid filter {name!r} is not rendered; the text is kept")
    return simple[name]()


def format_date(value: Any, pattern: str) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if not isinstance(value, dt.date):
        return format_value(value)
    return value.strftime(pattern.replace("%-d", str(value.day)) or "%Y-%m-%d")


def format_value(value: Any, limit: int = OUTPUT_LIMIT) -> str:
    """*value* as Liquid prints it: lists joined, booleans in lower case.

    Never more than *limit* characters (a YAML alias bomb is small in memory
    and astronomically long in print), never a mapping (its print would be
    as long): :class:`LiquidError` instead.
    """
    parts: list[str] = []
    size = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(reversed(item))
            continue
        if isinstance(item, dict):
            raise LiquidError("a mapping cannot be printed; it is kept as text")
        text = ("true" if item else "false") if isinstance(item, bool) else str(item)
        size += len(text)
        if size > limit:
            raise LiquidError(f"the value is longer than {limit} characters; it is kept as text")
        parts.append(text)
    return "".join(parts)


def slugify(text: str) -> str:
    """Jekyll's ``slugify``: ASCII, lower case, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def page_variables(post: Post) -> dict[str, Any]:
    """``page.*`` of a post: its front matter as Jekyll would expose it."""
    variables: dict[str, Any] = dict(post.extra)
    variables.update(
        title=post.title or "",
        date=post.date,
        description=post.description or "",
        background=post.background or "",
        tags=list(post.tags),
        categories=list(post.categories),
        path=post.path,
    )
    return variables


#: Front-matter keys whose text may hold Liquid, and the Post field of each.
FRONT_MATTER_TEXT = {
    "background": "background",
    "thumbnail": "thumbnail",
    "imageLicense": "image_license",
    "image_license": "image_license",
    "description": "description",
    "imageAlt": "image_alt",
    "preTitle": "pretitle",
}


def render_front_matter(post: Post, context: LiquidContext) -> tuple[Post, list[Found]]:
    """*post* with the Liquid of its front-matter texts rendered, and what was found.

    What cannot be rendered stays as written, and is one of the post's problems.
    """
    changes: dict[str, Any] = {}
    found: list[Found] = []
    for key, attribute in FRONT_MATTER_TEXT.items():
        value = getattr(post, attribute)
        if key not in post.lines or not value or ("{{" not in value and "{%" not in value):
            continue
        rendered, constructs = render(value, context, page_variables(post), post.line(key))
        changes[attribute] = rendered
        found += [dataclasses.replace(item, problem=f"{key}: {item.problem}") if item.problem
                  else item for item in constructs]  # fmt: skip
    if not changes:
        return post, found
    problems = [Problem(item.subtype, item.problem, item.line) for item in found if item.problem]
    return dataclasses.replace(post, problems=(*post.problems, *problems), **changes), found


def site_variables(app: Sphinx, data: SiteData) -> dict[str, Any]:
    """``site.*`` for the project at *app*: URLs empty (site-absolute paths), ``data``."""
    return {
        "title": str(app.config.project),
        "url": "",
        "baseurl": "",
        "lang": app.config.language or "en",
        "data": data.data,
    }
