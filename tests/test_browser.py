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
from gbif_standin import GbifStandIn

from sphinx_newsnode.cli.main import main
from sphinx_newsnode.outputs.report_data_charts import BAR, LINE

from conftest import ROOTS, build_once, contrast, luminance

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
THEMES = ("alabaster", "furo", "pydata_sphinx_theme", "sphinx_book_theme", "sphinx_rtd_theme")
DARK_MODE = ("furo", "pydata_sphinx_theme", "sphinx_book_theme")
WIDTHS = (1280, 375)
POST = "news/2021-11-07-biodiversity-digitization"
TRAINING = "news/2021-10-01-training-week"
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
    """One build of a root (``themes``, or ``gbif`` with its snapshots) per theme, when asked."""

    built: dict[tuple[str, str], Path] = {}

    def outdir(theme: str, root: str = "themes") -> Path:
        if (theme, root) not in built:
            srcdir = tmp_path_factory.mktemp(theme) / "site"
            shutil.copytree(ROOTS / f"test-{root}", srcdir)
            if root == "gbif":
                with GbifStandIn() as api:
                    for year in (2020, 2021):
                        assert main(["stats", str(year), "--api", api.url, "-s", str(srcdir)]) == 0
            app = build_once("html", srcdir, confoverrides={"html_theme": theme})
            assert "newsnode" not in app.warning.getvalue(), app.warning.getvalue()
            built[theme, root] = Path(app.outdir)
        return built[theme, root]

    return outdir


@pytest.fixture
def open_page(browser, sites, tmp_path):
    """Open a built page in a fresh browser page; a screenshot is saved for each."""
    shots = tmp_path / "screenshots"
    shots.mkdir()
    pages = []

    def open_(theme: str, docname: str, width: int, scheme: str = "light", root: str = "themes"):
        page = browser.new_page(
            viewport={"width": width, "height": 900}, color_scheme=scheme, device_scale_factor=1
        )
        pages.append(page)
        page.goto((sites(theme, root) / f"{docname}.html").as_uri(), wait_until="load")
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
    assert [c["title"] for c in cards] == [
        "The node’s annual report is in preparation",  # drafts are shown: listed, marked
        "SANBI-GBIF participates at the Biodiversity Digitization Conference, celebrating a "
        "decade of progress",
        "Data publishing training week",  # its French version is the same story
    ]
    badge = page.evaluate(
        "(() => { const b = document.querySelector('ul.newsnode-list--cards .newsnode-badge');"
        " return {text: b.innerText, ink: ink(b), back: backdrop(b), box: box(b),"
        " card: box(b.closest('li'))}; })()"
    )
    assert badge["text"].lower() == "draft"
    assert contrast(badge["ink"], badge["back"]) >= AA
    assert (
        badge["card"]["left"]
        <= badge["box"]["left"]
        <= badge["box"]["right"]
        <= (badge["card"]["right"])
    )
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


def tab_to(page, selector: str, wanted: int) -> list[str]:
    """Press Tab until *wanted* elements matching *selector* had the focus; their texts."""
    reached: list[str] = []
    for _ in range(300):
        page.keyboard.press("Tab")
        text = page.evaluate(
            f"""() => {{ const a = document.activeElement;
              return a && a.matches({selector!r})
                && getComputedStyle(a).outlineStyle !== 'none' ? a.innerText.trim() : null; }}"""
        )
        if text and text not in reached:
            reached.append(text)
        if len(reached) == wanted:
            break
    return reached


def text_contrast(page, selector: str) -> list[float]:
    return [
        contrast(ink, back)
        for ink, back in page.eval_on_selector_all(
            selector, "els => els.map(e => [ink(e), backdrop(e)])"
        )
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", THEMES)
def test_byline(open_page, baseline, theme, width) -> None:
    page = open_page(theme, TRAINING, width)
    byline = page.evaluate(
        """() => { const p = document.querySelector('p.newsnode-byline');
          const hero = document.querySelector('img.newsnode-hero__image');
          return {box: box(p), hero: box(hero), text: p.innerText,
                  links: [...p.querySelectorAll('a')].map(
                    a => ({href: a.href, hit: hits(a)}))}; }"""
    )
    assert byline["text"].replace("\xa0", " ") == (
        "1 October 2021 · Fatima Parker-Allie · Tags: training · Categories: Capacity enhancement"
    )
    assert byline["box"]["top"] >= byline["hero"]["bottom"] - 1  # under the banner, not on it
    assert byline["box"]["left"] >= byline["hero"]["left"] - 1
    assert byline["box"]["right"] <= byline["hero"]["right"] + 1
    hrefs = [link["href"].rsplit("/", 2)[-2:] for link in byline["links"]]
    assert hrefs == [["archive", "2021.html"], ["tags", "training.html"],
                     ["categories", "capacity-enhancement.html"]]  # fmt: skip
    assert all(link["hit"] for link in byline["links"])
    assert min(text_contrast(page, "p.newsnode-byline, p.newsnode-byline a")) >= AA
    assert tab_to(page, "p.newsnode-byline a", 3) == [
        "1 October 2021", "training", "Capacity enhancement"
    ]  # fmt: skip
    assert_no_horizontal_overflow(page, width, baseline(theme, width))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", THEMES)
def test_pager_and_language_switcher(open_page, baseline, theme, width) -> None:
    page = open_page(theme, TRAINING, width)
    pager = page.eval_on_selector_all(
        "nav.newsnode-pager a",
        """els => els.map(a => ({rel: a.rel, text: a.innerText, hit: hits(a), box: box(a),
                                  nav: box(a.parentElement)}))""",
    )
    assert [(link["rel"], link["text"].split("\n")[0]) for link in pager] == [
        ("next", "Newer post")
    ]  # the oldest post: only a newer one (the draft is not in the order)
    for link in pager:
        assert link["hit"]
        assert link["box"]["height"] >= 24
        assert (
            link["nav"]["left"] - 1
            <= link["box"]["left"]
            <= link["box"]["right"]
            <= (link["nav"]["right"] + 1)
        )
    assert min(text_contrast(page, ".newsnode-pager__label, .newsnode-pager__title")) >= AA
    assert tab_to(page, "nav.newsnode-pager a", 1)
    languages = page.evaluate(
        """() => { const n = document.querySelector('nav.newsnode-languages');
          const a = n.querySelector('a');
          return {text: n.innerText, hit: hits(a), lang: a.lang, box: box(n),
                  markers: [...n.querySelectorAll('li')].map(
                    li => getComputedStyle(li).listStyleType)}; }"""
    )
    assert set(languages["markers"]) == {"none"}  # a row of names, not a bulleted list
    assert "Français" in languages["text"]
    assert languages["hit"]
    assert languages["lang"] == "fr"
    assert min(text_contrast(page, "nav.newsnode-languages a, nav.newsnode-languages span")) >= AA
    assert tab_to(page, "nav.newsnode-languages a", 1) == ["Français"]
    older = open_page(theme, POST, width).eval_on_selector_all(
        "nav.newsnode-pager a", "els => els.map(a => [a.rel, a.innerText.split('\\n')[0]])"
    )
    assert older == [["prev", "Older post"]]
    assert_no_horizontal_overflow(page, width, baseline(theme, width))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", THEMES)
def test_archive_page_layout(open_page, baseline, theme, width) -> None:
    page = open_page(theme, "archive/2021", width)
    items = page.eval_on_selector_all(
        "ul.newsnode-list--compact > li",
        """els => els.map(li => {
          const date = li.querySelector('.newsnode-list__date');
          const title = li.querySelector('.newsnode-list__title');
          const lines = [...title.getClientRects()];
          return {date: box(date), title: box(title), first: lines[0].left + scrollX,
                  lefts: lines.map(r => r.left + scrollX), hit: hits(li.querySelector('a')),
                  description: li.querySelector('.newsnode-list__description')
                    && box(li.querySelector('.newsnode-list__description'))};
        })""",
    )
    assert len(items) == 2  # page 1 of 2 (two posts a page)
    for item in items:
        assert item["hit"]
        # Every line of a title starts at the same place, and so does the description.
        assert max(item["lefts"]) - min(item["lefts"]) <= 1, item["lefts"]
        if item["description"]:
            assert abs(item["description"]["left"] - item["first"]) <= 1
        if width == 1280:  # the date in its own column, beside the title
            assert item["date"]["right"] <= item["first"]
            assert abs(item["date"]["top"] - item["title"]["top"]) <= 8
        else:  # on a phone, above it
            assert item["date"]["bottom"] <= item["title"]["top"] + 1
    assert len({round(item["first"]) for item in items}) == 1  # titles aligned
    assert items[0]["title"]["bottom"] <= items[1]["date"]["top"]  # no overlap
    numbers = page.eval_on_selector_all(
        "nav.newsnode-pages > *", "els => els.map(e => [e.innerText, e.tagName, hits(e)])"
    )
    assert numbers == [["1", "SPAN", True], ["2", "A", True]]
    assert min(text_contrast(page, ".newsnode-list__date, nav.newsnode-pages > *")) >= AA
    assert tab_to(page, "nav.newsnode-pages a", 1) == ["2"]
    assert_no_horizontal_overflow(page, width, baseline(theme, width))


@pytest.mark.parametrize("theme", DARK_MODE)
def test_dark_mode_around_posts(open_page, theme) -> None:
    page = open_page(theme, TRAINING, 1280, scheme="dark")
    selectors = (
        "p.newsnode-byline, p.newsnode-byline a, .newsnode-pager__label, .newsnode-pager__title,"
        " nav.newsnode-languages a"
    )
    assert min(text_contrast(page, selectors)) >= AA
    archive = open_page(theme, "archive/2021", 1280, scheme="dark")
    assert min(text_contrast(archive, ".newsnode-list__date, .newsnode-badge")) >= AA


@pytest.mark.parametrize(
    ("theme", "scheme"), [(theme, "dark") for theme in DARK_MODE] + [("alabaster", "light")]
)
@pytest.mark.parametrize("width", WIDTHS)
def test_gbif_charts_read_in_light_and_dark(open_page, theme, scheme, width) -> None:
    """The charts' text takes the page's colour; bars and line stand out from the page."""
    page = open_page(theme, "reports/2021", width, scheme, root="gbif")
    charts = page.locator("#newsnode-data-2021 .newsnode-data__svg svg")
    assert charts.count() == 2
    content = page.locator("#newsnode-data-2021").bounding_box()
    for index in range(2):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert box["width"] > 200, box  # drawn, at a readable size
        assert box["x"] >= content["x"] - 1, (box, content)
        assert box["x"] + box["width"] <= content["x"] + content["width"] + 1, (box, content)
        behind = page.evaluate("(el) => backdrop(el)", chart.element_handle())
        page_ink = page.evaluate("(el) => ink(el)", chart.element_handle())
        fills = chart.evaluate(
            "(svg) => [...svg.querySelectorAll('text')].map("
            "t => colour(getComputedStyle(t).fill).slice(0, 3))"
        )
        assert fills, "the chart has text"
        for fill in fills:
            assert fill == page_ink, (fill, page_ink)
            assert contrast(fill, behind) >= AA, (fill, behind)
        for mark in (BAR, LINE):
            rgb = [int(mark[i : i + 2], 16) for i in (1, 3, 5)]
            assert contrast(rgb, behind) >= 3, (mark, behind)  # WCAG non-text contrast
