"""The post record: one typed, frozen summary of a post's front matter.

:func:`parse_post` is the only place front matter is interpreted (SPEC §2);
the publication gate, the page transform and the ``check`` command all use
its :class:`Post`. Problems are collected on the record with their line, not
logged here, so the caller decides when and where they are reported.
"""

from __future__ import annotations

import datetime as dt
import re
import reprlib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from sphinx_newsnode.core.diagnostics import Subtype
from sphinx_newsnode.model.dates import (
    DateError,
    PostDate,
    date_from_filename,
    is_future,
    is_jekyll_post_name,
    parse_date,
)

if TYPE_CHECKING:
    from sphinx_newsnode.model.frontmatter import FrontMatter

TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})
DRAFTS_FOLDER = "_drafts"
POSTS_FOLDER = "_posts"
_CSS_CLASS = re.compile(r"-?[_a-zA-Z][_a-zA-Z0-9-]*")
SCALAR_TYPES = (str, int, float, dt.date)
#: repr() for messages: bounded, whatever the value (an alias bomb stays small).
_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 60
short = _REPR.repr
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*+>")
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters no text of a post may carry into any output."""
MAX_WORDS = 30
"""Tags (and categories) a post may have."""
KNOWN_KEYS = frozenset({
    "title", "date", "published", "description", "background", "imageLicense",
    "image_license", "cta", "preTitle", "imageAlt", "thumbnail",
    "excludeFromArchive", "lang", "lang-ref", "tags", "categories",
})  # fmt: skip


class State(StrEnum):
    """Whether a post may be published, and if not, why."""

    PUBLISHED = "published"
    DRAFT = "draft"
    """``published: false`` or a ``_drafts/`` folder."""
    SCHEDULED = "scheduled"
    """Dated in the future."""
    IN_DOUBT = "in doubt"
    """The front matter does not say clearly that the post is published."""
    NOT_A_POST = "not a post"
    """Under ``_posts/``, a file Jekyll does not read as a post (its name)."""


@dataclass(frozen=True)
class Problem:
    """Something wrong in a post's front matter, at a 1-based line."""

    subtype: Subtype
    message: str
    line: int


@dataclass(frozen=True)
class CallToAction:
    """One call-to-action button."""

    text: str
    href: str | None
    primary: bool = False
    blank_target: bool = False
    classes: tuple[str, ...] = ()
    line: int = 1


@dataclass(frozen=True)
class Post:
    """What the front matter of one post says, typed."""

    path: str
    """Path of the file relative to the source directory (POSIX)."""
    docname: str
    title: str | None = None
    date: PostDate | None = None
    published: bool = True
    """The front-matter flag (``published: false`` makes it ``False``)."""
    in_drafts_folder: bool = False
    doubt: str | None = None
    """Why publication is in doubt; such a post is never published."""
    doubt_line: int = 1
    """The line the doubt comes from."""
    readable: bool = True
    """False when the file is not UTF-8 text or its front matter cannot be parsed."""
    not_a_post: str | None = None
    """Why Jekyll does not read the file as a post (see :func:`jekyll_skips`)."""
    description: str | None = None
    background: str | None = None
    image_license: str | None = None
    image_alt: str | None = None
    pretitle: str | None = None
    thumbnail: str | None = None
    cta: tuple[CallToAction, ...] = ()
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    lang: str | None = None
    lang_ref: str | None = None
    exclude_from_archive: bool = False
    body_line: int = 1
    """The line on which the body starts, after the front matter."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    """Keys the extension does not interpret (``author``, ``layout``...)."""
    lines: dict[str, int] = field(default_factory=dict, compare=False)
    """1-based line of each front-matter key."""
    problems: tuple[Problem, ...] = field(default=(), compare=False)

    @property
    def license_key(self) -> str:
        """The key the licence was written under (``imageLicense`` or its alias)."""
        return "imageLicense" if "imageLicense" in self.lines else "image_license"

    def line(self, key: str) -> int:
        """The line of *key* in the file, or of the front matter's start."""
        return self.lines.get(key, 1)

    @property
    def buildable(self) -> bool:
        """Whether a builder may read the file at all, as a post or as a shown draft.

        Not when MyST could not read it (not text, front matter it cannot
        parse: it would add its own warnings, or fail), nor when it is no post.
        """
        return self.readable and not self.not_a_post

    def state(self, now: dt.datetime, *, allow_future: bool) -> State:
        """The publication state of the post at *now* (an aware datetime)."""
        if self.not_a_post:
            return State.NOT_A_POST
        if self.doubt:
            return State.IN_DOUBT
        if self.in_drafts_folder or not self.published:
            return State.DRAFT
        if self.date is not None and not allow_future and is_future(self.date, now):
            return State.SCHEDULED
        return State.PUBLISHED


_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_BIDI_CLOSERS = {"\u202c": "\u202a\u202b\u202d\u202e", "\u2069": "\u2066\u2067\u2068"}


def bidi_balanced(text: str) -> bool:
    """Whether every embedding, override and isolate in *text* is closed, in order."""
    stack: list[str] = []
    for match in _BIDI.finditer(text):
        char = match.group()
        if char in _BIDI_CLOSERS:
            if not stack or stack.pop() not in _BIDI_CLOSERS[char]:
                return False
        else:
            stack.append(char)
    return not stack


def parse_post(front_matter: FrontMatter, path: str, docname: str) -> Post:
    """Interpret *front_matter* of the post at *path* into a :class:`Post`."""
    return _PostParser(front_matter, path, docname).parse()


def jekyll_skips(path: str) -> str | None:
    """Why Jekyll would not read the file at *path* as a post, if it would not.

    Under a ``_posts/`` folder Jekyll reads only files named
    ``YYYY-MM-DD-title.ext``: authors withdraw a post by renaming it
    (``x2025-07-10-amphibia.md``), and dateless files there were never shown.
    Elsewhere (``news/``, ``posts/``) newsnode's own rules hold.
    """
    parts = PurePosixPath(path).parts
    if POSTS_FOLDER not in parts[:-1] or is_jekyll_post_name(parts[-1]):
        return None
    return (
        f"under {POSTS_FOLDER}/ Jekyll publishes only files named YYYY-MM-DD-title.ext, "
        f"and {parts[-1]!r} is not one; rename it so to publish it"
    )


def outside_the_tree(path: str, docname: str) -> Post:
    """The record of a post file that is a link out of the source tree: never read."""
    return Post(
        path=path,
        docname=docname,
        doubt="the file is a link to a file outside the source tree; it is not read",
        readable=False,
        problems=(
            Problem(
                Subtype.UNSAFE_PATH,
                f"{PurePosixPath(path).name} links outside the source tree; not read",
                1,
            ),
        ),
    )


def not_a_post(path: str, docname: str, reason: str) -> Post:
    """The record of a file Jekyll skips: its front matter is never read."""
    return Post(path=path, docname=docname, not_a_post=reason)


class _PostParser:
    """Builds one :class:`Post`, collecting problems with their lines."""

    def __init__(self, front_matter: FrontMatter, path: str, docname: str) -> None:
        self.fm = front_matter
        self.data = front_matter.data
        self.path = path
        self.docname = docname
        self.problems: list[Problem] = [
            Problem(Subtype.FRONT_MATTER, message, line) for line, message in front_matter.errors
        ]
        self.doubt: str | None = None
        self.doubt_line = 1

    def hold_back(self, reason: str, key: str = "", line: int = 1) -> None:
        """Publication is in doubt, because of *key* (or what is at *line*)."""
        self.doubt = reason
        self.doubt_line = self.fm.lines.get(key, line)

    def problem(self, subtype: Subtype, message: str, key: str) -> None:
        """Record a problem at the line of *key* (``cta[1]`` falls back to ``cta``), once."""
        lines = self.fm.lines
        line = lines.get(key) or lines.get(key.partition("[")[0], 1)
        problem = Problem(subtype, message, line)
        if problem not in self.problems:
            self.problems.append(problem)

    def parse(self) -> Post:
        in_drafts = DRAFTS_FOLDER in PurePosixPath(self.path).parts[:-1]
        if not self.fm.readable:
            self.hold_back(
                "its front matter cannot be read" if self.fm.decodable else "the file is not text",
                line=min((line for line, _message in self.fm.errors), default=1),
            )
            return self._post(in_drafts_folder=in_drafts)
        license_key = "imageLicense" if "imageLicense" in self.data else "image_license"
        return self._post(
            title=self.plain_text("title"),
            date=self.date(),
            published=self.published(),
            in_drafts_folder=in_drafts,
            description=self.text("description"),
            background=self.text("background"),
            image_license=self.text(license_key),
            image_alt=self.plain_text("imageAlt"),
            pretitle=self.text("preTitle"),
            thumbnail=self.text("thumbnail"),
            cta=self.calls_to_action(),
            tags=self.words("tags"),
            categories=self.words("categories"),
            lang=self.text("lang"),
            lang_ref=self.text("lang-ref"),
            exclude_from_archive=bool(self.flag("excludeFromArchive", default=False)),
            extra={k: v for k, v in self.data.items() if k not in KNOWN_KEYS},
        )

    def _post(self, **values: Any) -> Post:
        return Post(
            path=self.path,
            docname=self.docname,
            doubt=self.doubt,
            doubt_line=self.doubt_line,
            readable=self.fm.readable,
            body_line=self.fm.body_line,
            lines=dict(self.fm.lines),
            problems=tuple(self.problems),
            **values,
        )

    def text(self, key: str) -> str | None:
        """A text value; other scalars are read as text with a warning."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            return self.clean(value, key).strip() or None
        if isinstance(value, int | float | dt.date):
            self.problem(
                Subtype.FRONT_MATTER, f"{key} should be text; read {short(value)} as text", key
            )
            return str(value)
        self.problem(
            Subtype.FRONT_MATTER,
            f"{key} should be text, not a {type(value).__name__}; ignored",
            key,
        )
        return None

    def clean(self, value: str, key: str) -> str:
        """*value* without control characters (no output format may carry them).

        Direction controls are kept when each one is closed: an unterminated
        right-to-left override would reverse whatever a page shows after the
        value (the rest of a ``<title>``, of a listing line).
        """
        cleaned = CONTROL_CHARACTERS.sub("", value)
        if cleaned != value:
            self.problem(Subtype.FRONT_MATTER, f"{key}: control characters removed", key)
        if not bidi_balanced(cleaned):
            cleaned = _BIDI.sub("", cleaned)
            self.problem(
                Subtype.FRONT_MATTER,
                f"{key}: direction controls left open (a right-to-left override) removed",
                key,
            )
        return cleaned

    def plain_text(self, key: str) -> str | None:
        """A text shown as it is: HTML in it is warned about (it is escaped)."""
        value = self.text(key)
        if value and _HTML_TAG.search(value):
            self.problem(
                Subtype.UNSAFE_MARKUP, f"{key} holds HTML markup; it is shown as text", key
            )
        return value

    def flag(
        self, key: str, *, default: bool, value: object = None, line_key: str = ""
    ) -> bool | None:
        """A boolean; ``"yes"``/``"no"`` words are read with a warning, others give None."""
        line_key = line_key or key
        if value is None:
            if key not in self.data:
                return default
            value = self.data[key]
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower() if isinstance(value, str | int) else None
        if word in TRUE_WORDS or word in FALSE_WORDS:
            read = word in TRUE_WORDS
            self.problem(
                Subtype.FRONT_MATTER,
                f"{key} should be true or false; read {short(value)} as {str(read).lower()}",
                line_key,
            )
            return read
        self.problem(
            Subtype.FRONT_MATTER, f"{key} should be true or false, not {short(value)}", line_key
        )
        return None

    def published(self) -> bool:
        if "published" in self.data and self.data["published"] is None:
            self.hold_back("'published:' is empty (Jekyll reads that as unpublished)", "published")
            return False
        flag = self.flag("published", default=True)
        if flag is None:
            self.hold_back(
                f"published: {short(self.data['published'])} is neither true nor false",
                "published",
            )
            return False
        return flag

    def date(self) -> PostDate | None:
        """The date: front matter first, else the file name's ``YYYY-MM-DD-`` prefix."""
        name_date, bad_prefix = date_from_filename(PurePosixPath(self.path).name)
        try:
            value = parse_date(self.data.get("date"))
        except DateError as exc:
            # The date decides when the post is published and in which year's
            # report: never guessed (Jekyll refuses to build the site on it).
            self.problem(Subtype.DATE, f"date: {exc}", "date")
            self.hold_back(
                "its date cannot be read; write it as date: YYYY-MM-DD (a time and zone "
                "may follow: 2021-11-07 14:00:00 +0200)",
                "date",
            )
            return None
        if value is not None:
            return value
        if name_date:
            return name_date
        if bad_prefix:
            self.problem(
                Subtype.DATE,
                f"the file-name prefix {bad_prefix!r} is not a valid date and there is "
                "no 'date:'; the post is undated",
                "date",
            )
        else:
            self.problem(
                Subtype.DATE,
                "no 'date:' and no YYYY-MM-DD- file-name prefix; the post is undated",
                "date",
            )
        return None

    def words(self, key: str) -> tuple[str, ...]:
        """Tags or categories: a list, or text separated by commas or spaces."""
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, list):
            items = [i for i in value if isinstance(i, SCALAR_TYPES)]
            if len(items) < len(value):
                self.problem(Subtype.FRONT_MATTER, f"{key}: items that are not text ignored", key)
        elif isinstance(value, SCALAR_TYPES):
            items = re.split(r"[,\s]+", str(value))
            if not isinstance(value, str):
                self.problem(Subtype.FRONT_MATTER, f"{key} should be a list or text", key)
        else:
            self.problem(Subtype.FRONT_MATTER, f"{key} should be a list or text; ignored", key)
            return ()
        names = (self.clean(str(item), key).strip() for item in items)
        unique = tuple(dict.fromkeys(name for name in names if name))
        if len(unique) > MAX_WORDS:
            # Each tag has a page and two feeds, each listing the post's tags:
            # thousands of tags would write gigabytes from a few kilobytes.
            self.problem(
                Subtype.FRONT_MATTER,
                f"{key}: {len(unique)} given; only the first {MAX_WORDS} are used",
                key,
            )
        return unique[:MAX_WORDS]

    def calls_to_action(self) -> tuple[CallToAction, ...]:
        value = self.data.get("cta")
        if value is None:
            return ()
        if isinstance(value, dict):
            self.problem(Subtype.CTA, "cta should be a list of buttons; read the one given", "cta")
            value = [value]
        if not isinstance(value, list):
            self.problem(
                Subtype.CTA, f"cta should be a list of buttons, not {short(value)}; ignored", "cta"
            )
            return ()
        buttons = []
        for index, item in enumerate(value):
            key = f"cta[{index}]"
            if not isinstance(item, dict):
                self.problem(
                    Subtype.CTA,
                    f"{key} should be a mapping with text and href, not {short(item)}; ignored",
                    key,
                )
                continue
            button = self.call_to_action(item, key)
            if button:
                buttons.append(button)
        return tuple(buttons)

    def call_to_action(self, item: dict[str, Any], key: str) -> CallToAction | None:
        text = item.get("text")
        href = item.get("href")
        text = self.clean(str(text), key).strip() if text is not None else ""
        href = self.clean(str(href), key).strip() if href is not None else ""
        if not text and not href:
            self.problem(Subtype.CTA, f"{key} has neither text nor href; ignored", key)
            return None
        if not href:
            self.problem(
                Subtype.CTA, f"{key} ({text!r}) has no href; shown as text without a link", key
            )
        names = str(item.get("klass") or "").split()
        classes = tuple(dict.fromkeys(name for name in names if _CSS_CLASS.fullmatch(name)))
        if dropped := [name for name in names if not _CSS_CLASS.fullmatch(name)]:
            shown = short(" ".join(dropped))
            self.problem(Subtype.CTA, f"{key}: {shown} are not CSS class names; dropped", key)
        return CallToAction(
            text=text or href,
            href=href or None,
            primary=bool(
                self.flag(
                    "isPrimary", default=False, value=item.get("isPrimary", False), line_key=key
                )
            ),
            blank_target=bool(
                self.flag(
                    "blankTarget", default=False, value=item.get("blankTarget", False), line_key=key
                )
            ),
            classes=classes,
            line=self.fm.lines.get(key) or self.fm.lines.get("cta", 1),
        )
