"""The publication gate: drafts of every kind, fresh, parallel and incremental."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sphinx.util.console import strip_colors

from sphinx_newsnode.model.domain import newsnode_domain

from conftest import Site, files_containing, html, newsnode_warnings, warnings_of

# Distinctive words of each unpublished post.
UNPUBLISHED = {
    "news/2021-03-01-zebra-draft": "Zebra",  # published: false
    "news/2999-01-01-quagga-scheduled": "Quagga",  # dated in the future
    "news/2021-05-01-okapi-broken": "Okapi",  # front matter cannot be read
    "_drafts/pangolin-idea": "Pangolin",  # in a _drafts folder
}
AARDVARK = "news/2021-02-20-aardvark"
ROUTINE = [f"news/2021-0{i}-1{i}-routine-{i}" for i in range(1, 8)]
ARCHIVE = {"archive/index", "archive/2021"}
# Old Jekyll URLs (/YEAR/MONTH/DAY/slug.html) of the published posts only.
REDIRECTS = {
    "/".join([*name.split("/")[1][:10].split("-"), name.split("/")[1][11:]])
    for name in [AARDVARK, *ROUTINE]
}


def built_pages(outdir: Path) -> set[str]:
    return {
        p.relative_to(outdir).with_suffix("").as_posix()
        for p in outdir.rglob("*.html")
        if not p.name.startswith(("genindex", "search"))
    }


@pytest.mark.parametrize("parallel", [0, 2])
def test_unpublished_posts_reach_no_output(site, parallel) -> None:
    app = site("gate").build(parallel=parallel)
    outdir = Path(app.outdir)
    assert built_pages(outdir) == {"index", "links", AARDVARK, *ROUTINE, *ARCHIVE, *REDIRECTS}
    words = [*UNPUBLISHED.values(), *(name.rsplit("/", 1)[1] for name in UNPUBLISHED)]
    # links.md names a draft in its own source; the copy of that source is the
    # author's text (the rendered page is checked in test_link_to_a_draft...).
    hits = files_containing(outdir, *words)
    assert {p.relative_to(outdir).as_posix() for p, _w in hits} == {"_sources/links.md.txt"}
    doctrees = Path(app.doctreedir)
    hits = files_containing(doctrees, *words)
    assert {p.relative_to(doctrees).as_posix() for p, _w in hits} == {"links.doctree"}


def test_held_back_posts_are_reported(site) -> None:
    app = site("gate").build()
    by_type = {(w.type, Path(w.location.rsplit(":", 1)[0]).name) for w in newsnode_warnings(app)}
    assert ("newsnode.front_matter", "2021-05-01-okapi-broken.md") in by_type
    # One warning for one problem: the broken YAML, saying that it holds the post back.
    okapi = [w for w in newsnode_warnings(app) if "okapi-broken" in w.location]
    assert [w.type for w in okapi] == ["newsnode.front_matter"]
    assert okapi[0].location.endswith("2021-05-01-okapi-broken.md:3")
    assert "broken YAML" in okapi[0].message
    assert okapi[0].message.endswith("held back from publication until this is fixed")


def test_link_to_a_draft_is_plain_text(site) -> None:
    app = site("gate").build()
    page = html(app, "links")
    assert not page.find("a", href=lambda h: h and "zebra" in h)
    assert "zebra" not in page.get_text().lower()
    assert "an unpublished post" in page.get_text()
    assert any(
        w.type == "newsnode.draft" and "unpublished post" in w.message
        for w in newsnode_warnings(app)
    )


def test_show_mode_builds_every_draft_with_a_banner(site) -> None:
    app = site("gate").build(confoverrides={"newsnode_drafts": "show"})
    unreadable = "news/2021-05-01-okapi-broken"  # MyST could not read it either: never built
    assert not Path(app.outdir, unreadable + ".html").exists()
    okapi = [w.message for w in newsnode_warnings(app) if "okapi" in w.location]
    assert len(okapi) == 1
    assert okapi[0].startswith("broken YAML")
    assert okapi[0].endswith("held back from publication until this is fixed")
    assert not [w for w in warnings_of(app) if w.type == "myst.topmatter"]
    for docname, word in UNPUBLISHED.items():
        if docname == unreadable:
            continue
        page = html(app, docname)
        assert page.select_one("div.newsnode-draft"), docname
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert word in page.get_text()
    scheduled = html(app, "news/2999-01-01-quagga-scheduled").select_one("div.newsnode-draft")
    assert "scheduled for 2999-01-01" in scheduled.get_text()
    assert html(app, AARDVARK).find("meta", attrs={"name": "robots"}) is None


def test_future_posts_published_with_newsnode_future(site) -> None:
    app = site("gate").build(confoverrides={"newsnode_future": True})
    assert Path(app.outdir, "news/2999-01-01-quagga-scheduled.html").is_file()
    assert not Path(app.outdir, "news/2021-03-01-zebra-draft.html").exists()


def snapshot(outdir: Path) -> dict[str, bytes]:
    skip = (".buildinfo", "searchindex.js")  # build hashes, ordering of the index
    return {
        p.relative_to(outdir).as_posix(): p.read_bytes()
        for p in outdir.rglob("*")
        if p.is_file() and p.name not in skip
    }


@pytest.mark.parametrize("parallel", [0, 2])
def test_flip_to_draft_and_back_incrementally(site, tmp_path, parallel) -> None:
    root = site("gate")
    post = AARDVARK + ".md"
    first = root.build(parallel=parallel)
    outdir = Path(first.outdir)
    assert (outdir / "_images" / "aardvark.png").is_file()
    assert (outdir / "_sources" / post).with_suffix(".md.txt").is_file()

    root.edit(post, "published: true", "published: false")
    second = root.build(parallel=parallel)
    assert AARDVARK not in built_pages(outdir)
    assert files_containing(outdir, "aardvark") == []
    assert files_containing(Path(second.doctreedir), "aardvark") == []
    assert "Aardvark" not in html(second, "index").get_text()

    root.edit(post, "published: false", "published: true")
    third = root.build(parallel=parallel)
    assert AARDVARK in built_pages(outdir)
    assert (outdir / "_images" / "aardvark.png").is_file()

    # The same tree as a fresh build of the same sources.
    fresh = site("gate").build(parallel=parallel)
    assert snapshot(Path(third.outdir)).keys() == snapshot(Path(fresh.outdir)).keys()
    assert html(third, AARDVARK).select_one("section").decode() == (
        html(fresh, AARDVARK).select_one("section").decode()
    )


def test_body_edit_rereads_only_that_post(site) -> None:
    root = site("gate")
    root.build()
    root.edit(ROUTINE[0] + ".md", "Body of routine update 1.", "A new body.")
    app = root.build()
    assert "0 added, 1 changed, 0 removed" in strip_colors(app.status.getvalue())
    assert "A new body." in html(app, ROUTINE[0]).get_text()


def test_stale_page_of_new_draft_removed_on_fresh_env(site) -> None:
    root = site("gate")
    first = root.build()
    root.edit(AARDVARK + ".md", "published: true", "published: false")
    second = root.build(freshenv=True)
    assert not Path(second.outdir, AARDVARK + ".html").exists()
    assert not (Path(first.outdir) / "_sources" / (AARDVARK + ".md.txt")).exists()


PUBLISHED_POSTS = {AARDVARK, *ROUTINE}


@pytest.mark.parametrize("parallel", [0, 2])
def test_post_records_in_the_environment(site, tmp_path, parallel) -> None:
    """Records are merged from parallel readers and purged with their post."""
    root = site("gate")
    app = root.build(parallel=parallel)
    posts = newsnode_domain(app.env).posts
    assert set(posts) == PUBLISHED_POSTS
    assert posts[AARDVARK].title == "Aardvark survey"
    assert posts[AARDVARK].background == "/assets/aardvark.png"

    root.edit(AARDVARK + ".md", "title: Aardvark survey", "title: Aardvark census")
    root.edit(ROUTINE[0] + ".md", "title: Routine", "published: false\ntitle: Routine")
    incremental = newsnode_domain(root.build(parallel=parallel).env).posts
    assert set(incremental) == PUBLISHED_POSTS - {ROUTINE[0]}
    assert incremental[AARDVARK].title == "Aardvark census"

    # The same sources built fresh and serially give the same records.
    copy = Site(tmp_path / "fresh", root.make_app)
    shutil.copytree(root.srcdir, copy.srcdir, ignore=shutil.ignore_patterns("_build"))
    assert newsnode_domain(copy.build().env).posts == incremental


@pytest.mark.parametrize("parallel", [0, 2])
def test_unpublished_posts_stay_out_when_everything_is_read_again(site, parallel) -> None:
    """A changed configuration re-reads every document found, and a message catalog
    is a dependency of every document of its folder: still no unpublished post is
    read, and the environment never names one."""
    root = site("gate")
    catalogs = root.srcdir / "locale" / "fr" / "LC_MESSAGES"
    catalogs.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    (catalogs / "news.po").write_text(header, encoding="utf-8")
    french = {"language": "fr", "locale_dirs": ["locale"]}
    root.build(parallel=parallel, confoverrides=french)
    app = root.build(parallel=parallel, confoverrides={**french, "rst_prolog": "|news|"})
    assert "[config changed ('rst_prolog')]" in strip_colors(app.status.getvalue())
    assert built_pages(Path(app.outdir)) == {
        "index", "links", AARDVARK, *ROUTINE, *ARCHIVE, *REDIRECTS,
    }  # fmt: skip
    words = [*UNPUBLISHED.values(), *(name.rsplit("/", 1)[1] for name in UNPUBLISHED)]
    doctrees = Path(app.doctreedir)
    hits = files_containing(doctrees, *words)
    assert {p.relative_to(doctrees).as_posix() for p, _w in hits} == {"links.doctree"}
    assert not set(UNPUBLISHED) & set(app.env.all_docs)

    # A new draft in an incremental build: an added document, never read.
    root.write(
        "news/2021-08-01-ibis-draft.md", "---\ntitle: Ibis\npublished: false\n---\n\nIbis.\n"
    )
    app = root.build(parallel=parallel, confoverrides={**french, "rst_prolog": "|news|"})
    assert "0 added, 0 changed, 0 removed" in strip_colors(app.status.getvalue())
    assert "news/2021-08-01-ibis-draft" not in app.env.all_docs
    assert files_containing(Path(app.outdir), "ibis") == []
    assert files_containing(doctrees, "ibis") == []
