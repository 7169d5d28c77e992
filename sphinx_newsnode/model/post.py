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
from typing import Any

from sphinx_newsnode.core.diagnostics import Problem, Subtype
from sphinx_newsnode.model.dates import (
    PostDate,
    is_future,
    is_jekyll_post_name,
)

TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})
DRAFTS_FOLDER = "_drafts"
POSTS_FOLDER = "_posts"
CSS_CLASS = re.compile(r"-?[_a-zA-Z][_a-zA-Z0-9-]*")
"""A CSS class name (``klass`` of a button, a kramdown attribute list)."""
SCALAR_TYPES = (str, int, float, dt.date)
#: repr() for messages: bounded, whatever the value (an alias bomb stays small).
_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 60
short = _REPR.repr
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

    @property
    def published(self) -> bool:
        return self is State.PUBLISHED


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


BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_BIDI_CLOSERS = {"\u202c": "\u202a\u202b\u202d\u202e", "\u2069": "\u2066\u2067\u2068"}


def bidi_balanced(text: str) -> bool:
    """Whether every embedding, override and isolate in *text* is closed, in order."""
    stack: list[str] = []
    for match in BIDI_CONTROLS.finditer(text):
        char = match.group()
        if char in _BIDI_CLOSERS:
            if not stack or stack.pop() not in _BIDI_CLOSERS[char]:
                return False
        else:
            stack.append(char)
    return not stack


def split_words(text: str) -> tuple[str, ...]:
    """The words of a comma- or space-separated text (``"data use, IPT"`` has three)."""
    return tuple(word for word in re.split(r"[,\s]+", text) if word)


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


def posts_folder(post: Post) -> PurePosixPath | None:
    """The ``_posts`` (or ``_drafts``) folder a post is in, if any (``news/_posts``)."""
    folders = post.path.split("/")[:-1]
    for depth, name in enumerate(folders, start=1):
        if name in {"_posts", DRAFTS_FOLDER}:
            return PurePosixPath(*folders[:depth])
    return None
