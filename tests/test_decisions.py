"""The gate's and the audit's decisions, one by one, without a build."""

from __future__ import annotations

import datetime as dt
import html
import json

import pytest

from sphinx_newsnode.gate.audit import TraceMatcher
from sphinx_newsnode.gate.evidence import (
    MIN_NAME,
    MIN_TITLE,
    Draft,
    Trace,
    draft_traces,
    normalise,
    normalised_pieces,
    written_forms,
)
from sphinx_newsnode.gate.gate import escape_pattern, hidden
from sphinx_newsnode.model.domain import Scanned
from sphinx_newsnode.model.post import Post, State

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def record(name: str, **values: object) -> Post:
    return Post(path=f"news/{name}.md", docname=f"news/{name}", **values)


# -- the gate -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("post", "state"),
    [
        (record("a"), State.PUBLISHED),
        (record("b", published=False), State.DRAFT),
        (Post(path="_drafts/c.md", docname="_drafts/c", in_drafts_folder=True), State.DRAFT),
        (record("d", date=dt.date(2026, 11, 25)), State.SCHEDULED),
        (record("e", date=dt.date(2026, 11, 24)), State.PUBLISHED),  # due all that day
        (record("f", date=dt.datetime(2026, 11, 24, 13, tzinfo=dt.UTC)), State.SCHEDULED),
        (record("g", doubt="its date cannot be read", published=True), State.IN_DOUBT),
        (record("h", not_a_post="a name Jekyll skips", published=False), State.NOT_A_POST),
        # Doubt wins over a clear "published: true": fail closed.
        (record("i", doubt="x", date=dt.date(2020, 1, 1)), State.IN_DOUBT),
    ],
)
def test_state(post, state) -> None:
    assert post.state(NOW, allow_future=False) is state


def test_future_posts_are_published_when_allowed() -> None:
    post = record("d", date=dt.date(2030, 1, 1))
    assert post.state(NOW, allow_future=True) is State.PUBLISHED


SCANNED = [
    Scanned(record("published"), State.PUBLISHED),
    Scanned(record("draft", published=False), State.DRAFT),
    Scanned(record("scheduled"), State.SCHEDULED),
    Scanned(record("binary", readable=False, doubt="the file is not text"), State.IN_DOUBT),
    Scanned(record("skipped", not_a_post="x"), State.NOT_A_POST),
]


def test_exclude_mode_hides_every_unpublished_post() -> None:
    names = [post.docname for post in hidden(SCANNED, exclude=True)]
    assert names == ["news/draft", "news/scheduled", "news/binary", "news/skipped"]


def test_show_mode_hides_only_what_no_builder_may_read() -> None:
    names = [post.docname for post in hidden(SCANNED, exclude=False)]
    assert names == ["news/binary", "news/skipped"]


@pytest.mark.parametrize(
    ("path", "pattern"),
    [("news/a.md", "news/a.md"), ("news/[x]*?.md", "news/[[]x][*][?].md")],
)
def test_exclude_patterns_match_exactly_one_file(path, pattern) -> None:
    assert escape_pattern(path) == pattern


# -- the audit ----------------------------------------------------------------------


def test_traces_of_a_draft() -> None:
    post = record("2021-03-01-zebra-draft", title="Zebra census begins", body_line=4)
    source = (
        "---\ntitle: Zebra census begins\n---\nShort.\n\nThe zebra census starts in the north.\n"
    )
    traces = draft_traces(Draft(post, source))
    assert [(t.kind, t.text) for t in traces] == [
        ("document name", "news/2021-03-01-zebra-draft"),
        ("file name", "2021-03-01-zebra-draft.md"),
        ("title", "zebra census begins"),
        ("text", "the zebra census starts in the north."),  # "Short." is too short
    ]


def test_short_names_and_titles_prove_nothing() -> None:
    post = Post(path="n/a.md", docname="n/a", title="Idea", body_line=1)
    assert len("n/a") < MIN_NAME
    assert len("Idea") < MIN_TITLE
    assert draft_traces(Draft(post, "")) == []


def test_front_matter_is_not_a_phrase_of_the_body() -> None:
    post = record("2021-03-01-zebra-draft", body_line=3)
    source = "---\ndescription: a long description line in the front matter\n---\n"
    assert [t.kind for t in draft_traces(Draft(post, source))] == ["document name", "file name"]


def test_normalised_text_folds_quotes_case_and_spaces() -> None:
    assert normalise("  L’Atlas  “Vivant”\n\tà JOUR ") == 'l\'atlas "vivant" à jour'


@pytest.mark.parametrize("text", ['zebra & the "big" <survey>', "l'atlas"])
def test_a_trace_is_searched_in_every_written_form(text) -> None:
    forms = written_forms(text)
    assert {text, html.escape(text), json.dumps(text)[1:-1]} <= forms


def test_matcher_finds_each_trace_once_across_pieces() -> None:
    trace = Trace("news/z", "text", "zebra text nobody may read")
    matcher = TraceMatcher([trace])
    data = ("x " * 40_000 + "Zebra text nobody may read " * 2).encode()
    assert list(matcher.matches(normalised_pieces(data))) == [trace]
    escaped = TraceMatcher([Trace("news/z", "title", "zebra & co")])
    assert len(list(escaped.matches([(normalise("<h1>Zebra &amp; Co</h1>"), True)]))) == 1


def test_matcher_without_traces_reads_nothing() -> None:
    assert list(TraceMatcher([]).matches([("anything", True)])) == []
