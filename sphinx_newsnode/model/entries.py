"""The published posts of the environment, as every output sees them (SPEC §6).

:func:`listed_posts` gives the :class:`~sphinx_newsnode.model.selection.Entry`
of each published post newest first, from the environment, so no output ever
reads a draft: a draft shown in ``show`` mode is read into the environment but
is not published now. Only the site's own listings in ``show`` mode take
drafts, marked, from :func:`previewed_posts`. :func:`listing_entries` is
what one listing shows (each story once, in the page's language),
:func:`story_versions` the versions of every story in other languages.
:func:`names_by_slug` names each tag's (and category's) page by the
spelling most posts use.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, TypeVar

from sphinx_newsnode.core.config import DRAFTS_SHOW, timezone
from sphinx_newsnode.core.state import digest
from sphinx_newsnode.model.dates import DateError, PostDate, as_moment, parse_date
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.languages import (
    ALL,
    default_language,
    in_language,
    page_language,
    post_language,
    stories,
)
from sphinx_newsnode.model.selection import Entry, ListingSpec, slug

T = TypeVar("T")

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from sphinx.environment import BuildEnvironment

    from sphinx_newsnode.model.post import Post


def published_entry(env: BuildEnvironment, docname: str) -> Entry | None:
    """The entry of *docname*, if it is a published post.

    It must have been read into the environment *and* be published now: the
    second check keeps drafts of ``show`` mode out.
    """
    return read_entry(env, docname) if newsnode_domain(env).is_published(docname) else None


def read_entry(env: BuildEnvironment, docname: str) -> Entry | None:
    """The entry of post *docname* as read into the environment, published or not."""
    domain = newsnode_domain(env)
    post = domain.posts.get(docname)
    if post is None:
        return None
    page = domain.pages.get(docname)
    title = env.titles[docname].astext() if docname in env.titles else post.title
    return Entry(
        docname=docname,
        title=title or docname,
        date=post.date,
        summary=page.summary if page else "",
        image=page.image if page else None,
        credit=page.credit if page else "",
        image_alt=(page.image_alt if page else "") or "",
        tags=post.tags,
        categories=post.categories,
        lang=post_language(post, env.config),
        lang_ref=post.lang_ref,
        listed=not post.exclude_from_archive,
        modified=last_modified(post),
        draft=(scanned := domain.scan.get(docname)) is None or not scanned.state.published,
    )


def last_modified(post: Post) -> PostDate | None:
    """The post's ``last_modified_at`` (jekyll-last-modified-at), if readable."""
    try:
        return parse_date(post.extra.get("last_modified_at"))
    except DateError:
        return None


def published_posts(env: BuildEnvironment) -> list[Entry]:
    """Every published post of the environment, newest first (also those no listing shows)."""

    def make() -> list[Entry]:
        entries = [
            entry
            for docname in newsnode_domain(env).posts
            if (entry := published_entry(env, docname)) is not None
        ]
        return newest_first(env, entries)

    return written(env, "published", make)


def newest_first(env: BuildEnvironment, entries: list[Entry]) -> list[Entry]:
    """*entries* by date, newest first, undated last; equal dates by name."""
    zone = timezone(env.config)
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    entries = sorted(entries, key=lambda e: e.docname)
    return sorted(
        entries, key=lambda e: as_moment(e.date, zone) if e.date else oldest, reverse=True
    )


def listed_posts(env: BuildEnvironment) -> list[Entry]:
    """Published posts of the environment that listings show, newest first."""
    return written(env, "listed", lambda: [e for e in published_posts(env) if e.listed])


def previewed_posts(env: BuildEnvironment) -> list[Entry]:
    """What the site's own listings show: the listed posts and, in ``show`` mode, the drafts.

    Drafts are built in ``show`` mode so reviewers can read them; the news
    index and archive pages list them, marked (``Entry.draft``). Feeds,
    reports and the pager never take these entries: they take
    :func:`listed_posts`.
    """
    listed = listed_posts(env)
    if env.config.newsnode_drafts != DRAFTS_SHOW:
        return listed

    def make() -> list[Entry]:
        drafts = [
            entry
            for docname, scanned in newsnode_domain(env).scan.items()
            if not scanned.state.published
            and (entry := read_entry(env, docname)) is not None
            and entry.listed
        ]
        return newest_first(env, listed + drafts) if drafts else listed

    return written(env, "previewed", make)


def listing_entries(
    env: BuildEnvironment, docname: str, spec: ListingSpec, entries: Sequence[Entry]
) -> list[Entry]:
    """What a listing on page *docname* shows of *entries*: each story once, in its language.

    The listing's ``lang`` (else the page's language) picks each story's
    version; then its year, tags, categories and limit select.
    """
    language = spec.lang or page_language(env, docname)
    return spec.select(in_language(entries, language, default_language(env.config)))


def listing_language(env: BuildEnvironment, docname: str, spec: ListingSpec) -> str:
    """The language a listing on page *docname* speaks: its ``:lang:``, else the page's."""
    return spec.lang if spec.lang and spec.lang != ALL else page_language(env, docname)


def reading_key(env: BuildEnvironment) -> str:
    """What every page and output of the posts is made from, as a digest.

    Each document as Sphinx last read it (its time of reading: a document
    re-read, added or removed changes it), the posts held back, and the
    extension's settings and the project's language. Outputs that keep this
    key with what they wrote need not make it again while it is the same.
    """

    def make() -> str:
        config = env.config
        settings = sorted(
            (item.name, repr(item.value)) for item in config if item.name.startswith("newsnode_")
        )
        return digest([
            sorted(env.all_docs.items()),
            sorted(newsnode_domain(env).held_back()),
            [config.language, config.root_doc, settings],
        ])  # fmt: skip

    return written(env, "reading key", make)


def written(env: BuildEnvironment, key: object, make: Callable[[], T]) -> T:
    """*make()*, made once when reading is over: the environment no longer changes then.

    While posts are being read it is made afresh on each call. What is kept
    is kept from ``env-updated`` (:func:`keep_written`) until the next build
    starts reading (:func:`forget_written`). Callers must not change it.
    """
    kept = newsnode_domain(env).build_state.get("written")
    if kept is None:
        return make()
    if key not in kept:
        kept[key] = make()
    return kept[key]


def keep_written(app: object, env: BuildEnvironment) -> list[str]:
    """From now on, :func:`written` keeps what it makes (``env-updated``)."""
    newsnode_domain(env).build_state["written"] = {}
    return []


def forget_written(app: object, env: BuildEnvironment, *_: object) -> list[str]:
    """Drop what :func:`written` kept, as posts may change (``env-get-outdated``)."""
    newsnode_domain(env).build_state.pop("written", None)
    return []


def story_versions(env: BuildEnvironment) -> dict[str, list[Entry]]:
    """The published versions of every story, by story, in language order."""
    return written(
        env,
        "stories",
        lambda: {
            story: sorted(versions, key=lambda e: (e.lang, e.docname))
            for story, versions in stories(published_posts(env)).items()
        },
    )


def site_languages(env: BuildEnvironment) -> list[str]:
    """The languages of the published posts, sorted (without making their entries).

    Those the last build kept (:meth:`~.NewsnodeDomain.note_shown`) while
    nothing was read since: every page of the build asks (its feed links).
    """

    def make() -> list[str]:
        domain, config = newsnode_domain(env), env.config
        if domain.shown_key == reading_key(env):
            return list(domain.languages)
        published = (post for name, post in domain.posts.items() if domain.is_published(name))
        return sorted({post_language(post, config) for post in published})

    return written(env, "languages", make)


def neighbours(entries: Sequence[Entry]) -> dict[str, tuple[Entry | None, Entry | None]]:
    """The newer and the older post of each of *entries* (newest first)."""
    return {
        entry.docname: (
            entries[number - 1] if number > 0 else None,
            entries[number + 1] if number + 1 < len(entries) else None,
        )
        for number, entry in enumerate(entries)
    }


def newer_and_older(env: BuildEnvironment, docname: str) -> tuple[Entry | None, Entry | None]:
    """The posts before and after *docname* in its language's listing; none for a draft."""
    language = page_language(env, docname)

    def make() -> dict[str, tuple[Entry | None, Entry | None]]:
        chosen = in_language(listed_posts(env), language, default_language(env.config))
        return neighbours(chosen)

    return written(env, ("neighbours", language), make).get(docname, (None, None))


def spellings(entries: list[Entry], group: str) -> dict[str, Counter[str]]:
    """For each slug of *group* (``tags`` or ``categories``), how often each spelling is used."""
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in entries:
        for name in getattr(entry, group):
            found[slug(name)][name] += 1
    return found


def names_by_slug(entries: list[Entry], group: str) -> dict[str, str]:
    """The name each page of *group* shows: the spelling most posts use, by slug, sorted."""
    names = {
        key: sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]
        for key, counts in spellings(entries, group).items()
    }
    return dict(sorted(names.items(), key=lambda item: item[1].lower()))
