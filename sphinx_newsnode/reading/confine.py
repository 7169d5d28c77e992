"""Files a post names stay inside the source tree (security model).

Sphinx copies any image or download a document names, wherever it is:
``![](../../../etc/passwd)``, or a link in ``assets/`` that points to a file
elsewhere, would copy that file into ``_images/`` or ``_downloads/``.
Posts are copied between sites and their paths may come from front matter
(a Liquid ``{% include figure.html url=page.image %}``), so in posts
:class:`ConfinedFiles` removes, before Sphinx's collectors see them, every
image and download whose file (symbolic links resolved) lies outside the
source directory and the site root: an image becomes its alt text, a
download its text, each with a ``newsnode.unsafe_path`` warning.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from sphinx_newsnode.core import order
from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.links import confined_to, is_external, source_roots


class ConfinedFiles(SphinxTransform):
    """Drop images and downloads of a post that lead out of the source tree.

    Before: ``image(uri=../../etc/passwd)``. After: ``inline`` with the alt text.
    """

    default_priority = order.CONFINED_FILES

    def apply(self, **kwargs: object) -> None:
        if self.env.docname not in newsnode_domain(self.env).scan:
            return
        roots = source_roots(self.env)
        for image in list(self.document.findall(nodes.image)):
            uri = image.get("uri", "")
            if self.outside(uri, roots):
                warn(Subtype.UNSAFE_PATH, f"image {uri!r} refused: outside the source tree", image)
                text = image.get("alt") or ""
                image.replace_self(nodes.inline(text, text))
        for link in list(self.document.findall(addnodes.download_reference)):
            target = link.get("reftarget", "")
            if self.outside(target, roots):
                warn(Subtype.UNSAFE_PATH, f"link {target!r} refused: outside the source tree", link)
                link.replace_self(nodes.inline(link.astext(), "", *link.children))

    def outside(self, uri: str, roots: tuple[Path, ...]) -> bool:
        """Whether the local file *uri* names lies outside every root."""
        if not uri or is_external(uri) or uri.startswith("data:"):
            return False
        _relative, absolute = self.env.relfn2path(uri, self.env.docname)
        return confined_to(Path(absolute), roots) is None
