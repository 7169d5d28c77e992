"""The pages as readers see them: five themes in headless Chromium, at 1280 and 375 px.

Each theme builds the ``themes`` root; Playwright drives Debian's Chromium
(no browser download) and the assertions are on the rendered layout: boxes,
computed colours, hit testing and keyboard focus. Screenshots of every page
go to ``screenshots/`` in the test's output folder.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOTS, build_once

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
THEMES = ("alabaster", "furo", "pydata_sphinx_theme", "sphinx_book_theme", "sphinx_rtd_theme")
DARK_MODE = ("furo", "pydata_sphinx_theme", "sphinx_book_theme")
WIDTHS = (1280, 375)
POST = "news/2021-11-07-biodiversity-digitization"
DRAFT = "news/2021-12-01-upcoming-report"
AA = 4.5  # WCAG 2 AA contrast for normal text

playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("the browser tests need Debian's chromium: apt-get install chromium")
    pytest.skip("no chromium here (apt-get install chromium)", allow_module_level=True)

# Helpers run in the page. Boxes are in document coordinates.
HELPERS = """() => {
window.box = (el) => {
  const b = el.getBoundingClientRect();
  return {left: b.left + scrollX, top: b.top + scrollY, right: b.right + scrollX,
          bottom: b.bottom + scrollY, width: b.width, height: b.height};
};
window.colour = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
window.backdrop = (el) => {  // the colour behind el's text: its ancestors' backgrounds
  const layers = [];
  for (let node = el; node; node = node.parentElement) {
    const c = colour(getComputedStyle(node).backgroundColor);
    const alpha = c.length > 3 ? c[3] : 1;
    if (alpha > 0) layers.push([c[0], c[1], c[2], alpha]);
    if (alpha >= 1) break;
  }
  const canvas = colour(getComputedStyle(document.documentElement).backgroundColor);
  let base = [255, 255, 255];
  if (layers.length === 0 || layers[layers.length - 1][3] < 1) {
    const dark = matchMedia('(prefers-color-scheme: dark)').matches
      && getComputedStyle(document.documentElement).colorScheme.includes('dark');
    if (canvas.length && (canvas.length < 4 || canvas[3] > 0)) base = canvas.slice(0, 3);
    else if (dark) base = [18, 18, 18];
  }
  for (const [r, g, b, a] of layers.reverse()) {
    base = [r * a + base[0] * (1 - a), g * a + base[1] * (1 - a), b * a + base[2] * (1 - a)];
  }
  return base;
};
window.ink = (el) => colour(getComputedStyle(el).color).slice(0, 3);
window.hits = (el) => {
  el.scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});
  const b = el.getClientRects()[0];  // a link that wraps: its first line
  const found = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
  return el.contains(found);
};
}"""


def luminance(rgb: list[float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: list[float], second: list[float]) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def over(layer: list[float], alpha: float, base: list[float]) -> list[float]:
    return [layer[i] * alpha + base[i] * (1 - alpha) for i in range(3)]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """One build of the themes root per theme, made when first asked for."""

    built: dict[str, Path] = {}

    def outdir(theme: str) -> Path:
        if theme not in built:
            srcdir = tmp_path_factory.mktemp(theme) / "site"
            shutil.copytree(ROOTS / "test-themes", srcdir)
            app = build_once("html", srcdir, confoverrides={"html_theme": theme})
            assert "newsnode" not in app.warning.getvalue(), app.warning.getvalue()
            built[theme] = Path(app.outdir)
        return built[theme]

    return outdir


@pytest.fixture
def open_page(browser, sites, tmp_path):
    """Open a built page in a fresh browser page; a screenshot is saved for each."""
    shots = tmp_path / "screenshots"
    shots.mkdir()
    pages = []

    def open_(theme: str, docname: str, width: int, scheme: str = "light"):
        page = browser.new_page(
            viewport={"width": width, "height": 900}, color_scheme=scheme, device_scale_factor=1
        )
        pages.append(page)
        page.goto((sites(theme) / f"{docname}.html").as_uri(), wait_until="load")
        page.evaluate(HELPERS)
        name = re.sub(r"\W+", "-", f"{theme}-{docname}-{width}-{scheme}")
        page.screenshot(path=shots / f"{name}.png", full_page=True)
        return page

    yield open_
    for page in pages:
        page.close()


def assert_no_horizontal_overflow(page, width: int, baseline: int) -> None:
    """Nothing of ours is wider than the window, and the page no wider than the theme's own.

    *baseline* is the scroll width of a page without news in the same theme
    (pydata-sphinx-theme 0.20's header alone is 432 px wide at 375 px).
    """
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= max(width, baseline) + 1, f"{scroll_width} px wide in {width} px"
    ours = page.evaluate(
        """() => [...document.querySelectorAll(
              '.newsnode-post--hero, .newsnode-post--hero *, .newsnode-list, .newsnode-list *,'
              + ' .newsnode-draft, .newsnode-draft *')]
            .filter(e => box(e).right > innerWidth + 0.5 || box(e).left < -0.5)
            .map(e => e.tagName + '.' + e.className)"""
    )
    assert ours == [], ours


@pytest.fixture
def baseline(open_page):
    """The scroll width of the theme's page without news, at a window width."""

    def measure(theme: str, width: int) -> int:
        return open_page(theme, "plain", width).evaluate("document.documentElement.scrollWidth")

    return measure


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", THEMES)
def test_hero_banner(open_page, baseline, theme, width) -> None:
    page = open_page(theme, POST, width)
    hero = page.evaluate(
        """() => {
      const section = document.querySelector('section.newsnode-post--hero');
      const image = section.querySelector('img.newsnode-hero__image');
      const credit = section.querySelector('figcaption.newsnode-hero__credit');
      const title = section.querySelector('h1');
      return {
        image: box(image), loaded: image.complete && image.naturalWidth > 0,
        fit: getComputedStyle(image).objectFit,
        title: box(title), titleInk: ink(title),
        body: box(section.querySelector('.newsnode-hero__body')),
        credit: box(credit), creditText: credit.innerText,
        creditInk: ink(credit), creditBackground: colour(getComputedStyle(credit).backgroundColor),
        clipped: credit.scrollWidth > credit.clientWidth + 1
                 || credit.scrollHeight > credit.clientHeight + 1,
        visible: getComputedStyle(credit).visibility === 'visible'
                 && Number(getComputedStyle(credit).opacity) > 0.9,
      };
    }"""
    )
    image, credit = hero["image"], hero["credit"]
    assert hero["loaded"]
    assert hero["fit"] == "cover"
    assert image["width"] > 0.8 * min(width, 700)
    assert image["height"] > 150
    # The image is the banner: behind the title, the lead and buttons, and the credit.
    for part in ("title", "body", "credit"):
        box = hero[part]
        assert image["top"] <= box["top"] + 1, part
        assert box["bottom"] <= image["bottom"] + 1, part
        assert image["left"] <= box["left"] + 1, part
        assert box["right"] <= image["right"] + 1, part
    assert hero["title"]["bottom"] <= hero["body"]["top"] + 1  # nothing overlaps
    assert hero["body"]["bottom"] <= credit["top"] + 1
    # The credit is whole, visible and readable over any photograph.
    assert "Photo by Fatima Parker-Allie" in hero["creditText"]
    assert "CC BY-NC" in hero["creditText"]
    assert hero["visible"]
    assert not hero["clipped"]
    background = hero["creditBackground"]
    alpha = background[3] if len(background) > 3 else 1
    worst = min(
        contrast(hero["creditInk"], over(background, alpha, photo))
        for photo in ([255, 255, 255], [0, 0, 0])
    )
    assert worst >= AA, f"credit contrast {worst:.2f}"
    assert_no_horizontal_overflow(page, width, baseline(theme, width))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", THEMES)
def test_buttons(open_page, baseline, theme, width) -> None:
    page = open_page(theme, POST, width)
    buttons = page.eval_on_selector_all(
        ".newsnode-cta > a",
        """els => els.map(a => ({
          text: a.innerText.trim(), href: a.getAttribute('href'), hit: hits(a),
          box: box(a), ink: ink(a), background: colour(getComputedStyle(a).backgroundColor),
          borderWidth: parseFloat(getComputedStyle(a).borderTopWidth),
          primary: a.parentElement.classList.contains('newsnode-cta--primary'),
        }))""",
    )
    assert [b["text"] for b in buttons] == ["Conference information", "Contact the node"]
    primary, secondary = buttons
    assert primary["primary"]
    assert not secondary["primary"]
    for button in buttons:
        assert button["hit"], f"{button['text']} is covered by something else"
        assert button["box"]["height"] >= 24  # a target a finger can hit
        assert button["box"]["width"] >= 44
        assert contrast(button["ink"], button["background"][:3]) >= AA, button
    assert primary["background"] != secondary["background"]
    # Keyboard: Tab reaches both buttons, in order, with a visible focus ring.
    reached = []
    for _ in range(250):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const a = document.activeElement;
              return a && a.matches('.newsnode-cta > a')
                ? [a.innerText.trim(), getComputedStyle(a).outlineStyle,
                   parseFloat(getComputedStyle(a).outlineWidth)] : null; }"""
        )
        if focused and focused[0] not in [r[0] for r in reached]:
            reached.append(focused)
        if len(reached) == 2:
            break
    assert [r[0] for r in reached] == ["Conference information", "Contact the node"]
    for _text, style, outline in reached:
        assert style != "none"
        assert outline >= 2
    assert_no_horizontal_overflow(page, width, baseline(theme, width))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", THEMES)
def test_listing_cards(open_page, baseline, theme, width) -> None:
    page = open_page(theme, "index", width)
    cards = page.eval_on_selector_all(
        "ul.newsnode-list--cards > li",
        """els => els.map(li => {
          const img = li.querySelector('img.newsnode-list__thumbnail');
          const date = li.querySelector('.newsnode-list__date');
          return {box: box(li), image: img && box(img),
                  loaded: !!img && img.complete && img.naturalWidth > 0,
                  date: date.innerText, dateContrast: [ink(date), backdrop(date)],
                  title: li.querySelector('.newsnode-list__title').innerText,
                  link: hits(li.querySelector('a'))};
        })""",
    )
    assert [c["title"] for c in cards][:2] == [
        "SANBI-GBIF participates at the Biodiversity Digitization Conference, celebrating a "
        "decade of progress",
        "Data publishing training week",
    ]
    assert len(cards) == 2  # the draft is not listed, even when shown
    for card in cards:
        assert card["loaded"]
        assert card["link"]
        image = card["image"]
        assert card["box"]["left"] - 1 <= image["left"]
        assert image["right"] <= card["box"]["right"] + 1
        assert abs(image["top"] - card["box"]["top"]) <= 1.5  # the picture tops the card
        assert contrast(*card["dateContrast"]) >= AA, card["date"]
    if width == 375:  # one column
        assert cards[0]["box"]["bottom"] <= cards[1]["box"]["top"]
    assert_no_horizontal_overflow(page, width, baseline(theme, width))


@pytest.mark.parametrize("theme", THEMES)
def test_draft_banner(open_page, baseline, theme) -> None:
    page = open_page(theme, DRAFT, 375)
    banner = page.evaluate(
        """() => { const d = document.querySelector('.newsnode-draft');
          const t = d.querySelector('.admonition-title');
          const p = d.querySelector('p:not(.admonition-title)');
          return {box: box(d), text: d.innerText, ink: ink(p), back: backdrop(p),
                  titleInk: ink(t), titleBack: backdrop(t)}; }"""
    )
    assert banner["text"].startswith("Draft")
    assert banner["box"]["top"] < page.evaluate("box(document.querySelector('h1')).bottom") + 400
    assert contrast(banner["ink"], banner["back"]) >= AA
    assert contrast(banner["titleInk"], banner["titleBack"]) >= AA
    robots = page.eval_on_selector("meta[name=robots]", "m => m.content")
    assert robots == "noindex"
    assert_no_horizontal_overflow(page, 375, baseline(theme, 375))


@pytest.mark.parametrize("theme", DARK_MODE)
def test_dark_mode(open_page, theme) -> None:
    page = open_page(theme, "index", 1280, scheme="dark")
    assert luminance(page.evaluate("backdrop(document.querySelector('.newsnode-list'))")) < 0.2
    dates = page.eval_on_selector_all(
        ".newsnode-list__date", "els => els.map(d => [ink(d), backdrop(d)])"
    )
    assert dates
    assert all(contrast(ink, back) >= AA for ink, back in dates)
    post = open_page(theme, POST, 1280, scheme="dark")
    body = post.evaluate(
        "(() => { const p = document.querySelector('section.newsnode-post--hero > p');"
        " return [ink(p), backdrop(p)]; })()"
    )
    assert contrast(*body) >= AA
    for ink, background in post.eval_on_selector_all(
        ".newsnode-cta > a",
        "els => els.map(a => [ink(a), colour(getComputedStyle(a).backgroundColor)])",
    ):
        assert contrast(ink, background[:3]) >= AA
