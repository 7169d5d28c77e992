"""Links of posts to the old site's URLs become links to this project (SPEC §9).

A post links an old post URL (``/2021/06/20/herbarium.html``), an old page
(``/about/``, ``/about.html``) or a file with spaces in its name
(``/assets/yra%20call.pdf``): each is resolved to the document or file of
this project it names. A link to a post that is not published is left to
the gate's resolver, which shows its text.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from sphinx_newsnode.core import order
from sphinx_newsnode.jekyll.site import jekyll_site
from sphinx_newsnode.jekyll.urls import url_keys
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.links import (
    UnsafePathError,
    document_at,
    download_link,
    is_external,
    is_source_file,
    local_path,
    site_url,
    srcdir_uri,
    written_address,
)

logger = logging.getLogger(__name__)


class SiteLinks(SphinxTransform):
    """Links of posts to old URLs and old pages become links to documents.

    Before: ``pending_xref(reftype=myst, reftarget=/2021/06/20/x.html)``, a
    link MyST could not place. After: ``pending_xref(std:doc, /news/x)``, a
    ``download_reference`` for a file MyST misses (a name with spaces), or the
    link as it was. Runs before MyST resolves its links.
    """

    default_priority = order.SITE_LINKS

    def apply(self, **kwargs: object) -> None:
        if self.env.docname not in newsnode_domain(self.env).scan:
            return
        for xref in list(self.document.findall(addnodes.pending_xref)):
            target = str(xref.get("reftarget", ""))
            if xref.get("reftype") != "myst" or target[:2] == "//":
                continue
            if not target.startswith("/"):
                self.written_as_address(xref, target)
                continue
            if (file := self.named_file(target)) is not None:
                if not is_source_file(self.env, file):  # MyST misses names with spaces
                    xref.replace_self(download_link(self.env, file, *xref.children))
                continue  # a document: MyST resolves it
            table = jekyll_site(self.env).old_urls(self.config)
            docname = next((table[k] for k in url_keys(target) if k in table), None)
            docname = docname or self.document_named(target)
            if docname is not None:
                xref["refdomain"], xref["reftype"] = "std", "doc"
                xref["reftarget"] = "/" + docname
                xref["refexplicit"] = True
            elif old_site := self.config.newsnode_old_site:
                self.to_old_site(xref, target, old_site)

        for image in self.document.findall(nodes.image):
            uri = image["uri"]
            if "%" in uri and not is_external(uri) and (file := self.named_file(uri)):
                image["uri"] = srcdir_uri(self.env, file)  # "/assets/yra%20call.png"

    def to_old_site(self, xref: addnodes.pending_xref, target: str, old_site: str) -> None:
        """A page of the old site this project does not have: its address there."""
        url = site_url(old_site, target.lstrip("/"))
        logger.info(
            "newsnode: %s is no page of this site; linked to the old site, %s",
            target,
            url,
            location=xref,
        )
        xref.replace_self(nodes.reference("", "", *xref.children, refuri=url))

    def written_as_address(self, xref: addnodes.pending_xref, target: str) -> None:
        """An address written without its scheme (``[x@y.org](x@y.org)``): the address."""
        if (url := written_address(target)) is not None:
            xref.replace_self(nodes.reference("", "", *xref.children, refuri=url))

    def named_file(self, target: str) -> Path | None:
        """The file of the source tree a site-absolute target names, if any."""
        path = unquote(urlsplit(target).path).lstrip("/")
        if not path:
            return None
        try:
            file = local_path(self.env, self.env.docname, "/" + path)
        except UnsafePathError:
            return None
        return file if file.is_file() else None

    def document_named(self, target: str) -> str | None:
        """The document an old page URL names: ``/about/``, ``/about.html``, ``/a/b``."""
        srcdir = Path(self.env.srcdir)
        for key in sorted(url_keys(target)):
            if docname := document_at(self.env, (srcdir / key.lstrip("/")).resolve()):
                return docname
        return None
