"""``site.data``: the YAML and JSON files of a site's ``_data`` folder.

Read once a build (and once an import), through links that stay inside the
site only: a file or folder that is a link leading out of it is refused, as
is a file that is not valid YAML (each with its reason, for one warning).
What the data depends on is the files' digests (:attr:`SiteData.stamp`),
never a dump of the data: a YAML alias bomb is small as files and as
objects, and astronomically long as JSON.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sphinx_newsnode.core.diagnostics import Subtype
from sphinx_newsnode.model.frontmatter import load_yaml
from sphinx_newsnode.model.gbif import SNAPSHOT_FOLDER
from sphinx_newsnode.model.links import confined

DATA_SUFFIXES = frozenset({".yml", ".yaml", ".json"})
OUTSIDE = "is a link to a file outside the site; it is not read"


@dataclass(frozen=True)
class SiteData:
    """``site.data`` of a site, and what reading it found."""

    data: dict[str, Any]
    stamp: tuple[tuple[str, str], ...]
    """``(path, sha256)`` of each file read: what the data depends on."""
    refused: tuple[tuple[Path, int, Subtype, str], ...]
    """``(file, line, subtype, why)`` of each data file not read."""
    files: tuple[Path, ...] = ()
    """The files read."""


def read_site_data(root: Path) -> SiteData:
    """``site.data``: the YAML and JSON files of ``_data/`` under the site *root*.

    A file or folder that is a link leading out of *root* is not read; a
    file that is not valid YAML neither. Each is refused with its reason.
    The GBIF snapshots of ``newsnode stats`` are the reports' (which check
    them), not the site's data.
    """
    data: dict[str, Any] = {}
    stamp: list[tuple[str, str]] = []
    refused: list[tuple[Path, int, Subtype, str]] = []
    read: list[Path] = []
    folder = root / "_data"
    snapshots = root / SNAPSHOT_FOLDER
    for path in data_files(folder, root, refused):
        if path.is_relative_to(snapshots):
            continue
        if confined(path, root) is None:
            refused.append((path, 1, Subtype.UNSAFE_PATH, f"{path.name} {OUTSIDE}"))
            continue
        try:
            raw = path.read_bytes()
            value = load_yaml(raw.decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            # Expressions that need it stay visible, each with its own warning.
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or exc
            line = mark.line + 1 if mark else 1
            refused.append((path, line, Subtype.JEKYLL, f"data file not read: {problem}"))
            continue
        relative = path.relative_to(folder)
        stamp.append((relative.as_posix(), hashlib.sha256(raw).hexdigest()))
        read.append(path)
        target = data
        for part in relative.with_suffix("").parts[:-1]:
            target = target.setdefault(part, {})
            if not isinstance(target, dict):
                break
        else:
            target[path.stem] = value
    return SiteData(data, tuple(stamp), tuple(refused), tuple(read))


def data_files(
    folder: Path, root: Path, refused: list[tuple[Path, int, Subtype, str]]
) -> list[Path]:
    """The data files under *folder*, sorted, through links that stay inside *root*."""
    if not folder.is_dir():
        return []
    if confined(folder, root) is None:
        refused.append((folder, 1, Subtype.UNSAFE_PATH, f"{folder.name}/ {OUTSIDE}"))
        return []
    found: list[Path] = []
    seen: set[Path] = set()
    for directory, folders, names in os.walk(folder, followlinks=True):
        here = Path(directory)
        if (resolved := here.resolve()) in seen:
            folders.clear()  # a link back up the tree: walked already
            continue
        seen.add(resolved)
        for name in list(folders):
            if confined(here / name, root) is None:
                refused.append((here / name, 1, Subtype.UNSAFE_PATH, f"{name}/ {OUTSIDE}"))
                folders.remove(name)
        found.extend(here / n for n in names if Path(n).suffix.lower() in DATA_SUFFIXES)
    return sorted(found)
