"""The hero banner: a post's licensed image, with its credit (SPEC §4).

Doctree: ``news_hero`` (a figure) holds an ``image`` when the image can be
used and a ``news_credit`` (a caption) with the licence text. Builders that do
not know these nodes render them as the figure and caption they extend.

* HTML: ``<figure class="newsnode-hero">`` with the image and the credit as
  ``<figcaption>``; on a post page :class:`HeroBannerTransform` also moves the
  lead, the buttons and the pre-title into the banner.
* LaTeX: a full-width figure, not floating, with the credit as caption.
* Text: the figure's ``[image]`` line, then the credit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from sphinx_newsnode.core import order
from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.model.licenses import find_license
from sphinx_newsnode.reading.images import PostImage, post_image
from sphinx_newsnode.reading.markup import markdown_inline

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.text import TextTranslator

_ = get_translation("sphinx_newsnode")

HERO_DIRECTIVE = "news-hero"
BANNER_PARTS = ("newsnode-pretitle", "newsnode-lead", "newsnode-cta-group")


class news_hero(nodes.figure):  # noqa: N801 (docutils node naming)
    """A hero banner: optional ``image``, then ``news_credit``.

    ``license_url`` holds the deed of a Creative Commons licence named in the
    credit; ``auto`` marks the banner inserted from front matter.
    """


class news_credit(nodes.caption):  # noqa: N801
    """The credit and licence line of a hero image."""


def make_hero(
    document: nodes.document,
    *,
    target: str | None,
    image: PostImage | None,
    license_text: str | None,
    alt: str | None,
    image_line: int,
    license_line: int,
) -> news_hero:
    """Build the hero of the current document for *image* (the checked *target*)."""
    env: BuildEnvironment = document.settings.env
    hero = news_hero(classes=["newsnode-hero"])
    hero.source, hero.line = document["source"], image_line
    if image is not None:
        hero += image_node(image, alt)
    else:
        hero["classes"].append("newsnode-hero--no-image")
    if license_text:
        credit = news_credit(
            "", "", *markdown_inline(license_text, document, key="imageLicense", line=license_line)
        )
        credit["classes"].append("newsnode-hero__credit")
        link_license(hero, credit)
        hero += credit
    elif env.config.newsnode_require_license:
        warn(
            Subtype.LICENSE,
            f"the hero image {target!r} has no imageLicense: credit the author and licence",
            (env.docname, image_line),
        )
    return hero


def image_node(image: PostImage, alt: str | None) -> nodes.image:
    """The image of a hero banner."""
    if image.path is None:
        return nodes.image(uri=image.uri, alt=alt or "", classes=["newsnode-hero__image"])
    return nodes.image(
        uri=image.uri,
        alt=alt or "",
        width="100%",  # full width in LaTeX; CSS sizes it in HTML
        classes=["newsnode-hero__image", "no-scaled-link"],
    )


def link_license(hero: news_hero, credit: news_credit) -> None:
    """Link the first Creative Commons licence named in *credit* to its deed."""
    for text in credit.findall(nodes.Text):
        if isinstance(text.parent, nodes.reference):
            continue
        found = find_license(str(text))
        if found is None:
            continue
        start, end = found.span
        value = str(text)
        link = nodes.reference(
            value[start:end],
            value[start:end],
            refuri=found.url,
            rel="license",
            classes=["newsnode-license"],
        )
        link["reftitle"] = found.title
        text.parent.replace(text, [nodes.Text(value[:start]), link, nodes.Text(value[end:])])
        hero["license_url"] = found.url
        return


class NewsHeroDirective(SphinxDirective):
    """``news-hero``: a hero image with its credit, written in a page.

    Argument: the image (path or http/https URL). Options: ``:license:``
    (Markdown inline credit) and ``:alt:``.
    """

    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict] = {
        "license": directives.unchanged,
        "alt": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        target = self.arguments[0]
        hero = make_hero(
            self.state.document,
            target=target,
            image=post_image(self.env, target, "hero image", self.lineno),
            license_text=self.options.get("license"),
            alt=self.options.get("alt"),
            image_line=self.lineno,
            license_line=self.lineno,
        )
        hero["classes"].extend(self.options.get("class", []))
        return [hero]


class HeroBannerTransform(SphinxPostTransform):
    """Move a post's header into its hero banner, for HTML only.

    Before: ``section[title, news_hero, paragraph.newsnode-lead,
    news_cta_group, ...]``. After: ``section.newsnode-post--hero[title,
    news_hero[image, container.newsnode-hero__body[lead, buttons], credit],
    ...]``, so the title (laid over the image by CSS), the lead and the
    buttons share the banner. Other builders keep the reading order.
    """

    default_priority = order.HERO_BANNER
    formats = ("html",)

    def run(self, **kwargs: object) -> None:
        for hero in list(self.document.findall(news_hero)):
            if not hero.get("auto") or not isinstance(hero.parent, nodes.section):
                continue
            section = hero.parent
            body = nodes.container(classes=["newsnode-hero__body"])
            for sibling in list(section.children[section.index(hero) + 1 :]):
                if not isinstance(sibling, nodes.Element) or not any(
                    part in sibling["classes"] for part in BANNER_PARTS
                ):
                    break
                section.remove(sibling)
                body += sibling
            credits = [child for child in hero.children if isinstance(child, news_credit)]
            hero.insert(hero.index(credits[0]) if credits else len(hero), body)
            section["classes"].append("newsnode-post--hero")


def visit_hero_html(self: HTML5Translator, node: news_hero) -> None:
    self.body.append(self.starttag(node, "figure"))


def depart_hero_html(self: HTML5Translator, node: news_hero) -> None:
    self.body.append("</figure>\n")


def visit_credit_html(self: HTML5Translator, node: news_credit) -> None:
    self.body.append(self.starttag(node, "figcaption"))


def depart_credit_html(self: HTML5Translator, node: news_credit) -> None:
    self.body.append("</figcaption>\n")


def visit_hero_text(self: TextTranslator, node: news_hero) -> None:
    self.new_state(0)
    for child in node.children:
        if isinstance(child, nodes.image):
            name = child.get("alt") or child["uri"].rsplit("/", 1)[-1]
            self.add_text("[" + _("image: %s") % name + "]")
            self.end_state(wrap=False)
            self.new_state(0)
        elif isinstance(child, news_credit):
            self.add_text(linked_text(child))
    self.end_state()
    raise nodes.SkipNode


def linked_text(node: nodes.Element) -> str:
    """The text of *node* with each external link's URL after it."""
    parts = []
    for child in node.children:
        if isinstance(child, nodes.reference) and child.get("refuri"):
            parts.append(f"{child.astext()} <{child['refuri']}>")
        else:
            parts.append(child.astext())
    return "".join(parts)


def visit_hero_latex(self: LaTeXTranslator, node: news_hero) -> None:
    # [H]: the banner stays at the top of its post instead of floating away.
    self.body.append("\n\\begin{figure}[H]\n\\centering\n")


def depart_hero_latex(self: LaTeXTranslator, node: news_hero) -> None:
    self.body.append("\\end{figure}\n")


def setup_hero(app: Sphinx) -> None:
    """Register the hero nodes, directive and HTML transform."""
    app.add_node(
        news_hero,
        html=(visit_hero_html, depart_hero_html),
        latex=(visit_hero_latex, depart_hero_latex),
        text=(visit_hero_text, None),  # visit renders it whole
    )
    app.add_node(news_credit, html=(visit_credit_html, depart_credit_html))
    app.add_directive(HERO_DIRECTIVE, NewsHeroDirective)
    app.add_post_transform(HeroBannerTransform)
