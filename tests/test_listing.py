"""news-list, generated archive pages and their incremental rewriting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sphinx.util.console import strip_colors

from conftest import html, warnings_of

NEWEST_2023 = ["post-19", "post-07", "post-31", "post-23", "post-11"]


def titles(page, selector: str) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(f"{selector} .newsnode-list__title")]


def slugs(page, selector: str) -> list[str]:
    return [a["href"].rsplit("/", 1)[-1][11:-5] for a in page.select(f"{selector} a.reference")]


@pytest.fixture
def listing(site):
    return site("listing")


@pytest.mark.parametrize("parallel", [0, 2])
def test_listings_newest_first_with_filters(listing, parallel) -> None:
    app = listing.build(parallel=parallel)
    messages = [w.message for w in warnings_of(app)]
    assert messages == [
        "no 'date:' and no YYYY-MM-DD- file-name prefix; the post is undated"
    ]  # posts outside any toctree raise no "not included" warning
    index = html(app, "index")
    latest, training = index.select("ul.newsnode-list")
    assert slugs(latest, "") == NEWEST_2023
    assert "newsnode-list--cards" in latest["class"]
    assert latest.select_one(".newsnode-list__description").get_text() == "Summary of post 19."
    # Training posts of 2021 only, newest first, no draft, no future, no excluded post.
    assert slugs(training, "") == ["post-33", "post-21", "post-09", "post-25", "post-13",
                                   "post-01", "post-29", "post-17", "post-05"]  # fmt: skip
    text = index.get_text()
    for hidden in ("Hidden draft", "Future post", "Not archived"):
        assert hidden not in text
    events = html(app, "events")
    assert slugs(events.select_one("ul.newsnode-list"), "") == ["post-19", "post-07", "post-31"]


def test_dates_and_thumbnails(listing) -> None:
    app = listing.build()
    first, second = html(app, "index").select("ul.newsnode-list--cards li")[:2]
    assert first.select_one(".newsnode-list__date").get_text(strip=True) == "26 December 2023"
    assert first.find("img") is None  # post 19 has no image
    thumb = second.find("img", class_="newsnode-list__thumbnail")
    assert thumb["src"] == "_images/thumb.png"  # thumbnail: wins over background
    assert Path(app.outdir, "_images", "thumb.png").is_file()


def test_dates_in_the_project_language(listing) -> None:
    app = listing.build(confoverrides={"language": "fr"})
    date = html(app, "index").select_one(".newsnode-list__date").get_text(strip=True)
    assert date == "26 décembre 2023"


def test_undated_posts_come_last(listing) -> None:
    listing.write("all.md", "# All\n\n```{news-list}\n```\n")
    app = listing.build()
    items = html(app, "all").select("li.newsnode-list__item")
    assert len(items) == 37  # 36 dated posts and the undated note
    assert items[-1].get_text(strip=True) == "Undated note"
    assert items[-1].select_one(".newsnode-list__date") is None


@pytest.mark.parametrize("parallel", [0, 2])
def test_show_mode_lists_drafts_marked_for_reviewers(listing, parallel) -> None:
    """Previews list the drafts, each marked; feeds never hold one; exclude mode forgets them."""
    listing.write("news/2021-06-20-only-draft.md", "---\ntitle: Lonely draft\npublished: false\n"
                  "tags: [draft-only]\n---\n\nUnder review.\n")  # fmt: skip
    app = listing.build(confoverrides={"newsnode_drafts": "show"}, parallel=parallel)
    assert Path(app.outdir, "news", "2021-06-06-hidden-draft.html").exists()
    for page in ("index", "archive/2021", "archive/tags/training"):
        items = {
            item.select_one(".newsnode-list__title").get_text(): item
            for item in html(app, page).select("li.newsnode-list__item")
        }
        for title in ("Hidden draft", "Future post"):
            if page == "archive/2021" and title == "Future post":
                continue  # dated 2999
            draft = items[title]
            assert "newsnode-list__item--draft" in draft["class"], (page, title)
            assert draft.select_one(".newsnode-badge").get_text() == "Draft"
            assert draft.select_one("a.reference")["href"].endswith(".html")
        published = [item for title, item in items.items() if title.startswith("Post")]
        assert published
        assert not any(item.select(".newsnode-badge") for item in published), page
    assert Path(app.outdir, "archive", "tags", "draft-only.html").is_file()
    for feed in Path(app.outdir, "feeds").rglob("*.xml"):
        text = feed.read_text()
        assert "Hidden draft" not in text, feed
        assert "Lonely draft" not in text, feed
    assert not Path(app.outdir, "feeds", "tags", "draft-only").exists()

    # The same output, drafts excluded again: no page lists a draft, its tag page is gone.
    app = listing.build(parallel=parallel)
    for page in ("index", "archive/2021", "archive/tags/training", "archive/index"):
        text = html(app, page).get_text()
        for title in ("Hidden draft", "Future post", "Draft"):
            assert title not in text, page
    assert not Path(app.outdir, "archive", "tags", "draft-only.html").exists()


@pytest.mark.parametrize("builder", ["latex", "text"])
def test_listing_degrades_to_a_list_with_dates(listing, builder) -> None:
    listing.write(
        "index.md", listing.read("index.md").replace(":hidden:", ":hidden:\n:glob:\n\nnews/*")
    )
    app = listing.build(builder)
    if builder == "latex":
        tex = next(Path(app.outdir).glob("*.tex")).read_text()
        assert r"\item {" in tex
        assert "26 December 2023" in tex
        assert r"\hyperref[\detokenize{news/2023-12-26-post-19::doc}]" in tex
        assert r"\sphinxincludegraphics" not in tex.split(r"\chapter")[0]
    else:
        text = Path(app.outdir, "index.txt").read_text()
        assert "* 26 December 2023 Post 19 of 2023" in text


@pytest.mark.parametrize("parallel", [0, 2])
def test_latex_listing_of_posts_in_no_toctree(listing, parallel) -> None:
    """The layout newsnode import writes: a news-list index, the posts in no toctree.

    The LaTeX document holds no page of the posts: their titles are text, not links.
    """
    app = listing.build("latex", parallel=parallel)
    tex = next(Path(app.outdir).glob("*.tex")).read_text()
    assert "Post 19 of 2023" in tex
    assert "news/2023-12-26-post-19" not in tex


def test_archive_pages(listing) -> None:
    app = listing.build()
    outdir = Path(app.outdir)
    assert sorted(p.name for p in (outdir / "archive").glob("*.html")) == [
        "2020.html", "2021.html", "2022.html", "2023.html", "index.html",
    ]  # fmt: skip
    assert sorted(p.name for p in (outdir / "archive" / "tags").glob("*.html")) == [
        "data-use.html", "events.html", "publishing.html", "training.html",
    ]  # fmt: skip
    year = html(app, "archive/2021")
    assert year.find("h1").get_text(strip=True).removesuffix("¶") == "News of 2021"
    assert len(year.select("li.newsnode-list__item")) == 9
    assert year.select_one("a.reference")["href"].startswith("../news/2021-")

    # A real page of the theme: the same stylesheets and sidebar as any page.
    def stylesheets(page):
        return [link["href"] for link in page.find_all("link", rel="stylesheet")]

    assert stylesheets(year) == stylesheets(html(app, "news/2021-10-16-post-33"))
    assert year.select_one("div.sphinxsidebar")
    tag = html(app, "archive/tags/training")
    # 12 dated posts and the undated note; the draft, the future and the excluded post are out.
    assert len(tag.select("li.newsnode-list__item")) == 13
    index = html(app, "archive/index")
    counts = [li.get_text(" ", strip=True) for li in index.select("ul.newsnode-archive li")]
    assert counts[:4] == ["2023 (9)", "2022 (9)", "2021 (9)", "2020 (9)"]
    assert "training (13)" in counts
    assert "events (18)" in counts


def test_archive_pages_in_dirhtml(listing) -> None:
    app = listing.build("dirhtml")
    page = Path(app.outdir, "archive", "2021", "index.html")
    assert page.is_file()
    link = html(app, "archive/2021/index").select_one("a.reference")["href"]
    assert link.startswith("../../news/2021-")
    assert link.endswith("/")


def written(app) -> set[str]:
    status = strip_colors(app.status.getvalue())
    return set(re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", status))


def test_a_rebuild_without_changes_writes_nothing(listing, monkeypatch) -> None:
    from sphinx_newsnode.outputs import listing as tracker

    listing.build()
    made = []
    make = tracker.pages_shown
    monkeypatch.setattr(tracker, "pages_shown", lambda env: made.append(env) or make(env))
    app = listing.build()  # a new application: the last build's view comes from the pickle
    assert written(app) == set()
    assert made == []  # nothing was read: what pages show is not made again


def test_body_edit_rewrites_that_post_only(listing) -> None:
    listing.build()
    listing.edit("news/2023-12-23-post-07.md", "Body of post 07.", "New body.")
    app = listing.build()
    assert written(app) == {"news/2023-12-23-post-07"}


def test_title_edit_rewrites_the_listings_that_show_it(listing) -> None:
    listing.build()
    listing.edit("news/2023-12-23-post-07.md", "title: Post 07 of 2023", "title: Renamed")
    app = listing.build()
    # Its page, the listings that show it, and its neighbours, whose pagers name it.
    neighbours = {"news/2023-12-26-post-19", "news/2023-12-02-post-31"}
    assert written(app) == {"news/2023-12-23-post-07", "index", "events", *neighbours}
    assert "Renamed" in html(app, "news/2023-12-26-post-19").select_one("nav.newsnode-pager").text
    assert "Renamed" in html(app, "index").get_text()
    assert "Renamed" in html(app, "archive/2023").get_text()


def test_tag_edit_rewrites_the_listings_that_show_it(listing) -> None:
    listing.build()
    # Post 33 leaves the "training" tag: only the 2021 training listing changes.
    listing.edit("news/2021-10-16-post-33.md", "tags: [training, publishing]", "tags: [publishing]")
    app = listing.build()
    assert written(app) == {"news/2021-10-16-post-33", "index"}
    assert "Post 33" not in html(app, "index").select("ul.newsnode-list")[1].get_text()


def test_archive_pages_stand_when_nothing_changed(listing) -> None:
    first = listing.build()
    page = Path(first.outdir, "archive", "2021.html")
    before = page.stat().st_mtime_ns
    listing.build()
    assert page.stat().st_mtime_ns == before
    pages = {p: p.stat().st_mtime_ns for p in Path(first.outdir, "archive").rglob("*.html")}
    listing.edit("news/2021-10-16-post-33.md", "title: Post 33 of 2021", "title: Renamed 33")
    third = listing.build()
    assert "Renamed 33" in html(third, "archive/2021").get_text()
    # Only the pages that list the post are written again: its year's, tags' and category's.
    out = Path(third.outdir)
    rewritten = {
        p.relative_to(out).as_posix() for p, t in pages.items() if p.stat().st_mtime_ns != t
    }
    assert rewritten == {
        "archive/2021.html",
        "archive/tags/training.html",
        "archive/tags/publishing.html",
        "archive/categories/events.html",
    }
    for name in rewritten - {"archive/2021.html"}:
        assert "Renamed 33" in Path(third.outdir, name).read_text(encoding="utf-8")


def test_archive_pages_are_not_worked_out_again_when_nothing_was_read(listing, monkeypatch) -> None:
    from sphinx_newsnode.outputs import archive

    first = listing.build()
    made = []
    pages = archive.language_pages
    monkeypatch.setattr(
        archive, "language_pages", lambda *args: made.append(args[2]) or pages(*args)
    )
    listing.build()
    assert made == []  # nothing read, every page stands: nothing selected again
    gone = Path(first.outdir, "archive", "tags", "training.html")
    gone.unlink()
    listing.build()
    assert made == ["en"]  # one page gone: worked out again, and written back
    assert "Post 33" in gone.read_text(encoding="utf-8")


def test_archive_pages_follow_edits_in_parallel_builds(listing) -> None:
    listing.build(parallel=2)
    listing.edit("news/2021-10-16-post-33.md", "title: Post 33 of 2021", "title: Parallel 33")
    app = listing.build(parallel=2)
    assert "Parallel 33" in html(app, "archive/2021").get_text()
    assert "Parallel 33" in html(app, "archive/tags/training").get_text()


def test_slugs_are_short_and_shared_by_names_differing_in_case() -> None:
    from sphinx_newsnode.model.selection import MAX_SLUG, ListingSpec, slug

    assert slug("IPT") == slug("ipt") == "ipt"
    assert slug("data use") == slug("data/use") == slug("Data-Use") == "data-use"
    long_a, long_b = "t" * 300, "t" * 299 + "u"
    assert len(slug(long_a)) <= MAX_SLUG + 9
    assert slug(long_a) != slug(long_b)
    assert len(slug("é" * 300).encode()) < 200
    spec = ListingSpec(tags=("ipt",))
    assert spec.tags
    assert slug(spec.tags[0]) == slug("IPT")


def test_summaries_are_bounded_at_a_word() -> None:
    from sphinx_newsnode.reading.page import MAX_SUMMARY, shortened

    text = "word " * 1000
    short = shortened(text)
    assert len(short) <= MAX_SUMMARY
    assert short.endswith("word…")
    assert shortened("  a   few words ") == "a few words"


def test_a_reading_worker_sends_back_only_the_records_it_read() -> None:
    """With -j N, a forked reader's environment travels back pickled: not its inherited records."""
    import os
    import pickle

    from sphinx_newsnode.model.domain import Records

    records = Records({"news/old": "read by an earlier chunk"})
    records["news/main"] = "read by the main process"
    assert pickle.loads(pickle.dumps(records)) == records  # the main process keeps them all
    read, write = os.pipe()
    if (child := os.fork()) == 0:  # a reading worker, as Sphinx forks it
        records["news/mine"] = "read by the worker"
        os.write(write, pickle.dumps(records))
        os._exit(0)
    os.waitpid(child, 0)
    assert pickle.loads(os.read(read, 65536)) == {"news/mine": "read by the worker"}
