"""Languages of posts and pages, and stories told in several (SPEC §7b).

A post's language is its ``lang`` front matter; else the language
``newsnode_languages_by_path`` gives its path (``_config.yml`` ``defaults``,
carried over by ``newsnode import``); else a language folder on its path
(``_posts/fr/``, ``_posts/pt-BR/``); else the project's ``language``. Tags
are kept as written, in BCP 47 form (``pt_BR`` is ``pt-BR``).

Posts sharing ``lang-ref`` are one *story*. Where a page shows stories, it
shows each once: the version in the page's language, else the story's
*original* (its version in ``newsnode_default_language``, else its oldest).
Language names and locales come from Babel, which Sphinx brings.
"""

from __future__ import annotations

import functools
import re
import weakref
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError, localedata
from babel.core import get_global

from sphinx_newsnode.model.domain import newsnode_domain

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from sphinx_newsnode.model.post import Post
    from sphinx_newsnode.model.selection import Entry

ALL = "all"
"""The ``:lang:`` of a listing that shows every version of every story."""
_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_]([A-Za-z0-9]{2,8}))*+")
_FOLDER = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?")


@functools.lru_cache(maxsize=4096)
def language_tag(value: str | None) -> str | None:
    """*value* as a BCP 47 tag (``pt_BR`` → ``pt-BR``, ``FR`` → ``fr``), if it is one."""
    text = (value or "").strip()
    if not _TAG.fullmatch(text):
        return None
    primary, *rest = re.split("[-_]", text)
    return "-".join([primary.lower(), *(p.upper() if len(p) == 2 else p for p in rest)])


def language_option(value: str | None) -> str:
    """A directive's ``:lang:`` option: a language tag (``fr``, ``pt-BR``) or ``all``."""
    text = (value or "").strip()
    if text.lower() == ALL:
        return ALL
    if (tag := language_tag(text)) is None:
        raise ValueError(f"{text!r} is not a language tag (fr, pt-BR) or 'all'")
    return tag


@functools.lru_cache(maxsize=256)
def is_language(tag: str) -> bool:
    """Whether Babel knows *tag*'s language (``fr``, ``pt-BR``; not ``old`` or ``img``)."""
    return localedata.exists(tag.split("-")[0])


def folder_language(path: str) -> str | None:
    """The language of the folder nearest to the file at *path* that is named by one."""
    for folder in reversed(parts_of(path)[:-1]):
        if _FOLDER.fullmatch(folder) and (tag := language_tag(folder)) and is_language(tag):
            return tag
    return None


def path_language(path: str, by_path: Mapping[str, str]) -> str | None:
    """The language ``newsnode_languages_by_path`` gives *path*: its longest matching prefix."""
    parts = parts_of(path)
    best: tuple[int, str] | None = None
    for prefix, language in by_path.items():
        wanted = parts_of(prefix)
        if parts[: len(wanted)] == wanted and (best is None or len(wanted) > best[0]):
            best = (len(wanted), language)
    return language_tag(best[1]) if best else None


def parts_of(path: str) -> tuple[str, ...]:
    """The names in a relative POSIX *path* as pathlib gives them (``a//b/./c``: a, b, c).

    Without pathlib's objects: asked for every post of every build.
    """
    return tuple(part for part in path.split("/") if part not in ("", "."))


def project_language(config: Config) -> str:
    """The project's ``language`` as a tag (Sphinx's default is English)."""
    return language_tag(config.language) or "en"


def default_language(config: Config) -> str:
    """The language a story's original is sought in: ``newsnode_default_language``."""
    return language_tag(config.newsnode_default_language) or project_language(config)


def post_language(post: Post, config: Config) -> str:
    """The language of *post* (see the module's rules)."""
    return language_of(post.lang, post.path, config)


def language_of(written: object, path: str, config: Config) -> str:
    """The module's rules: the *written* ``lang``, else *path*'s language, else the project's."""
    by_path, project = _settings(config)
    return _language_of(written if isinstance(written, str) else None, path, by_path, project)


_SETTINGS: weakref.WeakKeyDictionary[Config, tuple[tuple[tuple[str, str], ...], str]] = (
    weakref.WeakKeyDictionary()
)


def _settings(config: Config) -> tuple[tuple[tuple[str, str], ...], str]:
    """``newsnode_languages_by_path`` and the project's language, taken once a configuration.

    A page asks for the language of every post it shows: thousands a build.
    """
    if (settings := _SETTINGS.get(config)) is None:
        by_path = tuple((str(k), str(v)) for k, v in config.newsnode_languages_by_path.items())
        settings = _SETTINGS[config] = (by_path, project_language(config))
    return settings


@functools.lru_cache(maxsize=16384)
def _language_of(
    written: str | None, path: str, by_path: tuple[tuple[str, str], ...], project: str
) -> str:
    """:func:`language_of`, remembered: every page asks for the languages of many posts."""
    return (
        language_tag(written)
        or path_language(path, dict(by_path))
        or folder_language(path)
        or project
    )


def page_language(env: BuildEnvironment, docname: str) -> str:
    """The language of any page: ``lang`` front matter, its path, its folder, the project's.

    A post's is :func:`post_language`.
    """
    if (post := newsnode_domain(env).posts.get(docname)) is not None:
        return post_language(post, env.config)
    path = env.doc2path(docname, False).as_posix() if docname in env.found_docs else docname
    return language_of(env.metadata.get(docname, {}).get("lang"), path, env.config)


def locale_of(tag: str) -> Locale | None:
    """Babel's locale for a language tag (``pt-BR``, else ``pt``); ``None`` for an unknown one."""
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        try:
            return Locale.parse(tag.split("-")[0])
        except (ValueError, UnknownLocaleError):
            return None


@functools.lru_cache(maxsize=256)
def language_name(tag: str) -> str:
    """The language's own name, as its readers write it (``fr`` → ``Français``)."""
    locale = locale_of(tag)
    name = locale.get_display_name(locale) if locale else None
    return (name[:1].upper() + name[1:]) if name else tag


@functools.lru_cache(maxsize=256)
def open_graph_locale(tag: str) -> str:
    """The ``og:locale`` of a language: ``language_TERRITORY`` (``fr`` → ``fr_FR``)."""
    locale = locale_of(tag)
    if locale is None:
        return tag.replace("-", "_")
    if locale.territory:
        return f"{locale.language}_{locale.territory}"
    likely = get_global("likely_subtags").get(locale.language, "")
    territory = likely.split("_")[-1] if likely.count("_") >= 1 else ""
    return f"{locale.language}_{territory}" if territory else locale.language


def matches(tag: str, wanted: str) -> bool:
    """Whether a post in *tag* is in language *wanted* (``pt-BR`` is ``pt``; not the reverse)."""
    return tag == wanted or tag.split("-")[0] == wanted


def stories(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    """The versions of each story, by story, in the order of *entries*."""
    found: dict[str, list[Entry]] = {}
    for entry in entries:
        found.setdefault(entry.story, []).append(entry)
    return found


def original(versions: Sequence[Entry], default: str) -> Entry:
    """A story's original: its version in *default*, else its oldest (then first by name)."""
    for entry in versions:
        if matches(entry.lang, default):
            return entry
    dated = sorted((e for e in versions if e.date), key=lambda e: (str(e.date), e.docname))
    return dated[0] if dated else min(versions, key=lambda e: e.docname)


def version_in(versions: Sequence[Entry], language: str, default: str) -> Entry:
    """The version of a story a reader of *language* gets."""
    return next((e for e in versions if matches(e.lang, language)), None) or original(
        versions, default
    )


def in_language(entries: Sequence[Entry], language: str, default: str) -> list[Entry]:
    """*entries* with each story once, in *language* where it can be (order kept)."""
    if language == ALL:
        return list(entries)
    chosen = {
        version_in(versions, language, default).docname for versions in stories(entries).values()
    }
    return [entry for entry in entries if entry.docname in chosen]
