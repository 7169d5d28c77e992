"""The shipped message catalogues, and a site built in French."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from conftest import html

PACKAGE = Path(__file__).parents[1] / "sphinx_newsnode"
LOCALES = PACKAGE / "locales"
LANGUAGES = ("en", "es", "fr", "nl", "pt")


def catalogue(language: str):
    with (LOCALES / language / "LC_MESSAGES" / "sphinx_newsnode.po").open("rb") as po:
        return read_po(po, locale=language)


def messages_of(catalog) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each message's id and its translated forms, as tuples whatever the catalogue's source."""

    def forms(value) -> tuple[str, ...]:
        return tuple(value) if isinstance(value, (list, tuple)) else (value,)

    return {forms(m.id): forms(m.string) for m in catalog if m.id}


def test_template_has_every_message_of_the_source() -> None:
    in_source = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords={"_": None, "ngettext": (1, 2)}
        )
    }
    with (LOCALES / "sphinx_newsnode.pot").open("rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    assert template == in_source
    assert {"Draft", "Image credits", "News archive", "No news yet."} <= template


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_and_compiled(language) -> None:
    with (LOCALES / "sphinx_newsnode.pot").open("rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    messages = catalogue(language)
    translated = {m.id: m.string for m in messages if m.id}
    assert set(translated) == template
    forms = {k: v if isinstance(v, tuple) else (v,) for k, v in translated.items()}
    assert all(all(f) for f in forms.values()), [k for k, f in forms.items() if not all(f)]
    assert not [m.id for m in messages if m.id and m.fuzzy]
    for message in messages:  # the %-placeholders survive translation, in every form
        if message.id and "python-format" in message.flags:
            source = message.id if isinstance(message.id, tuple) else (message.id,)
            for form in forms[message.id]:
                assert form.count("%") == source[-1].count("%"), message.id
    # The shipped .mo holds exactly the .po's messages; its header (Babel's
    # Generated-By) may come from any Babel version.
    with (LOCALES / language / "LC_MESSAGES" / "sphinx_newsnode.mo").open("rb") as mo:
        shipped = read_mo(mo)
    assert messages_of(shipped) == messages_of(messages), (
        "run: pybabel compile -d sphinx_newsnode/locales"
    )


def test_french_site(site) -> None:
    listing = site("listing")
    app = listing.build(confoverrides={"language": "fr", "newsnode_drafts": "show"})
    index = html(app, "index")
    dates = [d.get_text(strip=True) for d in index.select(".newsnode-list__date")]
    assert "26 décembre 2023" in dates
    draft = html(app, "news/2021-06-06-hidden-draft")
    assert draft.select_one(".newsnode-draft").find(class_="admonition-title").get_text() == (
        "Brouillon"
    )
    assert "Cet article est un brouillon et n’est pas publié." in draft.get_text()
    archive = html(app, "archive/index")
    assert archive.find("h1").get_text().rstrip("¶#") == "Archives des actualités"
    assert [h.get_text().rstrip("¶#") for h in archive.find_all("h2")] == [
        "Années",
        "Mots-clés",
        "Catégories",
    ]
    feed = feedparser.parse(Path(app.outdir, "feeds", "tags", "events", "atom.xml").read_bytes())
    assert feed.feed.title == "Listing – Mot-clé : events"
    assert feed.feed.language == "fr"


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "1 post in 2021", "2 posts in 2021"),
        ("fr", "1 article en 2021", "2 articles en 2021"),
        ("nl", "1 bericht in 2021", "2 berichten in 2021"),
        ("pt-BR", "1 notícia em 2021", "2 notícias em 2021"),  # a region falls back to pt
    ],
)
def test_post_count_is_plural_aware(language, one, two) -> None:
    from sphinx_newsnode.model.selection import ListingSpec
    from sphinx_newsnode.outputs.report import post_count

    spec = ListingSpec(year=2021)
    assert post_count([object()], spec, language) == one  # type: ignore[list-item]
    assert post_count([object(), object()], spec, language) == two  # type: ignore[list-item]


def test_portuguese_report(site) -> None:
    report = site("report")
    app = report.build("latex", confoverrides={"language": "pt"})
    tex = next(Path(app.outdir).glob("node-report-*.tex")).read_text(encoding="utf-8")
    assert "Créditos das imagens" in tex
