"""Front-matter values printed into a post body stay text (security model).

Front matter is untrusted: ``{{ page.title }}`` must not put an
``<img onerror>`` into a page, nor a MyST directive that reads a file, nor a
link. Character references work alike in Markdown text, link targets and
raw HTML attributes, wherever a template prints the value; line breaks
become spaces, so a value opens no block and lines keep their numbers.
"""

from __future__ import annotations

_MARKUP = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
#: What a value must not become: HTML, a MyST directive or role, new blocks.
_IN_MARKDOWN = str.maketrans(
    {**_MARKUP, "`": "&#96;", "{": "&#123;", "}": "&#125;", "\n": " ", "\r": " "}
)
#: ... nor, unless it is asked for as Markdown, a link or an image.
_AS_TEXT = str.maketrans(
    {**_MARKUP, "`": "&#96;", "{": "&#123;", "}": "&#125;", "\n": " ", "\r": " ",
     "[": "&#91;", "]": "&#93;", "\\": "&#92;"}
)  # fmt: skip


def escape_value(text: str, *, markdown: bool = False) -> str:
    """*text* for a post body, shown as written; with *markdown*, links and emphasis stay."""
    return text.translate(_IN_MARKDOWN if markdown else _AS_TEXT)
