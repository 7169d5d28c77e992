"""The published posts of the environment, as every output sees them (SPEC §6).

:func:`listed_posts` gives the :class:`~sphinx_newsnode.model.selection.Entry`
of each published post newest first, from the environment, so no output ever
reads a draft: a draft shown in ``show`` mode is read into the environment but
is not published now. :func:`listing_entries` is what one listing shows (each
story once, in the page's language), :func:`story_versions` the versions of
every story in other languages. :func:`names_by_slug` names each tag's (and
category's) page by the spelling most posts use.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from sphinx_newsnode.core.config import timezone
from sphinx_newsnode.model.dates import DateError, PostDate, as_moment, parse_date
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.languages import (
    default_language,
    in_language,
    languages_of,
    page_language,
    post_language,
    stories,
)
from sphinx_newsnode.model.post import State
from sphinx_newsnode.model.selection import Entry, ListingSpec, slug

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sphinx.environment import BuildEnvironment

    from sphinx_newsnode.model.post import Post


def published_entry(env: BuildEnvironment, docname: str) -> Entry | None:
    """The entry of *docname*, if it is a published post.

    It must have been read into the environment *and* be published now: the
    second check keeps drafts of ``show`` mode out.
    """
    domain = newsnode_domain(env)
    post = domain.posts.get(docname)
    scanned = domain.scan.get(docname)
    if post is None or scanned is None or scanned.state is not State.PUBLISHED:
        return None
    page = domain.pages.get(docname)
    title = env.titles[docname].astext() if docname in env.titles else post.title
    return Entry(
        docname=docname,
        title=title or docname,
        date=post.date,
        summary=page.summary if page else "",
        image=page.image if page else None,
        image_alt=(page.image_alt if page else "") or "",
        tags=post.tags,
        categories=post.categories,
        lang=post_language(post, env.config),
        lang_ref=post.lang_ref,
        listed=not post.exclude_from_archive,
        modified=last_modified(post),
    )


def last_modified(post: Post) -> PostDate | None:
    """The post's ``last_modified_at`` (jekyll-last-modified-at), if readable."""
    try:
        return parse_date(post.extra.get("last_modified_at"))
    except DateError:
        return None


def published_posts(env: BuildEnvironment) -> list[Entry]:
    """Every published post of the environment, newest first (also those no listing shows)."""
    zone = timezone(env.config)
    entries = [
        entry
        for docname in newsnode_domain(env).posts
        if (entry := published_entry(env, docname)) is not None
    ]
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    entries.sort(key=lambda e: e.docname)
    entries.sort(key=lambda e: as_moment(e.date, zone) if e.date else oldest, reverse=True)
    return entries


def listed_posts(env: BuildEnvironment) -> list[Entry]:
    """Published posts of the environment that listings show, newest first."""
    return [entry for entry in published_posts(env) if entry.listed]


def listing_entries(
    env: BuildEnvironment, docname: str, spec: ListingSpec, entries: Sequence[Entry]
) -> list[Entry]:
    """What a listing on page *docname* shows of *entries*: each story once, in its language.

    The listing's ``lang`` (else the page's language) picks each story's
    version; then its year, tags, categories and limit select.
    """
    language = spec.lang or page_language(env, docname)
    return spec.select(in_language(entries, language, default_language(env.config)))


def story_versions(env: BuildEnvironment) -> dict[str, list[Entry]]:
    """The published versions of every story, by story, in language order.

    Made once for the writing phase (the environment no longer changes then)
    and dropped when a build starts reading.
    """
    state = newsnode_domain(env).build_state
    if "stories" not in state:
        state["stories"] = {
            story: sorted(versions, key=lambda e: (e.lang, e.docname))
            for story, versions in stories(published_posts(env)).items()
        }
    return state["stories"]


def site_languages(env: BuildEnvironment) -> list[str]:
    """The languages of the published posts, sorted (for the writing phase, as above)."""
    return languages_of(e for versions in story_versions(env).values() for e in versions)


def forget_stories(app: object, env: BuildEnvironment, *_: object) -> list[str]:
    """Drop :func:`story_versions` when posts may change (``env-get-outdated``)."""
    newsnode_domain(env).build_state.pop("stories", None)
    return []


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
