"""The publication gate: no unpublished post reaches any output, and every build proves it.

Owns: the scan of the posts on disk and their state (:mod:`.scan`), their
exclusion from Sphinx's discovery (:mod:`.gate`), the removal of what
earlier builds wrote for them (:mod:`.sweep`), links to them shown as text
(:mod:`.links`), and the leak audit of the output (:mod:`.audit`) with the
traces it looks for (:mod:`.evidence`).

Imports: :mod:`~sphinx_newsnode.core`, :mod:`~sphinx_newsnode.model` and
:mod:`~sphinx_newsnode.jekyll` (the gate renders front matter as the Jekyll
site did before deciding). Features import :mod:`.scan` and :mod:`.evidence`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SHARED = ("scan", "evidence")


def setup_gate(app: Sphinx) -> None:
    """Connect the gate, the sweep, the link resolver and the audit."""
    from sphinx_newsnode.gate.audit import setup_audit
    from sphinx_newsnode.gate.gate import PublicationGate
    from sphinx_newsnode.gate.links import UnpublishedLinks
    from sphinx_newsnode.gate.sweep import StaleOutputs

    PublicationGate().connect(app)
    StaleOutputs().connect(app)
    app.add_post_transform(UnpublishedLinks)
    setup_audit(app)
