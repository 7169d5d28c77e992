"""The node's GBIF figures in its report (part of :mod:`.report`): *Data mobilisation in YEAR*.

Read from the year's snapshot (``_data/gbif/YEAR.json``, written by
``newsnode stats``) and the year before's when there is one, never from the
network. The section holds the figures as a table with the change from the
year before, two charts drawn by matplotlib (records by kingdom; datasets
and records over the years) and the year's newest datasets with their DOIs;
each says where its numbers come from and when they were taken.

Charts are SVG written into the HTML page, their text in the page's own
colour (readable in light and dark themes), and vector PDF files for LaTeX.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale
from babel.numbers import format_decimal
from docutils import nodes

from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.core.i18n import translator
from sphinx_newsnode.core.state import read_state, write_state
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.gbif import (
    SNAPSHOT_FOLDER,
    Figures,
    SnapshotError,
    read_snapshot,
    snapshot_path,
)
from sphinx_newsnode.model.languages import locale_of
from sphinx_newsnode.outputs.render import localised_date

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.docutils import SphinxDirective


@dataclass(frozen=True)
class YearFigures:
    """What a report shows of the GBIF figures: its year's and the year before's."""

    figures: Figures
    previous: Figures | None


def read_year_figures(directive: SphinxDirective, year: int) -> YearFigures | None:
    """The figures of *year* (and the year before) for a report, when ``newsnode_gbif`` is set.

    The snapshots are dependencies of the page; a missing or unreadable
    snapshot of the year is one warning, and the report has no data section.
    """
    env = directive.env
    if not env.config.newsnode_gbif:
        return None
    figures, previous = (snapshot_figures(env, each) for each in (year, year - 1))
    if figures is None:
        if not snapshot_path(env.srcdir, year).is_file():
            warn(
                Subtype.GBIF,
                f"no GBIF figures for {year} ({SNAPSHOT_FOLDER}/{year}.json): the report has "
                f"no data section; take them with 'newsnode stats {year}'",
                directive.get_location(),
            )
        return None
    return YearFigures(figures, previous)


def snapshot_figures(env: BuildEnvironment, year: int) -> Figures | None:
    """The figures of *year*'s snapshot, a dependency of the page, if it has one that reads.

    An unreadable snapshot, or one of another year, is one warning.
    """
    path = snapshot_path(env.srcdir, year)
    if not path.is_file():
        return None
    env.note_dependency(str(path))
    try:
        figures = read_snapshot(path)
    except (SnapshotError, OSError) as exc:
        line = exc.line if isinstance(exc, SnapshotError) else 1
        warn(Subtype.GBIF, f"{path.name} {exc}; take it again with 'newsnode stats {year}'",
             f"{path}:{line}")  # fmt: skip
        return None
    if figures.year != year:
        warn(Subtype.GBIF, f"{path.name} holds the figures of {figures.year}, not {year}",
             f"{path}:1")  # fmt: skip
        return None
    return figures


def snapshot_years(app: Sphinx) -> list[str]:
    folder = Path(app.srcdir, SNAPSHOT_FOLDER)
    return sorted(p.name for p in folder.glob("*.json")) if folder.is_dir() else []


def reports_of_new_snapshots(app: Sphinx, env: BuildEnvironment, *_: set[str]) -> list[str]:
    """Re-read the reports whose year, or year before, got a snapshot (``env-get-outdated``).

    A snapshot that changes is a dependency of its pages already.
    """
    if not app.config.newsnode_gbif:
        return []
    now, before = snapshot_years(app), read_state(app, "gbif-snapshots", [])
    write_state(app, "gbif-snapshots", now)
    new = {int(name[:-5]) for name in set(now) - set(before) if name[:-5].isdigit()}
    return sorted(
        docname
        for docname, specs in newsnode_domain(env).listings.items()
        if any(spec.year in new or (spec.year or 0) - 1 in new for spec in specs)
    )


def report_locale(language: str) -> Locale:
    """The locale the figures are written in: *language*'s, else English."""
    return locale_of(language) or Locale.parse("en")


def grouped(number: float, language: str, pattern: str = "#,##0") -> str:
    """*number* as *language* writes it (digit grouping, decimal mark)."""
    return format_decimal(number, pattern, locale=report_locale(language))


def node_name(figures: Figures, language: str) -> str:
    """The country's name in *language*, else the organisation's."""
    country = figures.node.get("country")
    if country:
        return report_locale(language).territories.get(country, country)
    return figures.name


def data_section(app: Sphinx, docname: str, data: YearFigures, language: str) -> nodes.section:
    """*Data mobilisation in YEAR*: table, charts, newest datasets, each with its source."""
    _ = translator(language).gettext
    figures, previous = data.figures, data.previous
    title = _("Data mobilisation in %s") % figures.year
    section = nodes.section(ids=[f"newsnode-data-{figures.year}"], names=[title.lower()])
    section += nodes.title(title, title)
    retrieved = localised_date(app, figures.retrieved.date(), language)
    intro = _("What %(node)s mobilised through GBIF, as the GBIF API gave it on %(date)s.") % {
        "node": node_name(figures, language),
        "date": retrieved,
    }
    section += nodes.paragraph(intro, intro)
    section += figures_table(figures, previous, language)
    section += source_line(app, figures, language)
    section += charts(app, docname, figures, language)
    section += newest_datasets(app, figures, language)
    return section


def source_line(app: Sphinx, figures: Figures, language: str) -> nodes.paragraph:
    """The line under each figure: the API's address and the snapshot's date."""
    _ = translator(language).gettext
    paragraph = nodes.paragraph(classes=["newsnode-data__source"])
    paragraph += nodes.Text(_("Source: GBIF API") + " (")
    paragraph += nodes.reference(figures.api, figures.api, refuri=figures.api)
    snapshot = _("snapshot of %s") % localised_date(app, figures.retrieved.date(), language)
    paragraph += nodes.Text(f"), {snapshot}.")
    return paragraph


def rows(figures: Figures, language: str) -> list[tuple[str, Callable[[Figures], int | None]]]:
    _ = translator(language).gettext
    year = {"year": figures.year, "country": node_name(figures, language)}
    found: list[tuple[str, Callable[[Figures], int | None]]] = [
        (_("Occurrence records published (total)"), lambda f: f.records),
        (_("Records of events in %(year)s") % year, lambda f: f.records_of_year),
        (_("Datasets published (total)"), lambda f: f.datasets),
        (_("Datasets registered in %(year)s") % year, lambda f: f.datasets_of_year),
        (_("Publishing organisations"), lambda f: f.publishers),
        (_("Peer-reviewed papers using GBIF data, %(year)s") % year,
         lambda f: f.papers_of_year),
    ]  # fmt: skip
    if figures.records_about is not None:
        found.insert(1, (_("Records about %(country)s, from any publisher (total)") % year,
                         lambda f: f.records_about))  # fmt: skip
    if figures.downloads_of_year is not None:
        found.append((_("Downloads by users in %(country)s, %(year)s") % year,
                      lambda f: f.downloads_of_year))  # fmt: skip
    return found


def figures_table(figures: Figures, previous: Figures | None, language: str) -> nodes.table:
    """The figures of the year, beside the year before's and the change, when it is known."""
    _ = translator(language).gettext
    head = [_("Figure"), str(figures.year)]
    if previous:
        head += [str(previous.year), _("Change")]
    body = []
    for label, value in rows(figures, language):
        now = value(figures)
        cells = [label, grouped(now, language) if now is not None else "–"]
        if previous:
            before = value(previous)
            cells += [
                grouped(before, language) if before is not None else "–",
                change(now, before, language),
            ]
        body.append(cells)
    table = nodes.table(classes=["newsnode-data__figures"])
    group = nodes.tgroup(cols=len(head))
    table += group
    for width in (5, 2, 2, 2)[: len(head)]:
        group += nodes.colspec(colwidth=width)
    group += nodes.thead("", row(head))
    group += nodes.tbody("", *(row(cells) for cells in body))
    return table


def change(now: int | None, before: int | None, language: str) -> str:
    """``+1,204 (+12.5 %)`` (no percentage from zero)."""
    if now is None or before is None:
        return "–"
    difference = now - before
    sign = "+" if difference > 0 else ("−" if difference < 0 else "±")
    text = sign + grouped(abs(difference), language)
    if before:
        percent = grouped(abs(difference) / before * 100, language, "#,##0.0")
        text += f"\u00a0({sign}{percent}\u00a0%)"
    return text


def row(cells: list[str]) -> nodes.row:
    return nodes.row("", *(nodes.entry("", nodes.paragraph(text, text)) for text in cells))


def newest_datasets(app: Sphinx, figures: Figures, language: str) -> list[nodes.Node]:
    """The datasets registered in the year, newest first, each with its DOI."""
    _ = translator(language).gettext
    heading = _("Newest datasets of %s") % figures.year
    result: list[nodes.Node] = [nodes.rubric(heading, heading)]
    if not figures.newest:
        text = _("No dataset was registered in %s.") % figures.year
        result.append(nodes.paragraph(text, text))
        return result
    items = nodes.bullet_list(classes=["newsnode-data__datasets"])
    for dataset in figures.newest:
        paragraph = nodes.paragraph()
        paragraph += nodes.strong(dataset.title, dataset.title)
        details = [dataset.publisher, localised_date(app, dataset.registered, language)]
        paragraph += nodes.Text(" (" + ", ".join(d for d in details if d) + "). ")
        paragraph += nodes.reference(dataset.url, dataset.url, refuri=dataset.url)
        items += nodes.list_item("", paragraph)
    result.append(items)
    return result


def charts(app: Sphinx, docname: str, figures: Figures, language: str) -> list[nodes.Node]:
    """The two charts as figures, each with its caption and source."""
    _ = translator(language).gettext
    try:
        from sphinx_newsnode.outputs import report_data_charts as report_charts
    except ImportError:
        warn(Subtype.GBIF, "the report's charts need matplotlib: pip install "
             "'sphinx-newsnode[gbif]'; the figures are in the table", docname)  # fmt: skip
        return []
    made: list[nodes.Node] = []
    drawings = []
    if figures.kingdoms:
        drawings.append(("kingdoms", _("Occurrence records by kingdom"), report_charts.kingdoms))
    if figures.growth:
        caption = _("Datasets published and the records they hold, at the end of each year")
        drawings.append(("growth", caption, report_charts.growth))
    for name, caption, draw in drawings:
        figure = nodes.figure(
            ids=[f"newsnode-data-{figures.year}-{name}"], classes=["newsnode-data__chart"]
        )
        picture = draw(figures, {"datasets": _("Datasets"), "records": _("Records")},
                       lambda n: grouped(n, language))  # fmt: skip
        if app.builder.format == "html":
            svg = report_charts.as_svg(picture, f"{figures.year}-{name}")
            label = html.escape(caption)
            markup = f'<div class="newsnode-data__svg" role="img" aria-label="{label}">{svg}</div>'
            figure += nodes.raw("", markup, format="html")
        elif app.builder.format == "latex":
            filename = f"newsnode-gbif-{figures.year}-{name}.pdf"
            report_charts.save_pdf(picture, Path(app.outdir, filename))
            figure += nodes.image(
                uri=filename, candidates={"application/pdf": filename}, width="100%"
            )
        else:
            continue
        figure += nodes.caption(caption, caption)
        figure += nodes.legend("", source_line(app, figures, language))
        made.append(figure)
    return made


def setup_report_data(app: Sphinx) -> None:
    app.connect("env-get-outdated", reports_of_new_snapshots)
