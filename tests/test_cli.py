"""The ``newsnode`` command: new, check and list, against what a real build says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sphinx_newsnode.cli.main import main
from sphinx_newsnode.model.frontmatter import read_front_matter
from sphinx_newsnode.model.parser import parse_post

from conftest import CORPUS, corpus_site, warnings_of

_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<type>[\w.]+): (?P<message>.*)$")


def run(capsys, *argv: str) -> tuple[int, list[str], str]:
    """Exit status, stdout lines and stderr of one ``newsnode`` command."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def check_findings(lines: list[str]) -> set[tuple[str, int, str, str]]:
    found = set()
    for line in lines:
        match = _LINE.match(line)
        assert match, line
        found.add((match["path"], int(match["line"]), match["type"], match["message"]))
    return found


def build_findings(app, srcdir: Path) -> set[tuple[str, int, str, str]]:
    """The build's warnings located in a post, in the form ``check`` prints."""
    found = set()
    for warning in warnings_of(app):
        path, _, line = warning.location.rpartition(":")
        if not path or not line.isdigit() or "/news/" not in path:
            continue
        relative = Path(path).resolve().relative_to(srcdir.resolve()).as_posix()
        found.add((relative, int(line), warning.type or "sphinx", warning.message))
    return found


@pytest.mark.parametrize("parallel", [0, 2])
def test_check_reports_every_build_warning_of_the_corpus(
    tmp_path, make_app, capsys, monkeypatch, parallel
) -> None:
    srcdir = corpus_site(tmp_path)
    app = make_app("html", srcdir=srcdir, parallel=parallel)
    app.build()
    app.cleanup()
    built = build_findings(app, srcdir)
    assert len(built) > 40
    monkeypatch.chdir(srcdir)
    status, lines, err = run(capsys, "check")
    assert status == 1
    checked = check_findings(lines)
    assert built <= checked, built - checked  # same files, lines, types and words
    # What only the check sees is in unpublished posts, which the build never reads.
    cases = yaml.safe_load((CORPUS / "cases.yaml").read_text())
    for path, _line, _type, _message in checked - built:
        assert not cases[Path(path).name]["published"], path
    assert f"in {len({c[0] for c in checked})} of " in err
    assert "Traceback" not in err
    assert not [c for c in checked if c[2].startswith("myst")]
    held = "held back from publication until this is fixed"
    unreadable = {c[0] for c in checked if c[2] == "newsnode.front_matter" and held in c[3]}
    assert len(unreadable) >= 4
    assert not [c for c in checked if c[0] in unreadable and "has no title" in c[3]]


@pytest.mark.parametrize("mode", ["exclude", "show"])
def test_check_and_build_agree_on_broken_yaml(site, capsys, monkeypatch, mode) -> None:
    """The same messages, whatever the build's mode: neither reads what YAML cannot."""
    root = site("gate")
    broken = "news/2021-05-01-okapi-broken.md"
    app = root.build(confoverrides={"newsnode_drafts": mode})
    built = {f for f in build_findings(app, root.srcdir) if f[0] == broken}
    monkeypatch.chdir(root.srcdir)
    status, lines, _err = run(capsys, "check", broken)
    assert status == 1
    assert check_findings(lines) == built
    assert [f[2] for f in built] == ["newsnode.front_matter"]  # one problem, one warning


def test_check_the_bad_input_root(site, capsys, monkeypatch) -> None:
    badinput = site("badinput")
    app = badinput.build()
    built = build_findings(app, badinput.srcdir)
    monkeypatch.chdir(badinput.srcdir)
    status, lines, _err = run(capsys, "check")
    assert status == 1
    checked = check_findings(lines)
    assert built <= checked, built - checked
    types = {finding[2] for finding in checked}
    assert {"newsnode.front_matter", "newsnode.cta", "newsnode.unsafe_url", "newsnode.image"} <= (
        types
    )


def test_check_one_file_and_github_format(site, capsys, monkeypatch) -> None:
    badinput = site("badinput")
    monkeypatch.chdir(badinput.srcdir)
    status, lines, _err = run(
        capsys, "check", "--format", "github", "news/2021-01-10-javascript.md"
    )
    assert status == 1
    assert lines == [
        "::error file=news/2021-01-10-javascript.md,line=4,title=newsnode.unsafe_url::"
        "button 'Click me': 'javascript:alert(1)' removed "
        "(http, https, mailto and relative links only)",
        "::error file=news/2021-01-10-javascript.md,line=6,title=newsnode.unsafe_url::"
        "button 'Data': 'data:text/html,<script>alert(1)</script>' removed "
        "(http, https, mailto and relative links only)",
    ]


def test_check_a_folder_with_one_problem_exits_one(site, capsys) -> None:
    listing = site("listing")
    status, lines, err = run(capsys, "check", "-s", str(listing.srcdir), str(listing.path("news")))
    # The listing root's one problem is its deliberately undated post.
    assert status == 1
    assert [line.split(": ")[1] for line in lines] == ["newsnode.date"]
    assert "1 problem in 1 of" in err


def test_check_clean_posts_exit_zero(site, capsys) -> None:
    listing = site("listing")
    status, lines, err = run(
        capsys, "check", "-s", str(listing.srcdir), str(listing.path("news/2023-12-23-post-07.md"))
    )
    assert (status, lines) == (0, [])
    assert "no problems in 1 post" in err


def test_check_refuses_what_is_not_a_post(site, capsys) -> None:
    listing = site("listing")
    source = str(listing.srcdir)
    status, _lines, err = run(capsys, "check", "-s", source, str(listing.path("index.md")))
    assert status == 2
    assert "is not a post of this project" in err
    status, _lines, err = run(capsys, "check", "-s", str(listing.srcdir), "nowhere.md")
    assert (status, "does not exist" in err) == (2, True)


def test_check_a_folder_of_posts_without_conf(tmp_path, capsys, monkeypatch) -> None:
    posts = tmp_path / "_posts"
    posts.mkdir()
    fixture = Path(__file__).parents[1] / "tests/roots/test-fixture"
    post = next(fixture.glob("_posts/*.md"))
    (posts / post.name).write_bytes(post.read_bytes())
    monkeypatch.chdir(tmp_path)
    status, lines, _err = run(capsys, "check")
    assert status == 1
    assert any("newsnode.image" in line and post.name in line for line in lines)


def test_new_writes_a_post_that_checks_clean(site, capsys) -> None:
    listing = site("listing")
    source = str(listing.srcdir)
    title = "Atelier de formation à l'IPT: données “ouvertes”"
    status, lines, _err = run(capsys, "new", title, "--date", "2026-03-02", "-s", source)
    assert status == 0
    path = listing.path("news/2026-03-02-atelier-de-formation-a-l-ipt-donnees-ouvertes.md")
    assert lines == [f"wrote the draft {path} (published: false until you set it true)"]
    post = parse_post(read_front_matter(path), "news/x.md", "news/x")
    assert (post.title, str(post.date), post.published, post.problems) == (
        title,
        "2026-03-02",
        False,
        (),
    )
    assert run(capsys, "check", "-s", source, str(path))[0] == 0
    status, _lines, err = run(capsys, "new", title, "--date", "2026-03-02", "-s", source)
    assert status == 2
    assert "exists already" in err


def test_new_without_date_uses_today_and_published_on_request(site, capsys) -> None:
    listing = site("listing")
    status, (line,), _err = run(
        capsys, "new", "Data use story", "--published", "-s", str(listing.srcdir)
    )
    assert status == 0
    path = Path(line.removeprefix("wrote the post "))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}-data-use-story\.md", path.name)
    assert "published: true" in path.read_text()


def test_new_post_is_a_draft_the_next_build_keeps_out(site, capsys) -> None:
    """The skeleton's placeholder text never reaches the site by itself."""
    listing = site("listing")
    status, (line,), _err = run(capsys, "new", "Placeholder story", "-s", str(listing.srcdir))
    assert status == 0
    path = Path(line.removeprefix("wrote the draft ").partition(" (")[0])
    assert "published: false" in path.read_text()
    app = listing.build()
    assert not Path(app.outdir, "news", path.stem + ".html").exists()
    assert "Placeholder story" not in Path(app.outdir, "index.html").read_text()


def test_new_goes_where_the_posts_live(site, capsys) -> None:
    """A Jekyll-layout site keeps its posts in _posts/ (news/** is the first pattern)."""
    fixture = site("fixture")
    assert not fixture.path("news").exists()
    status, (line,), _err = run(
        capsys, "new", "Node update", "--date", "2026-03-02", "-s", str(fixture.srcdir)
    )
    assert status == 0
    written = fixture.path("_posts/2026-03-02-node-update.md")
    assert line.startswith(f"wrote the draft {written}")
    assert not fixture.path("news").exists()


def test_new_outside_a_project_is_an_error(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    status, lines, err = run(capsys, "new", "Lost post")
    assert status == 2
    assert lines == []
    assert "is not a Sphinx project (no conf.py)" in err
    assert list(tmp_path.rglob("*")) == []


def test_list(site, capsys) -> None:
    listing = site("listing")
    status, lines, err = run(capsys, "list", "-s", str(listing.srcdir))
    assert status == 0
    assert lines[0].split()[:2] == ["2023-12-26", "published"]
    assert "Post 19 of 2023" in lines[0]
    assert lines[-1].split()[:2] == ["-", "undated"]
    assert not any("Hidden draft" in line for line in lines)
    assert "unpublished not shown" in err
    status, with_drafts, _err = run(capsys, "list", "--drafts", "-s", str(listing.srcdir))
    states = {line.split()[1] for line in with_drafts}
    assert {"published", "draft", "scheduled", "undated"} <= states
    assert any("Hidden draft" in line for line in with_drafts)


@pytest.mark.parametrize("command", [[], ["new"], ["check"], ["list"]])
def test_help_through_python_m(command) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx_newsnode", *command, "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: newsnode")


def test_new_refuses_a_title_of_undecodable_bytes(site, capsys) -> None:
    """Bytes a terminal could not decode reach argv as surrogates: no crash, no file."""
    listing = site("listing")
    before = sorted(listing.path("news").iterdir())
    status, lines, err = run(capsys, "new", "Caf\udce9 news", "-s", str(listing.srcdir))
    assert (status, lines) == (2, [])
    assert "not text in this terminal's encoding" in err
    assert sorted(listing.path("news").iterdir()) == before


def test_new_removes_control_characters_from_the_title(site, capsys) -> None:
    """A DEL in the title: the post is written without it, and its own check passes."""
    listing = site("listing")
    source = str(listing.srcdir)
    status, (line,), err = run(
        capsys, "new", "DEL\x7fhere\x1b", "--date", "2026-03-02", "-s", source
    )
    assert status == 0
    assert "control characters removed" in err
    path = listing.path("news/2026-03-02-delhere.md")
    assert line.startswith(f"wrote the draft {path}")
    assert parse_post(read_front_matter(path), "news/x.md", "news/x").title == "DELhere"
    assert run(capsys, "check", "-s", source, str(path))[0] == 0


def test_check_opens_a_project_with_front_matter_900_levels_deep(site, capsys) -> None:
    listing = site("listing")
    nested = "".join("  " * level + "b:\n" for level in range(1, 900))
    listing.write(
        "news/2021-05-05-deep.md",
        f"---\ntitle: Deep\na:\n{nested}{'  ' * 900}c\n---\n\nBody.\n",
    )
    status, lines, _err = run(capsys, "check", "-s", str(listing.srcdir))
    assert status == 1
    assert any("a: nested more than 32 levels deep; ignored" in line for line in lines), lines
