"""Call-to-action buttons: targets of every kind, in HTML, LaTeX and text."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import html, newsnode_warnings

CALL = "news/2022-03-01-call"


@pytest.fixture
def built(site):
    return site("cta").build()


def buttons(app, page):
    return {c.get_text(strip=True): c for c in html(app, page).select(".newsnode-cta")}


def test_targets_resolve_by_kind(built) -> None:
    found = buttons(built, CALL)
    download = found["Download the call"].find("a")
    assert "download" in download["class"]
    target = Path(built.outdir, CALL).parent / download["href"].replace("%20", " ")
    assert target.resolve().is_file()
    assert target.name == "SANBI-GBIF_ 2022 YRA CAll.pdf"
    assert found["Contact page"].find("a")["href"] == "../about/contact.html"
    assert found["Email us"].find("a")["href"] == "mailto:node%40example.org"
    assert found["Section"].find("a")["href"] == "#details"
    assert found["Old page"].find("a") is None


def test_primary_secondary_new_tab_and_classes(built) -> None:
    found = buttons(built, CALL)
    assert "newsnode-cta--primary" in found["Download the call"]["class"]
    assert "newsnode-cta--secondary" in found["Contact page"]["class"]
    elsewhere = found["Elsewhere"]
    assert {"big", "wide"} <= set(elsewhere["class"])
    link = elsewhere.find("a")
    assert link["target"] == "_blank"
    assert link["rel"] == ["noopener"]
    # Every linked button is an <a href>: focusable and clickable by keyboard.
    assert all(c.find("a").has_attr("href") for t, c in found.items() if t != "Old page")


def test_missing_site_page_is_warned_with_location(built) -> None:
    (warning,) = newsnode_warnings(built)
    assert warning.type == "newsnode.cta"
    assert warning.location.endswith(CALL + ".md:15")
    assert "'/about/'" in warning.message


def test_directive_buttons(built) -> None:
    found = buttons(built, "index")
    register = found["Register now"]
    assert "newsnode-cta--primary" in register["class"]
    assert register.find("a")["href"] == "https://example.org/register"
    assert register.find("a")["target"] == "_blank"
    assert found["Contact us"].find("a")["href"] == "about/contact.html"


def test_buttons_without_hero_sit_under_the_title(built) -> None:
    section = html(built, "news/2022-04-01-no-hero").select_one("section.newsnode-post")
    children = [c for c in section.children if getattr(c, "name", None)]
    assert children[0].name == "h1"
    assert children[1]["class"] == ["newsnode-byline"]  # the date, under the title
    assert "newsnode-pretitle" in children[2]["class"]
    assert children[3]["class"] == ["newsnode-lead"]
    assert children[3].find("em").get_text() == "buttons"
    assert "newsnode-cta-group" in children[4]["class"]
    assert "newsnode-post--hero" not in section["class"]


def test_latex_prints_urls_and_links_documents(site) -> None:
    app = site("cta").build("latex")
    tex = next(Path(app.outdir).glob("*.tex")).read_text()
    assert (
        r"\sphinxhref{https://example.org/elsewhere}{\sphinxstylestrong{Elsewhere}}"
        r"\footnote{\sphinxnolinkurl{https://example.org/elsewhere}}"
    ) in tex
    assert r"\sphinxhref{mailto:node@example.org}{\sphinxstylestrong{Email us}}" in tex
    assert r"\footnote{\sphinxnolinkurl{node@example.org}}" in tex
    # An internal button: where it leads in the PDF, and on which page.
    assert (
        r"\hyperref[\detokenize{about/contact::doc}]{\sphinxstylestrong{Contact us}} "
        r"(see p. \pageref{\detokenize{about/contact::doc}})"
    ) in tex
    assert r"\sphinxhref{https://example.org/register}{\sphinxstylestrong{Register now}}" in tex
    assert r" \quad\textbar\quad{} " in tex  # buttons set apart


def test_text_shows_text_and_url(site) -> None:
    app = site("cta").build("text")
    text = " ".join(Path(app.outdir, CALL + ".txt").read_text().split())
    assert "Elsewhere <https://example.org/elsewhere>" in text
    assert "Email us <node@example.org>" in text
    assert "Old page" in text
