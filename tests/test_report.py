"""The annual report: a 30-post year with the hard cases, as HTML, LaTeX and a real PDF."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sphinx_newsnode.outputs.pdf import printable_text

from conftest import html, newsnode_warnings

TEX = "node-report-2021.tex"
ABSENT = ("Secret draft", "Confidential draft", "Undated thought", "Last year post")


def chapters(tex: str) -> list[str]:
    return re.findall(r"\\chapter\{(.*?)\}\n", tex)


def expected_order(srcdir: Path) -> list[str]:
    """Titles of the published 2021 posts, by the date in their file name."""
    titles = []
    for path in sorted((srcdir / "news").glob("2021-*.md")):
        text = path.read_text(encoding="utf-8")
        if "published: false" in text:
            continue
        titles.append(re.search(r'^title: "(.*)"$', text, re.M).group(1))
    return titles


@pytest.fixture
def report(site):
    return site("report")


def test_report_page_and_latex_document(report) -> None:
    app = report.build("latex")
    page = report.path("reports/2021.md")
    assert page.is_file()
    assert "```{news-report}\n:year: 2021\n```" in page.read_text()
    assert ("reports/2021", TEX, "Node report 2021", "Example GBIF node", "newsnode-report") in (
        app.config.latex_documents
    )
    assert Path(app.outdir, "sphinxnewsnodereport.cls").is_file()


def test_report_without_latex_documents_in_conf(report) -> None:
    """The README's set-up: only ``newsnode_reports``; Sphinx's default manual stays."""
    report.edit("conf.py", "latex_documents = []\n", "")
    app = report.build("latex")
    assert Path(app.outdir, TEX).is_file()
    assert chapters(Path(app.outdir, TEX).read_text())
    assert [entry[1] for entry in app.config.latex_documents] == ["report.tex", TEX]
    # The manual's news list names posts that manual does not hold: titles, no links.
    manual = Path(app.outdir, "report.tex").read_text()
    assert expected_order(report.srcdir)[0] in manual
    # Built again in the same process: nothing accumulates in Sphinx's shared defaults.
    again = report.build("latex")
    assert [entry[1] for entry in again.config.latex_documents] == ["report.tex", TEX]
    assert again.config.latex_theme_path.count(app.config.latex_theme_path[-1]) == 1


def test_report_page_is_written_once(report) -> None:
    report.write("reports/2021.md", "# My own report\n\n```{news-report}\n:year: 2021\n```\n")
    app = report.build("latex")
    assert report.read("reports/2021.md").startswith("# My own report")
    assert "My own report" not in chapters(Path(app.outdir, TEX).read_text())


def test_latex_has_the_year_in_date_order(report) -> None:
    app = report.build("latex")
    tex = Path(app.outdir, TEX).read_text()
    titles = chapters(tex)
    expected = expected_order(report.srcdir)
    assert len(expected) == 30
    # What pdfTeX can print of each title: Cyrillic transliterated, the emoji left out.
    printable = [printable_text(t, cyrillic=False)[0].strip() for t in expected]
    assert [t.strip() for t in titles[:-1]] == printable
    assert titles[-1] == "Image credits"
    for absent in ABSENT:
        assert absent not in tex
    # Each post: its date under the title, its hero as a full-width figure with the credit.
    fixture = tex[tex.index(r"\chapter{Fixture hero}") :]
    assert fixture.index(r"\sphinxstyleemphasis{4 August 2021}") < fixture.index(
        r"\begin{figure}[H]"
    )
    assert r"\caption{\sphinxstyleemphasis{Anthopleura michaelseni} Photo by" in fixture
    credits = tex[tex.index(r"\chapter{Image credits}") :]
    assert "https://creativecommons.org/licenses/by-nc/4.0/" in credits
    assert "logo.svg (not in this PDF)" in credits


def test_html_summary_of_the_year(report) -> None:
    app = report.build()
    page = html(app, "reports/2021")
    assert page.select_one(".newsnode-report__count").get_text() == "30 posts in 2021"
    months = [
        r.get_text() for r in page.select("p.newsnode-report__month, .newsnode-report__month")
    ]
    assert months[0] == "January 2021"
    assert len(months) == 12
    by_month = [
        [cell.get_text() for cell in row.select("td")]
        for row in page.select("table.newsnode-report__months tbody tr")
    ]
    assert len(by_month) == 12
    assert by_month[0] == ["January 2021", "3"]
    assert sum(int(count) for _month, count in by_month) == 30
    figures = page.select(".newsnode-report__figure")
    assert len(figures) == 10  # every post with an image file: three are missing
    titled = {f.select_one(".newsnode-report__title").get_text(): f for f in figures}
    fixture = titled["Fixture hero"]
    credit = fixture.select_one(".newsnode-report__credit")
    assert credit.get_text() == (
        "Anthopleura michaelseni Photo by Fatima Parker-Allie iNaturalist (CC BY-NC)"
    )
    assert credit.select_one("em").get_text() == "Anthopleura michaelseni"  # as the post shows it
    assert [a["href"] for a in credit.select("a")] == [
        "https://www.inaturalist.org/observations/20856021",
        "https://creativecommons.org/licenses/by-nc/4.0/",
    ]
    assert fixture.select_one("a img")  # the picture leads to its post
    assert fixture.select_one("a")["href"].endswith(".html")
    for absent in ABSENT:
        assert absent not in page.get_text()


def tools_available() -> bool:
    return all(shutil.which(tool) for tool in ("latexmk", "pdftotext", "pdfinfo", "pdfimages"))


# CI installs TeX Live and poppler (.ci/run): there, a missing tool fails the test instead.
@pytest.mark.skipif(
    not tools_available() and not os.environ.get("CI"),
    reason="needs latexmk and poppler-utils (Debian: latexmk texlive-latex-extra poppler-utils)",
)
def test_pdf_of_a_hard_year(report) -> None:
    app = report.build("latex")
    warnings = {(w.type, Path(w.location.split(":")[0]).name) for w in newsnode_warnings(app)}
    assert ("newsnode.image", "2021-02-16-post-05.md") in warnings  # SVG dropped from the PDF
    assert ("newsnode.image", "2021-03-22-post-07.md") in warnings  # WebP dropped
    assert ("newsnode.pdf", "2021-05-13-post-13.md") in warnings  # emoji dropped
    assert ("newsnode.pdf", "2021-05-07-post-11.md") in warnings  # Cyrillic transliterated
    subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", TEX],
        cwd=app.outdir, check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    pdf = Path(app.outdir, TEX).with_suffix(".pdf")
    flat = " ".join(run("pdftotext", str(pdf), "-").split())
    # Every chapter heading, in date order (pdfTeX prints them upper-case).
    position = 0
    for title in expected_order(report.srcdir):
        heading = " ".join(printable_text(title, cyrillic=False)[0].upper().split())
        position = flat.index(heading, position) + len(heading)
    assert "IMAGE CREDITS" in flat[position:]
    for expected in (
        "Şebnem Ölmez and Ivan Petrov met José Núñez",
        "Anthopleura michaelseni Photo by Fatima Parker-Allie",
        "https://creativecommons.org/licenses/by-nc/4.0/",
        'print("occurrences: 42")',
        "Apis mellifera",
        "very-long-path-segment-11",
    ):
        assert expected in flat, expected
    for absent in ABSENT:
        assert absent not in flat
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(pdf))).group(1))
    assert 30 < pages < 90
    images = run("pdfimages", "-list", str(pdf)).splitlines()[2:]
    assert len(images) >= 8  # the printable heroes are embedded


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout
