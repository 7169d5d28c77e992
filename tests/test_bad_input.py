"""Bad front matter: a located, typed warning; never a traceback, never unsafe HTML."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import (
    ROOTS,
    UNSAFE_LINK,
    build_once,
    html,
    newsnode_warnings,
    unsafe_html,
    warnings_of,
)

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp

# file (under news/), warning type, line, message fragment, built?
CASES = [
    ("2021-01-01-broken-yaml", "newsnode.front_matter", 3, "broken YAML", False),
    (
        "2021-01-01-broken-yaml",
        "newsnode.front_matter",
        3,
        "held back from publication until",
        False,
    ),
    ("2021-01-02-cta-not-list", "newsnode.cta", 3, "cta should be a list", True),
    ("2021-01-03-cta-no-href", "newsnode.cta", 4, "has no href", True),
    ("2021-01-04-isprimary-yes", "newsnode.front_matter", 4, "read 'yes' as true", True),
    ("2021-01-05-published-no", "newsnode.front_matter", 3, "read 'no' as false", False),
    ("bad-date", "newsnode.date", 3, "'31/02/2021' is not a valid date", False),
    ("bad-date", "newsnode.date", 3, "publication until this is fixed", False),
    ("2021-01-07-bad-date-with-prefix", "newsnode.date", 3, "is not a valid date", False),
    ("2021-01-08-missing-image", "newsnode.image", 3, "'/assets/nope.jpg' not found", True),
    ("2021-01-09-outside", "newsnode.unsafe_path", 3, "points outside the source tree", True),
    ("2021-01-10-javascript", "newsnode.unsafe_url", 4, "'javascript:alert(1)' removed", True),
    ("2021-01-10-javascript", "newsnode.unsafe_url", 6, "'data:text/html", True),
    ("2021-01-11-script-license", "newsnode.unsafe_markup", 4, "raw HTML '<script>", True),
    ("2021-01-12-no-license", "newsnode.license", 3, "has no imageLicense", True),
    ("2023-01-13-month-thirteen", "newsnode.date", 3, "'2023-13-01' is not a valid", False),
    ("2021-01-14-number-title", "newsnode.front_matter", 2, "read 2021 as text", True),
    ("2021-01-15-bad-class", "newsnode.cta", 4, "are not CSS class names; dropped", True),
    ("2021-01-16-data-background", "newsnode.unsafe_url", 3, "refused (http and https only)", True),
    ("2021-01-17-description-html", "newsnode.unsafe_markup", 3, "raw HTML '<img", True),
]


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, SphinxTestApp]:
    """One build of the bad-input root per builder (and one at -j 2)."""
    results = {}
    for name, builder, parallel in [
        ("html", "html", 0),
        ("html-j2", "html", 2),
        ("latex", "latex", 0),
        ("text", "text", 0),
    ]:
        srcdir = tmp_path_factory.mktemp(name) / "badinput"
        shutil.copytree(ROOTS / "test-badinput", srcdir)
        results[name] = build_once(builder, srcdir, parallel=parallel)
    return results


@pytest.mark.parametrize(("name", "wtype", "line", "fragment", "built"), CASES)
@pytest.mark.parametrize("build", ["html", "html-j2", "latex", "text"])
def test_each_bad_case_warns_once_located(builds, build, name, wtype, line, fragment, built):
    app = builds[build]
    found = [
        w
        for w in newsnode_warnings(app)
        if w.location.endswith(f"news/{name}.md:{line}") and w.type == wtype
    ]
    assert [fragment in w.message for w in found] == [True], newsnode_warnings(app)
    suffix = {"html": ".html", "html-j2": ".html", "text": ".txt"}.get(build)
    if suffix:
        assert Path(app.outdir, "news", name + suffix).exists() == built


@pytest.mark.parametrize("build", ["html", "html-j2", "latex", "text"])
def test_no_traceback_and_no_unsafe_output(builds, build):
    app = builds[build]
    assert "Traceback" not in app.warning.getvalue()
    assert "Exception occurred" not in app.status.getvalue()
    for path in Path(app.outdir).rglob("*"):
        if "_sources" in path.parts or path.suffix not in {".html", ".tex", ".txt"}:
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".html":
            assert unsafe_html(text) == [], path
        else:  # a link target in LaTeX (\\sphinxhref{url}) or text ("text <url>")
            assert not UNSAFE_LINK.search(text), (path, UNSAFE_LINK.search(text))
    # Only newsnode warnings: nothing leaks to MyST or Sphinx as a second report.
    assert {w.type for w in warnings_of(app)} <= {c[1] for c in CASES}


def test_rest_of_each_post_survives(builds):
    app = builds["html"]
    no_href = html(app, "news/2021-01-03-cta-no-href").select(".newsnode-cta")
    assert [c.get_text(strip=True) for c in no_href] == ["Ask us", "Read more"]
    assert no_href[0].find("a") is None
    assert no_href[1].find("a")["href"] == "https://example.org/more"

    primary = html(app, "news/2021-01-04-isprimary-yes").select_one(".newsnode-cta")
    assert "newsnode-cta--primary" in primary["class"]

    missing = html(app, "news/2021-01-08-missing-image").select_one("figure.newsnode-hero")
    assert "newsnode-hero--no-image" in missing["class"]
    assert missing.find("img") is None
    assert "Photo by Nobody" in missing.select_one("figcaption").get_text()
    assert "Body of missing image." in html(app, "news/2021-01-08-missing-image").get_text()

    js = html(app, "news/2021-01-10-javascript").select(".newsnode-cta")
    assert [c.get_text(strip=True) for c in js] == ["Click me", "Data"]
    assert all(c.find("a") is None for c in js)

    credit = html(app, "news/2021-01-11-script-license").select_one("figcaption")
    assert "Photo by" in credit.get_text()
    assert "Someone" in credit.get_text()
    assert credit.find("script") is None
    assert credit.find("b") is None

    bad_class = html(app, "news/2021-01-15-bad-class").select_one(".newsnode-cta")
    assert bad_class["class"] == ["newsnode-cta", "newsnode-cta--secondary", "ok-class"]

    described = html(app, "news/2021-01-17-description-html")
    assert described.find("meta", attrs={"name": "description"})["content"] == "Hello  world"
    assert described.select_one(".newsnode-lead").find("img") is None

    title = html(app, "news/2021-01-14-number-title").find("h1")
    assert title.get_text(strip=True).removesuffix("¶") == "2021"


def test_missing_image_post_in_latex_and_text(builds):
    tex = next(Path(builds["latex"].outdir).glob("*.tex")).read_text()
    start = tex.index(r"\chapter{Missing image}")
    chapter = tex[start : tex.index(r"\chapter", start + 1)]
    assert r"\caption{Photo by Nobody (" in chapter
    assert r"\sphinxincludegraphics" not in chapter
    assert "Body of missing image." in chapter
    text = Path(builds["text"].outdir, "news", "2021-01-08-missing-image.txt").read_text()
    assert "Photo by Nobody (CC BY 4.0" in text
