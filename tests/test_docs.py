"""The documentation builds with the extension itself, warning-free (-W)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sphinx.util.console import strip_colors

from sphinx_newsnode.model.post import KNOWN_KEYS
from sphinx_newsnode.outputs.listing import NewsListDirective
from sphinx_newsnode.outputs.report import NewsReportDirective
from sphinx_newsnode.reading.cta import NewsCtaDirective
from sphinx_newsnode.reading.hero import NewsHeroDirective

from conftest import html

DOCS = Path(__file__).parents[1] / "docs"


def test_docs_build_with_warnings_as_errors(tmp_path, make_app) -> None:
    srcdir = tmp_path / "docs"
    shutil.copytree(DOCS, srcdir, ignore=shutil.ignore_patterns("_build"))
    app = make_app("html", srcdir=srcdir, warningiserror=True)
    app.build()
    # warningiserror sets the exit status only: the warnings are checked here.
    assert strip_colors(app.warning.getvalue()).strip() == ""
    news = Path(app.outdir, "news")
    assert sorted(p.stem for p in news.glob("*.html")) == [
        "2021-03-10-ipt-upgrade",
        "2021-06-05-city-nature-challenge",
        "2021-09-22-data-use-workshop",
        "2021-11-07-biodiversity-digitization",
        "2022-03-15-call-for-proposals",
        "2022-06-01-node-training",
        "index",
    ]
    # One story in two languages: linked both ways, listed once, one old address.
    french = "news/fr/2021-06-05-city-nature-challenge"
    assert html(app, french).select_one("nav.newsnode-languages").get_text() == "EnglishFrançais"
    index = html(app, "news/index").select_one("ul.newsnode-list").get_text()
    assert "City Nature Challenge 2021 results" in index
    assert "Résultats du City Nature Challenge 2021" not in index
    old = Path(app.outdir, "events", "2021", "06", "05", "city-nature-challenge.html")
    assert 'url=../../../../news/2021-06-05-city-nature-challenge.html"' in old.read_text()
    assert Path(app.outdir, "feeds", "fr", "atom.xml").is_file()
    reference = html(app, "reference")
    for option in ("newsnode_posts", "newsnode_drafts", "newsnode_site_root"):
        assert reference.find(id=f"confval-{option}"), option
    assert "newsnode.unsafe_url" in reference.get_text()


def test_reference_names_every_front_matter_key_and_option() -> None:
    text = (DOCS / "reference.rst").read_text()
    documented = set(re.findall(r"^   \* - ``([\w-]+)``", text, re.M))
    assert documented >= KNOWN_KEYS - {"image_license"}  # the alias is named in imageLicense
    assert "``image_license``" in text
    for directive in (NewsHeroDirective, NewsCtaDirective, NewsListDirective, NewsReportDirective):
        for option in directive.option_spec:
            assert f".. rst:directive:option:: {option}" in text, option
