"""The leak audit: proof, after every build, that no draft went public (SPEC §3).

At ``build-finished`` the whole output directory of whatever builder ran is
read once. Each file is searched for the traces of every unpublished post:
its docname and file name, its title, phrases of its body, and the bytes of
images that only drafts use. A trace found fails the build with a
:class:`DraftLeakError` naming the file and the draft.

Traces are matched with an Aho–Corasick automaton (pyahocorasick): one pass
over each file finds any of thousands of traces, where one search per trace
would read every file once per draft. Files are folded cheaply (typographic
quotes, case, whitespace); the traces are entered in every form they take
in output (plain, HTML-escaped, JSON-escaped) instead of decoding each file.

A trace that a published page's own source contains (an author naming a
draft in a published post) is not the engine's leak and is not searched.
In ``show`` mode drafts are built on purpose, and every page may link them
(a theme's sidebar, a glob toctree); only what leaves a preview for
machines and print, the feeds, the sitemap and the node reports, must never
name them and is audited.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import itertools
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import ahocorasick
from sphinx.errors import SphinxError
from sphinx.util import logging

from sphinx_newsnode.core.config import DRAFTS_SHOW, REPORT_THEME
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.links import is_external, site_root
from sphinx_newsnode.model.post import Post, State

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

MIN_TITLE = 10
"""Shorter titles are too common to prove anything."""
MIN_PHRASE = 24
"""Shorter body phrases neither."""
MIN_NAME = 8
"""Shorter file names (``a.md``) could stand in any text."""
BODY_PHRASES = 3
CHUNK = 1 << 16
"""Characters of output searched at a time."""
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".pdf", ".bmp"})
# Linear over any draft text: no class holds the character its pattern starts
# with, and possessive quantifiers never give characters back.
_IMAGE_REFERENCES = re.compile(
    r"!\[[^\[\]]*+\]\(\s*+<?([^()<>\s]++)|<img\b[^<>]*?\bsrc=[\"']([^\"'<>]++)"
)
_MARKUP = re.compile(r"!?\[([^\[\]]*+)\]\([^()]*+\)|[*_`#>|{}\[\]]++|<[^<>]++>")
_QUOTES = (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"))


LEAK_ADVICE = (
    "Do not publish this output. Find what put the draft there: a file of "
    "html_extra_path or html_static_path, a template or another extension "
    "that reads the posts folder, or a published page that copies the draft's "
    "text or image. Remove it, or publish the post (published: true), then "
    "build again. A build with -E starts clean if an old output is the cause."
)


class DraftLeakError(SphinxError):
    """An unpublished post left a trace in the output."""

    category = "Draft leak (newsnode leak audit)"


@dataclass(frozen=True)
class Trace:
    """Something that would show an unpublished post in the output."""

    draft: str
    kind: str
    text: str


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


def body_phrases(source: str, post: Post) -> list[str]:
    """The longest lines of a draft's body, markup removed."""
    lines = source.splitlines()[post.body_line - 1 :]
    phrases = {normalise(_MARKUP.sub(_link_text, line)) for line in lines if line.strip()}
    # Bytes that are not text (a JPEG named .md) are no phrase any output could hold.
    usable = (p for p in phrases if len(p) >= MIN_PHRASE and "\ufffd" not in p)
    return sorted(usable, key=len, reverse=True)[:BODY_PHRASES]


def draft_traces(post: Post, source: str) -> list[Trace]:
    """Everything that would name or quote the unpublished *post*."""
    names = [
        Trace(post.docname, "document name", normalise(post.docname)),
        Trace(post.docname, "file name", normalise(PurePosixPath(post.path).name)),
    ]
    traces = [t for t in names if len(t.text) >= MIN_NAME]
    if post.title and len(post.title) >= MIN_TITLE:
        traces.append(Trace(post.docname, "title", normalise(post.title)))
    traces += [Trace(post.docname, "text", phrase) for phrase in body_phrases(source, post)]
    return traces


def referenced_images(app: Sphinx, post: Post, source: str) -> Iterator[Path]:
    """Local image files a post's front matter and body name."""
    folder = Path(app.srcdir, post.path).parent
    for target in filter(None, [post.background, post.thumbnail, *image_targets(source)]):
        if is_external(target):
            continue
        root = site_root(app.env) if target.startswith("/") else folder
        path = root / target.lstrip("/")
        if path.is_file():
            yield path.resolve()


def image_targets(source: str) -> list[str]:
    """The targets of the Markdown images and ``<img>`` tags of a post's text."""
    return [a or b for a, b in _IMAGE_REFERENCES.findall(source)]


def with_sources(app: Sphinx, drafts: Iterable[Post]) -> list[tuple[Post, str]]:
    """Each draft with the text of its file."""
    return [(post, read_text(Path(app.srcdir, post.path))) for post in drafts]


def draft_only_images(
    app: Sphinx, drafts: Iterable[tuple[Post, str]]
) -> dict[tuple[int, str], str]:
    """``(size, sha256) -> draft`` of the image files that only drafts use.

    Bytes that a published page shows are public, whatever the file's name
    (the same photograph saved twice): only published images of a size some
    draft image has are read to compare.
    """
    candidates: dict[Path, str] = {}
    for post, source in drafts:
        for path in referenced_images(app, post, source):
            candidates.setdefault(path, post.docname)
    if not candidates:
        return {}
    domain = newsnode_domain(app.env)
    unpublished = {
        name for name, (_post, state) in domain.scan.items() if state is not State.PUBLISHED
    }
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
    for path, draft in candidates.items():
        if path not in public and (mark := fingerprint(path.read_bytes())) not in public_bytes:
            found.setdefault(mark, draft)
    return found


def searcher(texts: set[str]) -> Callable[[str], set[str]]:
    """A function giving the *texts* that a normalised text contains."""
    if not texts:
        return lambda _text: set()
    automaton = ahocorasick.Automaton()
    for text in texts:
        automaton.add_word(text, text)
    automaton.make_automaton()
    return lambda text: {found for _end, found in automaton.iter(text)}


def quoted_traces(texts: set[str], sources: Iterable[Path]) -> Iterator[tuple[Path, set[str]]]:
    """Each source with the *texts* it contains itself (an author quoting a draft).

    One source is read at a time: memory stays flat however large the site.
    """
    contained = searcher(texts)
    for path in sources:
        yield path, contained(normalise(read_text(path)))


def text_id(text: str) -> str:
    """A short id of a trace's text, for caches: no draft's words on disk."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def digest(value: object) -> str:
    """A stable digest of a JSON-like value (keys sorted; dates and others as text)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def fingerprint(data: bytes) -> tuple[int, str]:
    """Size and SHA-256 of a file's bytes."""
    return len(data), hashlib.sha256(data).hexdigest()


class LeakAudit:
    """The audit of one build's output."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        domain = newsnode_domain(app.env)
        self.drafts = [post for post, state in domain.scan.values() if state is not State.PUBLISHED]
        drafts = with_sources(app, self.drafts)
        traces = [t for post, source in drafts for t in draft_traces(post, source) if t.text]
        self.cache = self.read_cache()
        quoted = self.quoted({t.text for t in traces})
        self.traces = [trace for trace in traces if text_id(trace.text) not in quoted]
        self.images = draft_only_images(app, drafts)
        self.automaton = ahocorasick.Automaton()
        self.longest_form = 0
        for trace in self.traces:
            for form in written_forms(trace.text):
                self.automaton.add_word(form, trace)
                self.longest_form = max(self.longest_form, len(form))
        if self.traces:
            self.automaton.make_automaton()

    def quoted(self, texts: set[str]) -> set[str]:
        """The :func:`text_id` of the *texts* that published sources contain.

        Sources unchanged since the last clean audit for the same texts are
        not read again. The cache holds ids, never the texts of drafts.
        """
        key = digest(sorted(texts))
        known = self.cache.get("sources", {}) if self.cache.get("texts") == key else {}
        self.sources: dict[str, list[Any]] = {}
        quoted: set[str] = set()
        unread: list[Path] = []
        unpublished = {post.docname for post in self.drafts}  # shown drafts quote themselves
        published = sorted(self.app.env.found_docs - unpublished)
        for docname in published:
            path = self.app.env.doc2path(docname)
            stat = os.stat(path)
            entry = known.get(str(path))
            if entry and entry[:2] == [stat.st_size, stat.st_mtime_ns]:
                self.sources[str(path)] = entry
                quoted.update(entry[2])
            else:
                unread.append(Path(path))
        self.sources_read = len(unread)
        # Names of published pages are in every output (news/ECA25 beside the
        # draft _posts/nl/ECA25): a draft's name within them proves nothing.
        names = "\n".join(
            f"{normalise(name)} {normalise(os.path.basename(self.app.env.doc2path(name)))}"
            for name in published
        )
        quoted.update(map(text_id, searcher(texts)(names)))
        for source, found in quoted_traces(texts, unread):
            stat = os.stat(source)
            ids = sorted(map(text_id, found))
            self.sources[str(source)] = [stat.st_size, stat.st_mtime_ns, ids]
            quoted.update(ids)
        self.texts_key = key
        return quoted

    def files(self) -> Iterator[tuple[str, str]]:
        """``(path, path relative to the output)`` of every file to audit."""
        outdir = os.fspath(self.app.outdir)
        config = self.app.config
        if config.newsnode_drafts != DRAFTS_SHOW:
            folders = [outdir]
        else:
            feeds = config.newsnode_feed_path.strip("/")
            folders = [os.path.join(outdir, feeds)] if feeds else []
            reports = [e[1] for e in config.latex_documents if len(e) > 4 and e[4] == REPORT_THEME]
            for name in ("sitemap.xml", *reports):
                if os.path.isfile(path := os.path.join(outdir, name)):
                    yield path, name
        start = len(outdir) + 1
        for folder in folders:
            for root, _dirs, names in os.walk(folder):
                for name in names:
                    path = os.path.join(root, name)
                    yield path, path[start:].replace(os.sep, "/")

    @property
    def cache_file(self) -> Path:
        return Path(self.app.doctreedir, f"newsnode-audit-{self.app.builder.name}.json")

    def signature(self) -> str:
        """What the audit looks for: when it changes, every file is read again."""
        return digest(sorted(t.text for t in self.traces) + sorted(map(str, self.images)))

    def read_cache(self) -> dict[str, Any]:
        """What the last clean audit of this output recorded."""
        try:
            cache = json.loads(self.cache_file.read_text())
        except (OSError, ValueError):
            return {}
        return cache if isinstance(cache, dict) else {}

    def unchanged_files(self) -> dict[str, list[int]]:
        """Files a previous audit for the same traces found clean, with their stat."""
        same = self.cache.get("signature") == self.signature()
        return self.cache.get("files", {}) if same else {}

    def run(self) -> list[str]:
        """Read the output once; the leaks found, one line each.

        A file unchanged (same size and modification time) since an audit
        that looked for the same traces and found it clean is not read again.
        """
        sizes = {size for size, _digest in self.images}
        found: list[str] = []
        count = volume = 0
        clean = self.unchanged_files()
        audited: dict[str, list[int]] = {}
        for path, where in self.files():
            stat = os.stat(path)
            audited[where] = [stat.st_size, stat.st_mtime_ns]
            if clean.get(where) == audited[where]:
                continue
            with open(path, "rb") as file:
                data = file.read()
            count += 1
            volume += len(data)
            if len(data) in sizes and (draft := self.images.get(fingerprint(data))):
                found.append(f"{where}: an image only the draft {draft} uses")
            if not self.traces:
                continue
            texts: Iterable[tuple[str, bool]] = [(normalise(where), True)]
            if os.path.splitext(path)[1].lower() not in IMAGE_SUFFIXES - {".svg"}:
                texts = itertools.chain(texts, normalised_pieces(data))
            found.extend(f"{where}: {describe(trace)}" for trace in self.matches(texts))
        logger.info(
            "newsnode: leak audit read %d files (%.1f MB) and %d sources for %d unpublished posts",
            count,
            volume / 1e6,
            self.sources_read,
            len(self.drafts),
        )
        if not found:
            cache = {
                "signature": self.signature(),
                "files": audited,
                "texts": self.texts_key,
                "sources": self.sources,
            }
            self.cache_file.write_text(json.dumps(cache))
        return found

    def matches(self, pieces: Iterable[tuple[str, bool]]) -> Iterable[Trace]:
        """The traces in a text given as normalised pieces, each trace once.

        Each piece is searched with the end of the one before, so a trace
        across two pieces is found; a flag tells whether a space separated
        them. Memory stays flat however long the file.
        """
        seen: set[Trace] = set()
        tail = ""
        for piece, spaced in pieces:
            text = tail + (" " if spaced and tail else "") + piece
            for _end, trace in self.automaton.iter(text):
                if trace not in seen:
                    seen.add(trace)
                    yield trace
            tail = text[-self.longest_form :] if self.longest_form else ""


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


def describe(trace: Trace) -> str:
    shown = trace.text if len(trace.text) < 60 else trace.text[:57] + "..."
    return f"the {trace.kind} of the draft {trace.draft} ({shown!r})"


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return ""


def audit_output(app: Sphinx, exception: Exception | None) -> None:
    """Fail the build when the output holds a trace of an unpublished post."""
    if exception is not None or not app.config.newsnode_leak_audit:
        return
    audit = LeakAudit(app)
    if not audit.drafts:
        return
    started = time.perf_counter()
    leaks = audit.run()
    logger.info("newsnode: leak audit took %.3f s", time.perf_counter() - started)
    if leaks:
        shown = "\n  ".join(leaks[:20])
        more = f"\n  ... and {len(leaks) - 20} more" if len(leaks) > 20 else ""
        raise DraftLeakError(
            f"unpublished posts were found in the output of the {app.builder.name} builder:"
            f"\n  {shown}{more}\n{LEAK_ADVICE}"
        )


def setup_audit(app: Sphinx) -> None:
    """Audit after everything else has written its files."""
    app.connect("build-finished", audit_output, priority=950)
