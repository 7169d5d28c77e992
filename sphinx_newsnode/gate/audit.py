"""The leak audit: proof, after every build, that no draft went public (SPEC §3).

At ``build-finished`` the whole output directory of whatever builder ran is
read once and searched for the traces of every unpublished post
(:mod:`~sphinx_newsnode.gate.evidence`); a trace found fails the build with
a :class:`DraftLeakError` naming the file, the draft and what to do.

The work is in phases: :func:`plan_audit` decides what to look for (the
drafts' traces, minus those published sources quote, and their images),
:class:`TraceMatcher` finds traces in a text with one Aho–Corasick pass,
:func:`search_output` reads the files. Files and sources unchanged since the
last clean audit for the same traces are not read again, nor searched when
rewritten with the same bytes; when the plan's inputs are unchanged too
(:func:`plan_inputs`), no plan is made unless a file has new bytes. The
cache holds ids and digests, never a draft's words.

In ``show`` mode drafts are built on purpose, and every page may link them
(a theme's sidebar, a glob toctree); only what leaves a preview for machines
and print, the feeds, the sitemap and the node reports, must never name
them and is audited.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ahocorasick
from sphinx.errors import SphinxError
from sphinx.util import logging

from sphinx_newsnode.core import order
from sphinx_newsnode.core.config import DRAFTS_SHOW, REPORT_THEME
from sphinx_newsnode.core.diagnostics import counted
from sphinx_newsnode.core.state import digest, read_state, state_file, write_state
from sphinx_newsnode.gate.evidence import (
    Draft,
    Trace,
    draft_only_images,
    draft_traces,
    fingerprint,
    normalise,
    normalised_pieces,
    read_drafts,
    read_text,
    searcher,
    text_id,
    written_forms,
)
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.entries import reading_key

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

AUDIT = "audit"
"""The purpose of the audit's state file (:mod:`~sphinx_newsnode.core.state`)."""
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".pdf", ".bmp"})
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


@dataclass
class SourceQuotes:
    """Which trace texts the published sources contain, by :func:`text_id`."""

    quoted: set[str] = field(default_factory=set)
    entries: dict[str, list[Any]] = field(default_factory=dict)
    """``docname -> [time of reading, ids]`` of each published document, for the next audit."""
    read: int = 0
    """Documents whose sources were read (the others were not read by Sphinx either)."""


def published_quotes(
    app: Sphinx, texts: set[str], drafts: list[Draft], known: dict[str, list[Any]]
) -> SourceQuotes:
    """What published sources contain of *texts*: an author quoting a draft, no leak.

    *known* holds the entries of the last clean audit for the same texts: the
    sources of a document Sphinx has not read again since are not read again
    either (what they quoted is what its pages show). One file at a time, so
    memory stays flat however large the site.
    """
    result = SourceQuotes()
    unpublished = {draft.post.docname for draft in drafts}  # shown drafts quote themselves
    published = sorted(app.env.found_docs - unpublished)
    contained = searcher(texts)
    read_at = app.env.all_docs
    draft_files: set[str] | None = None
    for docname in published:
        entry, read = known.get(docname), read_at.get(docname)
        if not (entry and read is not None and entry[0] == read):
            if draft_files is None:
                draft_files = {
                    os.path.realpath(Path(app.srcdir, draft.post.path))
                    for draft in drafts
                    if not draft.post.not_a_post
                }
            result.read += 1
            ids: set[str] = set()
            for path in source_files(app, docname, draft_files):
                ids.update(map(text_id, contained(normalise(read_text(Path(path))))))
            entry = [read, sorted(ids)]
        result.entries[docname] = entry
        result.quoted.update(entry[1])
    # Names of published pages are in every output (news/ECA25 beside the
    # draft _posts/nl/ECA25): a draft's name within them proves nothing.
    names = "\n".join(
        f"{normalise(name)} {normalise(os.path.basename(app.env.doc2path(name, base=False)))}"
        for name in published
    )
    result.quoted.update(map(text_id, contained(names)))
    return result


def source_files(app: Sphinx, docname: str, draft_files: set[str]) -> list[str]:
    """The file of a published document and the text files it read (a Liquid include).

    A text file a published post includes is part of its text, even one
    beside it in ``_posts/`` that is not a post; the file of a draft post never
    is, and images (a hero the page depends on) are not text.
    """
    files = [os.fspath(app.env.doc2path(docname))]
    for file in sorted(map(os.fspath, app.env.dependencies.get(docname, ()))):
        if (
            os.path.splitext(file)[1].lower() not in IMAGE_SUFFIXES
            and os.path.realpath(file) not in draft_files
            and os.path.isfile(file)
        ):
            files.append(file)
    return files


@dataclass
class AuditPlan:
    """What the audit of one build looks for."""

    drafts: list[Draft]
    traces: list[Trace]
    images: dict[tuple[int, str], str]
    """``(size, sha256) -> draft`` of the images only drafts use."""
    texts_key: str
    quotes: SourceQuotes

    @property
    def signature(self) -> str:
        """When it changes, every output file is read again."""
        return digest(sorted(t.text for t in self.traces) + sorted(map(str, self.images)))


def plan_audit(app: Sphinx, cache: dict[str, Any]) -> AuditPlan:
    """The drafts' traces, without those published sources quote, and their images."""
    drafts = read_drafts(app, newsnode_domain(app.env).held_back().values())
    traces = [trace for draft in drafts for trace in draft_traces(draft) if trace.text]
    texts = {trace.text for trace in traces}
    key = digest(sorted(texts))
    known = cache.get("sources", {}) if cache.get("texts") == key else {}
    quotes = published_quotes(app, texts, drafts, known)
    return AuditPlan(
        drafts=drafts,
        traces=[t for t in traces if text_id(t.text) not in quotes.quoted],
        images=draft_only_images(app, drafts),
        texts_key=key,
        quotes=quotes,
    )


class TraceMatcher:
    """Finds traces in a text, in every form they are written, in one pass."""

    def __init__(self, traces: Iterable[Trace]) -> None:
        self.automaton = ahocorasick.Automaton()
        self.longest = 0
        for trace in traces:
            for form in written_forms(trace.text):
                self.automaton.add_word(form, trace)
                self.longest = max(self.longest, len(form))
        if self.longest:
            self.automaton.make_automaton()

    def matches(self, pieces: Iterable[tuple[str, bool]]) -> Iterator[Trace]:
        """The traces in a text given as normalised pieces, each trace once.

        Each piece is searched with the end of the one before, so a trace
        across two pieces is found; a flag tells whether a space separated
        them. Memory stays flat however long the file.
        """
        if not self.longest:
            return
        seen: set[Trace] = set()
        tail = ""
        for piece, spaced in pieces:
            text = tail + (" " if spaced and tail else "") + piece
            for _end, trace in self.automaton.iter(text):
                if trace not in seen:
                    seen.add(trace)
                    yield trace
            tail = text[-self.longest :]


def audited_files(app: Sphinx) -> Iterator[tuple[str, str, os.stat_result]]:
    """``(path, path relative to the output, stat)`` of every file to audit.

    All but the audit's own record, which holds output paths and digests
    (never a draft's words) and is new after every audit.
    """
    record = os.path.realpath(state_file(app, AUDIT))
    record_name = os.path.basename(record)
    outdir = os.fspath(app.outdir)
    config = app.config
    if config.newsnode_drafts != DRAFTS_SHOW:
        folders = [(outdir, "")]
    else:
        feeds = config.newsnode_feed_path.strip("/")
        folders = [(os.path.join(outdir, feeds), feeds + "/")] if feeds else []
        reports = [e[1] for e in config.latex_documents if len(e) > 4 and e[4] == REPORT_THEME]
        for name in ("sitemap.xml", *reports):
            if os.path.isfile(path := os.path.join(outdir, name)):
                yield path, name, os.stat(path)
    while folders:
        folder, prefix = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, f"{prefix}{entry.name}/"))
            elif entry.is_file() and not (
                entry.name == record_name and os.path.realpath(entry.path) == record
            ):
                yield entry.path, prefix + entry.name, entry.stat()


def plan_inputs(app: Sphinx) -> str:
    """What a plan is made from: when it is as at the last clean audit, so is the plan.

    The unpublished posts (their records and files) and the reading key:
    every document as Sphinx last read it (a published source it finds
    unchanged, and so did not read again, quotes what it quoted) and the
    extension's settings.
    """
    drafts: list[tuple[str, int, int]] = []
    for post in newsnode_domain(app.env).held_back().values():
        try:
            stat = os.stat(os.path.join(app.srcdir, post.path))
        except OSError:
            drafts.append((repr(post), -1, -1))
        else:
            drafts.append((repr(post), stat.st_size, stat.st_mtime_ns))
    return digest([reading_key(app.env), sorted(drafts)])


def content_id(data: bytes) -> str:
    """A short digest of a file's bytes: the same bytes were clean already."""
    return hashlib.sha256(data).hexdigest()[:32]


@dataclass
class AuditResult:
    """What one pass over the output found."""

    leaks: list[str] = field(default_factory=list)
    files: dict[str, list[Any]] = field(default_factory=dict)
    """``path -> [size, mtime_ns, content id]`` of each file, for the next audit."""
    read: int = 0
    searched: int = 0
    volume: int = 0


def search_output(app: Sphinx, plan: AuditPlan | None, cache: dict[str, Any]) -> AuditResult | None:
    """Read the output once; what it holds of the *plan*'s traces.

    A file unchanged (same size and modification time, or else the same
    bytes) since an audit that looked for the same traces and found it clean
    is not searched again. Without a *plan* (its inputs are those of the
    last clean audit, :func:`plan_inputs`), ``None`` as soon as a file needs
    searching: the caller makes the plan then.
    """
    same = plan is None or cache.get("signature") == plan.signature
    clean: dict[str, list[Any]] = cache.get("files", {}) if same else {}
    result = AuditResult()
    matcher = TraceMatcher(plan.traces) if plan else None
    sizes = {size for size, _digest in plan.images} if plan else set()
    for path, where, stat in audited_files(app):
        entry: list[Any] = [stat.st_size, stat.st_mtime_ns]
        known = clean.get(where)
        if known and known[:2] == entry:
            result.files[where] = known
            continue
        with open(path, "rb") as file:
            data = file.read()
        result.read += 1
        result.volume += len(data)
        result.files[where] = entry = [*entry, content_id(data)]
        if known and known[2:] == entry[2:]:
            continue  # rewritten as it was: Sphinx's search page, its static templates
        if plan is None or matcher is None:
            return None
        result.searched += 1
        if len(data) in sizes and (draft := plan.images.get(fingerprint(data))):
            result.leaks.append(f"{where}: an image only the draft {draft} uses")
        if not plan.traces:
            continue
        texts: Iterable[tuple[str, bool]] = [(normalise(where), True)]
        if os.path.splitext(path)[1].lower() not in IMAGE_SUFFIXES - {".svg"}:
            texts = itertools.chain(texts, normalised_pieces(data))
        result.leaks.extend(f"{where}: {trace.describe()}" for trace in matcher.matches(texts))
    return result


def run_audit(app: Sphinx, cache: dict[str, Any]) -> list[str]:
    """Audit the output; the leaks found, one line each.

    The plan (the drafts' traces) is made only when its inputs changed since
    the last clean audit or an output file has bytes that audit did not see.
    """
    inputs = plan_inputs(app)
    plan = plan_audit(app, cache) if cache.get("inputs") != inputs else None
    result = search_output(app, plan, cache)
    if result is None:
        plan = plan_audit(app, cache)
        result = search_output(app, plan, cache)
        assert result is not None
    quotes = plan.quotes.read if plan else 0
    logger.info(
        "newsnode: leak audit read %s (%.1f MB, %d searched) and %s for %s",
        counted(result.read, "file"),
        result.volume / 1e6,
        result.searched,
        counted(quotes, "source"),
        counted(len(newsnode_domain(app.env).held_back()), "unpublished post"),
    )
    if not result.leaks and not (plan is None and same_bytes(result.files, cache.get("files"))):
        state: dict[str, Any] = {"inputs": inputs, "files": result.files}
        if plan is None:  # the same plan as the last clean audit's
            state |= {key: cache.get(key) for key in ("signature", "texts", "sources")}
        else:
            state |= {
                "signature": plan.signature,
                "texts": plan.texts_key,
                "sources": plan.quotes.entries,
            }
        write_state(app, AUDIT, state)
    return result.leaks


def same_bytes(files: dict[str, list[Any]], recorded: dict[str, list[Any]] | None) -> bool:
    """Whether *files* are those *recorded*, each with the same bytes (its times may differ).

    Then the last clean audit's record stands, and the files Sphinx rewrote
    as they were (its search page, its index) are read again next time, as
    they were this time, rather than the whole record written for them.
    """
    if recorded is None or files.keys() != recorded.keys():
        return False
    # Most entries are the recorded ones themselves (the file was not read again).
    return all(
        entry is (old := recorded[name]) or entry[2:] == old[2:] for name, entry in files.items()
    )


def audit_output(app: Sphinx, exception: Exception | None) -> None:
    """Fail the build when the output holds a trace of an unpublished post."""
    if exception is not None or not app.config.newsnode_leak_audit:
        return
    if not newsnode_domain(app.env).held_back():
        return
    started = time.perf_counter()
    leaks = run_audit(app, read_state(app, AUDIT, {}))
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
    app.connect("build-finished", audit_output, priority=order.LEAK_AUDIT)
