"""What listings show of a post, and which posts a listing selects (SPEC §6).

An :class:`Entry` is what every output shows of one published post: its
title, date, summary, image, tags. A :class:`ListingSpec` is the selection
of one listing (a year, tags, categories, a limit); tags and categories are
compared by their :func:`slug`: names that differ only in case or
punctuation are one tag, with one page and one feed.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx_newsnode.model.dates import PostDate


MAX_SLUG = 50
"""Characters of a tag's slug before it is cut and made unique with a hash:
a file name stays far below the 255 bytes file systems take."""


@functools.lru_cache(maxsize=4096)
def slug(name: str) -> str:
    """The URL-safe, stable form of a tag or category name (``Data use`` → ``data-use``).

    Names that differ only in case or punctuation have the same slug, and
    share one page and one feed.
    """
    text = re.sub(r"[^\w-]+", "-", name.strip().lower()).strip("-") or "-"
    if len(text) > MAX_SLUG:
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        text = f"{text[:MAX_SLUG].rstrip('-')}-{digest}"
    return text


@dataclass(frozen=True)
class Entry:
    """What listings, archives and feeds show of one published post."""

    docname: str
    title: str
    date: PostDate | None
    summary: str
    image: str | None
    """Source path of the thumbnail (or hero) image, or its http(s) URL."""
    image_alt: str
    credit: str
    """The image's credit, as plain text (the year page shows it)."""
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    lang: str
    """The post's language (:func:`~sphinx_newsnode.model.languages.post_language`)."""
    lang_ref: str | None = None
    """The ``lang-ref`` its translations share."""
    listed: bool = True
    """False for ``excludeFromArchive`` posts: published, but in no listing."""
    modified: PostDate | None = None
    """Jekyll's ``last_modified_at``, when the post has a readable one."""
    draft: bool = False
    """An unpublished post, listed only for reviewers in ``show`` mode."""

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None

    @property
    def story(self) -> str:
        """What its versions in other languages share: ``lang-ref``, else its own name."""
        return f"lang-ref:{self.lang_ref}" if self.lang_ref else self.docname


@dataclass(frozen=True)
class ListingSpec:
    """The selection and look of one listing."""

    year: int | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    limit: int | None = None
    offset: int = 0
    """Entries skipped before the first shown (a later page of an archive)."""
    style: str = "compact"
    show_description: bool = False
    lang: str | None = None
    """The language of the stories shown (``all``: every version); ``None``:
    the language of the page the listing is on."""

    def select(self, entries: Iterable[Entry]) -> list[Entry]:
        """The entries this listing shows, in order.

        Tags and categories are compared by :func:`slug`, as their pages are:
        ``IPT`` and ``ipt`` are one tag.
        """
        tags = {slug(name) for name in self.tags}
        categories = {slug(name) for name in self.categories}
        chosen = [
            e
            for e in entries
            if (self.year is None or e.year == self.year)
            and (not tags or tags.intersection(map(slug, e.tags)))
            and (not categories or categories.intersection(map(slug, e.categories)))
        ]
        return self.window(chosen)

    def window(self, selected: list[Entry]) -> list[Entry]:
        """The part of *selected* (what this listing selects) it shows: its offset and limit."""
        shown = selected[self.offset :]
        return shown[: self.limit] if self.limit else shown
