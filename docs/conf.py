"""Documentation of sphinx-newsnode, built with sphinx-newsnode itself."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

from sphinx_newsnode import __version__

project = "sphinx-newsnode"
author = "sphinx-newsnode developers"
copyright = "2026, sphinx-newsnode developers"
release = version = __version__

extensions = ["sphinx_newsnode", "newsnode_reference"]
exclude_patterns = ["_build", "README.md"]
newsnode_timezone = "Africa/Johannesburg"

# Drafts are built, marked and kept from search engines only in pull-request
# previews on Read the Docs; every other build leaves them out entirely.
if os.environ.get("READTHEDOCS_VERSION_TYPE") == "external":
    newsnode_drafts = "show"

# Absolute URLs of feeds and social metadata: Read the Docs gives the canonical
# address of each version.
html_baseurl = os.environ.get(
    "READTHEDOCS_CANONICAL_URL", "https://sphinx-newsnode.readthedocs.io/en/latest/"
)

# The sample annual report: the example posts of 2021 as a PDF,
# docs/_build/latex/node-report-2021.pdf (sphinx-build -M latexpdf docs docs/_build).
newsnode_reports = {
    2021: {"title": "SANBI-GBIF news 2021", "author": "SANBI-GBIF, the South African GBIF node"}
}
latex_documents = []  # the report is this project's only PDF
# The node whose GBIF figures the report shows. The snapshots in docs/_data/gbif/
# are SAMPLE DATA (made-up figures in the format `newsnode stats` writes).
newsnode_gbif = {"country": "ZA"}

html_theme = "furo"
html_title = "sphinx-newsnode"
myst_enable_extensions = ["attrs_inline", "colon_fence", "deflist"]
