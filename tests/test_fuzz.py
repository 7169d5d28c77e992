"""Property test: front matter and bodies of any shape never break a build, the gate
or ``newsnode import``, and nothing they name from outside the tree reaches the output."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_newsnode.jekyll.importer import import_site, print_report
from sphinx_newsnode.model.post import KNOWN_KEYS

from conftest import build_once, unsafe_html, warnings_of

HOSTILE_TEXT = st.sampled_from([
    "<script>alert(1)</script>", "javascript:alert(1)", "data:text/html,<b>x</b>",
    "../../../../etc/passwd", "/assets/missing.png", "https://example.org/x.png",
    "*emphasis* and [a link](https://example.org)", "<img src=x onerror=alert(1)>",
    "2021-13-45", "31/02/2021", "no", "yes", "", " ", "🐝", "Иван", "{{ site.title }}",
    "{{ page.title }}", "{% include figure.html url=page.background %}", "/genindex.html",
    "/../../../escaped.html", "/index.html/x/", "/" + "a" * 300 + "/", "IPT", "ipt",
    "data/use", "t" * 300, "\u202eevil", "<!-- <script>", "```{literalinclude} /etc/passwd\n```",
    "../../outside/secret.png",
])  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.text(max_size=30),
    HOSTILE_TEXT,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(sorted(KNOWN_KEYS | {"permalink", "slug"})) | st.text(
    min_size=1, max_size=12
)
FRONT_MATTER = st.dictionaries(KEYS, VALUES, max_size=8)
RAW_FRONT_MATTER = st.text(max_size=120)  # anything at all between the --- lines
#: Body snippets: Liquid over front matter and data, kramdown, paths out of the tree.
#: (A body is the author's own: its raw HTML is kept as written, scripts included.)
SNIPPETS = st.sampled_from([
    "Plain words.", "{{ page.title }}", "{{ page.description | markdownify }}",
    "{{ site.data.nope.x }}", "{{ page.cta }}", "{{ page.tags | join: ', ' }}",
    "{% include figure.html url=page.background description=page.title %}",
    "{% raw %}{{ x }}", "{% endraw %}", "{: .button }", "{::comment}", "{{", "{%", "[", "<a ",
    "[Go](/assets/x.pdf){: .button .is-primary}", "<img src=\"../../outside/secret.png\">",
    "![x](../../outside/secret.png)", "[doc](../../outside/secret.pdf)", "\n\n", "{:" + " " * 50,
])  # fmt: skip
BODIES = st.lists(SNIPPETS, max_size=8).map(" ".join)
POSTS = st.lists(
    st.tuples(st.one_of(FRONT_MATTER, RAW_FRONT_MATTER), BODIES), min_size=1, max_size=4
)
TRUE_WORDS = {"true", "yes", "on", "1"}
_counter = itertools.count()


def clearly_published(front_matter: dict | str) -> bool:
    """Whether a post *may* be published: the gate must hold back every other."""
    if not isinstance(front_matter, dict):
        return True  # unknown: decided by the parser, checked for safety only
    if "published" not in front_matter:
        return True
    value = front_matter["published"]
    return (
        value is True
        or value == 1
        or (isinstance(value, str) and value.strip().lower() in TRUE_WORDS)
    )


SECRET = "FUZZ-OUTSIDE-SECRET"


def post_text(front_matter: dict | str, body: str) -> str:
    text = (
        front_matter
        if isinstance(front_matter, str)
        else yaml.safe_dump(front_matter, allow_unicode=True)
    )
    return f"---\n{text}\n---\n\n{body}\n"


def write_outside(parent: Path) -> None:
    """A folder beside the site whose files hold a secret no output may contain."""
    outside = parent / "outside"
    outside.mkdir(parents=True, exist_ok=True)
    for name in ("secret.png", "secret.pdf", "secret.yml"):
        (outside / name).write_text(f"{SECRET}\n")


def write_site(root: Path, posts: list[tuple[dict | str, str]]) -> None:
    (root / "news").mkdir(parents=True)
    write_outside(root.parent)
    (root / "conf.py").write_text(
        'extensions = ["sphinx_newsnode"]\nproject = "Fuzz"\n'
        'html_baseurl = "https://node.example.org/"\nnewsnode_future = True\n'
    )
    (root / "index.md").write_text(
        "# Fuzz\n\n```{news-list}\n:style: cards\n:show-description:\n```\n"
    )
    for n, (front_matter, body) in enumerate(posts):
        (root / "news" / f"2021-01-0{n + 1}-post-{n}.md").write_text(
            post_text(front_matter, body or f"Body of fuzzed post {n}."), encoding="utf-8"
        )


def no_secret(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


# 25 examples in the suite (profile "default", conftest.py); more with
# --hypothesis-profile=deep.
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(posts=POSTS)
def test_any_front_matter(tmp_path, posts) -> None:
    root = tmp_path / f"site-{next(_counter)}" / "site"
    write_site(root, posts)
    app = build_once("html", root)  # no exception, and the leak audit passed
    assert "Traceback" not in app.warning.getvalue()
    for warning in warnings_of(app):
        if (warning.type or "").startswith("newsnode"):
            assert "/news/" in warning.location or warning.location.endswith("conf.py")
    for page in Path(app.outdir).rglob("*.html"):
        assert unsafe_html(page.read_text(encoding="utf-8")) == [], page
    no_secret(Path(app.outdir))
    assert sorted(p.name for p in root.parent.iterdir()) == ["outside", "site"]
    for n, (front_matter, _body) in enumerate(posts):
        built = Path(app.outdir, "news", f"2021-01-0{n + 1}-post-{n}.html").exists()
        if built:
            assert clearly_published(front_matter), front_matter


@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(posts=POSTS)
def test_any_post_imports(tmp_path, posts) -> None:
    """``newsnode import`` takes any post without a traceback and copies nothing from outside."""
    parent = tmp_path / f"import-{next(_counter)}"
    write_outside(parent)
    site = parent / "jekyll"
    (site / "_posts").mkdir(parents=True)
    for n, (front_matter, body) in enumerate(posts):
        (site / "_posts" / f"2021-01-0{n + 1}-post-{n}.md").write_text(
            post_text(front_matter, body), encoding="utf-8"
        )
    report = import_site(site, parent / "dest", progress=io.StringIO())
    print_report(report, io.StringIO())
    no_secret(parent / "dest")
