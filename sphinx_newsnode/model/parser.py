"""The one parser of front matter: :func:`parse_post` (SPEC §2).

The build's gate, the ``check`` command and ``newsnode import`` all read a
post through it. Each key is read by :class:`FieldReader` with its type, and
every problem is collected on the record with the key's line, never logged
here: the caller decides when and where it is reported. Where publication
is in doubt, the record says why (:attr:`Post.doubt`) and the post is held
back.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from sphinx_newsnode.core.diagnostics import Problem, Subtype
from sphinx_newsnode.model.dates import DateError, PostDate, date_from_filename, parse_date
from sphinx_newsnode.model.post import (
    BIDI_CONTROLS,
    CONTROL_CHARACTERS,
    CSS_CLASS,
    DRAFTS_FOLDER,
    FALSE_WORDS,
    KNOWN_KEYS,
    MAX_WORDS,
    SCALAR_TYPES,
    TRUE_WORDS,
    CallToAction,
    Post,
    bidi_balanced,
    short,
    split_words,
)

if TYPE_CHECKING:
    from sphinx_newsnode.model.frontmatter import FrontMatter

_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*+>")


def parse_post(front_matter: FrontMatter, path: str, docname: str) -> Post:
    """Interpret *front_matter* of the post at *path* into a :class:`Post`."""
    return PostParser(front_matter, path, docname).parse()


class FieldReader:
    """Reads the keys of one front matter with their types, collecting problems with their lines."""

    def __init__(self, front_matter: FrontMatter, path: str, docname: str) -> None:
        self.fm = front_matter
        self.data = front_matter.data
        self.path = path
        self.docname = docname
        self.problems: list[Problem] = [
            Problem(Subtype.FRONT_MATTER, message, line) for line, message in front_matter.errors
        ]
        self.problems += front_matter.problems

    def problem(self, subtype: Subtype, message: str, key: str) -> None:
        """Record a problem at the line of *key* (``cta[1]`` falls back to ``cta``), once."""
        lines = self.fm.lines
        line = lines.get(key) or lines.get(key.partition("[")[0], 1)
        problem = Problem(subtype, message, line)
        if problem not in self.problems:
            self.problems.append(problem)

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
            cleaned = BIDI_CONTROLS.sub("", cleaned)
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
            items = list(split_words(str(value)))
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


class PostParser(FieldReader):
    """Builds one :class:`Post` from its front matter."""

    def __init__(self, front_matter: FrontMatter, path: str, docname: str) -> None:
        super().__init__(front_matter, path, docname)
        self.doubt: str | None = None
        self.doubt_line = 1

    def hold_back(self, reason: str, key: str = "", line: int = 1) -> None:
        """Publication is in doubt, because of *key* (or what is at *line*)."""
        self.doubt = reason
        self.doubt_line = self.fm.lines.get(key, line)

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
            cta=calls_to_action(self),
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
            self.hold_back("its date cannot be read", "date")
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


def calls_to_action(reader: FieldReader) -> tuple[CallToAction, ...]:
    """The ``cta`` buttons: a list of ``{text, href, isPrimary, blankTarget, klass}``."""
    value = reader.data.get("cta")
    if value is None:
        return ()
    if isinstance(value, dict):
        reader.problem(Subtype.CTA, "cta should be a list of buttons; read the one given", "cta")
        value = [value]
    if not isinstance(value, list):
        reader.problem(
            Subtype.CTA, f"cta should be a list of buttons, not {short(value)}; ignored", "cta"
        )
        return ()
    buttons = []
    for index, item in enumerate(value):
        key = f"cta[{index}]"
        if not isinstance(item, dict):
            reader.problem(
                Subtype.CTA,
                f"{key} should be a mapping with text and href, not {short(item)}; ignored",
                key,
            )
            continue
        button = call_to_action(reader, item, key)
        if button:
            buttons.append(button)
    return tuple(buttons)


def call_to_action(reader: FieldReader, item: dict[str, Any], key: str) -> CallToAction | None:
    """One button; ``None`` (with a problem) when it has neither text nor target."""
    text = item.get("text")
    href = item.get("href")
    text = reader.clean(str(text), key).strip() if text is not None else ""
    href = reader.clean(str(href), key).strip() if href is not None else ""
    if not text and not href:
        reader.problem(Subtype.CTA, f"{key} has neither text nor href; ignored", key)
        return None
    if not href:
        reader.problem(
            Subtype.CTA, f"{key} ({text!r}) has no href; shown as text without a link", key
        )
    names = str(item.get("klass") or "").split()
    classes = tuple(dict.fromkeys(name for name in names if CSS_CLASS.fullmatch(name)))
    if dropped := [name for name in names if not CSS_CLASS.fullmatch(name)]:
        shown = short(" ".join(dropped))
        reader.problem(Subtype.CTA, f"{key}: {shown} are not CSS class names; dropped", key)
    return CallToAction(
        text=text or href,
        href=href or None,
        primary=bool(
            reader.flag(
                "isPrimary", default=False, value=item.get("isPrimary", False), line_key=key
            )
        ),
        blank_target=bool(
            reader.flag(
                "blankTarget", default=False, value=item.get("blankTarget", False), line_key=key
            )
        ),
        classes=classes,
        line=reader.fm.lines.get(key) or reader.fm.lines.get("cta", 1),
    )
