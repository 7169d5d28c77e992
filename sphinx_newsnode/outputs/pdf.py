"""What a PDF cannot take is dropped with a warning, not a failed build (SPEC §7).

Node posts carry SVG and WebP heroes, remote images, emoji and names in any
script. Sphinx passes them to LaTeX as they are, and pdfTeX stops with an
error. Before a LaTeX document is written, :func:`make_printable`

* replaces each image pdfTeX cannot include (SVG, WebP, GIF, a remote URL
  that could not be fetched) by its alternative text, unless
  ``sphinx.ext.imgconverter`` is there to convert it;
* with the ``pdflatex`` engine, transliterates Cyrillic (unless the document
  is set up for it) and drops characters pdfTeX has no glyph for (Greek,
  Thai, emoji, rare symbols); ``lualatex`` (and ``xelatex``) print every
  script with GNU FreeFont, and drop only emoji, which no font there has.

Each change is one ``newsnode.image`` or ``newsnode.pdf`` warning.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.texescape import unicode_tex_replacements

from sphinx_newsnode.core import order
from sphinx_newsnode.core.diagnostics import Subtype, warn
from sphinx_newsnode.outputs.urls import PRINTABLE_IMAGE_SUFFIXES

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx


#: Code points pdfTeX typesets with Sphinx's set-up (inputenc utf8, fontenc
#: T1, textcomp), as read from LaTeX's own UTF-8 definitions (\u8:...).
_PDFTEX_RANGES = (
    (0x09, 0x0A), (0x0D, 0x0D), (0x20, 0x7E), (0xA0, 0x125), (0x128, 0x137),
    (0x139, 0x13E), (0x141, 0x148), (0x14A, 0x165), (0x168, 0x17E), (0x192, 0x192),
    (0x1C4, 0x1D4), (0x1E2, 0x1E3), (0x1E6, 0x1EB), (0x1F0, 0x1F0), (0x1F4, 0x1F5),
    (0x218, 0x21B), (0x232, 0x233), (0x237, 0x237), (0x200C, 0x200C), (0x2010, 0x2016),
    (0x2018, 0x201A), (0x201C, 0x201E), (0x2020, 0x2022), (0x2026, 0x2026),
    (0x2030, 0x2031), (0x2039, 0x203B), (0x203D, 0x203D), (0x2044, 0x2044),
    (0x204E, 0x204E), (0x2052, 0x2052), (0x20A1, 0x20A1), (0x20A4, 0x20A4),
    (0x20A6, 0x20A6), (0x20A9, 0x20A9), (0x20AB, 0x20AC), (0x20B1, 0x20B1),
    (0x2103, 0x2103), (0x2116, 0x2117), (0x211E, 0x211E), (0x2120, 0x2120),
    (0x2122, 0x2122), (0x2126, 0x2127), (0x212E, 0x212E), (0x2190, 0x2193),
)  # fmt: skip
#: Sphinx turns these into LaTeX commands itself.
_SPHINX_REPLACED = frozenset(char for char, _tex in unicode_tex_replacements)
_SPACES = {chr(c): " " for c in range(0x2000, 0x200B)} | {"\u202f": " ", "\u205f": " "}
_INVISIBLE = frozenset({"\u200b", "\u200d", "\ufe0e", "\ufe0f", "\u2060", "\ufeff"})
# ISO 9 / scientific transliteration, simplified to ASCII where pdfTeX needs it.
_CYRILLIC = dict(
    zip(
        "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюяІіЇїЄєҐґЎў",
        "A B V G D E Yo Zh Z I Y K L M N O P R S T U F Kh Ts Ch Sh Shch ʺ Y ʹ E Yu Ya "
        "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch ʺ y ʹ e yu ya "
        "I i Yi yi Ye ye G g U u".replace("ʺ", "")
        .replace("ʹ", "")
        .split(" "),
        strict=True,
    )
)
CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "bg", "sr", "mk", "be", "kk"})


def pdftex_prints(char: str) -> bool:
    """Whether pdfTeX, as Sphinx sets it up, has a glyph for *char*."""
    code = ord(char)
    if char in _SPHINX_REPLACED:
        return True
    return any(low <= code <= high for low, high in _PDFTEX_RANGES)


def printable_text(text: str, *, cyrillic: bool) -> tuple[str, set[str], set[str]]:
    """*text* for pdfTeX: ``(text, transliterated, dropped)``."""
    out = []
    transliterated: set[str] = set()
    dropped: set[str] = set()
    for char in text:
        if pdftex_prints(char):
            out.append(char)
        elif char in _SPACES:
            out.append(" ")
        elif char in _INVISIBLE:
            continue
        elif char in _CYRILLIC and not cyrillic:
            out.append(_CYRILLIC[char])
            transliterated.add(char)
        elif cyrillic and "\u0400" <= char <= "\u04ff":
            out.append(char)
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            base = "".join(c for c in decomposed if not unicodedata.combining(c))
            if base and all(pdftex_prints(c) for c in base):
                out.append(base)  # a letter with an accent pdfTeX lacks: its base letter
            else:
                dropped.add(char)
    return "".join(out), transliterated, dropped


def make_printable(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Make a LaTeX doctree printable by the configured engine (``doctree-resolved``)."""
    if app.builder.format != "latex":
        return
    drop_unprintable_images(app, doctree)
    if app.config.latex_engine == "pdflatex":
        replace_unprintable_text(app, doctree, docname)
    else:
        drop_pictographs(doctree, docname)


def drop_unprintable_images(app: Sphinx, doctree: nodes.document) -> None:
    """Replace images pdfTeX cannot include, or whose file is missing, by their text.

    An image is there when it is one of the source's or a file written into
    the output folder by the build (a report's charts).
    """
    converter = "sphinx.ext.imgconverter" in app.extensions
    for image in list(doctree.findall(nodes.image)):
        uri = image["uri"]
        if "://" not in uri and uri not in app.env.images and not Path(app.outdir, uri).is_file():
            # Sphinx warned that it cannot read the file; pdfTeX would stop on it.
            image.replace_self(image_as_text(image))
            continue
        candidates: dict[str, str] = image.get("candidates", {})
        if converter or (
            "?" not in candidates
            and (
                PurePosixPath(uri).suffix.lower() in PRINTABLE_IMAGE_SUFFIXES
                or any(
                    c.startswith(("image/png", "image/jpeg", "application/pdf")) for c in candidates
                )
            )
        ):
            continue
        name = PurePosixPath(uri).name
        warn(
            Subtype.IMAGE,
            f"{name}: this image cannot go into the PDF and was replaced by its text "
            "(add sphinx.ext.imgconverter to convert SVG, WebP or GIF)",
            image,
        )
        image.replace_self(image_as_text(image))


def image_as_text(image: nodes.image) -> nodes.inline:
    """``[alt text]`` in place of an image."""
    alt = image.get("alt") or PurePosixPath(image["uri"]).name
    return nodes.inline(f"[{alt}]", f"[{alt}]", classes=["newsnode-image-text"])


def replace_unprintable_text(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Transliterate or drop the characters pdfTeX has no glyph for."""
    cyrillic = (app.config.language or "")[:2] in CYRILLIC_LANGUAGES or "T2A" in str(
        app.config.latex_elements.get("fontenc", "")
    )
    transliterated, dropped = rewrite_texts(
        doctree, lambda value: printable_text(value, cyrillic=cyrillic)
    )
    if transliterated:
        warn(
            Subtype.PDF,
            f"Cyrillic text was transliterated for pdfTeX ({''.join(sorted(transliterated))[:20]}"
            "...); set latex_engine = 'lualatex' to keep the original script",
            docname,
        )
    if dropped:
        shown = " ".join(sorted(dropped)[:12])
        warn(
            Subtype.PDF,
            f"{len(dropped)} character(s) pdfTeX cannot print were left out of the PDF: "
            f"{shown}; set latex_engine = 'lualatex' for every script",
            docname,
        )


def rewrite_texts(
    doctree: nodes.document, convert: Callable[[str], tuple[str, set[str], set[str]]]
) -> tuple[set[str], set[str]]:
    """Put *convert*'s text in place of every non-ASCII text; what it transliterated, dropped."""
    transliterated: set[str] = set()
    dropped: set[str] = set()
    for text in list(doctree.findall(nodes.Text)):
        value = str(text)
        if value.isascii():
            continue
        new, changed, lost = convert(value)
        if new != value:
            text.parent.replace(text, nodes.Text(new))
        transliterated |= changed
        dropped |= lost
    return transliterated, dropped


def unicode_printable(text: str) -> tuple[str, set[str], set[str]]:
    """*text* for XeLaTeX and LuaLaTeX: ``(text, transliterated (none), dropped)``.

    Their fonts (GNU FreeFont by default) print every script, but no emoji:
    the pictographs of the supplementary planes and their joiners go.
    """
    dropped = {char for char in text if ord(char) >= 0x1F000}
    if not dropped:
        return text, set(), set()
    kept = "".join(c for c in text if c not in dropped and c not in ("\u200d", "\ufe0f"))
    return kept, set(), dropped


def drop_pictographs(doctree: nodes.document, docname: str) -> None:
    """Leave out the emoji no font of a Unicode engine prints, with one warning."""
    _none, dropped = rewrite_texts(doctree, unicode_printable)
    if dropped:
        warn(
            Subtype.PDF,
            f"{len(dropped)} emoji left out of the PDF (no font prints them): "
            + " ".join(sorted(dropped)[:12]),
            docname,
        )


def setup_pdf(app: Sphinx) -> None:
    """Check LaTeX doctrees once they are resolved (after report assembly)."""
    app.connect("doctree-resolved", make_printable, priority=order.PRINTABLE)
