"""Dates in words, as Sphinx's ``format_date`` (Babel) writes them, kept from build to build.

Babel loads a locale's data on the first date it formats in that locale
(4 MiB and about 15 ms for English): a rebuild after an edit would pay that
for the one byline it writes. The texts a build wrote are kept in a state
file, so a rebuild that shows only dates shown before loads no locale at
all. They are kept for one Babel, Sphinx, date format and time zone, as
those made them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import babel
import sphinx
from sphinx.util.i18n import format_date

from sphinx_newsnode.core.state import read_state, write_state
from sphinx_newsnode.model.domain import newsnode_domain, once_a_build

if TYPE_CHECKING:
    import datetime as dt

    from sphinx.application import Sphinx

PURPOSE = "dates"
_STATE_KEY = "date texts"


class DateTexts:
    """The texts of the dates of one builder, by format, locale and moment."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        config = app.config
        self.made_with = [
            babel.__version__, sphinx.__version__,
            config.newsnode_date_format, config.newsnode_timezone,
        ]  # fmt: skip
        kept: dict[str, Any] = read_state(app, PURPOSE, {})
        texts = kept.get("texts") if kept.get("made with") == self.made_with else None
        self.texts: dict[str, str] = texts if isinstance(texts, dict) else {}
        self.new = False

    def text(self, pattern: str, moment: dt.datetime, locale: str) -> str:
        """*moment* written in *pattern* (``format_date``'s), in *locale*."""
        key = f"{pattern}\x1f{locale}\x1f{moment.isoformat()}"
        text = self.texts.get(key)
        if not isinstance(text, str):
            text = self.texts[key] = format_date(pattern, date=moment, language=locale)
            self.new = True
        return text

    def save(self) -> None:
        """Keep the texts for the next build, if this one wrote a new one."""
        if self.new:
            write_state(self.app, PURPOSE, {"made with": self.made_with, "texts": self.texts})
            self.new = False


def date_texts(app: Sphinx) -> DateTexts:
    """The date texts of this build (read once a build)."""
    return once_a_build(app.env, _STATE_KEY, lambda: DateTexts(app))


def save_date_texts(app: Sphinx, exception: Exception | None) -> None:
    """Keep the texts of this build's dates for the next (``build-finished``)."""
    texts = newsnode_domain(app.env).build_state.get(_STATE_KEY)
    if exception is None and isinstance(texts, DateTexts):
        texts.save()
