"""The one resolver of links to posts that are not published (SPEC §3).

A link to an unpublished post is shown as its text, never with the post's
name. A link its author wrote (a Markdown link to the post's file, a
``{doc}`` reference) is resolved here when the page is written, with one
``newsnode.draft`` warning. What the extension itself makes while reading
(a ``{% post_url %}``, a link to an old URL) never names an unpublished post
even in the doctree: it aims at :data:`~sphinx_newsnode.model.links.UNLINKED`,
warned about where it was made, and is unlinked here.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join

from sphinx_newsnode.core import order
from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.links import UNLINKED

_ = get_translation("sphinx_newsnode")


_UNLINKED = frozenset({UNLINKED, UNLINKED.removeprefix("#")})


def unlink(node: nodes.Element) -> None:
    """*node*, a link, replaced by its text."""
    node.replace_self(nodes.inline(node.astext(), node.astext()))


class UnpublishedLinks(SphinxPostTransform):
    """Links to unpublished posts become their text.

    Before: ``pending_xref`` to a held-back document (MyST's ``doc`` domain or
    ``std:doc``), or a link to :data:`UNLINKED` (a ``reference``, or the
    ``pending_xref`` MyST makes of a local anchor it does not know). After:
    ``inline`` text.
    """

    default_priority = order.UNPUBLISHED_LINKS

    def run(self, **kwargs: object) -> None:
        domain = newsnode_domain(self.env)
        for xref in list(self.document.findall(addnodes.pending_xref)):
            if xref.get("reftarget") in _UNLINKED:
                unlink(xref)
            elif (
                (target := self.target(xref)) is not None
                and domain.is_held_back(target)
                and target not in self.env.all_docs  # a draft of ``show`` mode is built
            ):
                text = xref.astext() if xref.get("refexplicit") else _("an unpublished post")
                warn(Subtype.DRAFT, "link to an unpublished post shown as plain text", xref)
                xref.replace_self(nodes.inline(text, text))
        for reference in list(self.document.findall(nodes.reference)):
            if reference.get("refuri") in _UNLINKED:
                unlink(reference)

    def target(self, xref: addnodes.pending_xref) -> str | None:
        """The document *xref* links to, if it links to a document."""
        if xref.get("refdomain") == "doc":  # a Markdown link to a file of the project
            return str(xref.get("reftarget", ""))
        if xref.get("reftype") == "doc":  # {doc}, and old URLs made into it
            return docname_join(xref.get("refdoc", ""), xref.get("reftarget", ""))
        return None
