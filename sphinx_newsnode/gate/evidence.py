"""What would show an unpublished post in the output: its traces.

A draft is recognised by its document and file name, its title, the longest
phrases of its body, and the bytes of the images only drafts use. Texts are
folded cheaply (typographic quotes, case, whitespace) and each trace is
entered in every form it takes in output (plain, HTML-escaped,
JSON-escaped), so output files are searched without being decoded.

Not evidence: a trace that a published page's own source contains (an
author quoting a draft), and bytes a published page shows (the same
photograph saved twice).
"""

from __future__ import annotations

import codecs
import hashlib
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import ahocorasick

from sphinx_newsnode.core.state import short_digest
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.links import (
    confined_to,
    file_named,
    is_external,
    site_root,
    source_roots,
)
from sphinx_newsnode.model.references import references

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from sphinx.application import Sphinx

    from sphinx_newsnode.model.post import Post

MIN_TITLE = 10
"""Shorter titles are too common to prove anything."""
MIN_PHRASE = 24
"""Shorter body phrases neither."""
MIN_NAME = 8
"""Shorter file names (``a.md``) could stand in any text."""
BODY_PHRASES = 3
CHUNK = 1 << 16
"""Characters of output searched at a time."""
# Linear over any draft text: no class holds the character its pattern starts
# with, and possessive quantifiers never give characters back.
_MARKUP = re.compile(r"!?\[([^\[\]]*+)\]\([^()]*+\)|[*_`#>|{}\[\]]++|<[^<>]++>")
_QUOTES = (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"))


@dataclass(frozen=True)
class Trace:
    """Something that would show an unpublished post in the output."""

    draft: str
    kind: str
    text: str

    def describe(self) -> str:
        shown = self.text if len(self.text) < 60 else self.text[:57] + "..."
        return f"the {self.kind} of the draft {self.draft} ({shown!r})"


@dataclass(frozen=True)
class Draft:
    """An unpublished post and the text of its file."""

    post: Post
    source: str

    @property
    def body(self) -> str:
        return "\n".join(self.source.split("\n")[self.post.body_line - 1 :])


def normalise(text: str) -> str:
    """Text folded for comparison: typographic quotes, case, whitespace."""
    for typographic, plain in _QUOTES:  # str.replace runs in C; translate would not
        if typographic in text:
            text = text.replace(typographic, plain)
    return " ".join(text.lower().split())


def written_forms(trace: str) -> set[str]:
    """The forms a normalised trace takes in output files.

    As it is, HTML-escaped (attributes included) and JSON-escaped (search
    index, JSON builders): searching every form spares decoding every file.
    """
    forms = {trace, html.escape(trace, quote=False), html.escape(trace, quote=True)}
    forms.add(html.escape(trace, quote=True).replace("&#x27;", "&#39;"))
    forms.add(json.dumps(trace)[1:-1])
    forms.add(json.dumps(trace, ensure_ascii=False)[1:-1])
    return forms


def _link_text(match: re.Match[str]) -> str:
    return match[1] or ""


def body_phrases(draft: Draft) -> list[str]:
    """The longest lines of a draft's body, markup removed."""
    lines = draft.body.splitlines()
    phrases = {normalise(_MARKUP.sub(_link_text, line)) for line in lines if line.strip()}
    # Bytes that are not text (a JPEG named .md) are no phrase any output could hold.
    usable = (p for p in phrases if len(p) >= MIN_PHRASE and "\ufffd" not in p)
    return sorted(usable, key=len, reverse=True)[:BODY_PHRASES]


def draft_traces(draft: Draft) -> list[Trace]:
    """Everything that would name or quote the unpublished post."""
    post = draft.post
    names = [
        Trace(post.docname, "document name", normalise(post.docname)),
        Trace(post.docname, "file name", normalise(PurePosixPath(post.path).name)),
    ]
    traces = [t for t in names if len(t.text) >= MIN_NAME]
    if post.title and len(post.title) >= MIN_TITLE:
        traces.append(Trace(post.docname, "title", normalise(post.title)))
    traces += [Trace(post.docname, "text", phrase) for phrase in body_phrases(draft)]
    return traces


def read_drafts(app: Sphinx, posts: Iterable[Post]) -> list[Draft]:
    """Each unpublished post with the text of its file."""
    return [Draft(post, read_text(Path(app.srcdir, post.path))) for post in posts]


def referenced_images(app: Sphinx, draft: Draft, folders: dict[str, Path | None]) -> Iterator[Path]:
    """Local image files of the tree that a draft's front matter and body name.

    *folders*: the folders already resolved (:func:`confined_to`).
    """
    folder = Path(app.srcdir, draft.post.path).parent
    root = site_root(app.env)
    for reference in references(draft.post, draft.body):
        target = reference.target
        if not reference.image or is_external(target):
            continue
        named = file_named(target, root=root, folder=folder, site_relative=reference.site_relative)
        path = confined_to(named, source_roots(app.env), folders)
        if path is not None and path.is_file():
            yield path


def draft_only_images(app: Sphinx, drafts: Iterable[Draft]) -> dict[tuple[int, str], str]:
    """``(size, sha256) -> draft`` of the image files that only drafts use.

    Bytes that a published page shows are public, whatever the file's name
    (the same photograph saved twice): only published images of a size some
    draft image has are read to compare.
    """
    candidates: dict[Path, str] = {}
    folders: dict[str, Path | None] = {}
    for draft in drafts:
        for path in referenced_images(app, draft, folders):
            candidates.setdefault(path, draft.post.docname)
    if not candidates:
        return {}
    unpublished = set(newsnode_domain(app.env).held_back())
    public = {
        Path(app.srcdir, file).resolve()
        for file, (users, _name) in app.env.images.items()
        if users - unpublished
    }
    sizes = {path.stat().st_size for path in candidates if path not in public}
    public_bytes = {
        fingerprint(path.read_bytes())
        for path in public
        if path.is_file() and path.stat().st_size in sizes
    }
    found: dict[tuple[int, str], str] = {}
    for path, docname in candidates.items():
        if path not in public and (mark := fingerprint(path.read_bytes())) not in public_bytes:
            found.setdefault(mark, docname)
    return found


def searcher(texts: set[str]) -> Callable[[str], set[str]]:
    """A function giving the *texts* that a normalised text contains (Aho–Corasick)."""
    if not texts:
        return lambda _text: set()
    automaton = ahocorasick.Automaton()
    for text in texts:
        automaton.add_word(text, text)
    automaton.make_automaton()
    return lambda text: {found for _end, found in automaton.iter(text)}


def text_id(text: str) -> str:
    """A short id of a trace's text, for caches: no draft's words on disk."""
    return short_digest(text)


def fingerprint(data: bytes) -> tuple[int, str]:
    """Size and SHA-256 of a file's bytes."""
    return len(data), hashlib.sha256(data).hexdigest()


def normalised_pieces(data: bytes) -> Iterator[tuple[str, bool]]:
    """The UTF-8 text of *data*, normalised, in pieces of about :data:`CHUNK` bytes.

    Pieces are cut at whitespace where there is some (then the flag is true:
    a space joins them in the normalised whole).
    """
    decoder = codecs.getincrementaldecoder("utf-8")(errors="ignore")
    carried = ""
    spaced = True
    for start in range(0, len(data), CHUNK):
        last = start + CHUNK >= len(data)
        text = carried + decoder.decode(data[start : start + CHUNK], final=last)
        cut = max(text.rfind(" "), text.rfind("\n"), text.rfind("\t"))
        if last or cut <= 0:
            piece, carried = text, ""
        else:
            piece, carried = text[:cut], text[cut:]
        yield normalise(piece), spaced
        spaced = cut > 0 and not last


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return ""
