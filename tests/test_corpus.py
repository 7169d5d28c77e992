"""The hostile-input corpus (tests/corpus/bad): one build, every case checked."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import CORPUS, build_once, corpus_site, unsafe_html, warnings_of

CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text())


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory):
    results = {}
    for parallel in (0, 2):
        srcdir = corpus_site(tmp_path_factory.mktemp(f"corpus-{parallel}"))
        results[parallel] = build_once("html", srcdir, parallel=parallel)
    return results


def test_corpus_is_large_and_distinct() -> None:
    assert len(CASES) >= 40
    assert len({case["case"] for case in CASES.values()}) == len(CASES)
    assert {p.name for p in CORPUS.glob("*.md") if p.name != "README.md"} == set(CASES)


@pytest.mark.parametrize("parallel", [0, 2])
@pytest.mark.parametrize("name", sorted(CASES))
def test_case(corpus_build, parallel, name) -> None:
    app = corpus_build[parallel]
    expected = CASES[name]
    at_file = [w for w in warnings_of(app) if Path(w.location.split(":")[0]).name == name]
    assert sorted({w.type for w in at_file}) == expected["warnings"], at_file
    for warning in at_file:  # located: the file and, for front matter, the line
        assert warning.location.split(":")[0].endswith(f"news/{name}")
    page = Path(app.outdir, "news", name.removesuffix(".md") + ".html")
    assert page.exists() == expected["published"], expected["case"]
    if page.exists():
        assert unsafe_html(page.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("parallel", [0, 2])
def test_no_traceback_no_unsafe_output(corpus_build, parallel) -> None:
    app = corpus_build[parallel]
    assert "Traceback" not in app.warning.getvalue()
    for page in Path(app.outdir).rglob("*.html"):
        assert unsafe_html(page.read_text(encoding="utf-8")) == [], page
    for feed in Path(app.outdir, "feeds").rglob("*.xml"):
        text = feed.read_text(encoding="utf-8").lower()
        assert "javascript:" not in text
        assert "<script" not in text


def test_show_mode_builds_every_readable_draft(tmp_path, make_app) -> None:
    """Drafts are built in show mode; files MyST cannot read (not UTF-8, front
    matter that does not parse) still are not, so MyST adds no warning of its own."""
    srcdir = corpus_site(tmp_path)
    app = make_app("html", srcdir=srcdir, confoverrides={"newsnode_drafts": "show"})
    app.build()
    assert "Traceback" not in app.warning.getvalue()
    built = {p.stem for p in Path(app.outdir, "news").glob("*.html")}
    unreadable = {
        "2021-01-01-non-utf8",
        "2021-01-01-yaml-unclosed-block",
        "2021-01-01-yaml-tab-indent",
    }
    assert not unreadable & built
    assert {"2021-01-01-published-maybe", "2021-01-01-published-empty", "date-list"} <= built
    assert "myst.topmatter" not in app.warning.getvalue()
