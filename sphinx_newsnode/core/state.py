"""Small state files kept beside the doctrees from one build to the next.

What an incremental build needs to remember that the environment does not
hold: the outputs the gate swept, what the audit found clean, the files the
extension wrote into the output (:class:`OwnedFiles`: redirects, feeds,
archive pages), what the archive pages were made from. One JSON file per builder
and purpose in the doctree folder (never in the output); a file that is
missing or unreadable is an empty state, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def state_file(app: Sphinx, purpose: str) -> Path:
    """The state file of *purpose* (``audit``, ``redirects``...) for this builder."""
    return Path(app.doctreedir, f"newsnode-{purpose}-{app.builder.name}.json")


def read_state(app: Sphinx, purpose: str, default: Any) -> Any:
    """What the last build stored for *purpose*, or *default* (also when of another type)."""
    try:
        value = json.loads(state_file(app, purpose).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default
    return value if isinstance(value, type(default)) else default


def write_state(app: Sphinx, purpose: str, value: Any) -> None:
    """Store *value* (JSON) for *purpose* until the next build."""
    state_file(app, purpose).write_text(json.dumps(value, sort_keys=True), encoding="utf-8")


def short_digest(text: str) -> str:
    """A short digest of *text*, for records kept by the thousand (no words on disk)."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def digest(value: object) -> str:
    """A stable digest of a JSON-like value (keys sorted; dates and others as text)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


class OwnedFiles:
    """The files of the output one kind of generated page was written to, build to build.

    Each build records the files it wrote (:meth:`keep`), with the size and
    modification time they were left with; :meth:`finish` deletes those an
    earlier build wrote that this one did not (a tag no post has any more,
    the third page of a year that now has two, the feed of a language gone),
    so no stale page outlives its posts. A file is the extension's only while
    it is exactly as it was left: one a user or another tool wrote or changed
    at that path is never deleted.
    """

    def __init__(self, app: Sphinx, purpose: str) -> None:
        self.app = app
        self.purpose = purpose
        self.outdir = Path(app.outdir)
        self.previous: dict[str, list[Any]] = read_state(app, purpose, {})
        self.kept: dict[str, list[Any]] = {}

    def ours(self, name: str) -> bool:
        """Whether the file at *name* (relative to the output) is as an earlier build left it."""
        recorded = self.previous.get(name)
        try:  # os, not pathlib: asked for every redirect of every build
            stat = os.stat(os.path.join(self.outdir, name))  # noqa: PTH116, PTH118
        except OSError:
            return False
        return recorded is not None and recorded[-2:] == [stat.st_size, stat.st_mtime_ns]

    def keep(self, name: str, *facts: Any) -> None:
        """Record the file at *name*, written (or left standing) by this build."""
        stat = (self.outdir / name).stat()
        self.kept[name] = [*facts, stat.st_size, stat.st_mtime_ns]

    def keep_recorded(self, name: str) -> None:
        """Keep the file at *name* as the last build recorded it (it stands as it was left)."""
        self.kept[name] = self.previous[name]

    def keep_previous(self, *facts: Any) -> bool:
        """Keep what the last build wrote if all of it stands as it was left; whether it does.

        With *facts*, only if the last build recorded some files, each with
        these facts first (what it was made of).
        """
        recorded = self.previous.values()
        if facts and not (recorded and all(r[: len(facts)] == list(facts) for r in recorded)):
            return False
        if not all(map(self.ours, self.previous)):
            return False
        self.kept.update(self.previous)
        return True

    def finish(self) -> None:
        """Delete the files no longer written (those left unchanged), and save the record if new."""
        for stale in sorted(self.previous.keys() - self.kept.keys()):
            if self.ours(stale):
                path = self.outdir / stale
                path.unlink()
                for folder in path.parents:  # the folders it leaves empty
                    if folder == self.outdir or any(folder.iterdir()):
                        break
                    folder.rmdir()
        if self.kept != self.previous:  # a record that stands is not written again
            write_state(self.app, self.purpose, self.kept)
