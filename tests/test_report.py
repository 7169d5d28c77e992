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
    """The top-level headings of a report: posts flow as sections, no chapters."""
    return re.findall(r"\\section\{(.*?)\}\n", tex)


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
    assert titles[0] == "The year at a glance"
    assert [t.strip() for t in titles[1:-1]] == printable
    assert titles[-1] == "Image credits"
    assert r"\chapter" not in tex
    for absent in ABSENT:
        assert absent not in tex
    # Each post: its date under the title, its hero as a full-width figure with the credit.
    fixture = tex[tex.index(r"\section{Fixture hero}") :]
    assert fixture.index(r"\sphinxstyleemphasis{4 August 2021}") < fixture.index(
        r"\begin{figure}[H]"
    )
    assert r"\caption{\sphinxstyleemphasis{Anthopleura michaelseni} Photo by" in fixture
    credits = tex[tex.index(r"\section{Image credits}") :]
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
    """The 30-post year as printed: read back from the PDF, page by page."""
    report.edit("news/2021-04-01-post-09.md", "cta:\n", "tags: [events, data-use]\ncta:\n"
                "  - text: The anemone\n    href: /news/2021-08-04-post-19\n"
                "  - text: Our news\n    href: /index\n")  # fmt: skip
    report.edit("news/2021-08-04-post-19.md", "description:", "tags: [training]\ndescription:")
    app = report.build("latex")
    warnings = {(w.type, Path(w.location.split(":")[0]).name) for w in newsnode_warnings(app)}
    assert ("newsnode.image", "2021-02-16-post-05.md") in warnings  # SVG dropped from the PDF
    assert ("newsnode.image", "2021-03-22-post-07.md") in warnings  # WebP dropped
    assert ("newsnode.pdf", "2021-05-13-post-13.md") in warnings  # emoji dropped
    assert ("newsnode.pdf", "2021-05-07-post-11.md") in warnings  # Cyrillic transliterated
    subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", TEX],
        cwd=app.outdir, check=True, capture_output=True, timeout=600,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
    )  # fmt: skip
    pdf = str(Path(app.outdir, TEX).with_suffix(".pdf"))
    info = run("pdfinfo", "-isodates", pdf)
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert re.search(r"CreationDate:\s+2023-11-14T22:13:20", info)  # SOURCE_DATE_EPOCH
    pages = [" ".join(run("pdftotext", "-f", str(n), "-l", str(n), pdf, "-").split())
             for n in range(1, count + 1)]  # fmt: skip
    flat = " ".join(pages)
    with_images = {int(line.split()[0]) for line in run("pdfimages", "-list", pdf).splitlines()[2:]}
    # The cover: the year, the title, the node, a picture of the year with its credit,
    # dated by the report (the end of its year), never the build day.
    cover = pages[0]
    assert cover.startswith("2021 Node report 2021 Example GBIF node")
    assert 1 in with_images
    assert "Photo 04 by the node" in cover
    assert cover.endswith("31 December 2021")
    assert "2026" not in cover
    assert "CHAPTER" not in flat.upper().replace("CHAPTERS", "")
    # No near-empty page: each has 300 characters of text, or a picture; only the
    # last page ends the image credits wherever they end.
    for number, text in enumerate(pages[1:-1], 2):
        assert len(text) >= 300 or number in with_images, (number, text)
    assert "Image credits" in pages[-1]
    # The year at a glance: the right counts.
    glance = flat[flat.index("The year at a glance 30 posts") :]
    # pdftotext reads the chart's columns one after the other: months, then counts.
    chart = re.search(r"Posts by month ((?:\w+ 2021 ){12})((?:\d+ ){12})", glance)
    assert chart
    assert chart[1].split()[::2][:3] == ["January", "February", "March"]
    assert [int(n) for n in chart[2].split()] == [3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2]
    assert "events (1), data-use (1), training (1)" in glance
    assert re.search(r"Events and trainings • 1 April 2021: Long link \(p\. \d+\) "
                     r"• 4 August 2021: Fixture hero \(p\. \d+\)", glance)  # fmt: skip
    # Every post, in date order, as a section under its own title.
    position = 0
    for title in expected_order(report.srcdir):
        heading = " ".join(printable_text(title, cyrillic=False)[0].split())
        position = flat.index(heading, position) + len(heading)
    assert "Image credits" in flat[position:]
    # Internal buttons say where they lead: a page of the report, or the site's address.
    anemone = re.search(r"The anemone \(see p\. (\d+)\)", flat)
    assert anemone
    assert "Fixture hero" in pages[int(anemone[1])]  # page numbers start after the cover
    assert "Our news (https://node.example.org/index.html)" in flat
    for expected in (
        "Şebnem Ölmez and Ivan Petrov met José Núñez",
        "Anthopleura michaelseni Photo by Fatima Parker-Allie",
        'print("occurrences: 42")',
        "Apis mellifera",
        "very-long-path-segment-11",
    ):
        assert expected in flat, expected
    # Every credit prints its source and licence; the credits list each picture's page.
    joined = flat.replace(" ", "")
    assert "https://www.inaturalist.org/observations/20856021" in joined
    assert "https://creativecommons.org/licenses/by-nc/4.0/" in joined
    credits = flat[flat.index("Image credits", position) :]
    assert re.search(r"photo\.jpg \(Fixture hero, p\. \d+\): Anthopleura michaelseni Photo by",
                     credits)  # fmt: skip
    for absent in ABSENT:
        assert absent not in flat
    assert 8 < count < 40
    assert len(with_images) >= 8  # the printable heroes are embedded


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_cover_date_logo_and_paper_from_the_settings(report) -> None:
    report.edit(
        "conf.py",
        '"author": "Example GBIF node"}',
        '"author": "Example GBIF node", "cover": "/assets/photo.jpg",'
        ' "cover_credit": "Sea anemone by the node (CC BY 4.0)", "date": "2022-02-28"}',
    )
    report.write(
        "conf.py",
        report.read("conf.py")
        + 'latex_logo = "assets/hero.png"\nlatex_elements = {"papersize": "letterpaper"}\n',
    )
    app = report.build("latex")
    assert not [w for w in newsnode_warnings(app) if "the cover" in w.message]
    tex = Path(app.outdir, TEX).read_text()
    assert r"\documentclass[letterpaper,11pt" in tex  # latex_elements wins over the A4 default
    assert r"\date{28 February 2022}" in tex
    cover = tex[tex.index(r"\newsnodereportcover{2021}") :].split("\n\\pagestyle")[0]
    assert r"\sphinxincludegraphics[height=9cm]{{photo}.jpg}" in cover
    assert "Sea anemone by the node (CC BY 4.0)" in cover
    assert r"\sphinxincludegraphics[height=1.6cm]{{hero}.png}" in cover
    assert Path(app.outdir, "photo.jpg").is_file()

    report.edit("conf.py", '"/assets/photo.jpg"', '"/assets/none.jpg"')
    app = report.build("latex")
    assert [w.type for w in newsnode_warnings(app) if "the cover" in w.message] == [
        "newsnode.image"
    ]
    tex = Path(app.outdir, TEX).read_text()
    assert "Photo 04 by the node" in tex[tex.index(r"\newsnodereportcover") :][:800]


def test_read_the_docs_set_up_ships_every_pdf_and_downloads_one(report) -> None:
    """As the docs set it up: every year's PDF built first, then the site, then RTD's one PDF."""
    report.write("index.md", report.read("index.md") + "\n```{news-reports}\n```\n")
    report.edit(
        "conf.py",
        "newsnode_reports = {",
        'newsnode_reports = {2020: {"title": "Node report 2020"}, ',
    )
    # pre_build: every report, as `sphinx-build -M latexpdf docs docs/_build` leaves them.
    app = report.build("latex")
    assert sorted(p.name for p in Path(app.outdir).glob("node-report-*.tex")) == [
        "node-report-2020.tex", TEX
    ]  # fmt: skip
    pdfs = report.path("_build/latex")
    pdfs.mkdir(parents=True, exist_ok=True)
    for name in ("node-report-2020.pdf", "node-report-2021.pdf"):  # what latexmk makes
        (pdfs / name).write_bytes(b"%PDF-1.5\n" + b"0" * 1_500_000)
    # The site ships them, next to their pages, linked from the pages and the news index.
    app = report.build()
    assert Path(app.outdir, "reports", "node-report-2021.pdf").read_bytes()[:8] == b"%PDF-1.5"
    year = html(app, "reports/2021").select_one("a.newsnode-report__download")
    assert year["href"] == "node-report-2021.pdf"
    assert year.get_text() == "Download the report (PDF, 1.5 MB)"
    listed = html(app, "index").select("ul.newsnode-reports li")
    assert [li.select_one("a").get_text() for li in listed] == [
        "Node report 2021", "Node report 2020"
    ]  # fmt: skip
    assert listed[1].select_one("a.newsnode-report__download")["href"] == (
        "reports/node-report-2020.pdf"
    )
    # A year whose PDF is gone: its page loses the link, the site the file.
    (pdfs / "node-report-2020.pdf").unlink()
    app = report.build()
    assert not Path(app.outdir, "reports", "node-report-2020.pdf").exists()
    assert not html(app, "reports/2020").select("a.newsnode-report__download")
    assert len(html(app, "index").select("a.newsnode-report__download")) == 1
    # Read the Docs' own PDF build: exactly one document.
    app = report.build("latex", confoverrides={"newsnode_report_download": 2021})
    assert [entry[1] for entry in app.config.latex_documents] == [TEX]


SCRIPTS = {
    "2021-09-01-greek": "Συνάντηση του κόμβου GBIF στην Αθήνα",
    "2021-09-02-viet": "Hội thảo dữ liệu đa dạng sinh học ở Hà Nội",
    "2021-09-03-thai": "การประชุมข้อมูลความหลากหลายทางชีวภาพ",
    "2021-09-04-russian": "Встреча узла GBIF в Москве",
}


# CI installs texlive-luatex and fonts-freefont-otf (.ci/run).
@pytest.mark.skipif(
    not shutil.which("lualatex") and not os.environ.get("CI"), reason="needs texlive-luatex"
)
def test_every_script_prints_with_lualatex(report) -> None:
    for name, title in SCRIPTS.items():
        report.write(f"news/{name}.md", f'---\ntitle: "{title}"\n---\n\n{title}.\n')
    app = report.build("latex", confoverrides={"latex_engine": "lualatex"})
    warnings = [w for w in newsnode_warnings(app) if w.type == "newsnode.pdf"]
    assert [Path(w.location.split(":")[0]).name for w in warnings] == ["2021-05-13-post-13.md"]
    assert "emoji left out" in warnings[0].message  # only the emoji: every script stays
    subprocess.run(
        ["latexmk", "-pdflua", "-interaction=nonstopmode", "-halt-on-error", TEX],
        cwd=app.outdir, check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    pdf = str(Path(app.outdir, TEX).with_suffix(".pdf"))
    flat = " ".join(run("pdftotext", pdf, "-").split())
    for title in [*SCRIPTS.values(), "Ñandú, Şebnem and Иван Петров"]:
        assert title in flat, title
    # Printed with glyphs, not empty boxes: no font lacked a letter but the emoji's.
    log = Path(app.outdir, TEX).with_suffix(".log").read_text(errors="replace")
    missing = re.findall(r"Missing character: There is no (\S+)", log)
    assert missing == [], missing
