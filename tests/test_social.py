"""Open Graph, Twitter card and JSON-LD of post pages, alone and beside sphinxext-opengraph."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import FIXTURE_POST, html

POST = "_posts/2021-11-07-biodiversity-digitization"
BASE = "https://node.example.org/"


@pytest.fixture
def published(site):
    root = site("fixture")
    root.edit(FIXTURE_POST, "published: false", "published: true")
    return root


def head_tags(page) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for meta in page.head.find_all("meta"):
        key = meta.get("property") or meta.get("name")
        if key:
            tags.setdefault(key, []).append(meta.get("content"))
    return tags


def json_ld(page) -> list[dict]:
    return [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]


def test_open_graph_and_twitter(published) -> None:
    page = html(published.build(), POST)
    tags = head_tags(page)
    assert tags["og:title"] == ["Biodiversity Digitization Conference"]
    assert tags["og:type"] == ["article"]
    assert tags["og:description"] == [
        "SANBI-GBIF Participates at the Biodiversity Digitization Conference"
    ]
    assert tags["og:url"] == [BASE + POST + ".html"]
    assert tags["og:image"] == [BASE + "_images/FB_IMG_1640620986129.jpg"]
    assert tags["og:image:alt"] == ["Biodiversity Digitization Conference"]
    assert tags["article:published_time"] == ["2021-11-07T00:00:00+02:00"]
    assert tags["twitter:card"] == ["summary_large_image"]
    assert tags["twitter:image"] == tags["og:image"]
    # Each tag once (the theme itself writes "viewport" twice).
    assert {k: v for k, v in tags.items() if len(v) > 1 and k != "viewport"} == {}


def test_json_ld_news_article(published) -> None:
    (article,) = json_ld(html(published.build(), POST))
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == "Biodiversity Digitization Conference"
    assert article["datePublished"] == "2021-11-07T00:00:00+02:00"
    assert article["url"] == BASE + POST + ".html"
    image = article["image"]
    assert image["url"] == BASE + "_images/FB_IMG_1640620986129.jpg"
    assert image["license"] == "https://creativecommons.org/licenses/by-nc/4.0/"
    assert image["creditText"] == (
        "Anthopleura michaelseni Photo by Fatima Parker-Allie iNaturalist (CC BY-NC)"
    )


def test_no_social_metadata_for_drafts_or_pages(site) -> None:
    app = site("fixture").build(confoverrides={"newsnode_drafts": "show"})
    draft = html(app, POST)
    assert json_ld(draft) == []
    assert "og:title" not in head_tags(draft)
    assert json_ld(html(app, "index")) == []


def test_beside_sphinxext_opengraph(published) -> None:
    app = published.build(
        confoverrides={
            "extensions": ["sphinx_newsnode", "sphinxext.opengraph"],
            "ogp_site_url": BASE,
            "ogp_social_cards": {"enable": False},
        }
    )
    page = html(app, POST)
    counts = Counter(
        meta.get("property") or meta.get("name") for meta in page.head.find_all("meta")
    )
    duplicated = {key: n for key, n in counts.items() if key and n > 1 and key != "viewport"}
    assert duplicated == {}
    tags = head_tags(page)
    # sphinxext-opengraph wrote these, with the post's values.
    assert tags["og:type"] == ["article"]
    assert tags["og:image"] == [BASE + "_images/FB_IMG_1640620986129.jpg"]
    assert tags["og:description"] == [
        "SANBI-GBIF Participates at the Biodiversity Digitization Conference"
    ]
    assert tags["og:site_name"] == ["fixture"]
    assert len(json_ld(page)) == 1
