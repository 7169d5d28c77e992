"""reStructuredText posts: a docinfo field list instead of YAML front matter."""

from __future__ import annotations

from pathlib import Path

from conftest import files_containing, html, warnings_of


def test_rest_post_reads_like_a_markdown_post(site) -> None:
    app = site("rst").build()
    assert warnings_of(app) == []
    page = html(app, "news/2022-02-02-rest-post")
    section = page.select_one("section.newsnode-post")
    assert section.find("h1").get_text(strip=True).removesuffix("¶") == "A reStructuredText post"
    assert section.find("h2").get_text(strip=True).removesuffix("¶") == "Details"
    assert section.select_one(".newsnode-lead em").get_text() == "reST"
    credit = section.select_one("figcaption.newsnode-hero__credit")
    assert credit.find("em").get_text() == "Species"
    assert credit.find("a", rel="license")["href"] == "https://creativecommons.org/licenses/by/4.0/"
    assert section.select_one(".newsnode-cta--primary a")["href"] == "https://example.org"


def test_rest_draft_is_excluded(site) -> None:
    app = site("rst").build()
    assert not Path(app.outdir, "news", "2022-02-03-rest-draft.html").exists()
    assert files_containing(Path(app.outdir), "rest-draft", "Secret reST") == []
