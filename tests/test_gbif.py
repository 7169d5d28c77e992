"""The node's GBIF figures: ``newsnode stats`` against a loopback API, the report's data section.

The stand-in (``gbif_standin.py``) answers with records of the real API; the
builds run with every network connection refused, to prove they read the
snapshot only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from gbif_standin import GbifStandIn

from sphinx_newsnode.cli import stats as stats_module
from sphinx_newsnode.cli.main import main
from sphinx_newsnode.model.gbif import SnapshotError, figures_of

from conftest import html, newsnode_warnings, touch_later

TEX = "node-report-2021.tex"
DOI = "https://doi.org/10.15468/hr73xc"
"""The newest dataset of 2021 (registered 30 September)."""
LATER_DOI = "https://doi.org/10.15468/example1"
"""Registered in 2022: counted in the totals, never among 2021's newest."""


def take(srcdir: Path, api: GbifStandIn, year: int, *extra: str) -> int:
    return main(["stats", str(year), "--api", api.url, "-s", str(srcdir), *extra])


@pytest.fixture
def offline(monkeypatch):
    """Refuse every network connection (loopback included) while a build runs."""
    attempts: list[object] = []

    def refuse(self, address, *args):
        attempts.append(address)
        raise OSError(f"no network in a build: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


@pytest.fixture
def gbif(site):
    """The gbif root with snapshots of 2020 (totals at 80 %) and 2021 taken from the stand-in."""
    project = site("gbif")
    with GbifStandIn(page_size=1) as api:  # registry lists come a page at a time
        api.scale = 0.8
        assert take(project.srcdir, api, 2020) == 0
        api.scale = 1.0
        assert take(project.srcdir, api, 2021) == 0
        project.requests = list(api.requests)
    return project


def test_stats_writes_a_snapshot_with_every_query(site, capsys) -> None:
    project = site("gbif")
    with GbifStandIn(page_size=1) as api:
        before = dt.datetime.now(dt.UTC).replace(microsecond=0)
        assert take(project.srcdir, api, 2021) == 0
        sent = list(api.requests)
    out, err = capsys.readouterr()
    path = project.path("_data/gbif/2021.json")
    assert out.startswith("wrote ")
    assert out.strip().endswith("_data/gbif/2021.json")
    snapshot = json.loads(path.read_text(encoding="utf-8"))
    assert snapshot["format"] == 1
    assert snapshot["year"] == 2021
    assert snapshot["node"] == {"country": "ZA"}
    assert snapshot["api"] == api.url
    assert before <= dt.datetime.fromisoformat(snapshot["retrieved"]) <= dt.datetime.now(dt.UTC)
    # Every request sent is in the snapshot, with the answer used, in order.
    assert [q["url"].removeprefix(api.url[:-4]) for q in snapshot["queries"]] == sent
    names = [q["name"] for q in snapshot["queries"]]
    for name in ("records", "records_by_dataset", "records_of_year", "literature",
                 "records_about", "downloads", "publishers", "datasets"):  # fmt: skip
        assert name in names
    assert names.count("publishers") == 2  # two organisations of ZA, a page each
    datasets = [r for q in snapshot["queries"] if q["name"] == "datasets"
                for r in q["answer"]["results"]]  # fmt: skip
    assert {d["doi"] for d in datasets} >= {"10.15468/hr73xc", "10.15468/example1"}
    assert set(datasets[0]) == {"key", "title", "doi", "created", "type",
                                "publishingOrganizationKey"}  # fmt: skip
    # One progress line per query.
    progress = [line for line in err.splitlines() if re.match(r"\[\d+\] http", line)]
    assert len(progress) == len(sent)
    # The snapshot is the report's figures.
    figures = figures_of(snapshot)
    assert (figures.records, figures.records_about, figures.records_of_year) == (
        1_500_000, 3_200_000, 120_000)  # fmt: skip
    assert (figures.datasets, figures.datasets_of_year, figures.publishers) == (4, 2, 2)
    assert figures.papers_of_year == 42
    assert figures.downloads_of_year == sum(100 + m for m in range(1, 13))
    assert figures.kingdoms[0] == ("Animalia", 900_000)
    assert [d.url for d in figures.newest] == [DOI, "https://doi.org/10.3897/bdj.12.e129214"]
    assert figures.growth == ((2020, 1, 500_000), (2021, 3, 1_400_000))


def test_report_page_shows_the_figures_and_never_asks_the_network(gbif, offline) -> None:
    app = gbif.build("html")
    assert offline == [], "a build opened a network connection"
    assert newsnode_warnings(app) == []
    page = html(app, "reports/2021")
    section = page.select_one("section#newsnode-data-2021")
    assert section.find(["h2", "h3"]).get_text(strip=True).startswith("Data mobilisation in 2021")
    assert "South Africa" in section.p.get_text()
    rows = {
        tr.find("td").get_text(strip=True): [
            td.get_text(" ", strip=True) for td in tr.find_all("td")[1:]
        ]
        for tr in section.select("table.newsnode-data__figures tbody tr")
    }
    head = [th.get_text(strip=True) for th in section.select("table thead th")]
    assert head == ["Figure", "2021", "2020", "Change"]
    assert rows["Occurrence records published (total)"] == [
        "1,500,000", "1,200,000", "+300,000\xa0(+25.0\xa0%)"]  # fmt: skip
    assert rows["Records about South Africa, from any publisher (total)"][0] == "3,200,000"
    assert rows["Datasets registered in 2021"] == ["2", "1", "+1\xa0(+100.0\xa0%)"]
    assert rows["Peer-reviewed papers using GBIF data, 2021"] == ["42", "35", "+7\xa0(+20.0\xa0%)"]
    assert rows["Downloads by users in South Africa, 2021"][0] == "1,278"
    # Two charts, as SVG in the page: text in the page's colour, no identifier twice.
    charts = section.select("figure.newsnode-data__chart")
    assert len(charts) == 2
    for chart in charts:
        svg = chart.select_one("div.newsnode-data__svg[role=img] svg")
        assert svg is not None
        assert svg.get("viewbox")
        assert not svg.get("width")
        assert "currentColor" in str(svg)
        assert "#010203" not in str(svg)
        assert "Source: GBIF API" in chart.figcaption.get_text()
    assert "Animalia" in charts[0].get_text()
    assert "900,000" in charts[0].get_text()
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids)), "an identifier is used twice"
    # The newest datasets of the year, with their DOIs; not the one of 2022.
    links = [a["href"] for a in section.select("ul.newsnode-data__datasets a")]
    assert links == [DOI, "https://doi.org/10.3897/bdj.12.e129214"]
    assert LATER_DOI not in str(section)
    assert "snapshot of 3 December" in section.get_text() or re.search(
        r"snapshot of \d+ \w+ \d{4}", section.get_text()
    )


def tools_available() -> bool:
    return all(shutil.which(tool) for tool in ("latexmk", "pdftotext", "pdfimages", "pdffonts"))


@pytest.mark.skipif(
    not tools_available() and not os.environ.get("CI"),
    reason="needs latexmk and poppler-utils (Debian: latexmk texlive-latex-extra poppler-utils)",
)
def test_report_pdf_shows_the_figures_with_vector_charts(gbif, offline) -> None:
    app = gbif.build("latex")
    assert offline == []
    out = Path(app.outdir)
    tex = (out / TEX).read_text(encoding="utf-8")
    assert "Data mobilisation in 2021" in tex
    # After the glance, before the posts.
    assert tex.index("The year at a glance") < tex.index("Data mobilisation") < tex.index(
        "Bioblitz at Kirstenbosch")  # fmt: skip
    for chart in ("kingdoms", "growth"):
        assert f"{{newsnode-gbif-2021-{chart}}}.pdf" in tex
        assert (out / f"newsnode-gbif-2021-{chart}.pdf").read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", TEX],
        cwd=out, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = out / "node-report-2021.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "Data mobilisation in 2021" in text
    assert re.search(r"Occurrence records published \(total\)\s+1,500,000\s+1,200,000", text)
    assert "Animalia" in text
    assert "Plantae" in text
    assert "Records" in text
    assert "Datasets" in text
    assert DOI in text
    assert LATER_DOI not in text
    assert text.count("Source: GBIF API") >= 3  # the table and each chart
    # Vector charts: no picture in the PDF at all (the root has no hero images).
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()  # fmt: skip
    assert len(images) == 2, images  # the header lines only


def test_a_build_with_the_api_stopped_still_shows_the_figures(gbif) -> None:
    """The stand-in is gone (its port closed): the snapshot is all a build needs."""
    app = gbif.build("html")
    assert "1,500,000" in html(app, "reports/2021").select_one("#newsnode-data-2021").get_text()


def test_no_snapshot_is_one_warning_and_a_report_without_the_section(site) -> None:
    project = site("gbif")
    app = project.build("html")
    warnings = newsnode_warnings(app)
    assert len(warnings) == 1
    assert warnings[0].type == "newsnode.gbif"
    assert warnings[0].location.endswith("reports/2021.md:9")
    assert "newsnode stats 2021" in warnings[0].message
    assert html(app, "reports/2021").select_one("#newsnode-data-2021") is None
    # The snapshot arrives: the next incremental build shows it.
    with GbifStandIn() as api:
        assert take(project.srcdir, api, 2021) == 0
    app = project.build("html")
    assert newsnode_warnings(app) == []
    section = html(app, "reports/2021").select_one("#newsnode-data-2021")
    assert section is not None
    # No snapshot of 2020: the figures without a comparison.
    assert [th.get_text() for th in section.select("thead th")] == ["Figure", "2021"]


def test_a_changed_snapshot_rewrites_the_report(gbif) -> None:
    gbif.build("html")
    path = gbif.path("_data/gbif/2021.json")
    snapshot = json.loads(path.read_text(encoding="utf-8"))
    next(q for q in snapshot["queries"] if q["name"] == "literature")["answer"]["count"] = 57
    path.write_text(json.dumps(snapshot), encoding="utf-8")
    touch_later(path)
    app = gbif.build("html")
    rows = html(app, "reports/2021").select("#newsnode-data-2021 tbody tr")
    papers = next(r for r in rows if "Peer-reviewed" in r.get_text())
    assert "57" in papers.get_text()
    assert "+22" in papers.get_text()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('{"format": 1, "year": 2021,\n "queries": [}', "is not valid JSON: Expecting value"),
        ('{"format": 1, "year": 2021, "node": {}, "queries": []}', "has no answer to the query"),
        ("[1, 2]", "is not a snapshot of format 1"),
        (b"\xff\xfe{", "is not UTF-8 text"),
    ],
)
def test_a_broken_snapshot_is_one_located_warning(site, content, says) -> None:
    project = site("gbif")
    path = project.path("_data/gbif/2021.json")
    path.parent.mkdir(parents=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    app = project.build("html")
    warnings = newsnode_warnings(app)
    line = 2 if "valid JSON" in says else 1
    assert [(w.type, Path(w.location).name) for w in warnings] == [
        ("newsnode.gbif", f"2021.json:{line}")
    ]
    assert says in warnings[0].message
    assert "newsnode stats 2021" in warnings[0].message
    assert "Traceback" not in app.warning.getvalue()
    assert html(app, "reports/2021").select_one("#newsnode-data-2021") is None


def test_a_snapshot_of_another_year_is_refused(gbif) -> None:
    shutil.copy(gbif.path("_data/gbif/2021.json"), gbif.path("_data/gbif/2020.json"))
    app = gbif.build("html")
    warnings = newsnode_warnings(app)
    assert [w.message for w in warnings] == ["2020.json holds the figures of 2021, not 2020"]
    head = html(app, "reports/2021").select("#newsnode-data-2021 thead th")
    assert len(head) == 2


@pytest.mark.parametrize(
    ("mode", "says"),
    [
        ("error", "HTTP 500 after 3 attempts"),
        ("html", "did not answer with JSON"),
        ("nonsense", "answered something else than expected: 'count' is not a int"),
    ],
)
def test_a_failed_run_leaves_the_snapshot_untouched(gbif, monkeypatch, capsys, mode, says) -> None:
    monkeypatch.setattr(stats_module, "BACKOFF", 0.0)
    path = gbif.path("_data/gbif/2021.json")
    before = path.read_bytes()
    with GbifStandIn() as api:
        api.mode = mode
        assert take(gbif.srcdir, api, 2021) == 2
        if mode == "error":
            assert len(api.requests) == 3  # retried
    err = capsys.readouterr().err
    assert says in err
    assert "the snapshot was not changed" in err
    assert "Traceback" not in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["2020.json", "2021.json"]


def test_an_unreachable_api_is_one_clear_error(gbif, monkeypatch, capsys) -> None:
    monkeypatch.setattr(stats_module, "BACKOFF", 0.0)
    with GbifStandIn() as api:
        url = api.url
    before = gbif.path("_data/gbif/2021.json").read_bytes()
    assert main(["stats", "2021", "--api", url, "-s", str(gbif.srcdir), "--timeout", "2"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("newsnode stats: error: ")
    assert "no answer (ConnectionError) after 3 attempts" in err[-1]
    assert gbif.path("_data/gbif/2021.json").read_bytes() == before


def test_a_timeout_is_retried_then_reported(site, monkeypatch, capsys) -> None:
    monkeypatch.setattr(stats_module, "BACKOFF", 0.0)
    project = site("gbif")
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        port = silent.getsockname()[1]
        url = f"http://127.0.0.1:{port}/v1/"
        assert main(["stats", "2021", "--api", url, "-s", str(project.srcdir),
                     "--timeout", "0.3"]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "no answer (ReadTimeout) after 3 attempts" in err
    assert err.count("trying again") == 2
    assert not project.path("_data/gbif").exists()


def test_a_node_key_and_an_organisation(site) -> None:
    project = site("gbif")
    with GbifStandIn() as api:
        project.edit("conf.py", '{"country": "ZA"}', f'{{"node": "{api.country_node}"}}')
        assert take(project.srcdir, api, 2021) == 0
        snapshot = json.loads(project.read("_data/gbif/2021.json"))
        assert snapshot["node"] == {"country": "ZA"}
        assert snapshot["queries"][0]["name"] == "node"
        organisation = api.organizations[1]
        project.edit("conf.py", f'{{"node": "{api.country_node}"}}',
                     f'{{"organization": "{organisation["key"]}"}}')  # fmt: skip
        assert take(project.srcdir, api, 2021) == 0
    snapshot = json.loads(project.read("_data/gbif/2021.json"))
    assert snapshot["node"] == {"organization": organisation["key"]}
    figures = figures_of(snapshot)
    assert figures.records_about is None
    assert figures.downloads_of_year is None
    assert figures.datasets == 2
    assert figures.records == 300_000
    app = project.build("html")
    section = html(app, "reports/2021").select_one("#newsnode-data-2021")
    assert organisation["title"] in section.p.get_text()
    assert "from any publisher" not in section.get_text()


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ("{}", 'names the node by one of "country"'),
        ('{"country": "South Africa"}', "is not a two-letter ISO country code"),
        ('{"organization": "sanbi"}', "is not a GBIF key"),
    ],
)
def test_a_badly_named_node_is_an_error(site, capsys, setting, says) -> None:
    project = site("gbif")
    project.edit("conf.py", '{"country": "ZA"}', setting)
    assert main(["stats", "2021", "-s", str(project.srcdir)]) == 2
    assert says in capsys.readouterr().err


def test_outside_a_project(tmp_path, capsys) -> None:
    assert main(["stats", "2021", "-s", str(tmp_path)]) == 2
    assert "is not a Sphinx project (no conf.py)" in capsys.readouterr().err


def test_the_section_speaks_the_report_language(gbif) -> None:
    app = gbif.build("html", confoverrides={"language": "fr"})
    section = html(app, "reports/2021").select_one("#newsnode-data-2021")
    text = section.get_text(" ")
    assert "Mobilisation des données en 2021" in text
    assert "Afrique du Sud" in text
    assert "1\u202f500\u202f000" in text or "1\xa0500\xa0000" in text


def test_figures_refuse_what_is_not_a_snapshot() -> None:
    with pytest.raises(SnapshotError, match="has no year"):
        figures_of({"format": 1})


def test_same_section_with_two_processes_and_on_every_build(gbif) -> None:
    """-j 2 and a second fresh build write the same bytes: charts and table are reproducible."""
    first = str(html(gbif.build("html"), "reports/2021").select_one("#newsnode-data-2021"))
    again = gbif.build("html", parallel=2, freshenv=True)
    assert str(html(again, "reports/2021").select_one("#newsnode-data-2021")) == first
