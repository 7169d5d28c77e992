"""The ``newsnode`` domain: where posts live in the build environment.

It keeps two things apart:

* ``data["posts"]`` — the :class:`~sphinx_newsnode.posts.Post` of every post
  *read* into the environment, keyed by docname. It is pickled with the
  environment, purged with its document and merged back from parallel
  readers, so ``-j 2`` and incremental builds see what a fresh ``-j 1`` build
  sees.
* :attr:`NewsnodeDomain.scan` — what the publication gate found on disk at
  the start of *this* build (every post, published or not, with its
  :class:`~sphinx_newsnode.posts.State`). It is not pickled: the gate
  recomputes it each build before anything is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from sphinx.domains import Domain

if TYPE_CHECKING:
    from collections.abc import Set

    from docutils import nodes
    from sphinx import addnodes
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from sphinx_newsnode.posts import Post, State


class NewsnodeDomain(Domain):
    """Post records of the build environment."""

    name = "newsnode"
    label = "News"
    initial_data: ClassVar[dict[str, Any]] = {"posts": {}}
    data_version = 1

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self.scan: dict[str, tuple[Post, State]] = {}

    @property
    def posts(self) -> dict[str, Post]:
        """Records of the posts read into the environment, by docname."""
        return self.data["posts"]

    def note_post(self, post: Post) -> None:
        """Record *post* as read in this build."""
        self.posts[post.docname] = post

    def clear_doc(self, docname: str) -> None:
        self.posts.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname, post in otherdata["posts"].items():
            if docname in docnames:
                self.posts[docname] = post

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


def newsnode_domain(env: BuildEnvironment) -> NewsnodeDomain:
    """The domain instance of *env*."""
    domain = env.get_domain(NewsnodeDomain.name)
    assert isinstance(domain, NewsnodeDomain)
    return domain
