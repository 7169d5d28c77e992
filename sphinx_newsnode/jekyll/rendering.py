"""What one rendering of a post's Liquid knows and finds.

The Jekyll tags and the output of ``{{ }}`` need the post being rendered
(its folder, for ``include_relative``), the site (``_includes``, the posts
``{% post_url %}`` names) and a place to note what they found. python-liquid
renders through its own objects; this state travels beside them in a
context variable for the duration of one :func:`~sphinx_newsnode.jekyll.liquid.render`.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from sphinx_newsnode.core.diagnostics import Subtype

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sphinx_newsnode.model.post import Post


OUTPUT_LIMIT = 1_000_000
"""Characters Liquid may print for one text: an alias bomb or a huge data file
printed in a loop stops there, with a warning, instead of filling the disk."""


@dataclass(frozen=True)
class Found:
    """A Liquid construct of a post: what it is, where, and what became of it."""

    kind: str
    """``output``, ``link``, ``post_url``, ``include``, ``for``, ``raw``..."""
    line: int
    text: str
    problem: str | None = None
    """Why it was kept as text or printed empty (a warning), or ``None``."""
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
    root: Path | None = None
    """The site root, whose ``_includes`` folder the include tag reads."""
    sources: Path | None = None
    """The folder post paths are relative to (``include_relative`` reads beside a post)."""
    read: set[Path] = field(default_factory=set)
    """The include files rendered since this set was last emptied (by its reader)."""

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

    def held_back_post(self, path: Path) -> Post | None:
        """The unpublished post whose file *path* is, if any: never included in another."""
        if self.sources is None:
            return None
        try:
            relative = path.resolve().relative_to(self.sources.resolve()).as_posix()
        except ValueError:
            return None
        return next(
            (
                post
                for name, post in self.posts.items()
                if post.path == relative and name not in self.published and not post.not_a_post
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


@dataclass
class RenderState:
    """One rendering: its text, what it may read, and what it finds."""

    source: str
    context: LiquidContext
    first_line: int = 1
    escape: bool = False
    """Print values not marked safe as text (a post body)."""
    folder: Path | None = None
    """The folder of the post (for ``include_relative``)."""
    found: list[Found] = field(default_factory=list)
    problems: set[str] = field(default_factory=set)

    def line(self, offset: int) -> int:
        """The file line of an offset of :attr:`source` (``-1``: the first line)."""
        return self.first_line + (self.source.count("\n", 0, offset) if offset > 0 else 0)

    def note(self, kind: str, offset: int, text: str, problem: str | None = None,
             subtype: Subtype = Subtype.JEKYLL) -> None:  # fmt: skip
        """Note a construct, or a problem of one (once per rendering)."""
        if problem is not None:
            if problem in self.problems:
                return
            self.problems.add(problem)
            # The construct was noted when read: its problem stands in its place.
            line = self.line(offset)
            self.found = [f for f in self.found if not (f.line == line and f.kind == kind)]
        self.found.append(Found(kind, self.line(offset), text, problem, subtype))


_CURRENT: ContextVar[RenderState] = ContextVar("newsnode_liquid_rendering")


def current() -> RenderState:
    """The rendering in progress."""
    return _CURRENT.get()


def rendering(state: RenderState) -> Any:
    """Make *state* the rendering in progress; returns the token to end it."""
    return _CURRENT.set(state)


def end_rendering(token: Any) -> None:
    _CURRENT.reset(token)
