"""Shared fixtures: real Sphinx builds of copied test roots."""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from hypothesis import settings
from sphinx.util.console import strip_colors

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.testing.util import SphinxTestApp

pytest_plugins = ("sphinx.testing.fixtures",)

# Real builds are slow examples: bounded in the suite, deeper on demand.
# The suite's examples are derandomised: CI runs the same ones every time (a
# failure is reproducible, never a fluke); "deep" explores new ones.
settings.register_profile("default", max_examples=25, deadline=None, derandomize=True)
settings.register_profile("deep", max_examples=400, deadline=None)
settings.load_profile("default")

ROOTS = Path(__file__).parent / "roots"
CORPUS = Path(__file__).parent / "corpus" / "bad"
FIXTURE_POST = "_posts/2021-11-07-biodiversity-digitization.md"
_WARNING = re.compile(
    r"^(?:(?P<location>\S.*?): )?WARNING: (?P<message>.*?)(?: \[(?P<type>[\w.]+)\])?$"
)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@dataclass
class LoggedWarning:
    location: str
    message: str
    type: str | None


@dataclass
class Site:
    """A copy of a test root that tests build, edit and inspect."""

    srcdir: Path
    make_app: Callable[..., SphinxTestApp]
    apps: list[SphinxTestApp] = field(default_factory=list)
    confdir: str = ""
    """Sub-folder holding conf.py, when it is not the root itself."""

    def build(self, buildername: str = "html", **kwargs: object) -> SphinxTestApp:
        app = self.make_app(buildername, srcdir=self.srcdir / self.confdir, **kwargs)
        try:
            app.build()
        finally:
            # Unregister the app's docutils nodes and directives, so the next
            # build of the same test starts clean (Sphinx 8 warns otherwise).
            app.cleanup()
        self.apps.append(app)
        return app

    def path(self, name: str) -> Path:
        return self.srcdir / name

    def read(self, name: str) -> str:
        return self.path(name).read_text(encoding="utf-8")

    def write(self, name: str, text: str) -> None:
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        touch_later(path)

    def edit(self, name: str, old: str, new: str) -> None:
        text = self.read(name)
        assert old in text, f"{old!r} not in {name}"
        self.write(name, text.replace(old, new))


def build_once(buildername: str, srcdir: Path, **kwargs: object) -> SphinxTestApp:
    """Set up and build the site at *srcdir* once; the finished app, its nodes unregistered.

    For sites a test makes itself (or module fixtures share); ``site`` copies a root.
    """
    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp(buildername, srcdir=srcdir, **kwargs)
    try:
        app.build()
    finally:
        # Unregister the app's docutils nodes and directives, so the next
        # build starts clean (Sphinx 8 warns otherwise).
        app.cleanup()
    return app


def touch_later(path: Path) -> None:
    """Move *path*'s mtime forward so Sphinx sees it as changed."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


@pytest.fixture
def site(tmp_path: Path, make_app: Callable[..., SphinxTestApp]) -> Callable[[str], Site]:
    def copy(root: str, confdir: str = "") -> Site:
        srcdir = tmp_path / root
        n = 1
        while srcdir.exists():
            n += 1
            srcdir = tmp_path / f"{root}-{n}"
        shutil.copytree(ROOTS / f"test-{root}", srcdir)
        return Site(srcdir, make_app, confdir=confdir)

    return copy


def corpus_site(parent: Path) -> Path:
    """A site under *parent* with the hostile-input corpus as its ``news`` folder."""
    srcdir = parent / "site"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        'extensions = ["sphinx_newsnode"]\nproject = "Corpus"\n'
        'html_baseurl = "https://node.example.org/"\nexclude_patterns = ["_build"]\n'
    )
    (srcdir / "index.md").write_text("# Corpus\n\n```{news-list}\n:style: cards\n```\n")
    shutil.copytree(
        CORPUS,
        srcdir / "news",
        ignore=shutil.ignore_patterns("*.yaml", "*.md.txt", "README.md"),
    )
    assets = srcdir / "assets"
    assets.mkdir()
    shutil.copy(ROOTS / "test-gate" / "assets" / "aardvark.png", assets / "ok.png")
    (assets / "outside.png").symlink_to("/etc/hostname")
    return srcdir


def html(app: SphinxTestApp, page: str) -> BeautifulSoup:
    """The parsed HTML of *page* (a docname) in *app*'s output."""
    path = Path(app.outdir, page + ".html")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def warnings_of(app: SphinxTestApp) -> list[LoggedWarning]:
    """The warnings *app* logged, parsed."""
    found = []
    for line in strip_colors(app.warning.getvalue()).splitlines():
        if match := _WARNING.match(line.strip()):
            location = match["location"] or ""
            found.append(LoggedWarning(location, match["message"], match["type"]))
    return found


def newsnode_warnings(app: SphinxTestApp) -> list[LoggedWarning]:
    return [w for w in warnings_of(app) if (w.type or "").startswith("newsnode")]


def tree_text(root: Path) -> dict[Path, bytes]:
    """Every file under *root* with its bytes."""
    return {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}


def files_containing(root: Path, *needles: str) -> list[tuple[Path, str]]:
    """(file, needle) for each file under *root* holding any needle, in any case."""
    hits = []
    for path, data in tree_text(root).items():
        haystack = data.lower() + path.relative_to(root).as_posix().lower().encode()
        hits.extend((path, n) for n in needles if n.lower().encode() in haystack)
    return hits


UNSAFE_LINK = re.compile(r"(?:href\{|<)\s*(?:javascript|data):|/etc/passwd", re.I)


URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "srcset", "poster", "data"})
UNSAFE_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data:text)", re.I)


def unsafe_html(text: str) -> list[str]:
    """What a browser would run or load on its own: scripts, event handlers,
    frames, and URLs with unsafe schemes. Text, even in attribute values, is
    data once escaped: the parser has already undone that escaping."""
    found = []
    for tag in BeautifulSoup(text, "html.parser").find_all(True):
        if tag.name == "script" and tag.get("type") == "application/ld+json":
            json.loads(tag.string)  # data, never code: it must stay valid JSON
            if "<" in tag.string:  # no "</script>", "<!--" or "<script" can reach the parser
                found.append(str(tag))
        elif (tag.name == "script" and "alert" in tag.get_text()) or tag.name in {
            "iframe",
            "object",
            "embed",
        }:
            found.append(str(tag))
        for attr, value in tag.attrs.items():
            joined = " ".join(value) if isinstance(value, list) else value
            if attr.lower().startswith("on") or (
                attr.lower() in URL_ATTRIBUTES and UNSAFE_SCHEME.search(joined)
            ):
                found.append(f"{tag.name} {attr}={joined!r}")
    return found


def luminance(rgb: list[float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: list[float], second: list[float]) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
