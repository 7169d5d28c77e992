"""The ``newsnode`` domain: where posts live in the build environment.

It keeps two things apart:

* ``data`` — for every post *read* into the environment, its
  :class:`~sphinx_newsnode.model.post.Post` (``posts``) and what reading its page
  produced (``pages``, :class:`PageFacts`); and the ``news-list`` listings
  of every page (``listings``). All keyed by docname, pickled with the
  environment, purged with their document and merged back from parallel
  readers, so ``-j 2`` and incremental builds see what a fresh ``-j 1``
  build sees; and what each page showed of other posts when the last build
  had read (``shown``, ``languages``), which the next one compares with.
* :attr:`NewsnodeDomain.scan` — what the publication gate found on disk at
  the start of *this* build (every post, published or not, with its
  :class:`~sphinx_newsnode.model.post.State`). It is not pickled: the gate
  recomputes it each build before anything is read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TypeVar

from sphinx.domains import Domain

T = TypeVar("T")

if TYPE_CHECKING:
    from collections.abc import Callable, Set

    from docutils import nodes
    from sphinx import addnodes
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from sphinx_newsnode.model.post import Post, State
    from sphinx_newsnode.model.selection import ListingSpec


class Scanned(NamedTuple):
    """A post as the publication gate found it on disk at the start of a build."""

    post: Post
    state: State

    @property
    def published(self) -> bool:
        return self.state.published


@dataclass(frozen=True)
class PageFacts:
    """What reading a post's page produced, for listings and metadata."""

    summary: str = ""
    """The description as plain text."""
    image: str | None = None
    """Source path (as a key of ``env.images``) or http(s) URL of the image
    that represents the post: its ``thumbnail``, else its hero."""
    image_alt: str = ""
    credit: str = ""
    """The hero image's credit as plain text."""
    license_url: str | None = None
    """Deed of the Creative Commons licence the credit names."""


class Records(dict[str, Any]):
    """Records by docname that a reading worker sends back with only those it read.

    With ``-j N`` Sphinx pickles a reading worker's whole environment back to
    the main process, which takes only the worker's documents from it
    (:meth:`NewsnodeDomain.merge_domaindata`). The records the worker
    inherited when it was forked would travel for nothing, with every chunk:
    at thousands of posts they were a third of what each chunk sent.
    """

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._origin = os.getpid()
        self._written_in = os.getpid()
        self._written: set[str] = set()

    def __setitem__(self, key: str, value: Any) -> None:
        if self._written_in != os.getpid():  # the first record of a forked worker
            self._written_in, self._written = os.getpid(), set()
        self._written.add(key)
        super().__setitem__(key, value)

    def __reduce__(self) -> tuple[type[Records], tuple[dict[str, Any]]]:
        if os.getpid() == self._origin:
            return Records, (dict(self),)
        mine = self._written if self._written_in == os.getpid() else set()
        return Records, ({key: self[key] for key in mine if key in self},)


class NewsnodeDomain(Domain):
    """Post records of the build environment."""

    name = "newsnode"
    label = "News"
    initial_data: ClassVar[dict[str, Any]] = {
        "posts": {}, "pages": {}, "listings": {}, "shown": {}, "languages": [],
    }  # fmt: skip
    data_version = 3

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        for key in ("posts", "pages", "listings", "shown"):
            if not isinstance(self.data[key], Records):
                self.data[key] = Records(self.data[key])
        self.scan: dict[str, Scanned] = {}
        self.withdrawn: set[str] = set()
        """Documents of the last build that are unpublished in this one."""
        self.build_state: dict[str, Any] = {}
        """What the layers above keep for one build (the Jekyll site); never pickled.

        Emptied when a build starts (:func:`forget_build_state`).
        """

    def held_back(self) -> dict[str, Post]:
        """The posts of this build's scan that are not published, by docname."""
        return {name: item.post for name, item in self.scan.items() if not item.published}

    def is_published(self, docname: str) -> bool:
        """Whether this build's scan found post *docname* published."""
        scanned = self.scan.get(docname)
        return scanned is not None and scanned.published

    def is_held_back(self, docname: str) -> bool:
        """Whether *docname* is in :meth:`held_back` (without making it)."""
        scanned = self.scan.get(docname)
        return scanned is not None and not scanned.published

    @property
    def posts(self) -> dict[str, Post]:
        """Records of the posts read into the environment, by docname."""
        return self.data["posts"]

    @property
    def pages(self) -> dict[str, PageFacts]:
        """What reading each post's page produced, by docname."""
        return self.data["pages"]

    @property
    def listings(self) -> dict[str, list[ListingSpec]]:
        """The ``news-list`` listings of each page, by docname."""
        return self.data["listings"]

    @property
    def shown(self) -> dict[str, list[object]]:
        """What each page that shows other posts showed when the last build had read."""
        return self.data["shown"]

    @property
    def languages(self) -> list[str]:
        """The languages of the published posts when the last build had read."""
        return self.data["languages"]

    @property
    def shown_key(self) -> str | None:
        """The reading key :attr:`shown` was made at (:func:`.entries.reading_key`)."""
        return self.data.get("shown_key")

    def note_shown(self, shown: dict[str, list[object]], languages: list[str], key: str) -> None:
        """Keep what pages show and the site's languages, read by the next build.

        Kept in ``Records``, so reading workers never send it back.
        """
        self.data["shown"] = Records(shown)
        self.data["languages"] = languages
        self.data["shown_key"] = key

    def note_post(self, post: Post, page: PageFacts) -> None:
        """Record *post*, read in this build."""
        self.posts[post.docname] = post
        self.pages[post.docname] = page

    def note_listing(self, docname: str, spec: ListingSpec) -> None:
        """Record a listing on page *docname*."""
        if docname not in self.listings:  # not setdefault: Records must see the key set
            self.listings[docname] = []
        self.listings[docname].append(spec)

    def clear_doc(self, docname: str) -> None:
        for records in (self.posts, self.pages, self.listings):
            records.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key in ("posts", "pages", "listings"):
            mine = self.data[key]
            for docname, record in otherdata[key].items():
                if docname in docnames:
                    mine[docname] = record

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        """Posts define no cross-reference targets of their own."""
        return []


def once_a_build(env: BuildEnvironment, key: str, make: Callable[[], T]) -> T:
    """*make()*, made at most once a build (kept in ``build_state``)."""
    state = newsnode_domain(env).build_state
    if key not in state:
        state[key] = make()
    value: T = state[key]
    return value


def forget_build_state(app: Sphinx) -> None:
    """Start a build with nothing kept from the last one (``builder-inited``, first)."""
    newsnode_domain(app.env).build_state.clear()


def newsnode_domain(env: BuildEnvironment) -> NewsnodeDomain:
    """The domain instance of *env*."""
    domain = env.get_domain(NewsnodeDomain.name)
    assert isinstance(domain, NewsnodeDomain)
    return domain
