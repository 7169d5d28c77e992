"""Reference tables of the docs, generated from sphinx-newsnode's own code.

``newsnode-config-reference`` renders :data:`sphinx_newsnode.core.config.OPTIONS`
as ``confval`` entries, ``newsnode-warnings-reference`` the warning
subtypes, ``newsnode-command-reference`` the ``--help`` of each command and
``newsnode-css-reference`` the stylesheet's custom properties, so the
reference cannot drift from the code.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from sphinx_newsnode import CSS_FILE, STATIC_DIR
from sphinx_newsnode.cli.main import parser
from sphinx_newsnode.core.config import OPTIONS
from sphinx_newsnode.core.diagnostics import SUBTYPE_HELP

if TYPE_CHECKING:
    from sphinx.application import Sphinx


REBUILDS = {
    "env": "Changing it re-reads the sources.",
    "html": "Changing it rewrites the HTML pages.",
    "": "Changing it needs no rebuild.",
}


class _GeneratedReST(SphinxDirective):
    """Parse generated reStructuredText in place."""

    def lines(self) -> list[str]:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        self.state.nested_parse(StringList(self.lines(), source="<generated>"), 0, container)
        return container.children


class ConfigReference(_GeneratedReST):
    """Every ``newsnode_*`` value as a ``confval``."""

    def lines(self) -> list[str]:
        out: list[str] = []
        for option in OPTIONS:
            types = (
                " | ".join(repr(c) for c in option.choices)
                if option.choices
                else " | ".join("None" if t is type(None) else t.__name__ for t in option.types)
            )
            out += [
                f".. confval:: {option.name}",
                f"   :type: ``{types}``",
                f"   :default: ``{option.default!r}``",
                "",
                f"   {option.description}",
                "",
                f"   {REBUILDS[option.rebuild]}",
                "",
            ]
        return out


class WarningsReference(_GeneratedReST):
    """Every warning subtype, with what it reports."""

    def lines(self) -> list[str]:
        out = [".. list-table::", "   :header-rows: 1", "", "   * - Type", "     - Reports"]
        for subtype, help_text in SUBTYPE_HELP.items():
            out += [f"   * - ``newsnode.{subtype.value}``", f"     - {help_text}"]
        return out


class CommandReference(SphinxDirective):
    """The ``--help`` of ``newsnode`` and of each of its commands."""

    def run(self) -> list[nodes.Node]:
        main = parser()
        main.prog = "newsnode"
        helps = [("newsnode", main.format_help())]
        commands = next(a for a in main._actions if a.dest == "command")
        for name, sub in commands.choices.items():  # type: ignore[union-attr]
            helps.append((f"newsnode {name}", sub.format_help()))
        result: list[nodes.Node] = []
        for title, text in helps:
            section = nodes.rubric(title, title)
            block = nodes.literal_block(text, text, language="text")
            result += [section, block]
        return result


_PROPERTY = re.compile(r"^\s*(--newsnode-[\w-]+):\s*(.+?);?$")


class CSSReference(_GeneratedReST):
    """The custom properties of the stylesheet, with their default values."""

    def lines(self) -> list[str]:
        css = (STATIC_DIR / CSS_FILE).read_text(encoding="utf-8")
        root = css[css.index(":root {") : css.index("}", css.index(":root {"))]
        out = [".. list-table::", "   :header-rows: 1", "", "   * - Property", "     - Default"]
        # One line per value: a multi-line gradient is joined.
        text = re.sub(r"\s+\)", ")", re.sub(r"\(\s+", "(", re.sub(r",\s+", ", ", root)))
        for line in text.splitlines():
            if match := _PROPERTY.match(line):
                out += [f"   * - ``{match[1]}``", f"     - ``{match[2].rstrip(';')}``"]
        return out


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_directive("newsnode-config-reference", ConfigReference)
    app.add_directive("newsnode-warnings-reference", WarningsReference)
    app.add_directive("newsnode-command-reference", CommandReference)
    app.add_directive("newsnode-css-reference", CSSReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
