"""Jekyll's Liquid tags: ``include``, ``include_relative``, ``link``, ``post_url``.

``{% include file.html key=value %}`` renders the site's
``_includes/file.html`` with ``include.key``, as Jekyll does, and
``include_relative`` a file beside the post. A file is read only inside its
folder: a path that climbs out (``../../etc/passwd``, or a link) is refused
with a warning. The includes a hosted-portal theme brings (``figure.html``,
``youtube.html``) are not in a site's folder: without the file, a figure
becomes a Markdown image with its caption and a video a link, as the theme
showed them; any other missing include stays as text with a warning.
"""

from __future__ import annotations

import re
from io import StringIO
from typing import TYPE_CHECKING, Any, TextIO

from liquid import Markup
from liquid.ast import Node
from liquid.builtin.expressions import FilteredExpression, tokenize
from liquid.builtin.tags.comment_tag import CommentNode, CommentTag
from liquid.exceptions import LiquidError
from liquid.stream import TokenStream
from liquid.tag import Tag
from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG, Token

from sphinx_newsnode.core.diagnostics import Subtype
from sphinx_newsnode.jekyll.escaping import escape_value
from sphinx_newsnode.jekyll.rendering import current
from sphinx_newsnode.model.links import UNLINKED, confined

if TYPE_CHECKING:
    from pathlib import Path

    from liquid.context import RenderContext

# Linear: a parameter name starts only where no name character precedes it.
_PARAMETER = re.compile(r"""(?<![\w-])([\w-]++)\s*+=\s*+("[^"]*+"|'[^']*+'|[^\s"']++)""")
_IMAGE_PARAMETERS = ("url", "src", "image", "file", "path")
_CAPTION_PARAMETERS = ("description", "caption", "title", "alt")
#: Video includes of the theme (``{% include youtube.html id="..." %}``) become links.
VIDEO_SITES = {
    "youtube": ("YouTube video", "https://www.youtube.com/watch?v=%s"),
    "vimeo": ("Vimeo video", "https://vimeo.com/%s"),
}


def expression_text(stream: TokenStream) -> tuple[Token, str]:
    """The tag token and its expression text, the stream left on the tag's last token."""
    token = stream.expect(TOKEN_TAG)
    if stream.peek.kind != TOKEN_EXPRESSION:
        return token, ""
    next(stream)
    return token, stream.current.value


def evaluate(context: RenderContext, text: str, token: Token) -> object:
    """The value of an expression written as text (``page.image``, ``"x"``)."""
    expression = FilteredExpression.parse(context.env, TokenStream(tokenize(text, token)))
    return expression.evaluate(context)


class IncludeNode(Node):
    """``{% include name key=value %}``, rendered from its file with ``include.*``."""

    __slots__ = ("arguments", "relative")

    def __init__(self, token: Token, arguments: str, *, relative: bool) -> None:
        super().__init__(token)
        self.arguments = arguments
        self.relative = relative
        self.blank = False

    def __str__(self) -> str:
        return f"{{% {self.kind} {self.arguments} %}}"

    @property
    def kind(self) -> str:
        return "include_relative" if self.relative else "include"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        name_text, _, rest = self.arguments.strip().partition(" ")
        name = self.render_text(context, name_text) if "{{" in name_text else name_text
        parameters = {key: self.value(context, raw) for key, raw in _PARAMETER.findall(rest)}
        state = current()
        folder = self.folder()
        if folder is not None and confined(folder / name, folder) is None:
            problem = f"{{% {self.kind} {name} %}} leads out of {folder.name}/; refused"
            state.note(self.kind, self.token.start_index, str(self), problem, Subtype.UNSAFE_PATH)
            return 0
        path = folder / name if folder is not None else None
        if path is None or not path.is_file():
            return buffer.write(self.without_file(name, parameters))
        if (post := state.context.held_back_post(path)) is not None:
            problem = f"{{% {self.kind} {name} %}} names the unpublished post {post.path}; left out"
            state.note(self.kind, self.token.start_index, str(self), problem, Subtype.DRAFT)
            return 0
        path = path.resolve()
        state.context.read.add(path)
        template = context.env.from_string(path.read_text(encoding="utf-8-sig"), path=str(path))
        with context.extend({"include": parameters}):
            template.render_with_context(context, buffer, partial=True)
        return 1

    def folder(self) -> Path | None:
        """The folder the include reads: ``_includes/``, or the post's for ``include_relative``."""
        state = current()
        if self.relative:
            return state.folder
        return state.context.root / "_includes" if state.context.root else None

    def value(self, context: RenderContext, raw: str) -> object:
        """A parameter: a quoted string (Liquid inside rendered), or an expression."""
        if raw[:1] in {'"', "'"}:
            inner = raw[1:-1]
            return self.render_text(context, inner) if "{{" in inner else Markup(inner)
        return evaluate(context, raw, self.token)

    @staticmethod
    def render_text(context: RenderContext, text: str) -> str:
        out = StringIO()
        context.env.from_string(text).render_with_context(context, out, partial=True)
        return out.getvalue()

    def without_file(self, name: str, parameters: dict[str, Any]) -> str:
        """What the theme's include showed: a figure, a video link; else an error."""
        state = current()
        image = next((parameters[k] for k in _IMAGE_PARAMETERS if parameters.get(k)), None)
        video = next((site for site in VIDEO_SITES if site in name.lower()), None)
        if image is None and video and parameters.get("id"):
            label, url = VIDEO_SITES[video]
            return f"[{label}]({url % text(parameters['id'])})"
        if image is None:
            problem = f"{{% include {name} %}}: no such file in _includes; its text is kept"
            state.note("include", self.token.start_index, str(self), problem)
            return str(self)
        caption = " ".join(
            text(
                next((parameters[k] for k in _CAPTION_PARAMETERS if parameters.get(k)), "")
            ).split()
        )
        alt = re.sub(r"[\[\]*_`]|&#9[13];", "", caption)
        return f"![{alt}](<{text(image)}>) {caption}".rstrip()


def text(value: object) -> str:
    """A value for Markdown: the site's own as written, any other escaped."""
    if hasattr(value, "__html__"):
        return str(value)
    return escape_value("" if value is None else str(value))


class IncludeTag(Tag):
    """Jekyll's ``include`` (not Shopify's): a file name and ``key=value`` parameters."""

    name = "include"
    block = False
    relative = False

    def parse(self, stream: TokenStream) -> IncludeNode:
        token, arguments = expression_text(stream)
        if not arguments:
            raise LiquidError("include without a file name", token=token)
        return IncludeNode(token, arguments, relative=self.relative)


class IncludeRelativeTag(IncludeTag):
    """``include_relative``: a file in the post's folder (or below it)."""

    name = "include_relative"
    relative = True


class LinkNode(Node):
    """``{% link path %}`` and ``{% post_url name %}``: a site-absolute link target."""

    __slots__ = ("argument", "kind")

    def __init__(self, token: Token, argument: str, kind: str) -> None:
        super().__init__(token)
        self.argument = argument
        self.kind = kind
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        state = current()
        name = self.argument.strip().strip("\"'")
        whole = f"{{% {self.kind} {name} %}}"
        offset = self.token.start_index
        if self.kind == "link":
            return buffer.write("/" + name.lstrip("/"))
        post = state.context.post_named(name)
        if post is None:
            problem = f"post_url {name}: no such post; the link is plain text"
            state.note("post_url", offset, whole, problem)
            return buffer.write(UNLINKED)
        if post.docname not in state.context.published:
            problem = f"post_url {name}: the post is not published; the link is plain text"
            state.note("post_url", offset, whole, problem, Subtype.DRAFT)
            return buffer.write(UNLINKED)  # nothing read names an unpublished post
        return buffer.write("/" + post.path)


class LinkTag(Tag):
    name = "link"
    block = False

    def parse(self, stream: TokenStream) -> LinkNode:
        token, argument = expression_text(stream)
        return LinkNode(token, argument, self.name)


class PostUrlTag(LinkTag):
    name = "post_url"


class LineCommentNode(CommentNode):
    """A comment prints nothing but its line breaks: the lines after it keep their numbers."""

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        return buffer.write("\n" * (self.text or "").count("\n"))


class LineCommentTag(CommentTag):
    node_class = LineCommentNode


JEKYLL_TAGS = (IncludeTag, IncludeRelativeTag, LinkTag, PostUrlTag, LineCommentTag)
