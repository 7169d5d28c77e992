"""Moving a Jekyll site: its habits rendered, its old URLs answered, `newsnode import`.

The corpus (tests/corpus/jekyll) is a node's Jekyll site written for these
tests: 39 posts in English, French, Spanish and Portuguese, each with its own
mix of Jekyll habits and its expected outcome in cases.yaml. It is imported
with `newsnode import` and built, serially and in parallel, as HTML, text
and the report PDF.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup

from sphinx_newsnode.cli.main import main
from sphinx_newsnode.jekyll.importer import import_site, print_report
from sphinx_newsnode.jekyll.kramdown import attributes, fix_markdown
from sphinx_newsnode.jekyll.liquid import render
from sphinx_newsnode.jekyll.rendering import LiquidContext
from sphinx_newsnode.jekyll.urls import expand, redirect_file
from sphinx_newsnode.model.frontmatter import parse_front_matter
from sphinx_newsnode.model.links import UNLINKED
from sphinx_newsnode.model.parser import parse_post

from conftest import ROOTS, build_once, touch_later, warnings_of

CORPUS = Path(__file__).parent / "corpus" / "jekyll"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
BASE = "https://www.example-node.org/"
PUBLISHED = sorted(name for name, case in CASES.items() if case["published"])
SOURCE_SUFFIX = re.compile(r"\.(md|markdown)$")


def page_of(name: str) -> str:
    return SOURCE_SUFFIX.sub(".html", name)


def normal(text: str) -> str:
    """Text as compared: typographic quotes plain, whitespace single."""
    for curly, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, plain)
    return " ".join(text.split())


def imported_site(parent: Path) -> tuple[Path, str]:
    destination = parent / "site"
    out = io.StringIO()
    print_report(import_site(CORPUS, destination, progress=io.StringIO()), out)
    # A page the node keeps on the new site, which old links name (/about/).
    shutil.copy(CORPUS / "about.md", destination / "about.md")
    with (destination / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("newsnode_reports = {2021: {}, 2022: {}, 2023: {}}\nlatex_documents = []\n")
        conf.write("newsnode_feed_length = 50\n")
    return destination, out.getvalue()


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, str]:
    return imported_site(tmp_path_factory.mktemp("jekyll"))


@pytest.fixture(scope="module")
def builds(imported, tmp_path_factory):
    """The imported site built as HTML with -j 1 and -j 2, and as text."""
    srcdir, _report = imported
    kinds = (("serial", "html", 0), ("parallel", "html", 2), ("text", "text", 0))
    return {
        name: build_once(
            builder,
            srcdir,
            builddir=tmp_path_factory.mktemp(name),
            parallel=parallel,
            freshenv=True,
        )
        for name, builder, parallel in kinds
    }


def soup(app, name: str) -> BeautifulSoup:
    return BeautifulSoup(Path(app.outdir, page_of(name)).read_text(encoding="utf-8"), "html.parser")


# -- newsnode import -------------------------------------------------------------


def test_import_report(imported) -> None:
    srcdir, report = imported
    assert "posts: 39 imported (39 copied, 0 unchanged), 2 of them drafts" in report
    assert "1 missing" in report  # not info@..., www.gbif.org, a relative src in raw HTML
    missing = "missing: _posts/2022-11-02-missing-asset.md:8: /assets/images/field-guide-cover.jpg"
    assert missing in report
    kinds = ["post_url", "post_url (with a warning)", "include", "include (with a warning)"]
    kinds += ["attribute list", "link with spaces", "kramdown comment", "highlight", "raw"]
    kinds += ["for", "assign", "capture", "case", "unless", "include_relative"]
    kinds += ["output (with a warning)", "Markdown in span HTML"]
    for kind in kinds:
        assert re.search(rf"^  {re.escape(kind)}: \d+: \S+:\d+", report, re.MULTILINE), kind
    assert "wrote conf.py" in report
    assert "wrote index.md" in report
    conf = (srcdir / "conf.py").read_text()
    assert "html_baseurl = 'https://www.example-node.org/'" in conf
    assert "newsnode_old_site = 'https://www.example-node.org/'" in conf
    assert "newsnode_languages_by_path = {'_posts/pt': 'pt'}" in conf  # _config.yml defaults
    assert "newsnode_timezone = 'Africa/Johannesburg'" in conf
    assert "'events/_posts/**'" in conf
    # The posts are the site's bytes, and every file they use came along.
    for name in CASES:
        assert (srcdir / name).read_bytes() == (CORPUS / name).read_bytes(), name
    copied = ["assets/images/yra call.png", "assets/docs/call for proposals 2022.pdf",
              "assets/images/herbarium.png", "_data/images.yml", "_data/en/projects.yml",
              "_includes/notebook.html", "_posts/snippets/trainers.md",
              "assets/images/notebook-cover.png", "assets/docs/cleaning.ipynb",
              "assets/images/posts/2023-02-14-swat.png", "assets/images/river.png"]  # fmt: skip
    for asset in copied:
        assert (srcdir / asset).read_bytes() == (CORPUS / asset).read_bytes(), asset


def test_import_again_copies_nothing(tmp_path, capsys) -> None:
    destination = tmp_path / "site"
    assert main(["import", str(CORPUS), str(destination)]) == 0
    first = capsys.readouterr()
    assert "read 39 of 39 posts" in first.err
    (destination / "conf.py").write_text("# the node's own conf.py\n")
    assert main(["import", str(CORPUS), str(destination)]) == 0
    second = capsys.readouterr().out
    assert "posts: 39 imported (0 copied, 39 unchanged)" in second
    assert "assets: 0 copied" in second
    assert "wrote" not in second
    assert (destination / "conf.py").read_text() == "# the node's own conf.py\n"


def test_import_refuses_what_is_not_a_site(tmp_path, capsys) -> None:
    assert main(["import", str(tmp_path), str(tmp_path / "out")]) == 2
    assert "has no _posts or _drafts folder" in capsys.readouterr().err


# -- the built site ----------------------------------------------------------------


@pytest.mark.parametrize("build", ["serial", "parallel"])
def test_builds_with_only_the_expected_warnings(builds, build) -> None:
    app = builds[build]
    assert "Traceback" not in app.warning.getvalue()
    located: dict[str, list[str]] = {name: [] for name in CASES}
    for warning in warnings_of(app):
        path = warning.location.rsplit(":", 1)[0] if warning.location else ""
        name = next((n for n in CASES if path.endswith("/" + n)), None)
        if name is not None:
            located[name].append(warning.type)
        else:
            assert warning.type == "toc.not_included", warning  # about.md is in no toctree
    for name, case in CASES.items():
        if case["published"]:
            assert set(located[name]) == set(case["warnings"]), name
            # One warning per problem, never one per time a loop ran.
            count = case.get("warning_count", len(case["warnings"]))
            assert len(located[name]) == count, (name, located[name])


@pytest.mark.parametrize("build", ["serial", "parallel"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_post(builds, build, name) -> None:
    app, case = builds[build], CASES[name]
    page = Path(app.outdir, page_of(name))
    assert page.exists() == case["published"], case["habits"]
    if not case["published"]:
        return
    html = soup(app, name)
    if title := case.get("title"):
        assert html.find("h1").get_text().rstrip("¶#") == title
    main_text = normal(html.select_one("section.newsnode-post").get_text(" "))
    for text in case["texts"]:
        assert normal(text) in main_text, text
    for text in case.get("absent", []):
        assert text not in main_text
    sources = [unquote(img["src"]) for img in html.select("section.newsnode-post img")]
    for image in case.get("images", []):
        shown = [s for s in sources if s.endswith("/" + image)]
        assert shown, (image, sources)
        assert all(Path(page.parent, s).is_file() for s in shown)
    hrefs = [unquote(a["href"]) for a in html.select("section.newsnode-post a[href]")]
    for link in case.get("links", []):
        assert any(h.endswith(link) for h in hrefs), (link, hrefs)
    for download in case.get("downloads", []):
        linked = [h for h in hrefs if "_downloads/" in h and h.endswith("/" + download)]
        assert linked, (download, hrefs)
        assert Path(page.parent, linked[0]).is_file()
    buttons = [
        (span.get_text(strip=True), "newsnode-cta--primary" in span["class"])
        for span in html.select("span.newsnode-cta")
        if span.find("a")
    ]
    assert buttons == [tuple(b) for b in case.get("buttons", [])]
    if credit := case.get("credit"):
        assert credit in normal(html.select_one("figcaption.newsnode-hero__credit").get_text())
    for classes in case.get("classes", []):
        cls, *ids = classes
        element = html.select_one(f"section.newsnode-post .{cls}")
        assert element is not None, cls
        assert ids == [] or element.get("id") == ids[0]
    for target in case.get("new_tab", []):
        anchor = html.find("a", href=target)
        assert anchor["target"] == "_blank"
        assert "noopener" in anchor["rel"]
    if iframe := case.get("iframe"):
        assert html.find("iframe", src=iframe)
    head = html.find("head")
    for text in case.get("head", []):  # the description, social metadata and JSON-LD
        assert html.find("meta", attrs={"name": "description"})["content"] == text
        assert html.find("meta", property="og:description")["content"] == text
        assert f'"description": "{text}"' in head.find("script", type="application/ld+json").text
    if case.get("head"):
        assert "{{" not in str(head)
    section = html.select_one("section.newsnode-post")
    for text in case.get("bold", []):
        assert text in [strong.get_text() for strong in section.find_all("strong")]
    if headings := case.get("headings"):
        assert [h.get_text().rstrip("¶#") for h in section.select("h2, h3")] == headings
    if rows := case.get("table"):
        body = section.select("table tbody tr")
        assert [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in body] == rows


@pytest.mark.parametrize("build", ["serial", "parallel"])
def test_old_urls_redirect(builds, build) -> None:
    app = builds[build]
    outdir = Path(app.outdir)
    for name, case in CASES.items():
        for url in case["old_urls"]:
            redirect = outdir / redirect_file(url)
            assert redirect.exists() == case["published"], (name, url)
            if not case["published"]:
                continue
            html = BeautifulSoup(redirect.read_text(encoding="utf-8"), "html.parser")
            refresh = html.find("meta", attrs={"http-equiv": "refresh"})["content"]
            target = refresh.split("url=", 1)[1]
            landed = posixpath.normpath(
                posixpath.join(posixpath.dirname(redirect_file(url)), target)
            )
            assert unquote(landed) == page_of(name), url
            assert unquote(html.find("link", rel="canonical")["href"]) == BASE + page_of(name)
            assert html.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_no_draft_anywhere(builds) -> None:
    app = builds["serial"]
    outdir = Path(app.outdir)
    drafts = [n for n, c in CASES.items() if not c["published"]]
    for path in outdir.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".js", ".txt"}:
            text = path.read_text(encoding="utf-8", errors="ignore")
            for name in drafts:
                assert CASES[name]["texts"][0] not in text, (path, name)
    assert not list(outdir.rglob("draft-only.png"))


def test_excerpts_in_feeds(builds) -> None:
    app = builds["serial"]
    feed = feedparser.parse(Path(app.outdir, "feeds", "atom.xml").read_bytes())
    summaries = {entry.link: entry.get("summary", "") for entry in feed.entries}
    for name, case in CASES.items():
        if excerpt := case.get("excerpt"):
            assert summaries[BASE + page_of(name).replace(" ", "%20")] == excerpt, name


def test_last_modified_at(builds) -> None:
    app = builds["serial"]
    name = "_posts/2022-09-12-nomarkdown.md"
    html = soup(app, name)
    modified = html.find("meta", property="article:modified_time")["content"]
    assert modified == "2022-09-20T00:00:00+02:00"
    assert '"dateModified": "2022-09-20T00:00:00+02:00"' in str(html)
    feed = feedparser.parse(Path(app.outdir, "feeds", "atom.xml").read_bytes())
    entry = next(e for e in feed.entries if e.link == BASE + page_of(name))
    assert entry.updated == "2022-09-20T00:00:00+02:00"
    assert entry.published == "2022-09-12T00:00:00+02:00"


def test_text_output_keeps_what_html_embeds(builds) -> None:
    app = builds["text"]
    video = Path(app.outdir, "_posts", "2021-08-09-bioblitz-video.txt").read_text()
    assert "City BioBlitz film: https://www.youtube.com/embed/dQw4w9WgXcQ" in video
    portal = Path(app.outdir, "_posts", "2022-05-10-raw-and-comments.txt").read_text()
    assert "hosted portals page: https://www.gbif.org/hosted-portals" in normal(portal)
    image = Path(app.outdir, "_posts", "2022-06-01-raw-image.txt").read_text()
    assert "Records per province" in image


def test_withdrawn_post_loses_its_redirects(tmp_path, make_app) -> None:
    srcdir, _report = imported_site(tmp_path)
    app = make_app("html", srcdir=srcdir)
    app.build()
    redirect = Path(app.outdir, "2021", "06", "20", "herbarium-digitisation.html")
    assert redirect.is_file()
    post = srcdir / "_posts" / "2021-06-20-herbarium-digitisation.md"
    post.write_text(
        post.read_text().replace("date: 2021-06-20", "date: 2021-06-20\npublished: false")
    )
    touch_later(post)
    again = make_app("html", srcdir=srcdir)
    again.build()
    assert not redirect.exists()
    assert not Path(again.outdir, "_posts", "2021-06-20-herbarium-digitisation.html").exists()


def test_redirects_stand_until_what_they_are_made_of_changes(tmp_path, make_app) -> None:
    srcdir, _report = imported_site(tmp_path)
    first = make_app("html", srcdir=srcdir)
    first.build()
    redirect = Path(first.outdir, "2021", "06", "20", "herbarium-digitisation.html")
    record = Path(first.doctreedir, "newsnode-redirects-html.json")
    before, recorded = redirect.stat().st_mtime_ns, record.stat().st_mtime_ns
    make_app("html", srcdir=srcdir).build()  # nothing changed: nothing written
    assert redirect.stat().st_mtime_ns == before
    assert record.stat().st_mtime_ns == recorded  # nor the record of what was written
    redirect.unlink()  # a redirect gone from the output is written again
    make_app("html", srcdir=srcdir).build()
    assert redirect.is_file()
    post = srcdir / "_posts" / "2021-06-20-herbarium-digitisation.md"
    post.write_text(post.read_text().replace("title: Herbarium", "title: Renamed herbarium", 1))
    touch_later(post)
    make_app("html", srcdir=srcdir).build()  # the title the redirect page shows changed
    assert "Renamed herbarium" in redirect.read_text(encoding="utf-8")


def test_redirects_of_a_build_that_read_nothing(tmp_path, make_app, monkeypatch) -> None:
    """Nothing read: the old URLs are not worked out again. A new html_baseurl
    still rewrites every redirect's canonical link."""
    from sphinx_newsnode.jekyll import redirects

    srcdir, _report = imported_site(tmp_path)
    # Sphinx reads a page whose image is missing again in every build.
    (srcdir / "_posts" / "2022-11-02-missing-asset.md").unlink()
    make_app("html", srcdir=srcdir).build()
    asked = []
    old_urls = redirects.old_urls
    monkeypatch.setattr(redirects, "old_urls", lambda *args: asked.append(args) or old_urls(*args))
    make_app("html", srcdir=srcdir).build()
    assert asked == []
    base = {"html_baseurl": "https://new.example.org/"}
    app = make_app("html", srcdir=srcdir, confoverrides=base)
    app.build()
    assert asked
    redirect = Path(app.outdir, "2021", "06", "20", "herbarium-digitisation.html")
    assert '<link rel="canonical" href="https://new.example.org/' in redirect.read_text()


def test_a_title_edit_rewrites_that_posts_redirect_only(site, monkeypatch) -> None:
    """The other posts' redirects are not even made again (they stand as they were left)."""
    from sphinx_newsnode.jekyll import redirects

    root = site("listing")
    out = Path(root.build().outdir)
    made, asked = [], []
    make, urls = redirects.redirect_page, redirects.old_urls
    monkeypatch.setattr(redirects, "redirect_page", lambda *args: made.append(args) or make(*args))
    monkeypatch.setattr(redirects, "old_urls", lambda post, c: asked.append(post) or urls(post, c))
    events = out / "events" / "2023" / "12"
    edited, other = events / "23" / "post-07.html", events / "26" / "post-19.html"
    standing = other.stat().st_mtime_ns
    root.edit("news/2023-12-23-post-07.md", "title: Post 07 of 2023", "title: Renamed")
    root.build()
    assert "<title>Renamed</title>" in edited.read_text(encoding="utf-8")
    assert other.stat().st_mtime_ns == standing
    assert [post.docname for _app, post, _name in made] == ["news/2023-12-23-post-07"]
    # The old URLs of the posts not read again are not worked out again either.
    assert [post.docname for post in asked] == ["news/2023-12-23-post-07"]
    other.unlink()  # a redirect gone: all are checked, and it is written again
    root.edit("news/2023-12-23-post-07.md", "title: Renamed", "title: Renamed again")
    root.build()
    assert "<title>Renamed again</title>" in edited.read_text(encoding="utf-8")
    assert other.is_file()
    assert len(made) > 10  # every post's, as after any change of the site


# -- the report PDF ----------------------------------------------------------------


def pdf_tools() -> bool:
    return bool(shutil.which("latexmk") and shutil.which("pdftotext"))


@pytest.mark.skipif(
    not pdf_tools() and not os.environ.get("CI"),
    reason="needs latexmk and pdftotext (CI installs them)",
)
def test_report_pdfs_have_every_published_post(imported, tmp_path) -> None:
    """Each year's report PDF: every published post of the year, its credit, its images."""
    srcdir, _report = imported
    app = build_once("latex", srcdir, builddir=tmp_path, freshenv=True)
    texts = {}
    for year in (2021, 2022, 2023):
        latexmk = ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error"]
        subprocess.run(
            [*latexmk, f"node-report-{year}.tex"],
            cwd=app.outdir, check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        pdf = str(Path(app.outdir, f"node-report-{year}.pdf"))
        text = subprocess.run(["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True,
                              text=True).stdout  # fmt: skip
        texts[year] = normal(text.replace("-\n", ""))
        images = subprocess.run(["pdfimages", "-list", pdf], check=True, capture_output=True,
                                text=True).stdout.splitlines()[2:]  # fmt: skip
        expected = {i for n in PUBLISHED if year_of(n) == year for i in CASES[n].get("images", [])}
        assert len(images) >= len(expected), (year, expected)
    for name in PUBLISHED:
        flat = texts[year_of(name)]
        first = " ".join(normal(CASES[name]["texts"][0]).split()[:4])
        assert first in flat, name
        if credit := CASES[name].get("credit"):
            assert credit in flat, name
        joined = unquote(flat).replace(" ", "")  # printed, perhaps broken across lines
        for link in CASES[name].get("links", []):
            if link.startswith("http"):
                assert link in joined, (name, link)
        for download in CASES[name].get("downloads", []):  # its address printed
            address = r"/_downloads/[0-9a-f]{32}/" + re.escape(download.replace(" ", ""))
            assert re.search(address, joined), download
        for text in CASES[name].get("absent", []):
            assert normal(text) not in flat, (name, text)
    assert "https://www.youtube.com/embed/dQw4w9WgXcQ" in texts[2021]  # the <iframe>
    # HTML the PDF cannot embed is printed: a <div> with its link, a video include.
    assert "hosted portals page: https://www.gbif.org/hosted-portals" in texts[2022]
    assert "https://www.youtube.com/watch?v=abc123XYZ" in texts[2022]
    for name, case in CASES.items():  # no draft, scheduled or unpublished post
        if not case["published"]:
            assert all(case["texts"][0] not in text for text in texts.values()), name


def year_of(name: str) -> int:
    return int(Path(name).name[:4])


# -- the pieces ------------------------------------------------------------------


def context() -> LiquidContext:
    return LiquidContext(site={"title": "Node", "url": "", "baseurl": "", "data": {"a": {"b": 1}}})


@pytest.mark.parametrize(
    ("text", "expected", "kinds"),
    [
        ("{{ site.baseurl }}/assets/x.jpg", "/assets/x.jpg", ["output"]),
        ("{{ site.url }}{{ site.baseurl }}/about/", "/about/", ["output", "output"]),
        ('{{ "/news/" | relative_url }}', "/news/", ["output"]),
        ('{{ "news/x.pdf" | absolute_url }}', "/news/x.pdf", ["output"]),
        ("{{ page.title }}", "A post", ["output"]),
        ("{{ site.title | upcase | append: '!' }}", "NODE!", ["output"]),
        ("{{ site.data.a.b }}", "1", ["output"]),
        ("{% link _posts/2021-01-01-x.md %}", "/_posts/2021-01-01-x.md", ["link"]),
        ("{% raw %}{{ x }}{% endraw %}", "{{ x }}", ["raw"]),
        ("a{% comment %}\nb\n{% endcomment %}c", "a\n\nc", ["comment"]),
        (
            '{% include figure.html url="/a.png" description="A *b*" %}',
            "![A b](</a.png>) A *b*",
            ["include"],
        ),
        (
            '{% include youtube.html id="x1" %}',
            "[YouTube video](https://www.youtube.com/watch?v=x1)",
            ["include"],
        ),
        ("{% post_url 2020-01-01-none %}", UNLINKED, ["post_url!"]),
        ("{{ nothing.here }}", "", ["output!"]),  # empty, as Jekyll prints it
        ("{% gallery a %}", "{% gallery a %}", ["tag!"]),  # a plugin the site had
        ("{% include form.html %}", "{% include form.html %}", ["include!"]),
    ],
)
def test_liquid(text, expected, kinds) -> None:
    """What each construct renders to, and what is found: its kind, "!" when kept as text."""
    rendered, found = render(text, context(), {"title": "A post"})
    assert rendered == expected
    assert rendered.count("\n") == text.count("\n")
    assert [f.kind + ("!" if f.problem else "") for f in found] == kinds


def test_liquid_problems_are_located() -> None:
    _rendered, found = render("a\nb {% gallery %}\n{{ y }}", context(), {}, first_line=10)
    assert [(f.line, f.problem is not None) for f in found] == [(11, True), (12, True)]


def test_kramdown_source_fixes() -> None:
    text = (
        "#Title\n• one\n[a](/x y.pdf)\n{::comment}\nhidden\n{:/comment}\n"
        '```\n#not a heading\n```\n{::options auto_ids="false" /}'
    )
    fixed, found = fix_markdown(text)
    assert fixed.split("\n") == [
        "# Title", "- one", "[a](</x y.pdf>)", "", "", "", "```", "#not a heading", "```", "",
    ]  # fmt: skip
    assert {f.kind for f in found} >= {
        "heading without a space",
        "typed bullet",
        "kramdown comment",
    }


def test_attribute_list_parsing() -> None:
    assert list(attributes('.button .is-primary #intro target="_blank" standalone')) == [
        ("class", "button"),
        ("class", "is-primary"),
        ("id", "intro"),
        ("target", "_blank"),
        ("word", "standalone"),
    ]


def test_python_liquid_is_imported_only_for_posts_with_liquid(tmp_path) -> None:
    """Its 4.8 MiB are paid by sites whose posts hold Liquid, not by every build."""
    site = tmp_path / "site"
    shutil.copytree(ROOTS / "test-fixture", site)
    probe = (
        "import sys; from sphinx.cmd.build import build_main; "
        "status = build_main(['-q', '-b', 'html', sys.argv[1], sys.argv[2]]); "
        "print(status, 'liquid' in sys.modules)"
    )
    run = [sys.executable, "-c", probe, str(site), str(tmp_path / "out")]
    assert subprocess.run(run, capture_output=True, text=True).stdout.split() == ["0", "False"]
    post = site / "_posts" / "2021-09-01-node-welcome.md"  # published
    post.write_text(post.read_text() + "\n{{ page.title }}\n")
    touch_later(post)
    assert subprocess.run(run, capture_output=True, text=True).stdout.split() == ["0", "True"]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("date", "/news/events/2021/03/05/Bio-Blitz_2021.html"),
        ("pretty", "/news/events/2021/03/05/Bio-Blitz_2021/"),
        ("ordinal", "/news/events/2021/064/Bio-Blitz_2021.html"),
        ("weekdate", "/news/events/2021/W09/Fri/Bio-Blitz_2021.html"),
        ("none", "/news/events/Bio-Blitz_2021.html"),
        (
            "/:short_year/:i_month/:i_day/:short_month-:long_month/:hour:minute:second/:slug",
            "/21/3/5/Mar-March/100709/bio-blitz_2021",
        ),
        (
            "/:name:output_ext?from=:path",
            "/Bio-Blitz_2021.html?from=news/_posts/2021-03-05-Bio Blitz_2021.md",
        ),
        ("/:year/:unknown/:title", "/2021/:unknown/Bio-Blitz_2021"),
    ],
)
def test_permalink_placeholders(pattern: str, expected: str) -> None:
    """Every placeholder of Jekyll's permalinks, as Jekyll expands it for this post."""
    text = "---\ntitle: Bio Blitz\ndate: 2021-03-05 10:07:09\ncategories: [events]\n---\n"
    path = "news/_posts/2021-03-05-Bio Blitz_2021.md"
    post = parse_post(parse_front_matter(text), path, path.removesuffix(".md"))
    config = SimpleNamespace(newsnode_timezone="Africa/Johannesburg")
    assert expand(pattern, post, config) == expected  # type: ignore[arg-type]


def test_permalink_without_a_date() -> None:
    """A pattern that needs the date of a post without one gives no URL; others still do."""
    post = parse_post(
        parse_front_matter("---\ntitle: Undated\n---\n"), "news/undated.md", "news/undated"
    )
    config = SimpleNamespace(newsnode_timezone="UTC")
    assert expand("date", post, config) is None
    assert expand("/:categories/:title/", post, config) == "/undated/"
    assert expand("/:title/:hour", post, config) == "/undated/:hour"
