"""The extension's messages in any language, not only the project's.

Sphinx translates into the project's ``language``; a multilingual news site
also needs labels in the language of a page, a feed or a report
(``News of 2021`` on the French archive page is ``Actualités de 2021``).
:func:`translator` reads the same shipped catalogues for any language.
"""

from __future__ import annotations

import functools
import gettext
from pathlib import Path

CATALOGUE = "sphinx_newsnode"
LOCALES = Path(__file__).parents[1] / "locales"


@functools.lru_cache(maxsize=64)
def translator(language: str | None) -> gettext.NullTranslations:
    """The catalogue of *language* (``pt-BR`` falls back to ``pt``; unknown: English)."""
    if not language:
        return gettext.NullTranslations()
    wanted = [language.replace("-", "_"), language.split("-")[0]]
    return gettext.translation(CATALOGUE, LOCALES, languages=wanted, fallback=True)
