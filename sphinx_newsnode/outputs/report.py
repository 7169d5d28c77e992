"""The annual node report: a year of posts as a PDF (SPEC §7).

``news-report`` leaves a ``news_report`` placeholder with its year (and
tags). In HTML and text it becomes a summary of the year: the number of
posts, the posts by month, and every hero image with its credit. In LaTeX,
:func:`resolve_reports` replaces it by the full doctrees of the year's
published posts in date order, each a chapter with its date under the title,
followed by an *Image credits* chapter naming every image and its licence.

``newsnode_reports`` turns a year into a LaTeX document without any LaTeX:
a page ``reports/<year>`` holding the directive (written once, then the
user's) and an entry of ``latex_documents`` named ``node-report-<year>.tex``.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_newsnode.core import order
from sphinx_newsnode.core.config import REPORT_THEME, app_of, conf_location, timezone
from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.core.i18n import translator
from sphinx_newsnode.model.dates import as_moment
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.entries import listed_posts, listing_entries, listing_language
from sphinx_newsnode.model.languages import language_option
from sphinx_newsnode.model.licenses import CURRENT_VERSION, find_license
from sphinx_newsnode.model.links import confined, download_url
from sphinx_newsnode.model.post import split_words
from sphinx_newsnode.model.selection import Entry, ListingSpec
from sphinx_newsnode.outputs.render import format_month, localised_date
from sphinx_newsnode.outputs.report_data import data_section, read_year_figures, setup_report_data
from sphinx_newsnode.outputs.report_front import (
    cover,
    glance,
    page_of,
    report_settings,
    setup_report_front,
)
from sphinx_newsnode.outputs.report_pdfs import (
    configured_reports,
    download_link,
    report_languages,
    setup_report_pdfs,
)
from sphinx_newsnode.outputs.urls import image_url, page_link
from sphinx_newsnode.reading.cta import news_cta
from sphinx_newsnode.reading.hero import news_credit, news_hero

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

REPORT_DIRECTIVE = "news-report"
# Sphinx 9 wants the build tags passed on (8.x has no such argument).
_TAKES_TAGS = "tags" in inspect.signature(BuildEnvironment.get_and_resolve_doctree).parameters


def build_tags(app: Sphinx) -> dict[str, Any]:
    return {"tags": app.tags} if _TAKES_TAGS else {}


LATEX_DIR = Path(__file__).parents[1] / "latex"


class news_report(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """Placeholder for a year's report; ``spec`` holds a :class:`ListingSpec`."""


@dataclass(frozen=True)
class Credit:
    """One image of a report and what is known of its licence."""

    image: str
    post_title: str
    credit: str
    """As plain text (to name the licence)."""
    license_url: str | None
    docname: str
    """The post the image is in: the credits give the page it starts on."""
    shown: tuple[nodes.Node, ...] = ()
    """The credit as the post prints it (emphasis, links and their URLs)."""


class NewsReportDirective(SphinxDirective):
    """``news-report``: the posts of one year, summarised in HTML, in full in PDF.

    Options: ``:year:`` (required), ``:tags:`` (comma-separated), ``:lang:``
    (the report's language; default: the page's). A story told in several
    languages is in it once, in the report's language where it can be.
    """

    option_spec: ClassVar[dict] = {
        "year": directives.nonnegative_int,
        "tags": directives.unchanged,
        "lang": language_option,
    }

    def run(self) -> list[nodes.Node]:
        if "year" not in self.options:
            raise self.error(f"{REPORT_DIRECTIVE} needs a :year: option")
        spec = ListingSpec(
            year=self.options["year"],
            tags=split_words(self.options.get("tags") or ""),
            lang=self.options.get("lang"),
        )
        # Recorded as a listing: the page is rewritten when the year's posts change.
        newsnode_domain(self.env).note_listing(self.env.docname, spec)
        node = news_report(
            spec=spec,
            cover=self.cover_picture(self.options["year"]),
            data=read_year_figures(self, self.options["year"]),
        )
        self.set_source_info(node)
        return [node]

    def cover_picture(self, year: int) -> str | None:
        """The ``cover`` of the year's settings, as an image of the page (or ``None``)."""
        value = report_settings(app_of(self.env), year).get("cover")
        if not value:
            return None
        source = Path(self.env.srcdir)
        path = confined(source / str(value).lstrip("/"), source)
        if path is None or not path.is_file():
            warn(
                Subtype.IMAGE,
                f"newsnode_reports: the cover {value!r} of {year} is not a file of the "
                "source tree; the year's first hero is the cover",
                conf_location(app_of(self.env), "newsnode_reports"),
            )
            return None
        name = path.relative_to(source.resolve()).as_posix()
        self.env.images.add_file(self.env.docname, name)
        self.env.note_dependency(name)
        return name


def report_entries(app: Sphinx, docname: str, spec: ListingSpec) -> list[Entry]:
    """The year's published, dated stories in date order (oldest first)."""
    zone = timezone(app.config)
    listed = listing_entries(app.env, docname, spec, listed_posts(app.env))
    chosen = [e for e in listed if e.date]
    return sorted(chosen, key=lambda e: (as_moment(e.date, zone), e.docname))  # type: ignore[arg-type]


def post_count(entries: list[Entry], spec: ListingSpec, language: str) -> str:
    """The report's opening line: how many posts the year had."""
    count = len(entries)
    line = translator(language).ngettext(
        "%(count)d post in %(year)s", "%(count)d posts in %(year)s", count
    )
    return line % {"count": count, "year": spec.year}


def summary_nodes(app: Sphinx, docname: str, node: news_report) -> list[nodes.Node]:
    """The HTML and text form: the count, posts by month, the gallery, the GBIF figures."""
    spec = node["spec"]
    entries = report_entries(app, docname, spec)
    language = listing_language(app.env, docname, spec)
    count = post_count(entries, spec, language)
    result: list[nodes.Node] = [nodes.paragraph(count, count, classes=["newsnode-report__count"])]
    if link := download_link(app, docname, docname):
        result.append(nodes.paragraph("", "", link, classes=["newsnode-report__pdf"]))
    if entries:
        result.append(months_table(app, entries, language))
    months: dict[int, nodes.bullet_list] = {}
    for entry in entries:
        assert entry.date is not None
        if entry.date.month not in months:
            name = format_month(app, entry.date, language)
            result.append(nodes.rubric(name, name, classes=["newsnode-report__month"]))
            months[entry.date.month] = nodes.bullet_list(
                classes=["newsnode-list", "newsnode-list--compact"]
            )
            result.append(months[entry.date.month])
        title = nodes.inline(entry.title, entry.title, classes=["newsnode-list__title"])
        when = localised_date(app, entry.date, entry.lang)
        paragraph = nodes.paragraph("", "", classes=["newsnode-list__heading"])
        paragraph += nodes.inline("", when, nodes.Text(" "), classes=["newsnode-list__date"])
        paragraph += page_link(app.builder, docname, entry.docname, title, entry.title)
        months[entry.date.month] += nodes.list_item("", paragraph, classes=["newsnode-list__item"])
    if app.builder.format == "html" and len(gallery := year_gallery(app, docname, entries)):
        result.append(gallery)
    if node.get("data"):
        result.append(data_section(app, docname, node["data"], language))
    return result


def months_table(app: Sphinx, entries: list[Entry], language: str) -> nodes.table:
    """Posts by month: a two-column table, every month of the year (none left out)."""
    _ = translator(language).gettext
    counts = Counter(entry.date.month for entry in entries if entry.date)
    year = next(entry.date.year for entry in entries if entry.date)
    rows = [
        (format_month(app, dt.date(year, month, 1), language), str(counts[month]))
        for month in range(1, 13)
    ]
    table = nodes.table(classes=["newsnode-report__months"])
    group = nodes.tgroup(cols=2)
    table += group
    group += nodes.colspec(colwidth=3)
    group += nodes.colspec(colwidth=1)
    group += nodes.thead("", table_row(_("Month"), _("Posts")))
    group += nodes.tbody("", *(table_row(month, number) for month, number in rows))
    return table


def table_row(*texts: str) -> nodes.row:
    return nodes.row("", *(nodes.entry("", nodes.paragraph(text, text)) for text in texts))


def year_gallery(app: Sphinx, docname: str, entries: list[Entry]) -> nodes.container:
    """Every hero of the year, each linked to its post, with its credit as the post shows it.

    Picture and credit are the post's own (the credit's emphasis, its source
    and licence links), taken from the post's doctree.
    """
    gallery = nodes.container(classes=["newsnode-report__gallery"])
    for entry in entries:
        hero = next(app.env.get_doctree(entry.docname).findall(news_hero), None)
        picture = (
            next((c for c in hero.children if isinstance(c, nodes.image)), None) if hero else None
        )
        url = image_url(app.builder, docname, picture["uri"]) if picture else None
        if hero is None or picture is None or url is None:
            continue
        # A container, not a figure: Sphinx would number a figure with a caption.
        figure = nodes.container(classes=["newsnode-report__figure"])
        image = nodes.image(uri=url, alt=picture.get("alt", ""), candidates={"?": url})
        figure += page_link(app.builder, docname, entry.docname, image, entry.title)
        title = nodes.strong(entry.title, entry.title)
        heading = nodes.paragraph("", "", classes=["newsnode-report__title"])
        heading += page_link(app.builder, docname, entry.docname, title, entry.title)
        figure += heading
        for credit in hero.findall(news_credit):
            figure += nodes.paragraph(
                "",
                "",
                *(c.deepcopy() for c in credit.children),
                classes=["newsnode-report__credit"],
            )
        gallery += figure
    return gallery


def resolve_reports(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each report: the year's posts in full in LaTeX, a summary elsewhere.

    In LaTeX the report page's own title becomes the document's, so each
    post is a chapter, as toctree entries would be: ``section[title, ...,
    news_report]`` becomes ``section[title, ..., paragraph (count),
    start_of_file[section (post)], ..., section (Image credits)]``.
    """
    for node in list(doctree.findall(news_report)):
        if app.builder.format == "latex":
            node.replace_self(assemble_report(app, node, docname))
        else:
            node.replace_self(summary_nodes(app, docname, node))


def assemble_report(app: Sphinx, node: news_report, docname: str) -> list[nodes.Node]:
    """The cover, the year at a glance, the year's posts resolved for LaTeX, the image credits."""
    spec = node["spec"]
    entries = report_entries(app, docname, spec)
    language = listing_language(app.env, docname, spec)
    front = glance(app, spec.year, entries, language)
    count = post_count(entries, spec, language)
    front.insert(1, nodes.paragraph(count, count))
    assembled: list[nodes.Node] = [
        cover(app, spec.year, entries, language, node.get("cover")),
        front,
    ]
    if node.get("data"):
        assembled.append(data_section(app, docname, node["data"], language))
    credits: list[Credit] = []
    included = getattr(app.builder, "docnames", None)
    if isinstance(included, set):  # links between posts of the report become PDF links
        included.update(entry.docname for entry in entries)
    for entry in entries:
        doctree = app.env.get_and_resolve_doctree(entry.docname, app.builder, **build_tags(app))
        chapter = next((c for c in doctree.children if isinstance(c, nodes.section)), None)
        if chapter is None:
            continue
        when = localised_date(app, entry.date, entry.lang) if entry.date else ""
        chapter.insert(1, nodes.paragraph(when, "", nodes.emphasis(when, when)))
        # The label page numbers point to ("p. 7"): the page the post's title is on.
        label = rf"\label{{\detokenize{{{entry.docname}::doc}}}}"  # as Sphinx labels a document
        chapter.insert(1, nodes.raw("", label, format="latex"))
        print_urls(chapter, app.config.html_baseurl)
        for section in chapter.findall(nodes.section):
            section.setdefault("docname", entry.docname)
        assembled.append(addnodes.start_of_file("", chapter, docname=entry.docname))
        credits.extend(image_credits(entry, chapter, app, language))
    if credits:
        assembled.append(credits_section(credits, language))
    return assembled


def print_urls(chapter: nodes.Element, base_url: str) -> None:
    """Print the URL after each external link of a post: the report is read on paper.

    A link to a file of the site prints the file's address on the site (when
    ``html_baseurl`` gives one). Buttons print their URLs themselves, in a
    footnote.
    """
    for reference in list(chapter.findall(nodes.reference)):
        url = reference.get("refuri", "")
        if not url.startswith(("http://", "https://")) or reference.astext() == url:
            continue
        if any(isinstance(a, news_cta) for a in ancestors(reference)):
            continue
        print_after(reference, url)
    for download in list(chapter.findall(addnodes.download_reference)):
        if base_url and download.get("filename"):
            print_after(download, download_url(base_url, download["filename"]))


def print_after(link: nodes.Element, url: str) -> None:
    """`` (url)`` after *link*."""
    parent = link.parent
    printed = nodes.reference(url, url, refuri=url)
    parent.insert(parent.index(link) + 1, [nodes.Text(" ("), printed, nodes.Text(")")])


def ancestors(node: nodes.Node) -> list[nodes.Element]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found


def image_credits(entry: Entry, chapter: nodes.Element, app: Sphinx, language: str) -> list[Credit]:
    """Every image of a post's chapter, the hero first with its credit.

    A hero whose file could not be printed (missing, SVG...) is still listed,
    marked: its credit is printed under its caption all the same.
    """
    _ = translator(language).gettext
    domain = newsnode_domain(app.env)
    page, post = domain.pages.get(entry.docname), domain.posts.get(entry.docname)
    found = []
    for hero in chapter.findall(news_hero):
        printed = any(isinstance(c, nodes.image) for c in hero.children)
        name = PurePosixPath(post.background if post and post.background else "").name
        if not printed:
            name = _("%s (not in this PDF)") % name
        credit = page.credit if page else ""
        shown = tuple(
            child.deepcopy() for caption in hero.findall(news_credit) for child in caption.children
        )
        found.append(
            Credit(name, entry.title, credit, page.license_url if page else None,
                   entry.docname, shown)
        )  # fmt: skip
    for image in chapter.findall(nodes.image):
        if isinstance(image.parent, news_hero):
            continue
        name = PurePosixPath(image["uri"]).name
        found.append(Credit(name, entry.title, image.get("alt", ""), None, entry.docname))
    return found


def credits_section(credits: list[Credit], language: str) -> nodes.section:
    """The *Image credits*: each picture, its post and page, its credit as printed, its deed."""
    _ = translator(language).gettext
    title = _("Image credits")
    section = nodes.section(ids=["newsnode-image-credits"], names=[title.lower()])
    section += nodes.title(title, title)
    items = nodes.bullet_list()
    for credit in credits:
        paragraph = nodes.paragraph()
        paragraph += nodes.literal(credit.image, credit.image)
        paragraph += nodes.Text(" (")
        paragraph += nodes.emphasis(credit.post_title, credit.post_title)
        paragraph += nodes.Text(", ")
        paragraph += page_of(credit.docname, _)
        paragraph += nodes.Text("): ")
        if credit.shown:
            paragraph.extend(child.deepcopy() for child in credit.shown)
        else:
            paragraph += nodes.Text(credit.credit or _("no credit given"))
        printed = {r.get("refuri") for node in credit.shown for r in node.findall(nodes.reference)}
        if not credit.license_url:
            paragraph += nodes.Text(" – " + _("no licence stated"))
        else:
            if credit.license_url not in printed:  # the credit links its deed already
                paragraph += nodes.Text(" – ")
                paragraph += nodes.reference(
                    credit.license_url, credit.license_url, refuri=credit.license_url
                )
            named = find_license(credit.credit)
            if named is not None and not named.version_stated:
                assumed = " (" + _("version %s assumed") % CURRENT_VERSION + ")"
                paragraph += nodes.Text(assumed)
        items += nodes.list_item("", paragraph)
    # In a smaller type: a reference list, not reading matter.
    section += nodes.raw("", r"\begingroup\small", format="latex")
    section += items
    section += nodes.raw("", r"\endgroup", format="latex")
    return section


def setup_reports(app: Sphinx, config: Config) -> None:
    """Give every year of ``newsnode_reports`` its page and LaTeX document.

    With ``newsnode_report_download`` set, only that year's report (in its
    first language) becomes a LaTeX document: Read the Docs' PDF download
    takes exactly one file.
    """
    if not config.newsnode_reports:
        return
    for year, settings in config.newsnode_reports.items():
        if not str(year).isdigit() or report_languages(settings) is None:
            warn(
                Subtype.CONFIG,
                f"newsnode_reports: {year!r}: {settings!r} is not a year with a dict of "
                "settings (language: a language tag or a list of them); ignored",
                conf_location(app, "newsnode_reports"),
            )
    # New lists, never appends: an unset value is Sphinx's default, computed on
    # each access (latex_documents) or one list shared by every application.
    config.latex_theme_path = [*config.latex_theme_path, str(LATEX_DIR)]
    config.latex_additional_files = [
        *config.latex_additional_files,
        str(LATEX_DIR / "sphinxnewsnodereport.cls"),
    ]
    documents = list(config.latex_documents)
    download = config.newsnode_report_download
    for report in configured_reports(config):
        write_report_page(app, report.docname, report.year, report.title, report.language)
        if download is None or (report.year == download and report.first):
            documents.append(
                (report.docname, report.tex, report.title, report.author, REPORT_THEME)
            )
    config.latex_documents = documents


def write_report_page(
    app: Sphinx, docname: str, year: int, title: str, language: str | None
) -> None:
    """Write the page of a report once (Markdown); after that it is the user's."""
    if any(Path(app.srcdir, docname + s).exists() for s in (".md", ".rst", ".markdown")):
        return
    path = Path(app.srcdir, docname + ".md")
    path.parent.mkdir(parents=True, exist_ok=True)
    _ = translator(language or app.config.language).gettext
    intro = _("The news of %s, with every post of the year in full in the PDF.") % year
    front = f"lang: {language}\n" if language else ""
    option = f":lang: {language}\n" if language else ""
    path.write_text(
        f"---\norphan: true\n{front}---\n\n# {title}\n\n{intro}\n\n"
        f"```{{{REPORT_DIRECTIVE}}}\n:year: {year}\n{option}```\n",
        encoding="utf-8",
    )
    logger.info("newsnode: wrote %s for the %s report (yours to edit)", path, year)


def setup_report(app: Sphinx) -> None:
    """Register the report node, directive, LaTeX assembly and config hook."""
    app.add_node(news_report)
    setup_report_front(app)
    setup_report_pdfs(app)
    setup_report_data(app)
    app.add_directive(REPORT_DIRECTIVE, NewsReportDirective)
    app.connect("doctree-resolved", resolve_reports)
    app.connect("config-inited", setup_reports, priority=order.REPORT_DOCUMENTS)
