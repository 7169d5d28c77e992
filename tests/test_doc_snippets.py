"""Every console and conf.py snippet of the documentation, run as a reader would run it.

Snippets are found in ``docs/**/*.md`` (fenced ``console`` and ``python``
blocks). Each command is run in a fresh project laid out as the docs assume
(``docs/`` holding the quick start's ``conf.py`` and a real post), or, where
running it here makes no sense (``apt-get``, ``pip install`` from PyPI, a
500-post bench), checked against what it names: the CI's packages, the
project's name, the bench's options. A command no rule knows fails the test:
a new snippet is run from the day it is written.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from gbif_standin import GbifStandIn

from conftest import ROOTS

REPO = Path(__file__).parents[1]
DOCS = REPO / "docs"
FENCE = re.compile(
    r"^(?P<fence>`{3,})(?P<lang>console|python)[^\n]*\n(?P<body>.*?)^(?P=fence)\s*$", re.M | re.S
)
FIXTURE_POST = "2021-11-07-biodiversity-digitization.md"
JEKYLL_SITE = Path(__file__).parent / "corpus" / "jekyll"


@dataclass(frozen=True)
class Snippet:
    where: str
    lang: str
    body: str

    def __str__(self) -> str:
        return self.where


def snippets(lang: str) -> list[Snippet]:
    found = []
    for path in sorted(DOCS.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            if match["lang"] == lang:
                line = text.count("\n", 0, match.start()) + 1
                found.append(Snippet(f"{path.relative_to(REPO)}:{line}", lang, match["body"]))
    return found


def commands(snippet: Snippet) -> list[tuple[list[str], list[str]]]:
    """The commands of a console snippet with the output lines the docs show for each.

    ``$ `` starts a command (``\\`` continues it); a block without prompts is
    all commands (a list to type). ``#`` starts a comment.
    """
    lines = snippet.body.splitlines()
    prompted = any(line.startswith("$ ") for line in lines)
    found: list[tuple[list[str], list[str]]] = []
    pending = ""
    for line in lines:
        if pending:
            pending += " " + line.strip()
        elif prompted and not line.startswith("$ "):
            if found:
                found[-1][1].append(line)
            continue
        else:
            pending = line.removeprefix("$ ").strip()
        if pending.endswith("\\"):
            pending = pending[:-1]
            continue
        words = shlex.split(pending, comments=True)
        pending = ""
        if words:
            found.append((words, []))
    return found


def project(root: Path) -> Path:
    """The quick start's project, laid out as the docs' commands expect: ``docs/``."""
    docs = root / "docs"
    (docs / "_posts").mkdir(parents=True)
    conf = next(s for s in snippets("python") if s.where.startswith("docs/quickstart.md"))
    (docs / "conf.py").write_text(conf.body, encoding="utf-8")
    shutil.copy(ROOTS / "test-fixture" / "_posts" / FIXTURE_POST, docs / "_posts" / FIXTURE_POST)
    (docs / "_posts" / FIXTURE_POST).write_text(
        (docs / "_posts" / FIXTURE_POST).read_text().replace("published: false", "published: true")
    )
    for site_root in (docs, root):  # newsnode_site_root = ".." finds the same images
        shutil.copytree(ROOTS / "test-fixture" / "assets", site_root / "assets", dirs_exist_ok=True)
    return root


def run(words: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a documented command with this interpreter's tools."""
    tools = {
        "python": [sys.executable],
        "sphinx-build": [sys.executable, "-m", "sphinx"],
        "newsnode": [
            sys.executable,
            "-c",
            "import sys; from sphinx_newsnode.cli.main import main; sys.exit(main())",
        ],
        "pybabel": [sys.executable, "-m", "babel.messages.frontend"],
    }
    argv = tools[words[0]] + words[1:]
    return subprocess.run(
        argv, cwd=cwd, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(REPO), **env}, check=False,
    )  # fmt: skip


def run_stats(words: list[str], docs: Path) -> subprocess.CompletedProcess[str]:
    """``newsnode stats`` in the docs' project, against the stand-in in place of the real API."""
    with (docs / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nnewsnode_gbif = {"country": "ZA"}\n')
    year = int(words[2])
    with GbifStandIn() as api:
        at = words.index("--api") + 1 if "--api" in words else None
        real = words[at] if at else "https://api.gbif.org/v1/"
        words = [*words[:at], api.url, *words[at + 1 :]] if at else [*words, "--api", api.url]
        result = run(words, docs)
    assert result.returncode == 0, result.stderr
    assert (docs / "_data" / "gbif" / f"{year}.json").is_file()
    result.stderr = result.stderr.replace(api.url, real)
    return result


LIST_ROW = re.compile(r"^\d{4}-\d\d-\d\d  [a-z ]+  .+  \[.+\]$")


def skeleton(line: str) -> str:
    """A line of output without what differs from site to site: numbers and paths."""
    line = re.sub(r"\S*/\S*", "P", line.strip())
    return re.sub(r"\d+", "N", line)


def assert_output_like(documented: list[str], result: subprocess.CompletedProcess[str]) -> None:
    """Each documented line is printed, but for its numbers and paths.

    A row of ``newsnode list`` (a post of the docs' own site) is matched by
    its columns; ``...`` and indented detail lines are left out.
    """
    printed = (result.stdout + result.stderr).splitlines()
    for line in documented:
        if line.strip() in ("...", "") or line.startswith("  "):
            continue
        if LIST_ROW.match(line):
            assert any(LIST_ROW.match(row) for row in printed), (line, printed)
            continue
        assert skeleton(line) in map(skeleton, printed), (line, printed)


def write_problem_posts(docs: Path) -> None:
    """The posts whose problems ``newsnode check`` shows in the docs."""
    news = docs / "news"
    news.mkdir(exist_ok=True)
    (news / "2021-01-10-javascript.md").write_text(
        "---\ntitle: Buttons\npublished: true\ncta:\n  - text: Click me\n"
        "    href: javascript:alert(1)\n---\n\nText.\n"
    )
    (news / "2021-01-12-no-license.md").write_text(
        "---\ntitle: No licence\npublished: true\nbackground: /assets/hero.png\n---\n\nText.\n"
    )
    shutil.copy(ROOTS / "test-report" / "assets" / "hero.png", docs / "assets" / "hero.png")


def ci_packages() -> set[str]:
    script = (REPO / ".ci" / "run").read_text().replace("\\\n", " ")
    line = next(line for line in script.splitlines() if "apt-get install" in line)
    return {word for word in line.split() if re.fullmatch(r"[a-z][\w.+-]+", word)}


def bench_arguments(args: list[str]) -> object:
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench.arguments(args)


def assert_attribution(args: list[str], root: Path) -> None:
    """``bench/attribute.py`` on the docs' project (not a bench tree): its split of the time."""
    *options, _source, _output = args
    script = str(REPO / "bench" / "attribute.py")
    result = run(["python", script, *options, "docs", "docs/_build/html"], root)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])
    parts = found["own_parts"]
    assert found["seconds"] > found["own"] > 0
    assert found["own"] == pytest.approx(sum(parts.values()), abs=0.002)
    assert {"setup", "builder-inited: PublicationGate.on_builder_inited"} <= parts.keys()
    assert "transform: PostTransform" in parts  # the published post was read
    assert found["gc"] >= found["gc_full"] >= 0
    assert found["gc"] >= found["gc_in_own"] >= 0
    assert found["environment_bytes"] > 0


def tox_environments() -> set[str]:
    text = (REPO / "tox.ini").read_text()
    return set(re.findall(r"^\[testenv:([\w-]+)\]", text, re.M))


CONSOLE = snippets("console")


@pytest.mark.parametrize("snippet", CONSOLE, ids=str)
def test_console_snippet(snippet: Snippet, tmp_path: Path) -> None:
    root = project(tmp_path)
    for words, documented in commands(snippet):
        tool = words[0]
        if tool == "sudo":
            words = words[1:]
            tool = words[0]
        if tool == "pip":  # the name the project publishes
            assert words[1:] == [
                "install",
                tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["name"],
            ]
        elif tool == "apt-get":  # the packages CI installs for the same purpose
            assert words[1] == "install"
            assert set(words[2:]) <= ci_packages(), set(words[2:]) - ci_packages()
        elif tool == "tox":
            assert words[1] == "-e"
            assert words[2] in tox_environments()
        elif words[:3] == ["python", "-m", "pytest"]:
            pass  # this very suite
        elif words[:2] == [
            "python",
            "bench/run.py",
        ]:  # 500 posts: the bench's own job, not a test's
            bench_arguments(words[2:])
        elif words[:2] == [
            "python",
            "bench/attribute.py",
        ]:  # on the docs' project, not a bench tree
            assert_attribution(words[2:], root)
        elif tool == "sphinx-build":
            if "latexpdf" in words and not shutil.which("latexmk") and not os.environ.get("CI"):
                pytest.skip("needs latexmk (CI installs it)")
            result = run(words, root)
            assert result.returncode == 0, result.stderr
            assert "WARNING" not in result.stderr, result.stderr
            out = Path(root, words[-1])
            assert any(out.rglob("*.html")) or any(out.rglob("*.pdf")), out
        elif tool == "newsnode":
            if words[1] == "import":  # a real Jekyll site in place of the reader's
                words = [*words[:2], str(JEKYLL_SITE), *words[3:]]
                shutil.rmtree(root / "docs")
            if any("newsnode." in line for line in documented):  # the problems the docs show
                write_problem_posts(root / "docs")
            if words[1] == "stats":  # the GBIF API the docs name, played by the loopback stand-in
                result = run_stats(words, root / "docs")
                assert_output_like(documented, result)
                continue
            # Without --source, the docs run it in the folder of conf.py.
            in_project = {"-s", "--source"} & set(words) or words[1] == "import"
            result = run(words, root if in_project else root / "docs")
            assert result.returncode in (0, 1), result.stderr  # 1: check found problems
            assert_output_like(documented, result)
        elif tool == "pybabel":
            locales = root / "sphinx_newsnode" / "locales"
            if not locales.exists():
                shutil.copytree(REPO / "sphinx_newsnode" / "locales", locales)
            result = run(words, root)
            assert result.returncode == 0, result.stderr
            if words[1] == "init":
                template = read_po((locales / "sphinx_newsnode.pot").open("rb"))
                new = read_po((locales / "de" / "LC_MESSAGES" / "sphinx_newsnode.po").open("rb"))
                assert {m.id for m in new if m.id} == {m.id for m in template if m.id}
        else:
            pytest.fail(f"{snippet}: no rule runs or checks {shlex.join(words)!r}")


@pytest.mark.parametrize("snippet", snippets("python"), ids=str)
def test_conf_snippet(snippet: Snippet, tmp_path: Path) -> None:
    """Each conf.py snippet, added to the quick start's conf.py, builds warning-free (-W)."""
    root = project(tmp_path)
    docs = root / "docs"
    conf = docs / "conf.py"
    conf.write_text(conf.read_text() + "\n" + snippet.body, encoding="utf-8")
    (docs / "_static").mkdir()
    (docs / "_static" / "node.css").write_text("/* the node's colours */\n")
    # The Read the Docs variables the snippets read, as a pull-request preview sets them.
    env = {
        "READTHEDOCS_VERSION_TYPE": "external",
        "READTHEDOCS_CANONICAL_URL": "https://node.example.org/",
    }
    result = run(["sphinx-build", "-W", "docs", "docs/_build/html"], root, **env)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    namespace: dict[str, object] = {}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        exec(compile(conf.read_text(), str(conf), "exec"), namespace)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key)
            else:
                os.environ[key] = value
    assert any(
        name.startswith(("newsnode_", "html_", "latex_", "language", "extensions", "project"))
        for name in namespace
    )


def test_every_snippet_is_found() -> None:
    """The harness sees the snippets the docs hold (a changed fence would hide them)."""
    assert len(CONSOLE) >= 15
    assert len(snippets("python")) >= 10
    assert any("sphinx-build -W docs docs/_build/html" in s.body for s in CONSOLE)
