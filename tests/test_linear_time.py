"""No author input hangs a build: every scanner of post text is linear (issue: ReDoS).

Each pattern that reads author text is fed long pathological runs (an
attribute list ``{:`` left open before thousands of spaces, runs of ``{``,
``[``, ``<a``, blank lines...). Time is never compared with a wall clock: the
extension's work on a text is compared with MyST's own parse of the same
number of characters, measured in the same run, and whole builds with a bare
MyST build of the same files. A quadratic pattern at these sizes costs
seconds to hours; a linear one a fraction of MyST's parse.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import time
from pathlib import Path

import pytest
from docutils.frontend import get_default_settings
from docutils.utils import new_document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from myst_parser.config.main import MdParserConfig
from myst_parser.mdit_to_docutils.base import DocutilsRenderer
from myst_parser.parsers.docutils_ import Parser
from myst_parser.parsers.mdit import create_md_parser
from sphinx.testing.util import SphinxTestApp

from sphinx_newsnode.gate import evidence
from sphinx_newsnode.jekyll import (
    htmltokens,
    importer,
    kramdown,
    lexer,
    liquid,
    rawhtml,
    rendering,
)
from sphinx_newsnode.model import dates
from sphinx_newsnode.model.frontmatter import FrontMatter
from sphinx_newsnode.model.licenses import find_license
from sphinx_newsnode.model.parser import parse_post
from sphinx_newsnode.model.references import references

from conftest import ROOTS

SIZE = 60_000
"""Characters of a pathological text: quadratic work on it is ~10^9 steps."""
RATIO = 4.0
"""The extension may spend at most this multiple of MyST's own parse (it spends
about one; a quadratic pattern at :data:`SIZE` spends hundreds)."""
BUILD_RATIO = 3.0
#: The runs that made patterns backtrack, one per surface.
RUNS = [
    "{", "{:", "{: ", "{{", "{%", "{%-", "%}", "}}", "{::a", "{::", "{:/", "[", "![", "](",
    "](a", "]( ", " ", "\t", "\n", "\n\n", "<", "<a ", "<a href=\"", "<img", "<img src=",
    "<!--", "<script>", "*", "`", "a=", "a", "-", "#", "{{ page.", "{% raw %}", "de ",
    "CC BY", "|", "}",
]  # fmt: skip
PROSE = next(Path(ROOTS, "test-fixture", "_posts").glob("*.md")).read_text()
SETTINGS = get_default_settings(Parser)
SETTINGS.report_level = 5


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def myst_parse(text: str) -> None:
    """What a bare MyST build does with a file's text: Markdown into a doctree."""
    parser = create_md_parser(MdParserConfig(), DocutilsRenderer)
    parser.options["document"] = new_document("post.md", SETTINGS)
    parser.render(text)


def cost_of(text: str) -> float:
    """The extension's scanners over *text*: the faster of two runs (noise is one-sided)."""
    return min(timed(scan_everything, text) for _ in range(2))


def myst_baseline(text: str) -> float:
    """MyST's parse of *text*, or of as much ordinary prose, whichever is slower."""
    prose = (PROSE * (len(text) // len(PROSE) + 1))[: len(text)]
    return max(timed(myst_parse, text), timed(myst_parse, prose))


def scan_everything(text: str) -> None:
    """Every pattern of the extension that reads author text, over *text*."""
    path = "_posts/2021-01-01-hostile.md"
    values = {
        "title": text,
        "description": text,
        "date": text,
        "tags": text,
        "categories": [text],
        "cta": [{"text": text, "href": text, "klass": text}],
        "background": text,
    }
    post = parse_post(FrontMatter(data=values), path, path.removesuffix(".md"))
    context = rendering.LiquidContext(site={"data": {"a": text}})
    kramdown.jekyll_markdown(text, context, post)
    liquid.render(text, context, {"title": text})
    evidence.draft_traces(evidence.Draft(post, text))
    list(references(post, text))
    rawhtml.read_html(text)
    rawhtml.rewrite_urls(text, {"x": "y", "/assets/x.png": "../_images/x.png"})
    lexer.tokens(text, frozenset({"if", "for", "include", "assign"}))
    list(htmltokens.tokens(text))
    find_license(text)
    for line in text.splitlines()[:50]:
        with contextlib.suppress(dates.DateError):
            dates.parse_date(line)


def pathological(run: str, size: int = SIZE) -> str:
    return (run * (size // len(run) + 1))[:size]


@pytest.mark.parametrize("run", RUNS)
def test_each_run_is_linear(run) -> None:
    text = pathological(run)
    cost, baseline = cost_of(text), myst_baseline(text)
    assert cost <= RATIO * baseline, f"{run!r}: {cost:.3f} s vs MyST {baseline:.3f} s"


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    parts=st.lists(
        st.tuples(st.sampled_from(RUNS), st.integers(min_value=1, max_value=4000)),
        min_size=1,
        max_size=12,
    )
)
def test_mixed_runs_are_linear(parts) -> None:
    """Runs mixed and cut at random places: no combination hangs either."""
    text = "".join(run * count for run, count in parts)[:SIZE]
    cost, baseline = cost_of(text), myst_baseline(text)
    assert cost <= RATIO * baseline, f"{parts!r}: {cost:.3f} s vs MyST {baseline:.3f} s"


# -- whole builds ---------------------------------------------------------------

LINE = 4000
"""Characters per line: under docutils' line length limit, so MyST reads them."""


def lines_of(run: str, size: int = SIZE) -> str:
    text = pathological(run, size)
    return "\n".join(text[i : i + LINE] for i in range(0, len(text), LINE))


#: post file name -> text, each attacking one surface of a build.
HOSTILE_POSTS = {
    "attribute-list": "---\ntitle: A\n---\n\n" + "\n".join(
        "{:" + " " * (LINE - 3) + "x" for _ in range(SIZE // LINE)
    ),
    "spaced-target": "---\ntitle: B\n---\n\n" + "\n".join(
        "[a](x" + " " * (LINE - 8) + "y" for _ in range(SIZE // LINE)
    ),
    "braces": "---\ntitle: C\n---\n\n" + lines_of("{"),
    "tags": "---\ntitle: D\n---\n\n" + lines_of("{%") + lines_of("{{"),
    "raw-html": "---\ntitle: E\n---\n\n"
    + ("<div>\n" + pathological("<a ", 9000) + "\n\n") * (SIZE // 9000),
    "front-matter": '---\ntitle: "' + pathological("<a", SIZE) + '"\ndescription: "'
    + pathological("<", 20_000) + '"\ndate: "' + pathological("1 de ", 2000) + '"\n---\n\nBody.\n',
    "draft-text": "---\ntitle: F\npublished: false\n---\n\n" + lines_of("<img")
    + lines_of("[") + lines_of("<"),
    "kramdown-extensions": "---\ntitle: G\n---\n\n" + lines_of("{::a"),
}  # fmt: skip


def write_site(root: Path, name: str, text: str, *, extension: bool) -> None:
    (root / "news").mkdir(parents=True)
    conf = 'extensions = ["sphinx_newsnode"]' if extension else 'extensions = ["myst_parser"]'
    (root / "conf.py").write_text(
        f'{conf}\nproject = "Linear"\nhtml_baseurl = "https://node.example.org/"\n'
        'suppress_warnings = ["myst", "misc.highlighting_failure", "toc"]\n'
    )
    (root / "index.md").write_text("# Linear\n\n```{toctree}\n:glob:\n\nnews/*\n```\n")
    (root / "news" / f"2021-01-01-{name}.md").write_text(text, encoding="utf-8")
    (root / "news" / "2021-01-02-plain.md").write_text("---\ntitle: Plain\n---\n\nPlain text.\n")


def build_time(root: Path) -> float:
    """Seconds to set up and build the site at *root* (the gate scans at set-up)."""
    start = time.perf_counter()
    app = SphinxTestApp("html", srcdir=root)
    try:
        app.build()
        return time.perf_counter() - start
    finally:
        app.cleanup()


@pytest.mark.parametrize("name", sorted(HOSTILE_POSTS))
def test_hostile_post_builds_in_a_multiple_of_bare_myst(tmp_path, name) -> None:
    text = HOSTILE_POSTS[name]
    write_site(tmp_path / "bare", name, text, extension=False)
    write_site(tmp_path / "newsnode", name, text, extension=True)
    # Interleaved, the faster of two each: a load that comes and goes hits both alike.
    times: dict[str, list[float]] = {"bare": [], "newsnode": []}
    for _ in range(2):
        for layout, spent in times.items():
            shutil.rmtree(tmp_path / layout / "_build", ignore_errors=True)
            spent.append(build_time(tmp_path / layout))
    bare, newsnode = min(times["bare"]), min(times["newsnode"])
    assert newsnode <= BUILD_RATIO * bare, f"{name}: {newsnode:.2f} s vs bare {bare:.2f} s"


def test_import_of_hostile_posts_is_linear(tmp_path) -> None:
    """``newsnode import`` reads every post for the files it names: no run hangs it."""
    site = tmp_path / "jekyll"
    (site / "_posts").mkdir(parents=True)
    text = "".join(HOSTILE_POSTS.values()) + lines_of("[") + lines_of("\n")
    (site / "_posts" / "2021-01-01-hostile.md").write_text(text)
    cost = timed(importer.import_site, site, tmp_path / "out", io.StringIO())
    assert cost <= RATIO * myst_baseline(text)
