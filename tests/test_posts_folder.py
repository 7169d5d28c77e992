"""What real ``_posts/`` folders hold besides posts: Jekyll's own rules, followed.

Withdrawn posts renamed (``x2025-07-10-amphibia.md``), dateless files
(``nl/ECA25.md``, ``testpost.md``, ``2025-08-12_ROM_collections.md``) that the
node's Jekyll site never published, and JPEG or PNG bytes saved as ``.md``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOTS, files_containing, newsnode_warnings, warnings_of

NOT_POSTS = {
    "_posts/x2025-07-10-amphibia.md": "Caecilian",
    "_posts/nl/ECA25.md": "Kikkervisjes",
    "_posts/testpost.md": "Lorem testpost",
    "_posts/2025-08-12_ROM_collections.md": "Rommelpot",
}
NOT_TEXT = {
    "_posts/2025-05-05-photo.md": "a JPEG image",
    "_posts/2025-05-06-logo.md": "a PNG image",
}
PUBLISHED = {"_posts/2025-07-10-frogs": "Frog count results", "news/ECA25": "Eland census"}
BUILDERS = ["html", "dirhtml", "singlehtml", "latex", "text", "epub", "json"]


def expected_warnings(srcdir: Path) -> set[tuple[str, str, str]]:
    """(location, type, message) of the one located warning per file that is not text."""
    return {
        (
            f"{srcdir / path}:1",
            "newsnode.front_matter",
            f"the file is not text but {kind}: give it its own extension or remove it; "
            "held back from publication until this is fixed",
        )
        for path, kind in NOT_TEXT.items()
    }


@pytest.mark.parametrize("mode", ["exclude", "show"])
@pytest.mark.parametrize(("builder", "parallel"), [(b, 0) for b in BUILDERS] + [("html", 2)])
def test_only_what_jekyll_published(site, builder, parallel, mode) -> None:
    root = site("postsfolder")
    app = root.build(builder, parallel=parallel, confoverrides={"newsnode_drafts": mode})
    out = Path(app.outdir)
    assert "Traceback" not in app.warning.getvalue()
    # Each file that is not text: one located warning of what it is and one that it is held back.
    got = {(w.location, w.type, w.message) for w in newsnode_warnings(app)}
    assert got == expected_warnings(root.srcdir)
    assert not [w for w in warnings_of(app) if w.type and w.type.startswith("myst")]
    # Files Jekyll skips: an info line naming the rule, no warning, nothing in any output.
    status = app.status.getvalue()
    for path in NOT_POSTS:
        assert re.search(
            rf"{re.escape(str(root.srcdir / path))}:1: newsnode: held back, not a post: under "
            r"_posts/ Jekyll publishes only files named YYYY-MM-DD-title\.ext",
            status,
        ), path
    assert (
        files_containing(out, *NOT_POSTS.values(), "amphibia", "testpost", "ROM_collections") == []
    )
    jpeg = (ROOTS / "test-fixture/assets/images/BiodiversityDigitization.jpg").read_bytes()
    assert not [p for p in out.rglob("*") if p.is_file() and p.read_bytes() == jpeg]
    text = "\n".join(p.read_text(errors="ignore") for p in out.rglob("*") if p.is_file())
    for title in PUBLISHED.values():
        assert title in text


def test_renaming_a_withdrawn_post_publishes_it(site) -> None:
    root = site("postsfolder")
    first = root.build()
    assert not Path(first.outdir, "_posts/x2025-07-10-amphibia.html").exists()
    source = root.path("_posts/x2025-07-10-amphibia.md")
    shutil.move(source, root.path("_posts/2025-07-11-amphibia.md"))
    second = root.build()
    assert "Caecilian" in Path(second.outdir, "_posts/2025-07-11-amphibia.html").read_text()
    assert "Amphibia story withdrawn" in Path(second.outdir, "index.html").read_text()


def test_check_lists_them_as_the_build_reports_them(site, capsys, monkeypatch) -> None:
    from sphinx_newsnode.cli.main import main

    root = site("postsfolder")
    app = root.build()
    monkeypatch.chdir(root.srcdir)
    status = main(["check"])
    out, _err = capsys.readouterr()
    assert status == 1  # the files that are not text are problems
    lines = out.splitlines()
    for path, kind in NOT_TEXT.items():
        assert any(
            line.startswith(f"{path}:1: newsnode.front_matter: the file is not text but {kind}")
            for line in lines
        )
    notes = sorted(
        line.partition(":")[0] for line in lines if ": note: held back, not a post: " in line
    )
    assert notes == sorted(NOT_POSTS)
    problems = [line for line in lines if ": note: " not in line]
    assert len(problems) == len(newsnode_warnings(app)) == len(NOT_TEXT)  # one per file
    assert main(["check", "--format", "github"]) == 1
    github = capsys.readouterr()[0].splitlines()
    assert sum(line.startswith("::notice file=_posts/") for line in github) == len(NOT_POSTS)


def test_import_copies_neither(tmp_path, capsys) -> None:
    from sphinx_newsnode.cli.main import main

    jekyll = tmp_path / "jekyll"
    shutil.copytree(ROOTS / "test-postsfolder" / "_posts", jekyll / "_posts")
    destination = tmp_path / "site"
    assert main(["import", str(jekyll), str(destination)]) == 0
    out = capsys.readouterr()[0]
    imported = sorted(p.relative_to(destination).as_posix() for p in destination.rglob("*.md"))
    assert imported == ["_posts/2025-07-10-frogs.md", "index.md"]
    for path in [*NOT_POSTS, *NOT_TEXT]:
        assert f"not a post, not imported: {path}: " in out
    assert "the file is not text but a JPEG image" in out
