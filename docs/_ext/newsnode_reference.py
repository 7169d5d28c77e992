"""Reference tables of the docs, generated from sphinx-newsnode's own code.

``newsnode-config-reference`` renders :data:`sphinx_newsnode.config.OPTIONS`
as ``confval`` entries and ``newsnode-warnings-reference`` the warning
subtypes, so the reference cannot drift from the code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from sphinx_newsnode.config import OPTIONS
from sphinx_newsnode.warnings_ import SUBTYPE_HELP

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


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_directive("newsnode-config-reference", ConfigReference)
    app.add_directive("newsnode-warnings-reference", WarningsReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
