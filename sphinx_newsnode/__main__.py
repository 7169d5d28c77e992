"""``python -m sphinx_newsnode``: the ``newsnode`` command."""

import sys

from sphinx_newsnode.cli.main import main

sys.exit(main())
