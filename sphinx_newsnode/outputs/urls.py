"""Where posts and their images are, from a page of the output or from the web.

Shared by every output: links between pages (``page_link``, which degrades
to text where a LaTeX document does not hold the target), the copied image
of a post (``_images/x.png``) and absolute URLs from ``html_baseurl`` for
feeds and social metadata; and the names of the archive pages, which posts
and listings link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.errors import NoUri
from sphinx.util.nodes import make_refnode
from sphinx.util.osutil import relative_uri

from sphinx_newsnode.core.config import SITE_BUILDERS
from sphinx_newsnode.model.entries import site_languages
from sphinx_newsnode.model.languages import default_language
from sphinx_newsnode.model.links import site_url
from sphinx_newsnode.model.selection import slug

if TYPE_CHECKING:
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


PRINTABLE_IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".pdf"})
"""Image files pdfTeX includes as they are; the PDF drops others (or converts them)."""


def generated_link(
    builder: Builder, fromdocname: str, pagename: str | None, content: nodes.Node
) -> nodes.Node:
    """*content* linked to the generated page *pagename* (an archive page), when there is one."""
    if pagename is None:
        return content
    uri = builder.get_relative_uri(fromdocname, pagename)
    return nodes.reference("", "", content, internal=True, refuri=uri)


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


def archive_folders(app: Sphinx) -> dict[str, str]:
    """The folder of each language's archive pages; none when this build writes none.

    The default language's archive is at ``newsnode_archive_path``; a
    multilingual site has one more per other language (``archive/fr``).
    """
    root = app.config.newsnode_archive_path.strip("/")
    if not root or app.builder.name not in SITE_BUILDERS:
        return {}
    default = default_language(app.config)
    others = [language for language in site_languages(app.env) if language != default]
    return {default: root} | {language: f"{root}/{language}" for language in others}


def archive_page(app: Sphinx, language: str, group: str, value: str | int) -> str | None:
    """The archive page of a year (``group="year"``), tag or category in *language*."""
    folder = archive_folders(app).get(language)
    if folder is None:
        return None
    return f"{folder}/{value}" if group == "year" else f"{folder}/{group}/{slug(str(value))}"


def archive_index_page(app: Sphinx, language: str) -> str | None:
    """The index page of *language*'s archive, when this build writes one."""
    folder = archive_folders(app).get(language)
    return None if folder is None else f"{folder}/index"
