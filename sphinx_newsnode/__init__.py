"""sphinx-newsnode: Jekyll news posts of GBIF nodes as Sphinx documents."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

from sphinx.util.fileutil import copy_asset_file

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: Bump when the pickled post records change shape.
ENV_VERSION = 3
STATIC_DIR = Path(__file__).parent / "static"
CSS_FILE = "sphinx-newsnode.css"


def setup(app: Sphinx) -> ExtensionMetadata:
    """Set up MyST-Parser and every part of the extension."""
    from sphinx_newsnode.core.config import check_config, setup_config
    from sphinx_newsnode.gate.audit import setup_audit
    from sphinx_newsnode.gate.gate import PublicationGate
    from sphinx_newsnode.jekyll.kramdown import AttributeLists
    from sphinx_newsnode.jekyll.permalinks import setup_permalinks
    from sphinx_newsnode.jekyll.rawhtml import RawHtmlFallbacks
    from sphinx_newsnode.model.domain import NewsnodeDomain
    from sphinx_newsnode.outputs.archive import setup_archive
    from sphinx_newsnode.outputs.feeds import setup_feeds
    from sphinx_newsnode.outputs.listing import setup_listing
    from sphinx_newsnode.outputs.pdf import setup_pdf
    from sphinx_newsnode.outputs.report import setup_report
    from sphinx_newsnode.outputs.social import setup_social
    from sphinx_newsnode.reading.confine import ConfinedFiles
    from sphinx_newsnode.reading.cta import setup_cta
    from sphinx_newsnode.reading.hero import setup_hero
    from sphinx_newsnode.reading.page import PostTransform, prepare_source

    app.setup_extension("myst_parser")
    for suffix in (".markdown", ".MD"):  # Jekyll post extensions (SPEC §9)
        if suffix not in app.config.source_suffix:
            app.add_source_suffix(suffix, "markdown")
    setup_config(app)
    app.connect("config-inited", check_config)
    app.add_domain(NewsnodeDomain)
    PublicationGate().connect(app)
    app.connect("source-read", prepare_source)
    app.add_transform(AttributeLists)
    app.add_transform(RawHtmlFallbacks)
    app.add_transform(PostTransform)
    app.add_transform(ConfinedFiles)
    setup_permalinks(app)
    setup_hero(app)
    setup_cta(app)
    setup_listing(app)
    setup_archive(app)
    setup_feeds(app)
    setup_social(app)
    setup_report(app)
    setup_pdf(app)
    setup_audit(app)
    app.connect("builder-inited", _add_stylesheet)
    app.connect("build-finished", _copy_stylesheet)
    app.add_message_catalog("sphinx_newsnode", str(Path(__file__).parent / "locales"))
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def _add_stylesheet(app: Sphinx) -> None:
    """Link the stylesheet from pages of HTML builders (only)."""
    if app.builder.format == "html":
        app.add_css_file(CSS_FILE)


def _copy_stylesheet(app: Sphinx, exception: Exception | None) -> None:
    """Copy the stylesheet into ``_static``.

    The configuration is left alone: appending to ``html_static_path`` would
    make it differ from the pickled one on the next build.
    """
    if exception is None and app.builder.format == "html":
        copy_asset_file(STATIC_DIR / CSS_FILE, Path(app.builder.outdir, "_static"), force=True)
