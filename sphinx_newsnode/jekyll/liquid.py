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
import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from sphinx_newsnode.core.diagnostics import Problem, Subtype
from sphinx_newsnode.model.links import UNLINKED

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from sphinx_newsnode.model.frontmatter import FrontMatter
    from sphinx_newsnode.model.post import Post

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
    """Every post, published or not, by docname."""
    published: frozenset[str] = frozenset()
    """Docnames of the published posts."""

    def post_named(self, name: str) -> Post | None:
        """The post ``{% post_url name %}`` names (``2021-09-22-slug``, ``fr/2021-...``)."""
        wanted = PurePosixPath(name.strip().strip("/"))
        return next(
            (
                post
                for post in self._by_name().get(wanted.name, ())
                if len(wanted.parts) == 1 or post.docname.endswith(str(wanted))
            ),
            None,
        )

    def _by_name(self) -> dict[str, list[Post]]:
        """The posts by the last part of their docname, made once for these posts."""
        if getattr(self, "_index_of", None) is not self.posts:
            index: dict[str, list[Post]] = {}
            for post in self.posts.values():
                index.setdefault(PurePosixPath(post.docname).name, []).append(post)
            self._index, self._index_of = index, self.posts
        return self._index


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
    renderer = _Renderer(text, context, page, first_line, escape=escape)
    return renderer.run(), renderer.found


class _Renderer:
    """Renders the Liquid of one text, left to right, within :data:`OUTPUT_LIMIT`."""

    def __init__(
        self,
        text: str,
        context: LiquidContext,
        page: Mapping[str, Any],
        first_line: int,
        *,
        escape: bool,
    ) -> None:
        self.text, self.context, self.page, self.escape = text, context, page, escape
        self.found: list[Found] = []
        self.out: list[str] = []
        self.position = 0
        self.budget = OUTPUT_LIMIT
        self.lines = _LineCounter(text, first_line)
        self.unclosed_from: dict[str, int] = {}  # no {% endraw %} (endcomment) after this

    def run(self) -> str:
        for tag in scan_tags(self.text):
            if tag.start < self.position:
                continue  # inside a raw or comment block already consumed
            line = self.lines.at(tag.start)
            self.out.append(self.text[self.position : tag.start])
            self.position = tag.end
            if tag.name in {"raw", "comment"}:
                self.block(tag, tag.name, line)
                continue
            try:
                self.put(self.render_tag(tag, line))
            except LiquidError as exc:
                self.out.append(tag.whole)
                kind = "output" if tag.name is None else kind_of(tag.name)
                self.found.append(Found(kind, line, tag.whole, str(exc)))
        self.out.append(self.text[self.position :])
        return "".join(self.out)

    def render_tag(self, tag: Tag, line: int) -> str:
        """What *tag* prints; :class:`LiquidError` when it stays as written."""
        if self.budget <= 0:
            raise LiquidError(f"Liquid printed {OUTPUT_LIMIT} characters already; kept as text")
        if tag.name is None:  # {{ output }}
            value = evaluate(tag.content, self.context, self.page, self.budget, escape=self.escape)
            self.found.append(Found("output", line, tag.whole))
            return value
        return render_tag(tag.name, tag.content.strip(), self, line)

    def put(self, rendered: str) -> None:
        self.budget -= len(rendered)
        self.out.append(rendered)

    def block(self, tag: Tag, name: str, line: int) -> None:
        """``{% raw %}`` (its text as written) or ``{% comment %}`` (nothing, line breaks kept)."""
        end = None
        if self.unclosed_from.get(name, len(self.text)) > self.position:
            end = re.compile(r"\{%-?\s*end" + name + r"\s*-?%\}").search(self.text, self.position)
        if end is None:
            self.unclosed_from[name] = min(
                self.position, self.unclosed_from.get(name, self.position)
            )
            self.out.append(tag.whole)
            self.found.append(Found(name, line, tag.whole, f"{{% {name} %}} is never closed"))
            return
        inner = self.text[self.position : end.start()]
        self.out.append(inner if name == "raw" else "\n" * inner.count("\n"))
        self.found.append(Found(name, line, tag.whole))
        self.position = end.end()


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


def render_tag(name: str, argument: str, scope: _Renderer, line: int) -> str:
    """The text a tag stands for; :class:`LiquidError` when only Jekyll can say."""
    context, page, found = scope.context, scope.page, scope.found
    whole = f"{{% {name} {argument} %}}"
    if name == "link":
        target = literal_or_variable(argument, context, page)
        found.append(Found("link", line, whole))
        return "/" + target.strip().lstrip("/")
    if name == "post_url":
        return post_url(argument, scope, line)
    if name == "highlight":
        found.append(Found("highlight", line, whole))
        return "```" + argument.split()[0] if argument else "```"
    if name == "endhighlight":
        return "```"
    if name == "include":
        return include(argument, scope, line)
    raise LiquidError(f"{{% {name} %}} is Jekyll template logic; it is kept as text")


def post_url(argument: str, scope: _Renderer, line: int) -> str:
    """A link target to the post named.

    A post that is not published, or does not exist (Jekyll stops the build
    on it), gives :data:`UNLINKED` with a problem: the link becomes plain text,
    and nothing read names the post.
    """
    name = argument.strip().strip("\"'")
    whole = f"{{% post_url {name} %}}"
    context, found = scope.context, scope.found
    post = context.post_named(name)
    if post is None:
        problem = f"post_url {name}: no such post; the link is plain text"
        found.append(Found("post_url", line, whole, problem))
        return UNLINKED
    if post.docname not in context.published:
        problem = f"post_url {name}: the post is not published; the link is plain text"
        found.append(Found("post_url", line, whole, problem, Subtype.DRAFT))
        return UNLINKED
    found.append(Found("post_url", line, whole))
    return "/" + post.path


def include(argument: str, scope: _Renderer, line: int) -> str:
    """A figure include as a Markdown image with its caption; others stay text."""
    template, _, rest = argument.partition(" ")
    found = scope.found
    parameters = {
        key: parameter_value(value, scope.context, scope.page, escape=scope.escape)
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


#: Front-matter keys whose text may hold Liquid: images and credits looked up in
#: ``_data`` (``background: "{{ site.data.images.KEY.src }}"``).
LIQUID_KEYS = ("background", "thumbnail", "imageLicense", "image_license", "description",
               "imageAlt", "preTitle")  # fmt: skip


def render_front_matter(
    front_matter: FrontMatter, context: LiquidContext, path: str
) -> tuple[FrontMatter, list[Found]]:
    """*front_matter* with the Liquid of its texts rendered, and what was found.

    Done before the front matter is interpreted, so the one parser reads the
    values as the Jekyll site showed them. What cannot be rendered stays as
    written and is one of the front matter's problems.
    """
    data = dict(front_matter.data)
    page = {**front_matter.data, "path": path}
    found: list[Found] = []
    for key in LIQUID_KEYS:
        value = data.get(key)
        if not isinstance(value, str) or ("{{" not in value and "{%" not in value):
            continue
        data[key], constructs = render(value, context, page, front_matter.lines.get(key, 1))
        found += [dataclasses.replace(item, problem=f"{key}: {item.problem}") if item.problem
                  else item for item in constructs]  # fmt: skip
    if not found:
        return front_matter, found
    problems = [Problem(item.subtype, item.problem, item.line) for item in found if item.problem]
    rendered = dataclasses.replace(front_matter, data=data)
    rendered.problems = [*front_matter.problems, *problems]
    return rendered, found
