"""The way around the news: a post's byline and pager, "more" links, paginated archives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import html, warnings_of

POST = "news/2023-04-22-post-03"


@pytest.fixture
def listing(site):
    return site("listing")


def test_byline_dates_and_links_a_post(listing) -> None:
    listing.edit(f"{POST}.md", "categories: events", "categories: events\nauthor: Ana Silva")
    app = listing.build()
    page = html(app, POST)
    byline = page.select_one("section > p.newsnode-byline")
    assert byline is page.select_one("h1").find_next_sibling()  # right under the title
    time = byline.select_one("time.newsnode-byline__date")
    assert (time["datetime"], time.get_text()) == ("2023-04-22", "22 April 2023")
    assert time.parent["href"] == "../archive/2023.html"
    assert byline.select_one(".newsnode-byline__author").get_text() == "Ana Silva"
    tags = byline.select(".newsnode-byline__tags a")
    assert [(a.get_text(), a["href"], a["rel"]) for a in tags] == [
        ("events", "../archive/tags/events.html", ["tag"]),
        ("data-use", "../archive/tags/data-use.html", ["tag"]),
    ]
    assert byline.select_one(".newsnode-byline__categories a")["href"] == (
        "../archive/categories/events.html"
    )
    for link in byline.select("a"):  # every link leads to a page this build wrote
        assert (Path(app.outdir, "news") / link["href"]).resolve().is_file(), link["href"]
    assert byline.get_text() == (
        "22 April 2023 · Ana Silva · Tags:\xa0events, data-use · Categories:\xa0events"
    )


def test_byline_in_text_and_without_archive(listing) -> None:
    app = listing.build("text")
    text = Path(app.outdir, f"{POST}.txt").read_text()
    assert "22 April 2023 · Tags:\xa0events, data-use · Categories:\xa0events" in text
    app = listing.build(confoverrides={"newsnode_archive_path": ""})
    byline = html(app, POST).select_one("p.newsnode-byline")
    assert byline.select("time")  # the date stays, unlinked: no archive page to lead to
    assert not byline.select("a")


def test_pager_leads_to_the_newer_and_older_post(listing) -> None:
    app = listing.build()
    pager = html(app, POST).select_one("nav.newsnode-pager")
    assert pager["aria-label"] == "More news"
    links = {a["rel"][0]: a for a in pager.select("a")}
    assert links["next"]["href"] == "2023-04-25-post-15.html"  # newer
    assert links["prev"]["href"] == "2023-04-01-post-27.html"  # older
    assert links["next"].select_one(".newsnode-pager__label").get_text() == "Newer post"
    assert links["next"].select_one(".newsnode-pager__title").get_text() == "Post 15 of 2023"
    assert links["prev"].select_one(".newsnode-pager__label").get_text() == "Older post"
    newest = html(app, "news/2023-12-26-post-19").select("nav.newsnode-pager a")
    assert [a["rel"] for a in newest] == [["prev"]]  # the newest has no newer post
    # Posts no listing shows have no place in the order.
    assert not html(app, "news/2021-07-07-not-archived").select("nav.newsnode-pager")


@pytest.mark.parametrize("parallel", [0, 2])
def test_a_new_post_rewrites_its_neighbours_pagers(listing, parallel) -> None:
    listing.build(parallel=parallel)
    listing.write(
        "news/2023-04-23-inserted.md", "---\ntitle: Inserted\ntags: [events]\n---\n\nNew.\n"
    )
    app = listing.build(parallel=parallel)
    newer = html(app, POST).select_one("nav.newsnode-pager a[rel=next]")
    assert newer["href"] == "2023-04-23-inserted.html"
    older = html(app, "news/2023-04-25-post-15").select_one("nav.newsnode-pager a[rel=prev]")
    assert older["href"] == "2023-04-23-inserted.html"


@pytest.mark.parametrize("parallel", [0, 2])
def test_dates_written_before_need_no_locale_data(listing, monkeypatch, parallel) -> None:
    """An edit's rebuild writes the dates the last build wrote without asking
    Babel (whose locale data, 4 MiB, takes some 15 ms to load); another date
    format has them written anew."""
    from sphinx_newsnode.outputs import datetext

    listing.build(parallel=parallel)
    asked: list[str] = []
    format_date = datetext.format_date
    monkeypatch.setattr(
        datetext, "format_date", lambda *a, **k: asked.append(k["language"]) or format_date(*a, **k)
    )
    listing.edit(f"{POST}.md", "title: Post 03 of 2023", "title: Renamed post")
    app = listing.build(parallel=parallel)
    assert "Renamed post" in html(app, "archive/2023").get_text()  # the year page was written
    assert html(app, POST).select_one("p.newsnode-byline time").get_text() == "22 April 2023"
    assert "April 2023" in html(app, "archive/2023").get_text()  # its month's heading
    assert asked == []
    app = listing.build(parallel=parallel, confoverrides={"newsnode_date_format": "%d %b %Y"})
    assert html(app, POST).select_one("p.newsnode-byline time").get_text() == "22 Apr 2023"
    assert asked


def test_drafts_shown_have_a_byline_but_no_pager(listing) -> None:
    app = listing.build(confoverrides={"newsnode_drafts": "show"})
    page = html(app, "news/2021-06-06-hidden-draft")
    assert page.select_one("p.newsnode-byline time")["datetime"] == "2021-06-06"
    assert not page.select("p.newsnode-byline a")  # archive pages do not show drafts' tags
    assert not page.select("nav.newsnode-pager")
    # The draft notice opens the page, before the title and hero.
    section = page.select_one("section")
    assert "newsnode-draft" in section.find_previous_sibling()["class"] or (
        page.select_one(".newsnode-draft").sourceline < page.select_one("h1").sourceline
    )
    published = html(app, "news/2021-06-08-post-01").select("nav.newsnode-pager a")
    assert "hidden-draft" not in str(published)


def test_more_link_when_a_limit_cuts(listing) -> None:
    app = listing.build()
    index = html(app, "index")
    more = index.select("p.newsnode-more a")
    assert [a["href"] for a in more] == ["archive/index.html"]  # Latest: 5 of many
    assert more[0].get_text() == "More in the news archive"
    # "Training in 2021" has no limit: no link; events (one category, limit 3): its page.
    assert html(app, "events").select_one("p.newsnode-more a")["href"] == (
        "archive/categories/events.html"
    )
    listing.edit("events.md", ":limit: 3", ":limit: 300")
    app = listing.build()
    assert not html(app, "events").select("p.newsnode-more")  # rewritten: nothing cut now


def test_more_link_needs_an_archive(listing) -> None:
    app = listing.build(confoverrides={"newsnode_archive_path": ""})
    assert not html(app, "index").select("p.newsnode-more")
    app = listing.build("text")
    assert "More in the news archive" not in Path(app.outdir, "index.txt").read_text()


def page_items(app, pagename: str) -> list[str]:
    return [a.get_text() for a in html(app, pagename).select(".newsnode-list__title")]


@pytest.mark.parametrize("parallel", [0, 2])
def test_archive_pages_are_paginated(listing, parallel) -> None:
    app = listing.build(confoverrides={"newsnode_archive_page_size": 4}, parallel=parallel)
    assert not warnings_of(app)[1:]  # only the undated post's warning
    whole = listing.build(confoverrides={"newsnode_archive_page_size": 0}, parallel=parallel)
    every = page_items(whole, "archive/2021")
    assert len(every) == 9
    app = listing.build(confoverrides={"newsnode_archive_page_size": 4}, parallel=parallel)
    names = ["archive/2021", "archive/2021/2", "archive/2021/3"]
    assert [item for name in names for item in page_items(app, name)] == every
    assert not Path(app.outdir, "archive", "2021", "4.html").exists()
    second = html(app, "archive/2021/2")
    assert second.select_one("h1").get_text().rstrip("#¶ ") == "News of 2021, page 2"
    pages = second.select_one("nav.newsnode-pages")
    assert pages["aria-label"] == "Pages"
    assert pages.select_one("[aria-current=page]").get_text() == "2"
    rels = {a.get_text(): a.get("rel") for a in pages.select("a")}
    assert rels == {"1": ["prev"], "3": ["next"]}
    assert pages.select_one("a[rel=prev]")["href"] == "../2021.html"
    # Breadcrumbs of themes that show them: the archive, then the first page.
    app = listing.build(
        confoverrides={"newsnode_archive_page_size": 4, "html_theme": "classic"}, parallel=parallel
    )
    crumbs = html(app, "archive/2021/2").select("div.related li.nav-item a")
    assert [a.get_text() for a in crumbs][-3:] == [
        "News archive", "News of 2021", "News of 2021, page 2"
    ]  # fmt: skip
    assert crumbs[-3]["href"] == "../index.html"


def test_fewer_pages_leave_no_stale_page(listing) -> None:
    listing.build(confoverrides={"newsnode_archive_page_size": 2})
    outdir = Path(listing.apps[-1].outdir)
    assert (outdir / "archive" / "2021" / "5.html").is_file()
    mine = outdir / "archive" / "2021" / "notes.txt"  # a file the user put there
    mine.write_text("kept")
    app = listing.build(confoverrides={"newsnode_archive_page_size": 4})
    assert sorted(p.name for p in (outdir / "archive" / "2021").iterdir()) == [
        "2.html", "3.html", "notes.txt"
    ]  # fmt: skip
    assert mine.read_text() == "kept"
    app = listing.build(confoverrides={"newsnode_archive_page_size": 0})
    assert sorted(p.name for p in (outdir / "archive" / "2021").iterdir()) == ["notes.txt"]
    assert len(page_items(app, "archive/2021")) == 9


def test_news_site_is_titled_by_its_project(listing) -> None:
    app = listing.build()
    assert html(app, "index").title.get_text() == "Node news — Listing"
    app = listing.build(confoverrides={"html_title": "Listing docs"})
    assert html(app, "index").title.get_text() == "Node news — Listing docs"


def test_a_site_of_posts_gets_a_root_page(site) -> None:
    """The quick start: a conf.py and posts, no root page; the page is written once."""
    quick = site("listing")
    for name in ("index.md", "events.md", "about.md"):
        quick.path(name).unlink()
    quick.write("conf.py", 'extensions = ["sphinx_newsnode"]\n')
    app = quick.build(warningiserror=True)
    root = quick.read("index.md")
    assert root.startswith("# News\n")
    index = html(app, "index")
    assert len(index.select("li.newsnode-list__item")) == 12
    assert index.select_one("p.newsnode-more a")["href"] == "archive/index.html"
    assert re.search(r"wrote .*index\.md", app._status.getvalue())
    quick.write("index.md", "# Our news\n\n```{news-list}\n```\n")
    app = quick.build()
    assert quick.read("index.md").startswith("# Our news")  # the user's from now on
