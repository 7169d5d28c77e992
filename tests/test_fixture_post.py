"""The real SANBI-GBIF post (shared/fixtures), unmodified, in every mode."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import FIXTURE_POST, ROOTS, files_containing, html, newsnode_warnings, warnings_of

SLUG = "2021-11-07-biodiversity-digitization"
DOCNAME = "_posts/" + SLUG
# Words of the draft that appear nowhere else in the site.
DRAFT_TRACES = (
    SLUG,
    "Biodiversity Digitization Conference",
    "Anthopleura",
    "Parker-Allie",
    "idigbio",
    "FB_IMG_1640620986129",
    "BiodiversityDigitization",
)
IDIGBIO = "https://www.idigbio.org/content/biodiversity-digitization-2021"


# sha256 of shared/fixtures/2021-11-07-biodiversity-digitization.md, the real post.
REAL_POST_SHA256 = "63bfd864ff99ccf925f4a9ca0a40be77e445c2bf8756ca7b2423c98168caddce"


def test_fixture_bytes_are_the_real_post() -> None:
    copy = ROOTS / "test-fixture" / FIXTURE_POST
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == REAL_POST_SHA256


@pytest.mark.parametrize("parallel", [0, 2])
def test_draft_leaves_no_trace(site, parallel) -> None:
    root = site("fixture")
    app = root.build(parallel=parallel)
    assert files_containing(Path(app.outdir), *DRAFT_TRACES) == []
    assert files_containing(Path(app.doctreedir), *DRAFT_TRACES) == []
    assert not Path(app.outdir, "_images", "FB_IMG_1640620986129.jpg").exists()
    # The published neighbour is built, so the absence above is not an empty site.
    assert Path(app.outdir, "_posts", "2021-09-01-node-welcome.html").exists()
    assert "welcome" in Path(app.outdir, "searchindex.js").read_text()


@pytest.mark.parametrize("builder", ["latex", "text", "dirhtml", "singlehtml", "json", "epub"])
def test_draft_absent_from_every_builder(site, builder) -> None:
    app = site("fixture").build(builder)
    assert files_containing(Path(app.outdir), *DRAFT_TRACES) == []


def test_show_mode_builds_draft_with_banner_and_noindex(site) -> None:
    app = site("fixture").build(confoverrides={"newsnode_drafts": "show"})
    page = html(app, DOCNAME)
    banner = page.select_one("div.newsnode-draft")
    assert banner is not None
    assert "Draft" in banner.get_text()
    robots = page.find_all("meta", attrs={"name": "robots"})
    assert [m["content"] for m in robots] == ["noindex"]
    # The published post is not marked.
    assert (
        html(app, "_posts/2021-09-01-node-welcome").find("meta", attrs={"name": "robots"}) is None
    )


@pytest.fixture
def published(site):
    """The fixture post with ``published: true``, nothing else changed."""
    root = site("fixture")
    root.edit(FIXTURE_POST, "published: false", "published: true")
    return root


@pytest.mark.parametrize("parallel", [0, 2])
def test_published_fixture_html(published, parallel) -> None:
    app = published.build(parallel=parallel)
    assert warnings_of(app) == []
    page = html(app, DOCNAME)
    section = page.select_one("section.newsnode-post")
    assert section.find("h1").get_text(strip=True).removesuffix("¶") == (
        "Biodiversity Digitization Conference"
    )
    assert page.title.get_text().startswith("Biodiversity Digitization Conference")

    hero = section.select_one("figure.newsnode-hero")
    img = hero.find("img")
    assert img["src"] == "../_images/FB_IMG_1640620986129.jpg"
    assert Path(app.outdir, "_images", "FB_IMG_1640620986129.jpg").is_file()

    credit = hero.select_one("figcaption.newsnode-hero__credit")
    assert credit.find("em").get_text() == "Anthopleura michaelseni"
    links = {a.get_text(): a for a in credit.find_all("a")}
    assert links["iNaturalist"]["href"] == "https://www.inaturalist.org/observations/20856021"
    assert links["CC BY-NC"]["href"] == "https://creativecommons.org/licenses/by-nc/4.0/"
    assert links["CC BY-NC"]["rel"] == ["license"]
    assert "Photo by Fatima Parker-Allie" in credit.get_text()

    assert hero.select_one(".newsnode-lead").get_text() == (
        "SANBI-GBIF Participates at the Biodiversity Digitization Conference"
    )
    cta = hero.select_one(".newsnode-cta")
    assert "newsnode-cta--primary" in cta["class"]
    assert cta.find("a")["href"] == IDIGBIO
    assert cta.get_text(strip=True) == "Conference information"

    description = page.find("meta", attrs={"name": "description"})
    assert description["content"] == (
        "SANBI-GBIF Participates at the Biodiversity Digitization Conference"
    )
    assert page.find("meta", attrs={"name": "robots"}) is None
    assert page.select_one("div.newsnode-draft") is None

    inline = section.find("img", alt="Biodiversity Digitization")
    assert inline["src"] == "../_images/BiodiversityDigitization.jpg"
    assert Path(app.outdir, "_images", "BiodiversityDigitization.jpg").is_file()
    assert page.find("link", href=lambda h: h and "sphinx-newsnode.css" in h)
    assert Path(app.outdir, "_static", "sphinx-newsnode.css").is_file()


def test_published_fixture_is_warning_free_with_warningiserror(published) -> None:
    app = published.build(warningiserror=True)
    assert warnings_of(app) == []


def test_published_fixture_latex(published) -> None:
    app = published.build("latex")
    tex = next(Path(app.outdir).glob("*.tex")).read_text()
    assert r"\chapter{Biodiversity Digitization Conference}" in tex
    hero = tex[tex.index(r"\begin{figure}[H]") : tex.index(r"\end{figure}")]
    assert r"\sphinxincludegraphics[width=1.000\linewidth]{{FB_IMG_1640620986129}.jpg}" in hero
    assert r"\caption{\sphinxstyleemphasis{Anthopleura michaelseni} Photo by Fatima" in hero
    assert r"\sphinxhref{https://www.inaturalist.org/observations/20856021}{iNaturalist}" in hero
    assert (
        rf"\sphinxhref{{{IDIGBIO}}}{{\sphinxstylestrong{{Conference information}}}}"
        rf"\footnote{{\sphinxnolinkurl{{{IDIGBIO}}}}}" in tex
    )
    assert not list(Path(app.outdir).rglob("*.css"))


def test_published_fixture_text(published) -> None:
    app = published.build("text")
    text = Path(app.outdir, DOCNAME + ".txt").read_text()
    flat = " ".join(text.split())
    assert "Anthopleura michaelseni Photo by Fatima Parker- Allie" in flat or (
        "Anthopleura michaelseni Photo by Fatima Parker-Allie" in flat
    )
    assert "iNaturalist <https://www.inaturalist.org/observations/20856021>" in flat
    assert "Conference information <" in flat
    assert "idigbio.org/content/biodiversity- digitization-2021>" in flat or IDIGBIO in flat


def test_no_newsnode_warnings_for_the_fixture(site) -> None:
    app = site("fixture").build()
    assert newsnode_warnings(app) == []
