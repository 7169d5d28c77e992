"""Atom and RSS feeds, read back with feedparser and checked against the formats' rules."""

from __future__ import annotations

import datetime as dt
import email.utils
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from sphinx.util.console import strip_colors

from conftest import html, newsnode_warnings

BASE = "https://news.example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def listing(site):
    return site("listing")


def test_site_feeds(listing) -> None:
    app = listing.build()
    for fmt in ("atom", "rss"):
        feed = feedparser.parse(Path(app.outdir, "feeds", f"{fmt}.xml").read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert feed.version == ("atom10" if fmt == "atom" else "rss20")
        assert len(feed.entries) == 20  # newsnode_feed_length
        first = feed.entries[0]
        assert first.title == "Post 19 of 2023"
        assert first.link == BASE + "news/2023-12-26-post-19.html"
        assert first.summary == "Summary of post 19."
        assert [t.term for t in first.tags] == ["events"]
        # Midnight in newsnode_timezone (Africa/Johannesburg), zone included.
        published = first.published
        assert published in ("2023-12-26T00:00:00+02:00", "Tue, 26 Dec 2023 00:00:00 +0200")
        links = [e.link for e in feed.entries]
        assert all(link.startswith(BASE) for link in links)
        assert len(set(links)) == len(links)
        titles = " ".join(e.title for e in feed.entries)
        for hidden in ("Hidden draft", "Future post", "Not archived", "Undated note"):
            assert hidden not in titles


def test_images_are_absolute_enclosures(listing) -> None:
    app = listing.build()
    rss = feedparser.parse(Path(app.outdir, "feeds", "rss.xml").read_bytes())
    post_07 = next(e for e in rss.entries if e.title == "Post 07 of 2023")
    (enclosure,) = post_07.enclosures
    assert enclosure.href == BASE + "_images/thumb.png"
    assert enclosure.type == "image/png"
    assert int(enclosure.length) == Path(listing.srcdir, "assets", "thumb.png").stat().st_size
    atom = feedparser.parse(Path(app.outdir, "feeds", "atom.xml").read_bytes())
    post_07 = next(e for e in atom.entries if e.title == "Post 07 of 2023")
    assert post_07.media_content[0]["url"] == BASE + "_images/thumb.png"
    assert [(e.href, e.type) for e in post_07.enclosures] == [(enclosure.href, "image/png")]
    assert post_07.link == BASE + "news/2023-12-23-post-07.html"  # the page, not the image


def test_atom_rules(listing) -> None:
    """RFC 4287: ids, titles and updated times; one alternate link per entry."""
    app = listing.build()
    root = ET.parse(Path(app.outdir, "feeds", "atom.xml")).getroot()
    for element in (root, *root.findall(f"{ATOM}entry")):
        assert element.findtext(f"{ATOM}id")
        assert element.findtext(f"{ATOM}title")
        dt.datetime.fromisoformat(element.findtext(f"{ATOM}updated"))
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == BASE + "feeds/atom.xml"
    ids = [e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")]
    assert len(set(ids)) == len(ids)
    for entry in root.findall(f"{ATOM}entry"):
        alternates = [
            link
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        assert len(alternates) == 1


def test_rss_rules(listing) -> None:
    """RSS 2.0: channel title, link and description; RFC 822 dates; permalink guids."""
    app = listing.build()
    channel = ET.parse(Path(app.outdir, "feeds", "rss.xml")).getroot().find("channel")
    assert channel.findtext("title") == "Listing"
    assert channel.findtext("link") == BASE
    assert channel.findtext("description")
    email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate"))
    for item in channel.findall("item"):
        assert item.findtext("title")
        date = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
        assert date.utcoffset() == dt.timedelta(hours=2)
        assert item.find("guid").get("isPermaLink") == "true"
        assert item.findtext("guid") == item.findtext("link")


def test_tag_feeds(listing) -> None:
    app = listing.build()
    tags = Path(app.outdir, "feeds", "tags")
    assert sorted(p.name for p in tags.iterdir()) == [
        "data-use",
        "events",
        "publishing",
        "training",
    ]
    training = feedparser.parse((tags / "training" / "atom.xml").read_bytes())
    assert len(training.entries) == 12  # dated training posts; not the draft, future or excluded
    assert all("training" in [t.term for t in e.tags] for e in training.entries)
    assert feedparser.parse((tags / "training" / "rss.xml").read_bytes()).version == "rss20"


def test_reproducible_with_source_date_epoch(listing, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    app = listing.build()
    feed = feedparser.parse(Path(app.outdir, "feeds", "atom.xml").read_bytes())
    assert feed.feed.updated == "2023-11-14T22:13:20+00:00"
    first = Path(app.outdir, "feeds", "rss.xml").read_bytes()
    again = listing.build(freshenv=True)
    assert Path(again.outdir, "feeds", "rss.xml").read_bytes() == first


def test_feed_links_in_every_page_head(listing) -> None:
    app = listing.build()
    for page in ("index", "about", "news/2020-01-01-post-00", "archive/index"):
        links = html(app, page).find_all("link", rel="alternate")
        assert {(link["type"], link["href"]) for link in links} == {
            ("application/atom+xml", BASE + "feeds/atom.xml"),
            ("application/rss+xml", BASE + "feeds/rss.xml"),
        }, page


def test_no_base_url_no_feed_and_a_note(listing) -> None:
    """A site that never asked for feeds builds warning-free without them, and is told why."""
    app = listing.build(confoverrides={"html_baseurl": ""})
    assert [w for w in newsnode_warnings(app) if w.type == "newsnode.feed"] == []
    assert "newsnode: no feeds, and no absolute URLs in social metadata" in strip_colors(
        app.status.getvalue()
    )
    assert not Path(app.outdir, "feeds").exists()
    assert html(app, "index").find("link", rel="alternate") is None


def test_feeds_asked_for_without_base_url_one_warning(listing) -> None:
    conf = listing.read("conf.py").replace("html_baseurl", "# html_baseurl")
    listing.write("conf.py", conf + 'newsnode_feed_path = "news-feeds"\n')
    app = listing.build()
    feed_warnings = [w for w in newsnode_warnings(app) if w.type == "newsnode.feed"]
    assert len(feed_warnings) == 1
    assert "asks for feeds, but html_baseurl is not set" in feed_warnings[0].message
    assert feed_warnings[0].location.endswith(f"conf.py:{len(conf.splitlines()) + 1}")
    assert not Path(app.outdir, "news-feeds").exists()


def test_feeds_off(listing) -> None:
    app = listing.build(confoverrides={"newsnode_feed_path": "", "html_baseurl": ""})
    assert [w for w in newsnode_warnings(app) if w.type == "newsnode.feed"] == []
    assert not Path(app.outdir, "feeds").exists()


def test_a_build_that_read_nothing_makes_no_feed(listing, monkeypatch) -> None:
    """Feeds are made again only when a post was read or the settings changed,
    and a feed gone from the output is written again."""
    from sphinx_newsnode.outputs import feeds

    listing.build()
    made = []
    make = feeds.build_feed
    monkeypatch.setattr(feeds, "build_feed", lambda *args: made.append(args) or make(*args))
    app = listing.build()
    assert made == []
    atom = Path(app.outdir, "feeds", "atom.xml")
    atom.unlink()
    listing.build()
    assert made
    assert feedparser.parse(atom.read_bytes()).entries
    made.clear()
    listing.build(confoverrides={"html_baseurl": "https://other.example.org/"})
    assert made
    assert "https://other.example.org/news/" in atom.read_text(encoding="utf-8")
    listing.edit("news/2023-12-23-post-07.md", "title: Post 07 of 2023", "title: Renamed")
    listing.build(confoverrides={"html_baseurl": "https://other.example.org/"})
    assert "Renamed" in atom.read_text(encoding="utf-8")
