"""Call-to-action buttons (SPEC §5).

Doctree: ``news_cta_group`` (a paragraph) of ``news_cta`` (an inline) whose
one child is the link: a ``reference`` for URLs, a ``pending_xref`` for
documents of the project (resolved like ``{doc}``, so it works in the PDF),
a ``download_reference`` for other local files, or plain text when the
target cannot be linked (with a warning).

* HTML: ``<span class="newsnode-cta newsnode-cta--primary">`` around the
  ``<a>``, styled as a button by the package CSS.
* LaTeX: the text linked, with the URL printed in a footnote.
* Text: ``text <url>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util.texescape import escape

from sphinx_newsnode.core import order
from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.core.i18n import translator
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.links import (
    LINK_NODES,
    UnsafePathError,
    document_at,
    download_link,
    is_external,
    is_safe_url,
    is_source_file,
    local_path,
    site_url,
)
from sphinx_newsnode.model.post import CallToAction

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.text import TextTranslator

CTA_DIRECTIVE = "news-cta"
BUTTON, PRIMARY = "button", ("is-primary", "primary")
"""The class that makes a link a button (kramdown's ``{: .button .is-primary}``)."""


class news_cta_group(nodes.paragraph):  # noqa: N801 (docutils node naming)
    """A row of call-to-action buttons."""


class news_cta(nodes.inline):  # noqa: N801
    """One button; ``primary`` tells filled from outlined."""


def make_cta_group(
    env: BuildEnvironment, buttons: list[CallToAction] | tuple[CallToAction, ...]
) -> news_cta_group:
    """A group of the given *buttons* for the document being read."""
    group = news_cta_group(classes=["newsnode-cta-group"])
    for button in buttons:
        if len(group):
            group += nodes.Text(" ")
        group += make_cta(env, button)
    return group


def button_classes(primary: bool) -> list[str]:
    """The CSS classes of a button: filled (primary) or outlined."""
    return ["newsnode-cta", f"newsnode-cta--{'primary' if primary else 'secondary'}"]


def make_cta(env: BuildEnvironment, button: CallToAction) -> news_cta:
    """One button; its target is resolved or, if it cannot be, warned about."""
    node = news_cta(
        primary=button.primary, classes=[*button_classes(button.primary), *button.classes]
    )
    node.line = button.line
    link = link_to(env, button)
    if isinstance(link, addnodes.pending_xref):  # print shows where it leads
        node["target_doc"] = link["reftarget"].lstrip("/")
    node += link
    return node


def link_to(env: BuildEnvironment, button: CallToAction) -> nodes.Node:
    """The link node for *button*'s ``href``, or its text alone."""
    location = (env.docname, button.line)
    label = nodes.inline(button.text, button.text)
    target = (button.href or "").strip()
    if not target:
        return label
    if not is_safe_url(target):
        warn(
            Subtype.UNSAFE_URL,
            f"button {button.text!r}: {target!r} removed "
            "(http, https, mailto and relative links only)",
            location,
        )
        return label
    if is_external(target) or target.startswith("#"):
        reference = nodes.reference("", "", label, refuri=target, internal=False)
        if button.blank_target:
            reference["target"] = "_blank"
            reference["rel"] = "noopener"
        return reference
    try:
        path = local_path(env, env.docname, target)
    except UnsafePathError as exc:
        warn(Subtype.UNSAFE_PATH, f"button {button.text!r}: {exc}; shown without a link", location)
        return label
    if docname := document_at(env, path):
        return addnodes.pending_xref(
            "",
            label,
            refdomain="std",
            reftype="doc",
            reftarget="/" + docname,
            refexplicit=True,
            refwarn=True,
            refdoc=env.docname,
        )
    if path.is_file() and not is_source_file(env, path):
        return download_link(env, path, label)
    warn(
        Subtype.CTA,
        f"button {button.text!r}: {target!r} is not a document or file of this site; "
        "shown without a link",
        location,
    )
    return label


class NewsCtaDirective(SphinxDirective):
    """``news-cta``: a call-to-action button written in a page.

    Argument: the target (URL, site path or document). Content: the button
    text. Options: ``:primary:``, ``:new-tab:``, ``:class:``.
    """

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict] = {
        "primary": directives.flag,
        "new-tab": directives.flag,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        text = " ".join(line.strip() for line in self.content if line.strip())
        button = CallToAction(
            text=text or self.arguments[0],
            href=self.arguments[0],
            primary="primary" in self.options,
            blank_target="new-tab" in self.options,
            classes=tuple(self.options.get("class", ())),
            line=self.lineno,
        )
        return [make_cta_group(self.env, [button])]


def _link(node: news_cta) -> tuple[str, str]:
    """The text and external URL of a resolved button (URL empty if internal)."""
    child = node.children[0] if node.children else None
    if isinstance(child, nodes.reference) and is_external(child.get("refuri", "")):
        return child.astext(), child["refuri"]
    return node.astext(), ""


def visit_group_html(self: HTML5Translator, node: news_cta_group) -> None:
    self.body.append(self.starttag(node, "div"))


def depart_group_html(self: HTML5Translator, node: news_cta_group) -> None:
    self.body.append("</div>\n")


def visit_group_latex(self: LaTeXTranslator, node: news_cta_group) -> None:
    """The buttons on a line of their own, set apart from each other."""
    self.body.append("\n\\par\\noindent ")
    buttons = [child for child in node.children if isinstance(child, news_cta)]
    for number, button in enumerate(buttons):
        if number:
            self.body.append(r" \quad\textbar\quad{} ")
        button.walkabout(self)
    self.body.append("\\par\n")
    raise nodes.SkipNode


def visit_cta_latex(self: LaTeXTranslator, node: news_cta) -> None:
    """A button on paper: its text in bold, then where it leads.

    An external URL in a footnote; a page of the report as ``see p. 7``; a
    page of the site outside the report as its address (``html_baseurl``).
    """
    text, url = _link(node)
    if url:
        shown = url.removeprefix("mailto:")
        self.body.append(
            rf"\sphinxhref{{{self.encode_uri(url)}}}{{\sphinxstylestrong{{{self.encode(text)}}}}}"
            rf"\footnote{{\sphinxnolinkurl{{{self.encode_uri(shown)}}}}}"
        )
        raise nodes.SkipNode
    target = node.get("target_doc")
    if not target:
        return  # a download (its address printed after it) or plain text
    label = rf"\sphinxstylestrong{{{self.encode(node.astext())}}}"
    _ = translator(self.config.language).gettext
    anchor = rf"\detokenize{{{target}::doc}}"  # Sphinx's label of a document
    if target in getattr(self.builder, "docnames", ()):
        where = escape(_("see p. %s") % "@@").replace("@@", rf"\pageref{{{anchor}}}")
        self.body.append(rf"\hyperref[{anchor}]{{{label}}} ({where})")
    elif self.config.html_baseurl:
        address = site_url(
            self.config.html_baseurl, target + (self.config.html_file_suffix or ".html")
        )
        self.body.append(rf"{label} (\sphinxnolinkurl{{{self.encode_uri(address)}}})")
    else:
        self.body.append(label)
    raise nodes.SkipNode


def depart_cta_latex(self: LaTeXTranslator, node: news_cta) -> None:
    pass


def visit_cta_text(self: TextTranslator, node: news_cta) -> None:
    text, url = _link(node)
    self.add_text(f"{text} <{url.removeprefix('mailto:')}>" if url else text)
    raise nodes.SkipNode


class ButtonLinks(SphinxTransform):
    """Links given the class ``button`` become buttons, as node sites style them.

    Before: ``paragraph[reference(classes=[button, is-primary])]`` (from a
    kramdown attribute list). After: ``news_cta_group[news_cta[reference]]``:
    a paragraph holding nothing but buttons becomes their group.
    """

    default_priority = order.BUTTON_LINKS

    def apply(self, **kwargs: object) -> None:
        if self.env.docname not in newsnode_domain(self.env).scan:
            return
        for link in list(self.document.findall(nodes.Element)):
            if isinstance(link, LINK_NODES) and BUTTON in link["classes"]:
                make_button(link)


def make_button(link: nodes.Element) -> None:
    """Wrap a link in a call-to-action button; a paragraph of buttons becomes their group."""
    primary = any(cls in link["classes"] for cls in PRIMARY)
    button = news_cta(primary=primary, classes=button_classes(primary))
    parent = link.parent
    parent.replace(link, button)
    button += link
    if type(parent) is nodes.paragraph and all(
        isinstance(child, news_cta) or not child.astext().strip() for child in parent.children
    ):
        group = news_cta_group(classes=["newsnode-cta-group", *parent["classes"]])
        group.extend(parent.children)
        group.source, group.line = parent.source, parent.line
        parent.replace_self(group)


def setup_cta(app: Sphinx) -> None:
    """Register the button nodes, directive and the ``.button`` links' transform."""
    app.add_node(
        news_cta_group,
        html=(visit_group_html, depart_group_html),
        latex=(visit_group_latex, None),
    )
    app.add_node(news_cta, latex=(visit_cta_latex, depart_cta_latex), text=(visit_cta_text, None))
    app.add_directive(CTA_DIRECTIVE, NewsCtaDirective)
    app.add_transform(ButtonLinks)
