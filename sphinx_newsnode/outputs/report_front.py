"""The front of a printed node report (part of :mod:`.report`): its cover, the year at a glance.

The cover is a ``news_report_cover`` node at the start of the assembled
report: the LaTeX writer turns it into the document's title page (the
template's ``maketitle``) with the year, the report's title and node, a
picture of the year with its credit, the node's logo (``latex_logo``) and
the report's own date, never the build day: its ``date`` setting, else the
last day of the year.

*The year at a glance* follows: posts by month (a bar chart drawn by LaTeX
itself), by tag and category, and the year's events and trainings with the
page each starts on.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.texescape import escape

from sphinx_newsnode.core.config import conf_location
from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.core.i18n import translator
from sphinx_newsnode.model.selection import slug
from sphinx_newsnode.outputs.render import format_month, localised_date, skip
from sphinx_newsnode.outputs.urls import PRINTABLE_IMAGE_SUFFIXES
from sphinx_newsnode.reading.hero import news_credit, news_hero

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.writers.latex import LaTeXTranslator

    from sphinx_newsnode.model.selection import Entry

HIGHLIGHTS = ("event", "events", "training", "trainings", "workshop", "workshops", "webinar")
"""Tags and categories whose posts the glance page lists as the year's events and trainings."""
BAR_WIDTH_CM = 7.0
COVER_HEIGHT = "9cm"
LOGO_HEIGHT = "1.6cm"
FALLBACK = "newsnodefallback"
LUALATEX_FONTS = (
    # GNU FreeFont, Sphinx's own choice for LuaLaTeX, with FreeSerif (the widest
    # of the three: Greek, Cyrillic, Vietnamese, Thai...) as the fallback of
    # every face: a Thai title in FreeSans Bold prints, not as empty boxes.
    rf"\directlua{{luaotfload.add_fallback('{FALLBACK}', {{'FreeSerif:mode=harf;'}})}}"
    + "".join(
        rf"""
\set{family}font{{{name}}}[
  Extension = .otf, UprightFont = *, ItalicFont = *{italic}, BoldFont = *Bold,
  BoldItalicFont = *Bold{italic}, RawFeature = {{mode=harf;fallback={FALLBACK}}}
]"""
        for family, name, italic in (
            ("main", "FreeSerif", "Italic"),
            ("sans", "FreeSans", "Oblique"),
            ("mono", "FreeMono", "Oblique"),
        )
    )
)


class news_report_cover(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """A report's title page: ``year``, ``date``, ``logo``; children: picture, credit."""


def report_settings(app: Sphinx, year: int | None) -> dict[str, Any]:
    """The ``newsnode_reports`` settings of *year* (keys may be numbers or strings)."""
    for key, settings in app.config.newsnode_reports.items():
        if str(key) == str(year) and isinstance(settings, dict):
            return settings
    return {}


def report_date(app: Sphinx, year: int, settings: dict[str, Any], language: str) -> str:
    """The report's date: its ``date`` setting, else the last day of its year."""
    value = settings.get("date")
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            warn(
                Subtype.CONFIG,
                f"newsnode_reports: the date {value!r} of {year} is not YYYY-MM-DD; "
                "the report is dated the last day of its year",
                conf_location(app, "newsnode_reports"),
            )
            value = None
    day = value if isinstance(value, dt.date) else dt.date(year, 12, 31)
    return localised_date(app, day, language)


def cover(
    app: Sphinx, year: int, entries: list[Entry], language: str, picture: str | None
) -> news_report_cover:
    """The cover of the report of *year*: the ``cover`` picture, else the year's first hero."""
    settings = report_settings(app, year)
    node = news_report_cover(
        year=str(year),
        date=report_date(app, year, settings, language),
        logo=PurePosixPath(app.config.latex_logo).name if app.config.latex_logo else "",
    )
    if picture:
        image = nodes.image(uri=picture, height=COVER_HEIGHT, candidates={"*": picture})
        given = str(settings.get("cover_credit") or "")
        node += nodes.container("", image)
        node += nodes.paragraph(given, given)
        return node
    for entry in entries:
        hero = next(app.env.get_doctree(entry.docname).findall(news_hero), None)
        images = [c for c in hero.children if isinstance(c, nodes.image)] if hero else []
        if hero is None or not images:
            continue
        if PurePosixPath(images[0]["uri"]).suffix.lower() not in PRINTABLE_IMAGE_SUFFIXES:
            continue
        shown = images[0].deepcopy()
        shown["height"] = COVER_HEIGHT
        shown.attributes.pop("width", None)
        node += nodes.container("", shown)
        credit = next(hero.findall(news_credit), None)
        node += nodes.paragraph("", "", *(c.deepcopy() for c in credit.children) if credit else ())
        break
    return node


def glance(app: Sphinx, year: int, entries: list[Entry], language: str) -> nodes.section:
    """*The year at a glance*: posts by month, by tag and category; events and trainings."""
    _ = translator(language).gettext
    title = _("The year at a glance")
    section = nodes.section(ids=["newsnode-year-at-a-glance"], names=[title.lower()])
    section += nodes.title(title, title)
    section += nodes.rubric(_("Posts by month"), _("Posts by month"))
    section += nodes.raw("", month_chart(app, year, entries, language), format="latex")
    for group, label in (("tags", _("Tags")), ("categories", _("Categories"))):
        counts = Counter(name for entry in entries for name in getattr(entry, group))
        if not counts:
            continue
        section += nodes.rubric(label, label)
        shown = ", ".join(f"{name} ({count})" for name, count in counts.most_common())
        section += nodes.paragraph(shown, shown)
    chosen = highlights(app, year, entries)
    if chosen:
        label = _("Events and trainings")
        section += nodes.rubric(label, label)
        items = nodes.bullet_list()
        for entry in chosen:
            assert entry.date is not None
            when = localised_date(app, entry.date, entry.lang)
            line = nodes.paragraph("", "")
            line += nodes.Text(f"{when}: ")
            line += nodes.emphasis(entry.title, entry.title)
            line += nodes.Text(" (")
            line += page_of(entry.docname, _)
            line += nodes.Text(")")
            items += nodes.list_item("", line)
        section += items
    return section


def highlights(app: Sphinx, year: int, entries: list[Entry]) -> list[Entry]:
    """The year's posts tagged or filed as events and trainings (``highlights`` setting)."""
    wanted = report_settings(app, year).get("highlights", HIGHLIGHTS)
    keys = {slug(str(name)) for name in wanted} if isinstance(wanted, (list, tuple)) else set()
    return [
        entry
        for entry in entries
        if keys & {slug(name) for name in (*entry.tags, *entry.categories)}
    ]


def page_of(docname: str, _: Any) -> nodes.raw:
    """``p. 7``: the page a post of the report starts on."""
    label = rf"\pageref{{\detokenize{{{docname}::doc}}}}"
    return nodes.raw("", escape(_("p. %s") % "@@").replace("@@", label), format="latex")


def month_chart(app: Sphinx, year: int, entries: list[Entry], language: str) -> str:
    """A bar per month, as wide as its count of posts: a LaTeX tabular."""
    counts = Counter(entry.date.month for entry in entries if entry.date)
    most = max(counts.values(), default=0) or 1
    rows = []
    for month in range(1, 13):
        name = escape(format_month(app, dt.date(year, month, 1), language))
        width = BAR_WIDTH_CM * counts[month] / most
        bar = rf"\rule{{{width:.2f}cm}}{{0.7em}}" if counts[month] else ""
        rows.append(rf"{name} & {counts[month]} & {bar}\\")
    body = "\n".join(rows)
    return f"\\par\\noindent\\begin{{tabular}}{{@{{}}l r l@{{}}}}\n{body}\n\\end{{tabular}}\\par\n"


def visit_cover_latex(self: LaTeXTranslator, node: news_report_cover) -> None:
    """Make *node* the document's title page, with the report's own date."""
    picture = credit = logo = ""
    for child in node.children:
        if isinstance(child, nodes.container):
            picture = latex_of(self, child.children)
        else:
            credit = latex_of(self, child.children)
    if node["logo"]:
        logo_path = PurePosixPath(node["logo"])
        base, ext = logo_path.stem, logo_path.suffix
        logo = rf"\sphinxincludegraphics[height={LOGO_HEIGHT}]{{{{{base}}}{ext}}}"
    self.elements["maketitle"] = (
        rf"\newsnodereportcover{{{node['year']}}}{{{picture}}}{{{credit}}}{{{logo}}}"
    )
    self.elements["date"] = self.encode(node["date"])
    if papersize := self.config.latex_elements.get("papersize"):
        self.elements["papersize"] = papersize  # the report theme's A4 gives way
    if self.config.latex_engine == "lualatex" and "fontpkg" not in self.config.latex_elements:
        self.elements["fontpkg"] = LUALATEX_FONTS
    raise nodes.SkipNode


def latex_of(self: LaTeXTranslator, children: Iterable[nodes.Node]) -> str:
    """What the LaTeX writer makes of *children*, apart from the document."""
    saved, self.body = self.body, []
    try:
        for child in children:
            child.walkabout(self)
        return "".join(self.body).strip()
    finally:
        self.body = saved


def setup_report_front(app: Sphinx) -> None:
    """Register the cover node: a title page in LaTeX, nothing elsewhere."""
    app.add_node(
        news_report_cover, latex=(visit_cover_latex, None),
        html=(skip, None), text=(skip, None), man=(skip, None), texinfo=(skip, None),
    )  # fmt: skip
