"""Hero images: site root, explicit directive, licences, LaTeX and PDF."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURE_POST, html, warnings_of


def test_site_absolute_paths_resolve_against_site_root(site) -> None:
    app = site("siteroot", confdir="docs").build()
    assert warnings_of(app) == []
    page = html(app, "_posts/2022-05-01-assets")
    hero = page.select_one("figure.newsnode-hero img")
    assert hero["src"] == "../_images/hero%20image.png"
    assert hero["alt"] == "A brown field"
    assert Path(app.outdir, "_images", "hero image.png").is_file()
    inline = page.find("img", alt="inline")
    assert inline["src"] == "../_images/inline.png"


def test_explicit_hero_directive(site) -> None:
    app = site("siteroot", confdir="docs").build()
    hero = html(app, "index").select_one("figure.newsnode-hero")
    assert hero.find("img")["alt"] == "A brown rectangle"
    credit = hero.select_one("figcaption")
    assert credit.find("em").get_text() == "Someone"
    deed = credit.find("a", rel="license")
    assert deed["href"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    # Not a post: the banner stays where it was written, no header moved in.
    assert hero.select_one(".newsnode-hero__body") is None


def test_license_deed_versions(site) -> None:
    app = site("siteroot", confdir="docs").build()
    deed = html(app, "_posts/2022-05-01-assets").find("a", rel="license")
    assert deed["href"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert deed.get_text() == "CC BY-SA 4.0"


def test_post_without_title_or_hero_uses_its_file_name(site) -> None:
    root = site("siteroot", confdir="docs")
    root.write(
        "docs/_posts/2022-06-01-field-trip.md", "---\ndate: 2022-06-01\n---\n\nWe went out.\n"
    )
    app = root.build()
    title = html(app, "_posts/2022-06-01-field-trip").find("h1")
    assert title.get_text(strip=True).removesuffix("¶") == "Field trip"
    (warning,) = [w for w in warnings_of(app) if w.type]
    assert warning.type == "newsnode.front_matter"
    assert "no title" in warning.message


def test_html_reshaping_only_in_html(site) -> None:
    app = site("siteroot", confdir="docs").build("latex")
    tex = next(Path(app.outdir).glob("*.tex")).read_text()
    figure = tex[tex.index(r"\begin{figure}[H]") : tex.index(r"\end{figure}")]
    assert r"\sphinxincludegraphics[width=1.000\linewidth]{{hero image}.png}" in figure
    assert (
        r"\caption{Photo by Someone (\sphinxhref"
        r"{https://creativecommons.org/licenses/by-sa/4.0/}{CC BY\sphinxhyphen{}SA 4.0})}" in figure
    )


def latexmk_available() -> bool:
    return shutil.which("latexmk") is not None and shutil.which("pdftotext") is not None


# CI installs TeX Live (.ci/run): there, a missing TeX fails the test instead.
@pytest.mark.skipif(
    not latexmk_available() and not os.environ.get("CI"),
    reason="needs latexmk and pdftotext (Debian: latexmk texlive-latex-extra poppler-utils)",
)
def test_pdf_with_missing_hero_image(site) -> None:
    root = site("fixture")
    root.edit(FIXTURE_POST, "published: false", "published: true")
    root.edit(FIXTURE_POST, "FB_IMG_1640620986129.jpg", "missing.jpg")
    app = root.build("latex")
    subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "fixture.tex"],
        cwd=app.outdir,
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = Path(app.outdir, "fixture.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    assert "Biodiversity Digitization Conference" in flat
    assert "Anthopleura michaelseni Photo by Fatima Parker-Allie" in flat
    assert "https://www.idigbio.org/content/biodiversity-digitization-2021" in flat
