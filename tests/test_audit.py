"""The leak audit, and the gate proven over every builder, draft kind and build mode."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sphinx_newsnode.gate.audit import DraftLeakError

from conftest import files_containing, html, newsnode_warnings

BUILDERS = ["html", "dirhtml", "singlehtml", "epub", "latex", "text", "json", "pickle"]
# Words of the unpublished posts of the gate root: published: false, a future
# date, unreadable front matter, a _drafts folder.
DRAFT_WORDS = ("Zebra", "Quagga", "Okapi", "Pangolin", "zebra-draft", "quagga-scheduled")
AARDVARK = "news/2021-02-20-aardvark.md"


def leaks(outdir: Path, *words: str) -> list[str]:
    """Files holding a draft's words, found by a plain search, not by the audit.

    links.md names a draft in its own source: its copies are the author's text.
    """
    return sorted(
        p.relative_to(outdir).as_posix()
        for p, _w in files_containing(outdir, *words)
        if not p.name.startswith("links.")
    )


@pytest.mark.parametrize("builder", BUILDERS)
def test_fresh_build(site, builder) -> None:
    app = site("gate").build(builder)  # the audit raises DraftLeakError on a leak
    assert "newsnode: leak audit read" in app.status.getvalue()
    assert leaks(Path(app.outdir), *DRAFT_WORDS) == []


@pytest.mark.parametrize("builder", BUILDERS)
def test_parallel_build(site, builder) -> None:
    app = site("gate").build(builder, parallel=2)
    assert leaks(Path(app.outdir), *DRAFT_WORDS) == []


@pytest.mark.parametrize("builder", BUILDERS)
def test_incremental_flip(site, builder) -> None:
    root = site("gate")
    first = root.build(builder)
    assert leaks(Path(first.outdir), "aardvark") != []  # published: it is there
    root.edit(AARDVARK, "published: true", "published: false")
    second = root.build(builder)
    assert leaks(Path(second.outdir), "aardvark", *DRAFT_WORDS) == []
    root.edit(AARDVARK, "published: false", "published: true")
    third = root.build(builder)
    assert leaks(Path(third.outdir), "aardvark") != []


def test_sitemap_and_opengraph_alongside(site) -> None:
    extensions = ["sphinx_newsnode", "sphinx_sitemap", "sphinxext.opengraph"]
    overrides = {"extensions": extensions, "ogp_site_url": "https://node.example.org/"}
    app = site("gate").build(confoverrides=overrides)
    sitemap = Path(app.outdir, "sitemap.xml").read_text()
    assert "aardvark" in sitemap
    assert leaks(Path(app.outdir), *DRAFT_WORDS) == []
    shown = site("gate").build(confoverrides={**overrides, "newsnode_drafts": "show"})
    assert Path(shown.outdir, "news", "2021-03-01-zebra-draft.html").is_file()
    sitemap = Path(shown.outdir, "sitemap.xml").read_text()
    assert "aardvark" in sitemap
    for word in ("zebra", "quagga", "okapi", "pangolin"):
        assert word not in sitemap.lower()


def test_links_to_drafts_are_plain_text(site) -> None:
    app = site("gate").build()
    page = html(app, "links")
    assert page.find("a", href=lambda h: h and "zebra" in h) is None
    assert "that other post" in page.get_text()  # the Markdown link's own text stays


def test_audit_fails_the_build_on_a_leak(site) -> None:
    root = site("gate")
    root.write("extra/notes.txt", "Draft words: Zebra text nobody may read yet.\n")
    with pytest.raises(DraftLeakError) as raised:
        root.build(confoverrides={"html_extra_path": ["extra"]})
    message = str(raised.value)
    assert "notes.txt" in message
    assert "news/2021-03-01-zebra-draft" in message
    assert "text" in message
    assert "Do not publish this output" in message  # and what to look for


def test_a_published_page_including_a_draft_is_a_leak(site) -> None:
    """A file a published page reads counts as its text, never a draft's file."""
    root = site("gate")
    root.write("included.md", "# Included\n\n```{include} news/2021-03-01-zebra-draft.md\n```\n")
    with pytest.raises(DraftLeakError, match=r"included\.html: the text of the draft"):
        root.build()


def test_a_snippet_a_published_post_includes_is_its_text(site) -> None:
    """``{% include_relative %}`` of a file beside the posts that is no post: no leak."""
    root = site("gate")
    root.write("_posts/snippets/partners.md", "Partner text shared by many posts of the node.\n")
    root.write(
        "_posts/2021-08-01-partners.md",
        "---\ntitle: Partners\n---\n\n{% include_relative snippets/partners.md %}\n",
    )
    root.write(
        "news/2021-08-02-draft-include.md",
        "---\ntitle: Drafted\n---\n\n{% include_relative 2021-03-01-zebra-draft.md %}\n",
    )
    app = root.build()  # the audit raises on a leak
    assert not Path(app.outdir, "_posts", "snippets", "partners.html").exists()  # no post
    assert "Partner text shared by many posts" in html(app, "_posts/2021-08-01-partners").get_text()
    assert "Zebra" not in html(app, "news/2021-08-02-draft-include").get_text()
    refused = [w for w in newsnode_warnings(app) if "draft-include" in w.location]
    assert [(w.type, w.location.rsplit(":", 1)[1]) for w in refused] == [("newsnode.draft", "5")]
    assert "names the unpublished post news/2021-03-01-zebra-draft.md" in refused[0].message


@pytest.mark.parametrize("mode", ["exclude", "show"])
@pytest.mark.parametrize(
    ("planted", "kind"),
    [
        ("Quagga text for the far future.", "text"),
        ("<h1>Quagga   SCHEDULED</h1>", "title"),  # folded: case, whitespace
        ('<a href="news/2999-01-01-quagga-scheduled.html">', "document name"),
        ("see 2999-01-01-quagga-scheduled.md", "file name"),
    ],
)
def test_audit_finds_each_kind_of_trace(site, planted, kind, mode) -> None:
    """Each real leak the audit knows, planted where show mode audits too (the feeds)."""
    root = site("gate")
    root.write("extra/feeds/planted.xml", f"<feed>{planted}</feed>\n")
    with pytest.raises(DraftLeakError) as raised:
        root.build(confoverrides={"html_extra_path": ["extra"], "newsnode_drafts": mode})
    assert f"feeds/planted.xml: the {kind} of the draft news/2999-01-01-quagga-scheduled" in str(
        raised.value
    )


@pytest.mark.parametrize("offset", range(0, 40, 7))
def test_audit_finds_a_trace_across_pieces(site, monkeypatch, offset) -> None:
    """Long files are searched in pieces; a trace on a piece's edge is still found."""
    monkeypatch.setattr("sphinx_newsnode.gate.evidence.CHUNK", 32)
    root = site("gate")
    root.write("extra/notes.txt", "x" * offset + "Draft words: Zebra text nobody may read yet.\n")
    with pytest.raises(DraftLeakError) as raised:
        root.build(confoverrides={"html_extra_path": ["extra"]})
    assert "notes.txt" in str(raised.value)


def test_audit_finds_draft_only_images(site) -> None:
    root = site("gate")
    shutil.copy(root.path("assets/aardvark.png"), root.path("assets/otter.png"))
    root.write(
        "news/2021-04-04-otter.md",
        "---\ntitle: Otter\npublished: false\nbackground: /assets/otter.png\n---\n\nOtters.\n",
    )
    root.edit(AARDVARK, "background: /assets/aardvark.png\n", "")
    root.write("static/otter.png", "")
    shutil.copy(root.path("assets/otter.png"), root.path("static/otter.png"))
    with pytest.raises(DraftLeakError, match=r"_static/otter.png: an image only the draft"):
        root.build(confoverrides={"html_static_path": ["static"]})


@pytest.mark.parametrize("builder", ["html", "latex", "epub"])
def test_same_bytes_as_a_published_image_are_not_a_leak(site, builder) -> None:
    """A node site's photograph saved twice: the draft's copy is the published one's bytes."""
    root = site("gate")
    shutil.copy(root.path("assets/aardvark.png"), root.path("assets/hero-33.png"))
    root.write(
        "news/2021-04-04-otter.md",
        "---\ntitle: Otter\npublished: false\nbackground: /assets/hero-33.png\n---\n\nOtters.\n",
    )
    app = root.build(builder)  # the audit passes: those bytes are public
    assert "Otter" not in "".join(p.name for p in Path(app.outdir).rglob("*"))
    assert not list(Path(app.outdir).rglob("hero-33*"))  # the draft's own file name stays out
    assert "leak audit read" in app.status.getvalue()


def test_audit_can_be_turned_off(site) -> None:
    """The same planted leak fails the build with the audit, and passes unread without it."""
    root = site("gate")
    root.write("extra/notes.txt", "Zebra text nobody may read yet.\n")
    with pytest.raises(DraftLeakError):
        root.build(confoverrides={"html_extra_path": ["extra"]})
    app = root.build(confoverrides={"html_extra_path": ["extra"], "newsnode_leak_audit": False})
    assert Path(app.outdir, "notes.txt").is_file()
    assert "leak audit" not in app.status.getvalue()


def audit_reads(app) -> int:
    status = app.status.getvalue()
    return int(re.search(r"leak audit read (\d+) files?", status).group(1))


def sources_read(app) -> int:
    return int(re.search(r"and (\d+) sources? for", app.status.getvalue()).group(1))


def test_audit_rereads_only_what_changed(site) -> None:
    root = site("gate")
    first = root.build()
    assert audit_reads(first) > 20
    assert sources_read(first) == 10  # the published documents
    second = root.build()  # nothing changed: only what Sphinx writes every build is read
    assert audit_reads(second) < 12
    assert sources_read(second) == 0
    root.edit("news/2021-01-11-routine-1.md", "Body of routine update 1.", "New body.")
    third = root.build()
    assert 0 < audit_reads(third) < audit_reads(first)
    assert sources_read(third) == 1
    root.edit("news/2021-03-01-zebra-draft.md", "Zebra text", "Zebra words")  # traces changed
    fourth = root.build()
    assert audit_reads(fourth) >= audit_reads(first) - 2
    # A file planted after a clean audit is read, and caught.
    root.write("extra/late.txt", "zebra words nobody may read yet.\n")
    with pytest.raises(DraftLeakError, match=r"late\.txt"):
        root.build(confoverrides={"html_extra_path": ["extra"]})


def searched(app) -> int:
    return int(re.search(r"MB, (\d+) searched\)", app.status.getvalue()).group(1))


def test_audit_searches_only_new_bytes(site, monkeypatch) -> None:
    """What Sphinx rewrites every build with the same bytes is read, not searched;
    without a new byte and with the drafts and documents as they were, no plan
    is made. A draft's trace planted into the output is caught all the same."""
    from sphinx_newsnode.gate import audit

    root = site("gate")
    first = root.build()
    assert searched(first) == audit_reads(first) > 20
    plans = []
    make_plan = audit.plan_audit
    monkeypatch.setattr(audit, "plan_audit", lambda *args: plans.append(args) or make_plan(*args))
    second = root.build()
    assert audit_reads(second) > 0  # search.html, genindex.html... rewritten
    assert searched(second) == 0
    assert plans == []
    out = Path(second.outdir)
    (out / "planted.html").write_text("<p>Zebra text nobody may read yet.</p>")
    with pytest.raises(DraftLeakError, match=r"planted\.html"):
        root.build()
    assert len(plans) == 1
    (out / "planted.html").write_text("<p>Nothing of a draft.</p>")
    fourth = root.build()
    assert searched(fourth) == 1
    root.edit("news/2021-03-01-zebra-draft.md", "Zebra text", "Zebra words")  # traces changed
    fifth = root.build()
    assert searched(fifth) >= searched(first) - 2
    (out / "planted.html").write_text("<p>Zebra words nobody may read yet.</p>")
    with pytest.raises(DraftLeakError, match=r"planted\.html"):
        root.build()


def test_the_record_stands_while_only_the_times_of_the_same_bytes_change(site) -> None:
    """Sphinx rewrites its search page and index with the same bytes in every
    build: the last clean audit's record stands for them (not written again
    for new times), and they are read again, as in the build before."""
    from sphinx_newsnode.core.state import state_file
    from sphinx_newsnode.gate.audit import AUDIT

    root = site("gate")
    first = root.build()
    second = root.build()
    record = Path(state_file(second, AUDIT))
    written = record.read_bytes(), record.stat().st_mtime_ns
    third = root.build()
    assert (record.read_bytes(), record.stat().st_mtime_ns) == written
    assert audit_reads(third) == audit_reads(second) > 0
    assert searched(third) == 0
    root.edit("news/2021-01-11-routine-1.md", "Body of routine update 1.", "New body.")
    root.build()
    assert record.read_bytes() != written[0]  # new bytes audited clean: a new record
    assert audit_reads(first) > audit_reads(third)


def test_audit_leaves_its_own_record_in_the_output_alone(site, tmp_path) -> None:
    """``sphinx-build -b html SRC OUT`` keeps the doctrees, and so the audit's
    record, inside the output: that record, new after every audit, is not a
    reason to search again."""
    root, out = site("gate"), tmp_path / "out"
    command = [sys.executable, "-m", "sphinx", "-b", "html", str(root.srcdir), str(out)]
    for _build in range(3):  # the second differs from a first build in Sphinx's own pages
        done = subprocess.run(command, capture_output=True, text=True, check=True)
    assert (out / ".doctrees" / "newsnode-audit-html.json").is_file()
    assert re.search(r"leak audit read \d+ files? \([\d.]+ MB, 0 searched\)", done.stdout)


SHOW = {"newsnode_drafts": "show", "html_baseurl": "https://node.example.org/"}


@pytest.mark.parametrize("hidden", [False, True])
@pytest.mark.parametrize(
    ("builder", "theme"),
    [(b, "alabaster") for b in BUILDERS] + [("html", "furo"), ("dirhtml", "furo")],
)
def test_show_mode_with_a_glob_toctree(site, builder, theme, hidden) -> None:
    """The usual Sphinx layout: drafts in a glob toctree, linked from every
    page's sidebar (archive pages too), as Read the Docs previews build it."""
    root = site("gate")
    if hidden:
        root.edit("index.md", ":glob:\n", ":glob:\n:hidden:\n")
    reports = {2021: {"title": "Gate report 2021"}}
    app = root.build(
        builder, confoverrides={**SHOW, "html_theme": theme, "newsnode_reports": reports}
    )
    out = Path(app.outdir)
    if builder in {"html", "dirhtml"}:
        archive = next(out.glob("archive/index.html"))
        assert "zebra-draft" in archive.read_text()  # the sidebar links the shown draft
        feed = (out / "feeds" / "atom.xml").read_text()
        assert "aardvark" in feed.lower()
        assert leaks(out / "feeds", *DRAFT_WORDS) == []
    if builder == "latex":
        report = (out / "node-report-2021.tex").read_text()
        assert "Aardvark" in report
        assert not [w for w in DRAFT_WORDS if w.lower() in report.lower()]


def include_drafts_in_listings(monkeypatch) -> None:
    """A broken engine: listings, feeds and reports take the shown drafts too."""
    from sphinx_newsnode.model.domain import NewsnodeDomain

    monkeypatch.setattr(NewsnodeDomain, "is_published", lambda self, docname: docname in self.scan)


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_show_mode_audit_fails_on_a_draft_in_the_feed(site, monkeypatch, builder) -> None:
    include_drafts_in_listings(monkeypatch)
    with pytest.raises(DraftLeakError) as raised:
        site("gate").build(builder, confoverrides=SHOW)
    assert re.search(
        r"feeds/(atom|rss)\.xml: the title of the draft news/2021-03-01-zebra", str(raised.value)
    )


def test_show_mode_audit_fails_on_a_draft_in_a_report(site, monkeypatch) -> None:
    include_drafts_in_listings(monkeypatch)
    reports = {2021: {"title": "Gate report 2021"}}
    with pytest.raises(
        DraftLeakError, match=r"node-report-2021\.tex: the \w+ of the draft news/2021-03-01-zebra"
    ):
        site("gate").build("latex", confoverrides={**SHOW, "newsnode_reports": reports})
