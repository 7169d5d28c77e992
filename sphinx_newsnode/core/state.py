"""Small state files kept beside the doctrees from one build to the next.

What an incremental build needs to remember that the environment does not
hold: the outputs the gate swept, what the audit found clean, the redirects
written, what the archive pages were made from. One JSON file per builder
and purpose in the doctree folder (never in the output); a file that is
missing or unreadable is an empty state, never an error.
"""

from __future__ import annotations

import hashlib
import json
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


def digest(value: object) -> str:
    """A stable digest of a JSON-like value (keys sorted; dates and others as text)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()
