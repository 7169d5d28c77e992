"""Hostile sites (tests/corpus/attacks): no file escapes, no hang, no page lost, no traceback."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from sphinx_newsnode.jekyll.importer import import_site, print_report

from conftest import ROOTS, build_once, newsnode_warnings, unsafe_html

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp

ATTACKS = Path(__file__).parent / "corpus" / "attacks"
CASES = yaml.safe_load((ATTACKS / "cases.yaml").read_text(encoding="utf-8"))
SECRET = "OUTSIDE-SECRET-4242"
BUILDS = [("html", 0), ("html", 2), ("latex", 0), ("latex", 2)]
CONF = """\
extensions = ["sphinx_newsnode"]
project = "Attacked node"
html_baseurl = "https://node.example.org/"
exclude_patterns = ["_build"]
"""
INDEX = """\
# Attacked node

```{toctree}
:glob:
:hidden:

news/*
```

```{news-list}
:show-description:
```
"""
PLAIN = "---\ntitle: Plain post\ntags: [base]\n---\n\nPlain text of the base site.\n"


def outside_folder(parent: Path) -> Path:
    """The folder beside the site: files a build must never copy into its output."""
    outside = parent / "outside"
    outside.mkdir()
    (outside / "secret.yml").write_text(f"token: {SECRET}\n")
    png = (ROOTS / "test-gate" / "assets" / "aardvark.png").read_bytes()
    (outside / "secret.png").write_bytes(png + SECRET.encode())
    (outside / "images").mkdir()  # a folder of images only, for a linked assets folder
    (outside / "images" / "secret.png").write_bytes(png + SECRET.encode())
    (outside / "secret.pdf").write_bytes(b"%PDF-1.4\n% " + SECRET.encode() + b"\n%%EOF\n")
    (outside / "post.md").write_text(f"---\ntitle: Outside post\n---\n\n{SECRET}\n")
    return outside


def generated(kind: str) -> str:
    """Files too large to write out in cases.yaml."""
    if kind == "deep-mapping":
        nested = "".join("  " * level + "b:\n" for level in range(1, 900))
        return f"---\ntitle: Deep front matter\na:\n{nested}{'  ' * 900}c\n---\n\nBody.\n"
    if kind == "deep-list":
        return "deep: " + "[" * 500 + "]" * 500 + "\n"
    raise ValueError(kind)


def attacked_site(parent: Path, case: dict) -> Path:
    """The base site with the case's files and links, and the folder beside it."""
    outside_folder(parent)
    site = parent / "site"
    (site / "news").mkdir(parents=True)
    (site / "conf.py").write_text(CONF)
    (site / "index.md").write_text(INDEX)
    (site / "news" / "2021-01-10-plain.md").write_text(PLAIN)
    files = dict(case.get("files", {}))
    files.update({name: generated(kind) for name, kind in case.get("generate", {}).items()})
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    for name, target in case.get("links", {}).items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).symlink_to(target)
    return site


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    """Each case built once per builder and parallelism, lazily."""
    built: dict[tuple[str, str, int], SphinxTestApp] = {}

    def build(name: str, builder: str, parallel: int) -> SphinxTestApp:
        key = (name, builder, parallel)
        if key not in built:
            parent = tmp_path_factory.mktemp(f"{name}-{builder}-{parallel}")
            site = attacked_site(parent, CASES[name])
            built[key] = build_once(builder, site, parallel=parallel)
        return built[key]

    return build


def output_files(app: SphinxTestApp) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in Path(app.outdir).rglob("*") if p.is_file()}


def test_the_corpus_covers_every_class() -> None:
    classes = {case["class"] for case in CASES.values()}
    assert classes == {"escape", "hang", "redirect", "traceback", "markup", "silent"}
    assert len(CASES) >= 25
    assert all(case["attack"] for case in CASES.values())


@pytest.mark.parametrize(("builder", "parallel"), BUILDS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_attack(attacked, name, builder, parallel) -> None:
    case = CASES[name]
    app = attacked(name, builder, parallel)
    log = app.warning.getvalue() + app.status.getvalue()
    assert "Traceback" not in log
    assert "Exception occurred" not in log
    expected = set(case.get("warnings", []))
    if builder == "html":
        expected |= set(case.get("html_only", []))
    assert {w.type for w in newsnode_warnings(app)} == expected, newsnode_warnings(app)
    files = {
        path: data
        for path, data in output_files(app).items()
        if path.match(case.get("absent_from", "*"))
    }
    for needle in case.get("absent", []):
        assert not [p for p, data in files.items() if needle.encode() in data], needle
        assert not [p for p in files if needle in p.as_posix()], needle
    outdir = Path(app.outdir)
    if builder == "html":
        for page, needles in case.get("present", {}).items():
            text = (outdir / page).read_text(encoding="utf-8")
            assert all(needle in text for needle in needles), (page, needles)
        for page in outdir.rglob("*.html"):
            assert unsafe_html(page.read_text(encoding="utf-8")) == [], page
    # Nothing was written beside the output, whatever a path claimed.
    site = Path(app.srcdir)
    assert sorted(p.name for p in site.parent.iterdir()) == ["outside", "site"]


def test_redirect_never_deletes_a_page_that_took_its_place(tmp_path) -> None:
    """A redirect written by one build, then a real page at that path: the page stays."""
    site = attacked_site(tmp_path, CASES["permalink-shared"])

    def build() -> SphinxTestApp:
        return build_once("html", site)

    first = build()
    redirect = Path(first.outdir, "old", "news.html")
    assert "First claim" in redirect.read_text()
    (site / "old").mkdir()
    (site / "old" / "news.md").write_text("# The real old news page\n\nKept.\n")
    (site / "index.md").write_text(INDEX.replace("news/*", "news/*\nold/news"))
    second = build()
    assert "The real old news page" in redirect.read_text()  # the page, not the redirect
    third = build()  # and the next build does not delete it as a stale redirect
    assert "The real old news page" in redirect.read_text()
    assert {w.type for w in newsnode_warnings(second)} == {"newsnode.redirect"}
    assert {w.type for w in newsnode_warnings(third)} == {"newsnode.redirect"}


def test_a_foreign_file_at_a_redirect_path_is_never_replaced(tmp_path) -> None:
    """A file put into the output by someone else, where a redirect would go."""
    site = attacked_site(tmp_path, CASES["permalink-shared"])
    extra = site / "extra" / "old"
    extra.mkdir(parents=True)
    (extra / "news.html").write_text("<p>hand-made page</p>\n")
    (site / "conf.py").write_text(CONF + 'html_extra_path = ["extra"]\n')
    for _ in range(2):
        app = build_once("html", site)
        assert Path(app.outdir, "old", "news.html").read_text() == "<p>hand-made page</p>\n"


@pytest.mark.parametrize("link", ["post", "data", "config", "data-folder"])
def test_import_reads_nothing_through_links_out_of_the_site(tmp_path, link) -> None:
    """``newsnode import`` copies no file that a link in the Jekyll site leads out to."""
    outside = outside_folder(tmp_path)
    jekyll = tmp_path / "jekyll"
    posts = jekyll / "_posts"
    posts.mkdir(parents=True)
    (posts / "2021-01-01-real.md").write_text(
        "---\ntitle: Real\n---\n\nToken: {{ site.data.secret.token }}\n"
    )
    (jekyll / "_data").mkdir()
    if link == "post":
        (posts / "2021-01-02-linked.md").symlink_to(outside / "post.md")
    elif link == "data":
        (jekyll / "_data" / "secret.yml").symlink_to(outside / "secret.yml")
    elif link == "config":
        (jekyll / "_config.yml").symlink_to(outside / "secret.yml")
    else:
        shutil.rmtree(jekyll / "_data")
        (jekyll / "_data").symlink_to(outside)
    destination = tmp_path / "dest"
    report = import_site(jekyll, destination, progress=io.StringIO())
    copied = [p for p in destination.rglob("*") if p.is_file()]
    assert not [p for p in copied if SECRET.encode() in p.read_bytes()], copied
    assert not [p for p in copied if p.is_symlink()]
    if link != "config":
        assert report.refused, report
        printed = io.StringIO()
        print_report(report, out=printed)
        assert "refused" in printed.getvalue()


def site_bytes(site: Path) -> int:
    app = build_once("html", site)
    return sum(len(data) for data in output_files(app).values())


@pytest.mark.parametrize("tags", [1500, 6000])
def test_output_stays_proportional_to_the_input(tmp_path, tags) -> None:
    """A post of a few kilobytes with thousands of tags wrote 150 MB (a page and two
    feeds per tag, each feed listing every tag): now a small multiple of its size."""
    (tmp_path / "base").mkdir()
    (tmp_path / "hostile").mkdir()
    before = site_bytes(attacked_site(tmp_path / "base", {}))
    hostile = attacked_site(tmp_path / "hostile", {})
    names = ", ".join(f"t{n:04d}" for n in range(tags))
    text = f"---\ntitle: Tagged\ndescription: {'word ' * 400}\ntags: [{names}]\n---\n\nBody.\n"
    (hostile / "news" / "2021-01-01-tagged.md").write_text(text)
    added = site_bytes(hostile) - before
    assert added <= 64 * len(text.encode()), (added, len(text))
