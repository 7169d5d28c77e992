"""Reading YAML front matter from a post file, typed and located.

MyST hands front matter to docutils as strings (``false`` becomes
``"False"``, lists become JSON), so posts are read here with pyyaml's safe
loader instead. Each top-level key is constructed on its own: one bad value
(``date: 2023-13-01`` that YAML rejects) costs that key, not the whole front
matter, and every key keeps the line it was written on for warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from pathlib import Path

    from sphinx_newsnode.core.diagnostics import Problem

DELIMITERS = ("---", "...")
MAX_DEPTH = 32
"""Levels of nesting a front-matter value may have (a ``cta`` list has two).

Deeper values are refused before they are built: Python would build and
walk them recursively (``RecursionError`` at about 900 levels)."""


# libyaml's parser when pyyaml has it (ten times faster), with the same safe constructor.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe loader that leaves construction to :func:`parse_front_matter`."""


@dataclass
class FrontMatter:
    """The front matter of one file.

    ``data`` maps keys to values; ``lines`` maps keys (and ``key[i]`` for the
    items of a list) to 1-based line numbers in the file; ``errors`` holds
    ``(line, message)`` for values that could not be read.
    ``readable`` is false when the block as a whole could not be parsed.
    """

    data: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[int, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Problems of passes over the values before they are interpreted (Liquid)."""
    readable: bool = True
    decodable: bool = True
    """False when the file is not UTF-8 text at all (a JPEG named ``.md``)."""
    body_line: int = 1
    """The line on which the body starts."""


def read_front_matter(path: Path) -> FrontMatter | None:
    """Read the front matter of the file at *path*.

    Returns ``None`` when the file is text that does not start with a ``---``
    line (or, for reStructuredText, a ``:field:`` list): it has no front
    matter and is not a post. A file that is not UTF-8 text (a JPEG named
    ``.md``), or whose block is never closed, gives an unreadable
    :class:`FrontMatter`.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return FrontMatter(
            readable=False, decodable=False, errors=[(1, f"cannot read the file: {exc}")]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return FrontMatter(readable=False, decodable=False, errors=[(1, not_text(raw, exc))])
    if path.suffix == ".rst" and text.startswith(":"):
        return parse_field_list(text)
    return parse_front_matter(text)


#: The first bytes of files that end up named ``.md`` by mistake.
_MAGIC = (
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
)


def not_text(raw: bytes, error: UnicodeDecodeError) -> str:
    """Why a file is not read, and what to do."""
    kind = next((name for magic, name in _MAGIC if raw.startswith(magic)), None)
    if raw[8:12] == b"WEBP" and raw.startswith(b"RIFF"):
        kind = "a WebP image"
    if kind:
        return f"the file is not text but {kind}: give it its own extension or remove it"
    return f"the file is not valid UTF-8 (byte {error.start}); save it as UTF-8"


def parse_front_matter(text: str) -> FrontMatter | None:
    """Parse the front matter at the start of *text* (see :func:`read_front_matter`)."""
    lines = text.splitlines()
    if not lines or lines[0].rstrip() != "---":
        return None
    end = next((n for n in range(1, len(lines)) if lines[n].rstrip() in DELIMITERS), None)
    if end is None:
        return FrontMatter(
            readable=False, errors=[(1, "the front matter has no closing '---' line")]
        )
    result = FrontMatter(body_line=end + 2)
    try:
        # The reader rejects control characters as it is made: inside the try.
        loader = _Loader("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        return FrontMatter(readable=False, errors=[(1, f"broken YAML: {exc}")])
    try:
        root = _compose(loader)
        if root is None:
            return result
        if not isinstance(root, yaml.MappingNode):
            return FrontMatter(
                readable=False,
                errors=[(2, "the front matter is not a mapping of keys to values")],
            )
        loader.flatten_mapping(root)  # honour YAML merge keys (<<: *base)
        for key_node, value_node in root.value:
            _construct_key(loader, key_node, value_node, result)
    except yaml.YAMLError as exc:
        # Where the broken construct starts (an unclosed "["), else where it broke;
        # never past the closing line (libyaml reports the end of the stream).
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = min(mark.line + 2, end + 1) if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        return FrontMatter(readable=False, errors=[(line, f"broken YAML: {problem}")])
    finally:
        loader.dispose()
    return result


def _compose(loader: _Loader) -> yaml.Node | None:
    """The node tree of the loader's one document.

    pyyaml's pure-Python composer (without libyaml) recurses per level:
    nesting too deep for it is broken YAML here, not a crash.
    """
    try:
        return loader.get_single_node()
    except RecursionError:
        raise yaml.YAMLError("the YAML is nested too deeply") from None


def too_deep(node: yaml.Node, limit: int) -> bool:
    """Whether the value of *node* nests more than *limit* levels.

    Walked without recursion; a node reached again through an alias is
    walked again only when reached deeper than before.
    """
    deepest: dict[int, int] = {}
    stack = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > limit:
            return True
        if deepest.get(id(current), 0) >= depth:
            continue
        deepest[id(current)] = depth
        if isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend(((key, depth + 1), (value, depth + 1)))
    return False


def load_yaml(text: str, max_depth: int = 2 * MAX_DEPTH) -> Any:
    """The value of a YAML document (a data file, ``_config.yml``), read safely.

    Raises :class:`yaml.YAMLError` when it is broken or nests more than
    *max_depth* levels.
    """
    loader = _Loader(text)
    try:
        root = _compose(loader)
        if root is None:
            return None
        if too_deep(root, max_depth):
            raise yaml.YAMLError(f"the YAML is nested more than {max_depth} levels deep")
        return loader.construct_document(root)
    finally:
        loader.dispose()


def _construct_key(
    loader: _Loader, key_node: yaml.Node, value_node: yaml.Node, into: FrontMatter
) -> None:
    """Construct one top-level key and its value into *into*."""
    line = key_node.start_mark.line + 2  # 1-based, after the opening '---'
    if not isinstance(key_node, yaml.ScalarNode):
        into.errors.append((line, "a front-matter key must be a plain name"))
        return
    key = str(key_node.value)
    into.lines[key] = line
    if isinstance(value_node, yaml.SequenceNode):
        for index, item in enumerate(value_node.value):
            into.lines[f"{key}[{index}]"] = item.start_mark.line + 2
    if too_deep(value_node, MAX_DEPTH):
        into.errors.append((line, f"{key}: nested more than {MAX_DEPTH} levels deep; ignored"))
        return
    try:
        into.data[key] = loader.construct_object(value_node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        # A scalar YAML resolved but could not build (month 13): keep its text.
        if isinstance(value_node, yaml.ScalarNode):
            into.data[key] = str(value_node.value)
        else:
            into.errors.append((line, f"{key}: cannot read the value ({exc})"))


_FIELD = re.compile(r":([^:\s][^:]*):(?:\s+(.*))?$")


def parse_field_list(text: str) -> FrontMatter:
    """Read the docinfo field list at the top of a reStructuredText post.

    Each value is read as YAML when it is one (``false``, ``2021-11-07``,
    ``[a, b]``) and kept as written otherwise, so reST markup in a credit
    (``*Species*``) stays text. Indented lines continue a field.
    """
    result = FrontMatter()
    key = ""
    values: dict[str, list[str]] = {}
    lines = text.splitlines()
    number = 0
    for number, line in enumerate(lines, 1):
        if match := _FIELD.match(line):
            key = match.group(1).strip()
            result.lines[key] = number
            values[key] = [match.group(2) or ""]
        elif key and line[:1] in {" ", "\t"} and line.strip():
            values[key].append(line.strip())
        else:
            break
    else:
        number += 1
    result.body_line = number
    for key, parts in values.items():
        raw = " ".join(part for part in parts if part)
        try:
            value = yaml.safe_load(raw) if raw else None
        except (yaml.YAMLError, ValueError):
            value = raw
        result.data[key] = raw if isinstance(value, str) else value
    return result
