"""Where posts and their images are, from a page of the output or from the web.

Shared by every output: links between pages (``page_link``, which degrades
to text where a LaTeX document does not hold the target), the copied image
of a post (``_images/x.png``) and absolute URLs from ``html_baseurl`` for
feeds and social metadata.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.errors import NoUri
from sphinx.util.nodes import make_refnode
from sphinx.util.osutil import relative_uri

from sphinx_newsnode.model.links import site_url

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders import Builder


def page_link(
    builder: Builder, fromdocname: str, docname: str, content: nodes.Node, title: str
) -> nodes.Node:
    """A link from *fromdocname* to page *docname*, or *content* alone.

    A LaTeX document holds only its own tree: a post outside it has no URI
    there (``NoUri``), as for Sphinx's own cross-references.
    """
    try:
        return make_refnode(builder, fromdocname, docname, "", content, title)
    except NoUri:
        return content


def image_url(builder: Builder, fromdocname: str, image: str | None) -> str | None:
    """URL, from page *fromdocname*, of a post image copied to ``_images``."""
    if image is None:
        return None
    target = copied_image(builder, image)
    if target is None or is_remote(target):
        return target
    # Have the builder copy it, as it does for the images of pages it writes.
    if isinstance(images := getattr(builder, "images", None), dict):
        images[image] = builder.env.images[image][1]
    return relative_uri(builder.get_target_uri(fromdocname), target)


def is_remote(image: str) -> bool:
    return image.startswith(("http://", "https://"))


def copied_image(builder: Builder, image: str | None) -> str | None:
    """Where a post image is in the output, from the site root (``_images/x.png``).

    A remote image is its URL; an image the environment did not copy is ``None``.
    """
    if image is None or is_remote(image):
        return image
    copied = builder.env.images.get(image)
    if copied is None:
        return None
    return f"{getattr(builder, 'imagedir', '_images')}/{copied[1]}"


def page_url(app: Sphinx, docname: str) -> str:
    """The absolute URL of the page of *docname*."""
    return site_url(app.config.html_baseurl, app.builder.get_target_uri(docname))


def image_site_url(app: Sphinx, image: str | None) -> str | None:
    """The absolute URL of a post image (copied to ``_images`` or remote)."""
    target = copied_image(app.builder, image)
    if target is None or is_remote(target):
        return target
    return site_url(app.config.html_baseurl, target)
