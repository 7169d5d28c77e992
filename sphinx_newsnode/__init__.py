"""sphinx-newsnode: Jekyll news posts of GBIF nodes as Sphinx documents.

The package is built in layers (``core``, ``model``, ``jekyll``, ``gate``,
``reading``, ``outputs``, ``cli``), each importing only from those below it;
modules cite the rules they follow as "SPEC §N", the sections of
``docs/specification.md``.
"""

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
    """Set up MyST-Parser and the layers of the extension, bottom to top."""
    from sphinx_newsnode.core import setup_core
    from sphinx_newsnode.gate import setup_gate
    from sphinx_newsnode.jekyll import setup_jekyll
    from sphinx_newsnode.model import setup_model
    from sphinx_newsnode.outputs import setup_outputs
    from sphinx_newsnode.reading import setup_reading

    app.setup_extension("myst_parser")
    setup_core(app)
    setup_model(app)
    setup_jekyll(app)
    setup_gate(app)
    setup_reading(app)
    setup_outputs(app)
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
