"""Multilingual news: a post's language, its translations, listings, feeds, reports per language.

The root (tests/roots/test-multilingual) is shaped like the multilingual node
sites: English by the project, French by folder (``_posts/fr/``), Dutch by
front matter, Spanish by ``newsnode_languages_by_path`` (Jekyll's defaults),
Brazilian Portuguese by a region folder; one story in four languages, one in
two, one only in French, one only in English, one whose original is French.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import feedparser
import pytest

from sphinx_newsnode.model.languages import (
    folder_language,
    language_name,
    language_of,
    language_tag,
    open_graph_locale,
    parts_of,
    path_language,
)

from conftest import build_once, html, warnings_of

DATA_DAY = {
    "en": "_posts/2024-03-01-data-day",
    "fr": "_posts/fr/2024-03-01-journee-donnees",
    "nl": "_posts/2024-03-02-datadag",
    "pt-BR": "_posts/pt-BR/2024-03-03-dia-dos-dados",
}
LANGUAGES = {
    **{docname: language for language, docname in DATA_DAY.items()},
    "_posts/2024-04-10-workshop": "en",
    "_posts/espanol/2024-04-11-taller": "es",
    "_posts/fr/2024-05-05-seulement-en-francais": "fr",
    "_posts/2024-06-01-english-only": "en",
    "_posts/fr/2024-07-07-atelier": "fr",
    "_posts/2024-07-08-werkplaats": "nl",
}
# What a reader of each language sees listed: each story once, newest first.
LISTED = {
    "en": ["Atelier IPT", "A story told in English only", "Un article en français seulement",
           "Data quality workshop", "Data day 2024"],
    "fr": ["Atelier IPT", "A story told in English only", "Un article en français seulement",
           "Data quality workshop", "Journée des données 2024"],
    "nl": ["IPT-werkplaats", "A story told in English only", "Un article en français seulement",
           "Data quality workshop", "Datadag 2024"],
}  # fmt: skip


@pytest.fixture(scope="module")
def builds(tmp_path_factory, rootdir):
    """The root built fresh with -j 1 and -j 2."""
    result = {}
    for parallel in (0, 2):
        srcdir = tmp_path_factory.mktemp(f"multilingual-{parallel}") / "site"
        shutil.copytree(rootdir / "test-multilingual", srcdir)
        result[parallel] = build_once("html", srcdir, parallel=parallel, freshenv=True)
    return result


def items(page) -> list[str]:
    return [li.select_one(".newsnode-list__title").get_text() for li in page.select("li")]


# -- the pieces ------------------------------------------------------------------


def test_language_rules() -> None:
    assert language_tag("pt_BR") == language_tag("PT-br") == "pt-BR"
    assert language_tag("fr") == "fr"
    assert language_tag("français") is None
    assert folder_language("_posts/fr/2024-01-01-x.md") == "fr"
    assert folder_language("_posts/pt-BR/2024-01-01-x.md") == "pt-BR"
    assert folder_language("_posts/old/2024-01-01-x.md") is None  # not a language
    assert folder_language("events/_posts/2024-01-01-x.md") is None
    by_path = {"_posts/espanol": "es", "_posts": "en"}
    assert path_language("_posts/espanol/a/x.md", by_path) == "es"  # the longest prefix
    assert path_language("_posts/x.md", by_path) == "en"
    assert path_language("news/x.md", by_path) is None
    assert [language_name(t) for t in ("fr", "nl", "pt-BR", "id")] == [
        "Français", "Nederlands", "Português (Brasil)", "Indonesia",
    ]  # fmt: skip
    assert [open_graph_locale(t) for t in ("en", "fr", "pt-BR", "id")] == [
        "en_US", "fr_FR", "pt_BR", "id_ID",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "path", ["_posts/fr/x.md", "_posts//fr/./x.md", "/_posts/fr/", "x.md", "", ".", "a/../b.md"]
)
def test_the_parts_of_a_path_are_pathlibs(path) -> None:
    assert parts_of(path) == tuple(p for p in PurePosixPath(path).parts if p != "/")


def test_a_language_follows_the_configuration_it_was_worked_out_with() -> None:
    """language_of remembers its answers: each configuration keeps its own."""

    class Config:  # like Sphinx's: hashed and weakly referenced by identity
        def __init__(self, language: str, by_path: dict[str, object]) -> None:
            self.language = language
            self.newsnode_languages_by_path = by_path

    def config(language: str, by_path: dict[str, object]) -> Config:
        return Config(language, by_path)

    path = "_posts/espanol/2024-01-01-x.md"
    assert language_of(None, path, config("en", {})) == "en"
    assert language_of(None, path, config("fr", {})) == "fr"
    assert language_of(None, path, config("en", {"_posts/espanol": "es"})) == "es"
    assert language_of("pt_BR", path, config("en", {"_posts/espanol": "es"})) == "pt-BR"
    assert language_of(["nl"], path, config("en", {})) == "en"  # not a tag: the rules go on
    assert language_of(None, path, config("en", {"_posts": 5})) == "en"  # nor is 5


# -- the built site ----------------------------------------------------------------


@pytest.mark.parametrize("parallel", [0, 2])
def test_each_page_says_its_language(builds, parallel) -> None:
    app = builds[parallel]
    assert warnings_of(app) == []
    for docname, language in LANGUAGES.items():
        page = html(app, docname)
        assert page.html["lang"] == language, docname
        assert page.select_one("section.newsnode-post")["lang"] == language
    assert html(app, "fr/index").html["lang"] == "fr"  # a page in a language folder
    assert html(app, "index").html["lang"] == "en"
    assert html(app, "archive/fr/2024").html["lang"] == "fr"


@pytest.mark.parametrize("parallel", [0, 2])
def test_translations_are_linked(builds, parallel) -> None:
    app = builds[parallel]
    for language, docname in DATA_DAY.items():
        page = html(app, docname)
        switcher = page.select_one("nav.newsnode-languages")
        entries = [(li.get_text(), li.find(["a", "span"])["lang"]) for li in switcher.select("li")]
        assert entries == [
            ("English", "en"), ("Français", "fr"), ("Nederlands", "nl"),
            ("Português (Brasil)", "pt-BR"),
        ]  # fmt: skip
        assert switcher.find("span", attrs={"aria-current": "page"})["lang"] == language
        for link in switcher.find_all("a"):
            target = (Path(app.outdir, docname).parent / link["href"]).resolve()
            assert target == Path(app.outdir, DATA_DAY[link["hreflang"]] + ".html").resolve()
        alternates = {
            link["hreflang"]: link["href"]
            for link in page.find_all("link", rel="alternate", hreflang=True)
            if "feeds/" not in link["href"]
        }
        expected = {tag: f"https://node.example.org/{name}.html" for tag, name in DATA_DAY.items()}
        assert alternates == {**expected, "x-default": expected["en"]}
        assert (
            page.find("meta", property="og:locale")["content"]
            == {"en": "en_US", "fr": "fr_FR", "nl": "nl_NL", "pt-BR": "pt_BR"}[language]
        )
        assert len(page.find_all("meta", property="og:locale:alternate")) == 3
        data = json.loads(page.find("script", type="application/ld+json").string)
        assert data["inLanguage"] == language
        if language == "en":  # the original names its translations
            assert {w["inLanguage"] for w in data["workTranslation"]} == {"fr", "nl", "pt-BR"}
        else:
            assert data["translationOfWork"]["url"] == expected["en"]
    assert html(app, "_posts/2024-06-01-english-only").select_one("nav.newsnode-languages") is None
    assert (
        html(app, "_posts/fr/2024-07-07-atelier").select_one("nav.newsnode-languages").get_text()
        == "FrançaisNederlands"
    )


@pytest.mark.parametrize("parallel", [0, 2])
def test_listings_show_each_story_once_in_the_page_language(builds, parallel) -> None:
    app = builds[parallel]
    assert items(html(app, "index").select_one("ul.newsnode-list")) == LISTED["en"]
    french = html(app, "fr/index").select_one("ul.newsnode-list")
    assert items(french) == LISTED["fr"]
    # A story without a French version: its original, marked with its language.
    workshop = french.find(string="Data quality workshop").find_parent("li")
    assert workshop["lang"] == "en"
    assert workshop.select_one(".newsnode-list__date").get_text(strip=True) == "10 April 2024"
    data_day = french.find(string="Journée des données 2024").find_parent("li")
    assert data_day.select_one(".newsnode-list__date").get_text(strip=True) == "1 mars 2024"
    assert "lang" not in data_day.attrs
    every = items(html(app, "every-language").select_one("ul.newsnode-list"))
    assert sorted(every) == sorted(
        html(app, name).find("h1").get_text().rstrip("¶") for name in LANGUAGES
    )


@pytest.mark.parametrize("parallel", [0, 2])
def test_archives_per_language(builds, parallel) -> None:
    app = builds[parallel]
    for language, folder in (("en", "archive"), ("fr", "archive/fr"), ("nl", "archive/nl")):
        year = html(app, f"{folder}/2024")
        assert items(year.select_one("ul.newsnode-list")) == LISTED[language]
    assert html(app, "archive/fr/2024").find("h1").get_text().rstrip("¶") == "Actualités de 2024"
    assert html(app, "archive/nl/2024").find("h1").get_text().rstrip("¶") == "Nieuws van 2024"
    index = html(app, "archive/fr/index")
    assert index.find("h1").get_text().rstrip("¶") == "Archives des actualités"
    assert "2024 (5)" in index.get_text()
    tag = html(app, "archive/fr/tags/événements")
    assert items(tag.select_one("ul.newsnode-list")) == ["Journée des données 2024"]
    assert Path(app.outdir, "archive", "tags", "events.html").is_file()


@pytest.mark.parametrize("parallel", [0, 2])
def test_feeds_per_language(builds, parallel) -> None:
    app = builds[parallel]
    feeds = Path(app.outdir, "feeds")
    everything = feedparser.parse((feeds / "atom.xml").read_bytes())
    assert len(everything.entries) == len(LANGUAGES)  # the site feed, as configured
    for language in ("en", "es", "fr", "nl", "pt-BR"):
        for fmt in ("atom", "rss"):
            feed = feedparser.parse((feeds / language / f"{fmt}.xml").read_bytes())
            assert not feed.bozo, (language, fmt)
            assert feed.feed.language == language
            titles = {entry.title for entry in feed.entries}
            expected = {html(app, d).find("h1").get_text().rstrip("¶")
                        for d, lang in LANGUAGES.items() if lang == language}  # fmt: skip
            assert titles == expected, (language, fmt)
    french = feedparser.parse((feeds / "fr" / "atom.xml").read_bytes())
    assert french.feed.title == "Polyglot node – Français"
    # Each language's pages link its feed, and the site's.
    head = html(app, "fr/index").find("head")
    linked = {link["href"] for link in head.find_all("link", type="application/atom+xml")}
    assert linked == {"https://node.example.org/feeds/atom.xml",
                      "https://node.example.org/feeds/fr/atom.xml"}  # fmt: skip


def test_reports_per_language(builds, tmp_path) -> None:
    app = builds[0]
    french = html(app, "reports/2024-fr")
    assert french.html["lang"] == "fr"
    text = " ".join(french.get_text(" ").split())
    assert "5 articles en 2024" in text
    assert "1 mars 2024 Journée des données 2024" in text
    assert "Data day 2024" not in text  # the story once, in French
    english = " ".join(html(app, "reports/2024").get_text(" ").split())
    assert "5 posts in 2024" in english
    assert "1 March 2024 Data day 2024" in english
    latex = build_once("latex", Path(app.srcdir), builddir=tmp_path / "latex", freshenv=True)
    tex = Path(latex.outdir, "node-report-2024-fr.tex").read_text(encoding="utf-8")
    assert "5 articles en 2024" in tex
    assert "Journée des données 2024" in tex
    assert "Datadag" not in tex
    assert "Dia dos dados" not in tex
    assert "Crédits des images" in tex
    assert "Photo du nœud" in tex
    assert Path(latex.outdir, "node-report-2024.tex").is_file()


@pytest.mark.skipif(
    not (shutil.which("latexmk") and shutil.which("pdftotext")) and not os.environ.get("CI"),
    reason="needs latexmk and pdftotext (CI installs them)",
)
def test_french_report_pdf(builds, tmp_path) -> None:
    app = builds[0]
    latex = build_once("latex", Path(app.srcdir), builddir=tmp_path / "latex", freshenv=True)
    latexmk = ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error"]
    subprocess.run(
        [*latexmk, "node-report-2024-fr.tex"],
        cwd=latex.outdir, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = str(Path(latex.outdir, "node-report-2024-fr.pdf"))
    text = subprocess.run(["pdftotext", pdf, "-"], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip
    flat = " ".join(text.split())
    assert "5 articles en 2024" in flat
    assert "1 mars 2024" in flat
    assert "Crédits des images" in flat
    for title in LISTED["fr"]:
        assert flat.count(title) >= 1, title
    assert "Data day 2024" not in flat
    assert "Datadag" not in flat


# -- incremental builds ------------------------------------------------------------


@pytest.mark.parametrize("parallel", [0, 2])
def test_a_new_translation_rewrites_its_siblings(site, parallel) -> None:
    root = site("multilingual")
    root.build(parallel=parallel)
    root.write(
        "_posts/de/2024-03-04-datentag.md",
        "---\ntitle: Datentag 2024\nlang-ref: data-day\n---\n\nDer Datentag.\n",
    )
    app = root.build(parallel=parallel)
    status = app.status.getvalue()
    assert "1 added, 0 changed, 0 removed" in status
    for docname in DATA_DAY.values():
        switcher = html(app, docname).select_one("nav.newsnode-languages")
        assert "Deutsch" in switcher.get_text(), docname
    assert "Datentag 2024" not in html(app, "index").get_text()  # English readers: Data day
    assert "Datentag 2024" in html(app, "archive/de/2024").get_text()
    # A lang-ref edit: the French post leaves the story; its siblings lose it.
    root.edit(DATA_DAY["fr"] + ".md", "lang-ref: data-day", "lang-ref: journee")
    again = root.build(parallel=parallel)
    assert "Français" not in html(again, DATA_DAY["en"]).select_one("nav").get_text()
    assert html(again, DATA_DAY["fr"]).select_one("nav.newsnode-languages") is None
    assert "Journée des données 2024" in html(again, "index").get_text()  # now its own story
    fresh = site("multilingual")
    fresh.write("_posts/de/2024-03-04-datentag.md", root.read("_posts/de/2024-03-04-datentag.md"))
    fresh.write(DATA_DAY["fr"] + ".md", root.read(DATA_DAY["fr"] + ".md"))
    clean = fresh.build(parallel=parallel)
    for docname in [*LANGUAGES, "index", "fr/index", "archive/2024", "archive/fr/2024"]:
        assert str(html(again, docname).select_one("div.body, main")) == str(
            html(clean, docname).select_one("div.body, main")
        ), docname


def test_the_site_languages_are_not_worked_out_again_when_nothing_was_read(
    site, monkeypatch
) -> None:
    """Every page asks for them (its feed links); a build that read nothing has them kept."""
    from sphinx_newsnode.model import entries

    multilingual = site("multilingual")
    first = multilingual.build()
    asked = []
    language = entries.post_language
    monkeypatch.setattr(entries, "post_language", lambda *a: asked.append(a) or language(*a))
    again = multilingual.build()
    assert asked == []
    assert entries.site_languages(again.env) == entries.site_languages(first.env)
    # The search page is written in every build: it links its language's feeds.
    links = html(again, "search").select('link[rel="alternate"][hreflang]')
    assert {link["hreflang"] for link in links} == {"en"}
