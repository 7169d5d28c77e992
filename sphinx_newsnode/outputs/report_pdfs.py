"""The reports' PDFs in the website (part of :mod:`.report`).

An HTML build looks for each report's PDF in ``newsnode_report_pdfs``
(``docs/_build/latex`` after ``sphinx-build -M latexpdf docs docs/_build``)
and ships the ones it finds next to their year's page
(``reports/node-report-2021.pdf``), linked from that page and from every
``news-reports`` list. A PDF that appears, changes or goes between two
builds re-reads the report pages, so their links follow. The files shipped
are the extension's own: one no longer found is deleted from the output by
the next build.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from sphinx_newsnode.core.config import SITE_BUILDERS
from sphinx_newsnode.core.i18n import translator
from sphinx_newsnode.core.state import OwnedFiles, read_state, write_state
from sphinx_newsnode.model.languages import language_tag, page_language
from sphinx_newsnode.outputs.urls import page_link

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

REPORTS_DIRECTIVE = "news-reports"


REPORT_FILE = "node-report-{year}.tex"


@dataclass(frozen=True)
class ReportDocument:
    """One report of ``newsnode_reports``: its page, its LaTeX file, its title."""

    docname: str
    tex: str
    title: str
    author: str
    year: int
    language: str | None
    first: bool
    """The year's report in its first language (the others have their own)."""

    @property
    def pdf(self) -> str:
        return PurePosixPath(self.tex).with_suffix(".pdf").name

    @property
    def shipped(self) -> str:
        """Where the site holds the PDF: next to the report's page."""
        return str(PurePosixPath(self.docname).parent / self.pdf)


def configured_reports(config: Config) -> list[ReportDocument]:
    """Every valid report of ``newsnode_reports``, a year's languages in their order."""
    root = config.newsnode_report_path.strip("/") or "reports"
    found = []
    for year, settings in sorted(config.newsnode_reports.items(), key=lambda i: str(i[0])):
        languages = report_languages(settings)
        if not str(year).isdigit() or languages is None:
            continue
        for number, language in enumerate(languages):
            # The first language's report is the year's; each other one has its own.
            name = f"{year}-{language}" if number else str(year)
            _ = translator(language or config.language).gettext
            found.append(
                ReportDocument(
                    docname=f"{root}/{name}",
                    tex=REPORT_FILE.format(year=name),
                    title=str(settings.get("title") or _("Annual report %s") % year),
                    author=str(settings.get("author") or config.project),
                    year=int(year),
                    language=language,
                    first=number == 0,
                )
            )
    return found


def report_languages(settings: object) -> list[str | None] | None:
    """The languages of a year's reports (``[None]``: the project's); ``None`` if invalid."""
    if not isinstance(settings, dict):
        return None
    value = settings.get("language")
    if value is None:
        return [None]
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else [None]
    tags = [language_tag(v) if isinstance(v, str) else None for v in values]
    return tags if tags and None not in tags else None


def found_pdf(app: Sphinx, report: ReportDocument) -> Path | None:
    """The report's PDF in ``newsnode_report_pdfs``, if it has been built."""
    folder = app.config.newsnode_report_pdfs
    if not folder:
        return None
    path = Path(app.confdir or app.srcdir, folder, report.pdf)
    return path if path.is_file() else None


def pdf_sizes(app: Sphinx) -> dict[str, list[int]]:
    """The PDFs found, by report page: size and time (what their links depend on)."""
    found = {}
    for report in configured_reports(app.config):
        if path := found_pdf(app, report):
            stat = path.stat()
            found[report.docname] = [stat.st_size, stat.st_mtime_ns]
    return found


def outdated_report_pages(app: Sphinx, env: BuildEnvironment, *_: set[str]) -> list[str]:
    """Re-read the report pages when a PDF appeared, changed or went (``env-get-outdated``)."""
    if app.builder.name not in SITE_BUILDERS:
        return []
    now = pdf_sizes(app)
    before = read_state(app, "report-pdfs-found", {})
    write_state(app, "report-pdfs-found", now)
    changed = {name for name in set(now) | set(before) if now.get(name) != before.get(name)}
    return sorted(changed & set(env.found_docs))


def download_link(app: Sphinx, fromdocname: str, docname: str) -> nodes.Node | None:
    """The link "Download the report (PDF, 1.2 MB)" on page *fromdocname*, if it is shipped."""
    if app.builder.format != "html":
        return None
    report = next((r for r in configured_reports(app.config) if r.docname == docname), None)
    path = found_pdf(app, report) if report else None
    if report is None or path is None:
        return None
    _ = translator(page_language(app.env, fromdocname)).gettext
    size = f"{path.stat().st_size / 1_000_000:.1f} MB"
    label = _("Download the report (PDF, %s)") % size
    uri = relative_uri(app.builder.get_target_uri(fromdocname), report.shipped)
    return nodes.reference(label, label, refuri=uri, classes=["newsnode-report__download"])


def ship_pdfs(app: Sphinx, exception: Exception | None) -> None:
    """Copy the PDFs found into the site; delete those an earlier build shipped and are gone."""
    if exception is not None or app.builder.name not in SITE_BUILDERS:
        return
    files = OwnedFiles(app, "report-pdfs")
    for report in configured_reports(app.config):
        if source := found_pdf(app, report):
            target = Path(app.outdir, report.shipped)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            files.keep(report.shipped)
    files.finish()


class news_reports(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """Placeholder of a ``news-reports`` list."""


class NewsReportsDirective(SphinxDirective):
    """``news-reports``: every annual report, newest first, with its PDF when it is built."""

    option_spec: ClassVar[dict] = {}

    def run(self) -> list[nodes.Node]:
        node = news_reports()
        self.set_source_info(node)
        return [node]


def resolve_report_lists(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Fill each ``news-reports`` list (``doctree-resolved``)."""
    for node in list(doctree.findall(news_reports)):
        items = nodes.bullet_list(classes=["newsnode-reports"])
        for report in sorted(configured_reports(app.config), key=lambda r: r.docname, reverse=True):
            line = nodes.paragraph()
            title = nodes.inline(report.title, report.title)
            line += page_link(app.builder, docname, report.docname, title, report.title)
            if link := download_link(app, docname, report.docname):
                line += nodes.Text(" · ")
                line += link
            items += nodes.list_item("", line)
        node.replace_self(items)


def setup_report_pdfs(app: Sphinx) -> None:
    """Ship the built PDFs with the site; the ``news-reports`` list."""
    app.add_node(news_reports)
    app.add_directive(REPORTS_DIRECTIVE, NewsReportsDirective)
    app.connect("doctree-resolved", resolve_report_lists)
    app.connect("env-get-outdated", outdated_report_pages)
    app.connect("build-finished", ship_pdfs)
