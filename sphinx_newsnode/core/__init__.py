"""The base every layer stands on: configuration, warnings, build state, running order.

Owns: the ``newsnode_*`` configuration values (:mod:`.config`), the warning
subtypes and the one function that logs them (:mod:`.diagnostics`), the
small state files kept beside the doctrees between builds (:mod:`.state`),
the extension's messages in any language (:mod:`.i18n`) and the priorities
that order the extension's transforms and event handlers among themselves
and Sphinx's (:mod:`.order`).

Imports: Sphinx and the standard library only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SHARED = ("config", "diagnostics", "state", "order", "i18n")


def setup_core(app: Sphinx) -> None:
    """Declare the configuration values; check them once ``conf.py`` is read."""
    from sphinx_newsnode.core.config import check_config, name_the_site, setup_config

    setup_config(app)
    app.connect("config-inited", check_config)
    app.connect("config-inited", name_the_site)
