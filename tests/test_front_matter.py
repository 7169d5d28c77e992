"""Front matter and dates as node sites write them (SPEC §2, §9); no Sphinx build."""

from __future__ import annotations

import datetime as dt

import pytest

from sphinx_newsnode.core.diagnostics import Subtype
from sphinx_newsnode.model.dates import DateError, date_from_filename, is_future, parse_date
from sphinx_newsnode.model.frontmatter import parse_front_matter, read_front_matter
from sphinx_newsnode.model.parser import parse_post
from sphinx_newsnode.model.post import Post, State

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
SAST = dt.timezone(dt.timedelta(hours=2))


def post(text: str, path: str = "_posts/2021-11-07-x.md") -> Post:
    front_matter = parse_front_matter(text)
    assert front_matter is not None
    return parse_post(front_matter, path, path.removesuffix(".md"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "2021-10-05 14:00:00 -0500",
            dt.datetime(2021, 10, 5, 14, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        ),
        ("2022-04-3", dt.date(2022, 4, 3)),
        ("21 avril 2026", dt.date(2026, 4, 21)),
        ("3 de março de 2022", dt.date(2022, 3, 3)),
        ("March 3, 2024", dt.date(2024, 3, 3)),
        ("25/12/2021", dt.date(2021, 12, 25)),
        ("2021-11-07T10:00Z", dt.datetime(2021, 11, 7, 10, tzinfo=dt.UTC)),
        ("2024-09-06 10:00:00 UTC", dt.datetime(2024, 9, 6, 10, tzinfo=dt.UTC)),
        ("2024-09-06 10:00:00 GMT+2", dt.datetime(2024, 9, 6, 10, tzinfo=SAST)),
        ("2024-09-06 10:00:00 +0200 SAST", dt.datetime(2024, 9, 6, 10, tzinfo=SAST)),
        ("2024-09-06 10:00 sast", dt.datetime(2024, 9, 6, 10, tzinfo=SAST)),
        ("2024-09-06 10:00:00.000000000 +02:00", dt.datetime(2024, 9, 6, 10, tzinfo=SAST)),
        ("2024/09/06 2:30 pm", dt.datetime(2024, 9, 6, 14, 30)),
        ("2024.09.06 12:15 a.m.", dt.datetime(2024, 9, 6, 0, 15)),
        ("2024-09-06 10h00", dt.datetime(2024, 9, 6, 10)),
        ("2024-09-06 10:00 XYZ", dt.datetime(2024, 9, 6, 10)),  # Jekyll: the site's zone
        ("2025-06-07 +0600", dt.date(2025, 6, 7)),
        (dt.date(2021, 1, 2), dt.date(2021, 1, 2)),
        ("", None),
        (None, None),
    ],
)
def test_dates_node_sites_write(value, expected) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("31/02/2021", "not a valid date"),
        ("05/04/2021", "ambiguous"),
        ("2023-13-01", "month must be in 1..12"),
        ("someday", "not a date"),
        (2021, "expected a date"),
        ("2021-01-01 10:00 +2500", "out of range"),
        ("2021-01-01 25:00", "not a valid time"),
        ("2021-01-01 soon", "the time or zone after 2021-01-01, 'soon', cannot be read"),
        ("2021-01/01", "not a date; write it as YYYY-MM-DD"),
    ],
)
def test_bad_dates_say_why(value, reason) -> None:
    with pytest.raises(DateError, match=reason):
        parse_date(value)


def test_file_name_dates() -> None:
    assert date_from_filename("2021-11-07-slug.md") == (dt.date(2021, 11, 7), None)
    assert date_from_filename("2023-21-09-slug.md") == (None, "2023-21-09")
    assert date_from_filename("welcome-to-jekyll.markdown") == (None, None)


def test_future_is_read_in_the_site_zone() -> None:
    assert is_future(dt.date(2026, 11, 25), NOW)
    assert not is_future(dt.date(2026, 11, 24), NOW)  # due all of today
    assert is_future(dt.datetime(2026, 11, 24, 13, 0), NOW)  # naive: site zone
    assert not is_future(
        dt.datetime(2026, 11, 24, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))), NOW
    )


def test_bom_crlf_and_comments(tmp_path) -> None:
    path = tmp_path / "post.md"
    path.write_bytes(
        b"\xef\xbb\xbf---\r\ntitle: Hello\r\n# categories: jekyll update\r\n"
        b"published: false\r\n---\r\nBody\r\n"
    )
    front_matter = read_front_matter(path)
    assert front_matter.data == {"title": "Hello", "published": False}
    assert front_matter.lines == {"title": 2, "published": 4}
    assert front_matter.body_line == 6


def test_files_without_front_matter_are_not_posts(tmp_path) -> None:
    (tmp_path / "index.md").write_text("# News\n")
    (tmp_path / "empty.md").write_text("")
    assert read_front_matter(tmp_path / "index.md") is None
    assert read_front_matter(tmp_path / "empty.md") is None


def test_a_file_that_is_not_text_fails_closed(tmp_path) -> None:
    (tmp_path / "bytes.md").write_bytes(b"---\ntitle: \xff\xfe\n---\n")
    record = parse_post(read_front_matter(tmp_path / "bytes.md"), "news/bytes.md", "news/bytes")
    assert record.state(NOW, allow_future=False) is State.IN_DOUBT
    assert record.doubt == "the file is not text"
    assert not record.buildable


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("---\ntitle: x\n", 1),  # never closed
        ("---\n- a list\n---\n", 2),  # not a mapping
        ("---\ntitle: [x\n---\n", 2),  # an unclosed bracket, where it opens
        ("---\n\ttitle: x\n---\n", 2),  # a tab YAML refuses
    ],
)
def test_unreadable_front_matter_fails_closed(text, line) -> None:
    record = post(text)
    assert record.state(NOW, allow_future=False) is State.IN_DOUBT
    assert record.doubt == "its front matter cannot be read"
    assert record.doubt_line == line


def test_one_bad_value_costs_only_that_key() -> None:
    record = post("---\ntitle: Kept\ndate: 2023-13-01\ndescription: Also kept\n---\n")
    assert record.title == "Kept"
    assert record.description == "Also kept"
    assert [(p.subtype, p.line) for p in record.problems] == [(Subtype.DATE, 3)]


@pytest.mark.parametrize(
    "value", ["2025-15-12", "2023-13-01", "31/02/2021", "2021-01-01 10:00 +2500"]
)
def test_an_unreadable_date_holds_the_post_back(value) -> None:
    """Never the file-name date instead: the date decides publication and the report year."""
    record = post(f"---\ntitle: Kept\ndate: {value}\n---\n")
    assert record.state(NOW, allow_future=False) is State.IN_DOUBT
    assert record.date is None
    assert record.doubt_line == 3
    assert record.doubt == "its date cannot be read"
    assert record.problems[0].subtype is Subtype.DATE


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("2025-06-07 +0600", dt.date(2025, 6, 7)),  # an offset without a time: the day
        ("2022-04-3", dt.date(2022, 4, 3)),
        (
            "2021-10-05 14:00:00 -0500",
            dt.datetime(2021, 10, 5, 14, tzinfo=dt.timezone(-dt.timedelta(hours=5))),
        ),
    ],
)
def test_unusual_dates_read_as_jekyll_reads_them(value, date) -> None:
    record = post(f"---\ntitle: Kept\ndate: {value}\n---\n")
    assert record.date == date
    assert record.state(NOW, allow_future=False) is State.PUBLISHED
    assert record.problems == ()


@pytest.mark.parametrize(
    ("value", "state"),
    [
        ("true", State.PUBLISHED),
        ("false", State.DRAFT),
        ('"no"', State.DRAFT),
        ('"yes"', State.PUBLISHED),
        ("0", State.DRAFT),
        ("", State.IN_DOUBT),  # Jekyll reads an empty value as unpublished
        ('"maybe"', State.IN_DOUBT),
        ("[1]", State.IN_DOUBT),
    ],
)
def test_published_values(value, state) -> None:
    assert post(f"---\npublished: {value}\n---\n").state(NOW, allow_future=False) is state


def test_drafts_folder_and_future() -> None:
    assert (
        post("---\ntitle: x\n---\n", "_drafts/x.md").state(NOW, allow_future=False) is State.DRAFT
    )
    later = post("---\ndate: 2999-01-01\n---\n")
    assert later.state(NOW, allow_future=False) is State.SCHEDULED
    assert later.state(NOW, allow_future=True) is State.PUBLISHED


def test_undated_posts_are_published_but_warned() -> None:
    record = post("---\ntitle: x\n---\n", "_posts/welcome-to-jekyll.markdown")
    assert record.date is None
    assert record.state(NOW, allow_future=False) is State.PUBLISHED
    assert [p.subtype for p in record.problems] == [Subtype.DATE]
    day_first = post("---\ntitle: x\n---\n", "_posts/2023-21-09-slug.md")
    assert "'2023-21-09' is not a valid date" in day_first.problems[0].message
    with_date = post("---\ndate: 2023-09-21\n---\n", "_posts/2023-21-09-slug.md")
    assert with_date.date == dt.date(2023, 9, 21)
    assert with_date.problems == ()


def test_fields_lists_and_unknown_keys() -> None:
    record = post(
        "---\ntitle: T\ntags: data, training  gbif\ncategories: [news, events]\n"
        "image_license: by X\nauthor: Y\nlayout: post\nexcludeFromArchive: true\n"
        "lang: fr\nlang-ref: t1\n---\n"
    )
    assert record.tags == ("data", "training", "gbif")
    assert record.categories == ("news", "events")
    assert record.image_license == "by X"
    assert record.extra == {"author": "Y", "layout": "post"}
    assert record.exclude_from_archive is True
    assert (record.lang, record.lang_ref) == ("fr", "t1")


def test_cta_items() -> None:
    record = post(
        "---\ncta:\n  - text: A\n    href: https://a.org\n    isPrimary: true\n"
        "  - text: B\n    href: /b\n    blankTarget: true\n    klass: x y\n"
        "  - text: C\n  - 7\n---\n"
    )
    a, b, c = record.cta
    assert (a.text, a.href, a.primary, a.line) == ("A", "https://a.org", True, 3)
    assert (b.blank_target, b.classes, b.primary) == (True, ("x", "y"), False)
    assert (c.href, c.line) == (None, 10)
    assert [(p.subtype, p.line) for p in record.problems] == [(Subtype.CTA, 10), (Subtype.CTA, 11)]


def test_alias_bomb_stays_small() -> None:
    lines = ["---", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    lines += ["title: Bomb", "---", ""]
    record = post("\n".join(lines))
    assert record.title == "Bomb"


def test_a_value_nested_too_deep_costs_its_key_only() -> None:
    nested = "[" * 900 + "]" * 900
    record = post(f"---\ntitle: Kept\ndeep: {nested}\ntags: [a]\n---\n\nBody.\n")
    assert (record.title, record.tags, "deep" in record.extra) == ("Kept", ("a",), False)
    assert [(p.subtype, p.line) for p in record.problems] == [(Subtype.FRONT_MATTER, 3)]
    assert "nested more than 32 levels" in record.problems[0].message


def test_yaml_nested_past_libyaml_limit_is_unreadable() -> None:
    front_matter = parse_front_matter("---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n")
    assert front_matter is not None
    assert not front_matter.readable


@pytest.mark.parametrize(
    ("title", "kept"),
    [
        ("Survey \u202eresults", "Survey results"),  # an override never closed
        ("a \u2067b\u202c c", "a b c"),  # closed by the wrong closer
        ("x \u202c y", "x  y"),  # a closer without an opener
        ("\u2067نتائج\u2069 of the survey", "\u2067نتائج\u2069 of the survey"),  # balanced: kept
    ],
)
def test_direction_controls_left_open_are_removed(title, kept) -> None:
    record = post(f'---\ntitle: "{title}"\n---\n\nBody.\n')
    assert record.title == kept
    warned = [p for p in record.problems if "direction controls" in p.message]
    assert len(warned) == (title != kept)


def test_tags_beyond_thirty_are_dropped_with_one_warning() -> None:
    names = ", ".join(f"t{n}" for n in range(100))
    record = post(f"---\ntitle: Tagged\ntags: [{names}, t0, t1]\n---\n\nBody.\n")
    assert record.tags == tuple(f"t{n}" for n in range(30))
    assert [p.message for p in record.problems] == ["tags: 100 given; only the first 30 are used"]


def test_one_warning_per_problem_of_a_key() -> None:
    names = ", ".join(f'"t{n}\\x01"' for n in range(5))  # a YAML escape
    record = post(f"---\ntitle: Tagged\ntags: [{names}]\n---\n\nBody.\n")
    assert [p.message for p in record.problems] == ["tags: control characters removed"]


def test_text_too_long_to_be_a_date() -> None:
    with pytest.raises(DateError, match="too long to be a date"):
        parse_date("1 de " * 100)


def test_the_snippet_renderer_sets_up_what_myst_sets_up() -> None:
    """SnippetRenderer replaces MyST's setup_render; whatever MyST version pip resolved."""
    from myst_parser.config.main import MdParserConfig
    from myst_parser.mdit_to_docutils.base import make_document
    from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
    from myst_parser.parsers.mdit import create_md_parser

    from sphinx_newsnode.reading.markup import SnippetRenderer

    config = MdParserConfig()
    state = {}
    for renderer_class in (SphinxRenderer, SnippetRenderer):
        parser = create_md_parser(config, renderer_class)
        document = make_document()
        renderer = parser.renderer
        renderer.setup_render({**parser.options, "document": document}, {})
        mine = {"document": document, "current_node": document, "reporter": document.reporter}
        state[renderer_class] = {
            name: (value is mine[name]) if name in mine else value
            for name, value in vars(renderer).items()
            if name not in ("md", "rules")
        }
        state[renderer_class]["_level_to_section"] = list(renderer._level_to_section)
        state[renderer_class]["md_options"] = sorted(renderer.md_options)
    assert state[SnippetRenderer] == state[SphinxRenderer]
