"""The post model: what a post is, read once, typed, and where posts live in a build.

Owns: front matter as read from a file (:mod:`.frontmatter`), dates as node
sites write them (:mod:`.dates`), the post record (:mod:`.post`) and its one
parser (:mod:`.parser`), Creative Commons licences (:mod:`.licenses`), which
URLs and paths may reach the output (:mod:`.links`), the files a post names
(:mod:`.references`), the domain that holds the records in the environment
(:mod:`.domain`), the languages of posts and pages and the stories told in
several (:mod:`.languages`) and what the outputs see of published posts
(:mod:`.selection`, :mod:`.entries`).

Imports: :mod:`~sphinx_newsnode.core`, Sphinx, docutils, pyyaml and Babel. Every
module here is a building block of the layers above.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SHARED = (
    "frontmatter", "dates", "post", "parser", "licenses", "links", "references", "domain",
    "selection", "entries", "languages",
)  # fmt: skip


def setup_model(app: Sphinx) -> None:
    """Register the domain that holds the posts in the build environment."""
    from sphinx_newsnode.core import order
    from sphinx_newsnode.model.domain import NewsnodeDomain, forget_build_state
    from sphinx_newsnode.model.entries import forget_written, keep_written

    app.add_domain(NewsnodeDomain)
    app.connect("builder-inited", forget_build_state, priority=order.BUILD_STATE)
    app.connect("env-get-outdated", forget_written)
    app.connect("env-updated", keep_written, priority=0)  # before any output reads entries
