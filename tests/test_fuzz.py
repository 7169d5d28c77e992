"""Property test: front matter of any shape never breaks a build or the gate."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from sphinx_newsnode.posts import KNOWN_KEYS

from conftest import unsafe_html, warnings_of

HOSTILE_TEXT = st.sampled_from([
    "<script>alert(1)</script>", "javascript:alert(1)", "data:text/html,<b>x</b>",
    "../../../../etc/passwd", "/assets/missing.png", "https://example.org/x.png",
    "*emphasis* and [a link](https://example.org)", "<img src=x onerror=alert(1)>",
    "2021-13-45", "31/02/2021", "no", "yes", "", " ", "🐝", "Иван", "{{ site.title }}",
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
KEYS = st.sampled_from(sorted(KNOWN_KEYS)) | st.text(min_size=1, max_size=12)
FRONT_MATTER = st.dictionaries(KEYS, VALUES, max_size=8)
RAW_FRONT_MATTER = st.text(max_size=120)  # anything at all between the --- lines
POSTS = st.lists(st.one_of(FRONT_MATTER, RAW_FRONT_MATTER), min_size=1, max_size=4)
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


def write_site(root: Path, posts: list[dict | str]) -> None:
    (root / "news").mkdir(parents=True)
    (root / "conf.py").write_text(
        'extensions = ["sphinx_newsnode"]\nproject = "Fuzz"\n'
        'html_baseurl = "https://node.example.org/"\nnewsnode_future = True\n'
    )
    (root / "index.md").write_text(
        "# Fuzz\n\n```{news-list}\n:style: cards\n:show-description:\n```\n"
    )
    for n, front_matter in enumerate(posts):
        text = (
            front_matter
            if isinstance(front_matter, str)
            else yaml.safe_dump(front_matter, allow_unicode=True)
        )
        (root / "news" / f"2021-01-0{n + 1}-post-{n}.md").write_text(
            f"---\n{text}\n---\n\nBody of fuzzed post {n}.\n", encoding="utf-8"
        )


# 25 examples in the suite (profile "default", conftest.py); more with
# --hypothesis-profile=deep.
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(posts=POSTS)
def test_any_front_matter(tmp_path, posts) -> None:
    root = tmp_path / f"site-{next(_counter)}"
    write_site(root, posts)
    app = SphinxTestApp("html", srcdir=root)
    try:
        app.build()  # no exception, and the leak audit passed
    finally:
        app.cleanup()
    assert "Traceback" not in app.warning.getvalue()
    for warning in warnings_of(app):
        if (warning.type or "").startswith("newsnode"):
            assert "/news/" in warning.location or warning.location.endswith("conf.py")
    for page in Path(app.outdir).rglob("*.html"):
        assert unsafe_html(page.read_text(encoding="utf-8")) == [], page
    for n, front_matter in enumerate(posts):
        built = Path(app.outdir, "news", f"2021-01-0{n + 1}-post-{n}.html").exists()
        if built:
            assert clearly_published(front_matter), front_matter
