"""The Jekyll site a project was, as its posts' Liquid and old links see it.

One :class:`JekyllSite` a build (and one an import): ``site.*`` and
``site.data``, the posts ``{% post_url %}`` names, and the table of old post
URLs. It is read at ``builder-inited`` before the publication gate scans the
posts (:data:`~sphinx_newsnode.core.order.JEKYLL_SITE`): the gate renders the
Liquid of each post's front matter with it before the one parser interprets
the front matter. It lives for one build and is never pickled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_newsnode.core import order
from sphinx_newsnode.core.diagnostics import warn
from sphinx_newsnode.core.state import digest
from sphinx_newsnode.jekyll.data import SiteData, read_site_data
from sphinx_newsnode.jekyll.liquid import bounded, render_front_matter, trusted
from sphinx_newsnode.jekyll.rendering import LiquidContext
from sphinx_newsnode.jekyll.urls import old_url_table
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.links import site_root

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from sphinx_newsnode.model.frontmatter import FrontMatter
    from sphinx_newsnode.model.post import Post

_STATE_KEY = "jekyll"


@dataclass
class JekyllSite:
    """``site.*``, ``site.data``, the posts and their old URLs."""

    variables: dict[str, Any]
    """``site.*`` but ``data``: ``title``, ``url`` and ``baseurl`` (empty), ``lang``."""
    data: SiteData
    liquid: LiquidContext = field(default_factory=LiquidContext)
    _old_urls: dict[str, str] | None = None

    @classmethod
    def read(cls, root: Path, sources: Path | None = None, **variables: Any) -> JekyllSite:
        """The site whose ``_data`` and ``_includes`` folders are under *root*.

        *sources* is the folder post paths are relative to (the root itself
        unless given). Everything of the site is its own, printed as written.
        """
        data = read_site_data(root)
        site = trusted({**variables, "data": bounded(data.data)})
        return cls(variables, data, LiquidContext(site=site, root=root, sources=sources or root))

    @property
    def key(self) -> str:
        """What rendering front matter depends on: a post read with the same key is reused."""
        return digest([self.variables, self.data.stamp])

    def render_front_matter(self, front_matter: FrontMatter, path: str) -> FrontMatter:
        """*front_matter* of the post at *path*, its Liquid rendered."""
        return render_front_matter(front_matter, self.liquid, path)[0]

    def note_posts(self, posts: Mapping[str, Post], published: frozenset[str]) -> None:
        """The posts of this build by docname, and the published ones, once scanned."""
        self.liquid.posts = posts
        self.liquid.published = published
        self._old_urls = None

    def old_urls(self, config: Config) -> dict[str, str]:
        """Old URL path (normalised) → docname of the published posts (made once a build).

        Unpublished posts have none: a link to one of their old URLs names
        nothing.
        """
        if self._old_urls is None:
            published = [self.liquid.posts[name] for name in sorted(self.liquid.published)]
            self._old_urls = old_url_table(config, published)
        return self._old_urls


def read_project_site(app: Sphinx) -> JekyllSite:
    """The Jekyll site of the project: site-absolute URLs, ``_data`` under the site root."""
    return JekyllSite.read(
        site_root(app.env),
        Path(app.srcdir),
        title=str(app.config.project),
        url="",
        baseurl="",
        lang=app.config.language or "en",
    )


def jekyll_site(env: BuildEnvironment) -> JekyllSite:
    """The Jekyll site of the current build."""
    site = newsnode_domain(env).build_state.get(_STATE_KEY)
    assert isinstance(site, JekyllSite), "read at builder-inited"
    return site


def open_site(app: Sphinx) -> None:
    """Read the site for this build (``builder-inited``); warn about data files not read."""
    site = read_project_site(app)
    for path, line, subtype, message in site.data.refused:
        warn(subtype, message, f"{path}:{line}")
    newsnode_domain(app.env).build_state[_STATE_KEY] = site


def setup_site(app: Sphinx) -> None:
    """Read the Jekyll site at the start of each build, before the gate's scan."""
    app.connect("builder-inited", open_site, priority=order.JEKYLL_SITE)
