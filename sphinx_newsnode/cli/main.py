"""The ``newsnode`` command: write, check and list posts without building the site.

Every subcommand opens the project (the folder with ``conf.py``, or a folder
of posts without one) as a Sphinx application with the ``dummy`` builder and
its files in a temporary folder: the configuration, the publication gate and
the checks are the extension's own, so ``newsnode check``, which reads the
posts as a build does and writes nothing, reports what a build would, in the
same words.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.application import Sphinx
from sphinx.config import eval_config_file
from sphinx.errors import ConfigError, SphinxError
from sphinx.util.tags import Tags

from sphinx_newsnode import __version__
from sphinx_newsnode.cli.stats import GBIF_API, StatsError, stats
from sphinx_newsnode.core.config import DRAFTS_SHOW, timezone
from sphinx_newsnode.core.diagnostics import counted
from sphinx_newsnode.jekyll.filters import slugify
from sphinx_newsnode.jekyll.importer import find_posts, import_site, print_report
from sphinx_newsnode.model.domain import newsnode_domain
from sphinx_newsnode.model.post import CONTROL_CHARACTERS, State

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from sphinx.environment import BuildEnvironment

    from sphinx_newsnode.model.post import Post

_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
_WARNING = re.compile(
    r"^(?:(?P<path>.*?):(?P<line>\d*): )?(?:WARNING|ERROR|CRITICAL): (?P<message>.*?)"
    r"(?: \[(?P<type>[\w.-]+)\])?\s*$",
    re.DOTALL,
)
_GLOB = re.compile(r"[*?\[]")


class CommandError(Exception):
    """A problem the user can fix; reported in one line, exit status 2."""


@dataclass(frozen=True)
class Finding:
    """One warning of the extension (or of Sphinx and MyST) about a file."""

    path: Path | None
    line: int | None
    type: str
    message: str


class WarningSink(io.StringIO):
    """A warning stream that keeps each warning Sphinx writes as a :class:`Finding`.

    Sphinx's warning handler writes each record with one ``write`` call.
    """

    def __init__(self) -> None:
        super().__init__()
        self.findings: list[Finding] = []

    def write(self, text: str) -> int:
        match = _WARNING.match(_COLOUR.sub("", text))
        if match:
            path, line = match["path"], match["line"]
            self.findings.append(
                Finding(
                    path=Path(path).resolve() if path else None,
                    line=int(line) if line else None,
                    type=match["type"] or "sphinx",
                    message=match["message"].strip(),
                )
            )
        return len(text)


def open_project(source: Path, workdir: str, sink: WarningSink, **overrides: object) -> Sphinx:
    """The project at *source* as a Sphinx application that writes nothing there."""
    if not source.is_dir():
        raise CommandError(f"{source} is not a folder")
    confdir: Path | None = source
    if not (source / "conf.py").is_file():
        confdir = None  # a folder of posts without conf.py: the extension alone
        overrides.setdefault("extensions", ["sphinx_newsnode"])
    out = Path(workdir)
    try:
        app = Sphinx(
            source,
            confdir,
            out / "out",
            out / "doctrees",
            "dummy",
            confoverrides={"newsnode_reports": {}, "newsnode_leak_audit": False, **overrides},
            status=None,
            warning=sink,
            freshenv=True,
        )
    except SphinxError as exc:
        raise CommandError(f"cannot open the project at {source}: {exc}") from exc
    if "sphinx_newsnode" not in app.extensions:
        raise CommandError(f"{source / 'conf.py'} does not enable sphinx_newsnode")
    return app


def scanned(app: Sphinx) -> list[tuple[Post, State]]:
    """Every post of the project with its state, as the publication gate found them."""
    return list(newsnode_domain(app.env).scan.values())


# -- newsnode new ---------------------------------------------------------------

TEMPLATE = """\
---
published: {published}
title: {title}
date: {date}
description: ""
# background: /assets/images/hero.jpg
# imageLicense: "*Species name* Photo by Name [iNaturalist](https://www.inaturalist.org/) (CC BY)"
# cta:
#   - text: Read more
#     href: https://www.gbif.org/
#     isPrimary: true
---

Write the post here, in Markdown.
"""


def file_slug(title: str) -> str:
    """The file-name slug of a new post: Jekyll's slug of *title*, at most 60 characters."""
    slug = slugify(title)
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0]
    return slug or "post"


def folder_for_new_posts(app: Sphinx) -> Path:
    """Where a new post goes: the ``newsnode_posts`` folder holding most posts.

    The folder of a pattern is its part before any wildcard (``_posts`` of
    ``_posts/**``); in a site without posts yet, the first pattern's.
    """
    patterns = app.config.newsnode_posts
    if not patterns:
        raise CommandError("newsnode_posts is empty: there is no folder for posts")
    folders: list[str] = []
    for pattern in patterns:
        fixed = []
        for part in pattern.split("/"):
            if _GLOB.search(part):
                break
            fixed.append(part)
        folders.append("/".join(fixed))
    posts = [post.path for post, _state in scanned(app)]

    def held(folder: str) -> int:
        return sum(1 for path in posts if path.startswith(f"{folder}/" if folder else ""))

    return Path(app.srcdir, max(folders, key=held))  # max keeps the first of equals


def new_title(given: str) -> str:
    """The title of a new post: the words given, as the post's front matter takes them."""
    if any("\udc80" <= char <= "\udcff" for char in given):
        raise CommandError(
            "the title holds bytes that are not text in this terminal's encoding; "
            "write it in UTF-8 (or set LANG to a UTF-8 locale)"
        )
    title = " ".join(CONTROL_CHARACTERS.sub("", given).split())
    if not title:
        raise CommandError("the title is empty")
    if title != " ".join(given.split()):
        print("newsnode new: control characters removed from the title", file=sys.stderr)
    return title


def command_new(args: argparse.Namespace) -> int:
    title = new_title(args.title)
    if not (args.source / "conf.py").is_file():
        raise CommandError(
            f"{args.source.resolve()} is not a Sphinx project (no conf.py): run newsnode new "
            "in the folder of conf.py, or name it with --source"
        )
    with tempfile.TemporaryDirectory() as workdir:
        app = open_project(args.source, workdir, WarningSink())
        date = args.date or dt.datetime.now(timezone(app.config)).date()
        folder = folder_for_new_posts(app)
    path = folder / f"{date.isoformat()}-{file_slug(title)}.md"
    if path.exists():
        raise CommandError(f"{path} exists already; choose another title or date")
    text = TEMPLATE.format(
        published="true" if args.published else "false",
        title=json.dumps(title, ensure_ascii=False),  # a JSON string is a YAML scalar
        date=date.isoformat(),
    )
    data = text.encode("utf-8")  # all of it before the file exists: never half a post
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as file:
        file.write(data)
    if args.published:
        print(f"wrote the post {shown(path)}")
    else:
        print(f"wrote the draft {shown(path)} (published: false until you set it true)")
    return 0


# -- newsnode check -------------------------------------------------------------


def selected_posts(app: Sphinx, paths: Sequence[Path]) -> list[Post]:
    """The posts named by *paths* (files or folders); all posts without paths."""
    posts = {Path(app.srcdir, post.path).resolve(): post for post, _state in scanned(app)}
    if not paths:
        return list(posts.values())
    chosen: dict[Path, Post] = {}
    for given in paths:
        target = given.resolve()
        if target.is_dir():
            chosen.update((p, post) for p, post in posts.items() if p.is_relative_to(target))
        elif target in posts:
            chosen[target] = posts[target]
        elif target.is_file():
            raise CommandError(
                f"{given} is not a post of this project (not matched by newsnode_posts, "
                "or without front matter)"
            )
        else:
            raise CommandError(f"{given} does not exist")
    return list(chosen.values())


def command_check(args: argparse.Namespace) -> int:
    sink = WarningSink()
    with tempfile.TemporaryDirectory() as workdir:
        # Drafts are read too: their problems show before they are published.
        app = open_project(args.source, workdir, sink, newsnode_drafts=DRAFTS_SHOW)
        posts = selected_posts(app, args.paths)
        wanted = {post.docname for post in posts}

        def read_only_wanted(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
            docnames[:] = [name for name in docnames if name in wanted]

        app.connect("env-before-read-docs", read_only_wanted)
        where = shown(Path(app.srcdir))
        print(f"checking {counted(len(posts), 'post')} in {where}", file=sys.stderr)
        readable = [post for post in posts if post.buildable]
        try:
            if readable:
                # Sphinx insists on reading the root document: let it be a post.
                app.config.root_doc = readable[0].docname
                app.builder.read()  # reading runs every check; nothing is written
        except SphinxError as exc:
            raise CommandError(f"the check could not finish: {exc}") from exc
        files = {Path(app.srcdir, post.path).resolve() for post in posts}
        files.add(Path(app.confdir, "conf.py").resolve())
    findings = [f for f in sink.findings if f.path in files]
    for finding in sorted(findings, key=lambda f: (str(f.path), f.line or 0)):
        print(annotation(finding) if args.format == "github" else plain(finding))
    # Files Jekyll skips are no problem (the site never showed them); they are listed.
    for post in sorted((p for p in posts if p.not_a_post), key=lambda p: p.path):
        note = Finding(
            Path(app.srcdir, post.path), None, "note", f"held back, not a post: {post.not_a_post}"
        )
        print(annotation(note, "notice") if args.format == "github" else plain(note))
    with_problems = len({f.path for f in findings})
    print(
        f"{counted(len(findings), 'problem')} in {with_problems} of {counted(len(posts), 'post')}"
        if findings
        else f"no problems in {counted(len(posts), 'post')}",
        file=sys.stderr,
    )
    return 1 if findings else 0


def plain(finding: Finding) -> str:
    """``path:line: type: message``, the way compilers and linters write them."""
    where = shown(finding.path) if finding.path else "<project>"
    if finding.line:
        where += f":{finding.line}"
    return f"{where}: {finding.type}: {finding.message}"


def annotation(finding: Finding, level: str = "error") -> str:
    """A GitHub Actions ``::error`` (or ``::notice``) workflow command."""
    properties = [f"file={_escape(shown(finding.path), True)}"] if finding.path else []
    if finding.line:
        properties.append(f"line={finding.line}")
    properties.append(f"title={_escape(finding.type, True)}")
    return f"::{level} {','.join(properties)}::{_escape(finding.message, False)}"


def _escape(value: str, is_property: bool) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if is_property else value


# -- newsnode list --------------------------------------------------------------


def command_list(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as workdir:
        app = open_project(args.source, workdir, WarningSink())
        rows = [
            (post, state) for post, state in scanned(app) if args.drafts or state is State.PUBLISHED
        ]
    rows.sort(key=lambda row: (row[0].date is not None, str(row[0].date)), reverse=True)
    for post, state in rows:
        label = "undated" if state is State.PUBLISHED and post.date is None else state.value
        date = str(post.date)[:10] if post.date else "-"
        print(f"{date:10}  {label:9}  {post.title or '(no title)'}  [{post.path}]")
    unpublished = sum(1 for _post, state in scanned(app) if state is not State.PUBLISHED)
    hidden = "" if args.drafts else f"; {unpublished} unpublished not shown (--drafts)"
    print(f"{counted(len(rows), 'post')}{hidden}", file=sys.stderr)
    return 0


# -- newsnode import -------------------------------------------------------------


def command_import(args: argparse.Namespace) -> int:
    site, destination = args.site.resolve(), args.destination.resolve()
    if not site.is_dir():
        raise CommandError(f"{args.site} is not a folder")
    if not any(find_posts(site)):
        raise CommandError(f"{args.site} has no _posts or _drafts folder with posts")
    if destination == site or destination.is_relative_to(site / "_posts"):
        raise CommandError("the destination must not be the Jekyll site itself")
    destination.mkdir(parents=True, exist_ok=True)
    print(f"importing {shown(site)} into {shown(destination)}", file=sys.stderr)
    print_report(import_site(site, destination))
    return 0


# -- newsnode stats --------------------------------------------------------------


def command_stats(args: argparse.Namespace) -> int:
    if not (args.source / "conf.py").is_file():
        raise CommandError(
            f"{args.source.resolve()} is not a Sphinx project (no conf.py): run newsnode stats "
            "in the folder of conf.py, or name it with --source"
        )
    # Only conf.py's values are needed: no Sphinx application, no extension set up.
    try:
        namespace = eval_config_file(args.source.resolve() / "conf.py", Tags())
    except ConfigError as exc:
        raise CommandError(str(exc)) from None
    node = namespace.get("newsnode_gbif") or {}
    if not isinstance(node, dict):
        raise CommandError(f"newsnode_gbif in conf.py is not a dict: {node!r}")
    srcdir = args.source.resolve()
    api = args.api or node.get("api") or GBIF_API
    print(f"taking the GBIF figures of {args.year} from {api}", file=sys.stderr)
    try:
        path = stats(srcdir, node, args.year, api, args.timeout)
    except StatsError as exc:
        raise CommandError(f"{exc}; the snapshot was not changed") from None
    print(f"wrote {shown(path)}")
    return 0


# -- the command line -----------------------------------------------------------


def shown(path: Path) -> str:
    """*path* relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from None


@dataclass(frozen=True)
class Subcommand:
    """One ``newsnode`` subcommand: its words for ``--help``, its arguments, its function."""

    name: str
    help: str
    description: str
    run: Callable[[argparse.Namespace], int]
    arguments: tuple[tuple[tuple[str, ...], dict[str, Any]], ...]
    in_project: bool = True
    """Whether it takes ``--source`` (the project's folder)."""


SUBCOMMANDS = (
    Subcommand(
        "new",
        "write a new post",
        "Write a draft YYYY-MM-DD-slug.md, with the front matter of a node post, into the "
        "newsnode_posts folder that holds the site's posts.",
        command_new,
        (
            (("title",), {}),
            (("--date",), {"type": iso_date, "help": "YYYY-MM-DD (default: today)"}),
            (("--published",), {"action": "store_true",
                                "help": "write it with published: true (default: a draft, "
                                "published: false)"}),
        ),
    ),
    Subcommand(
        "check",
        "check posts without building the site",
        "Read the posts as a build would and print every problem of their front matter, "
        "images and buttons, with file and line. Exit status 1 when there are problems.",
        command_check,
        (
            (("paths",), {"nargs": "*", "type": Path, "help": "posts or folders (default: all)"}),
            (("--format",), {"choices": ("text", "github"), "default": "text",
                             "help": "github: workflow commands that annotate a pull request"}),
        ),
    ),
    Subcommand(
        "list",
        "list the posts",
        "Print the posts, newest first, with date, state and title.",
        command_list,
        ((("--drafts",), {"action": "store_true",
                          "help": "also the drafts, scheduled posts and posts in doubt"}),),
    ),
    Subcommand(
        "import",
        "import the posts of a Jekyll site",
        "Copy the posts, drafts and the files they use from a Jekyll site into a Sphinx "
        "source folder, unmodified; write conf.py and index.md if absent; report what was "
        "copied, what is missing and the Liquid and kramdown found.",
        command_import,
        (
            (("site",), {"type": Path, "help": "the Jekyll site (with _posts/)"}),
            (("destination",), {"type": Path, "help": "the Sphinx source folder"}),
        ),
        in_project=False,
    ),
    Subcommand(
        "stats",
        "take the node's GBIF figures of a year",
        "Ask the GBIF API for the figures of the node named by newsnode_gbif in conf.py "
        "(records and datasets published, data about the country, downloads, papers) and "
        "write them with every query into _data/gbif/YEAR.json, which the year's report "
        "reads. Builds never use the network.",
        command_stats,
        (
            (("year",), {"type": int, "help": "the report's year"}),
            (("--api",), {"metavar": "URL",
                          "help": f"the GBIF API to ask (default: {GBIF_API}, or the "
                          '"api" of newsnode_gbif)'}),
            (("--timeout",), {"type": float, "default": 60.0, "metavar": "SECONDS",
                              "help": "how long to wait for each answer (default: 60)"}),
        ),
    ),
)  # fmt: skip


def parser() -> argparse.ArgumentParser:
    """The ``newsnode`` command line: one subcommand per task."""
    main = argparse.ArgumentParser(
        prog="newsnode",
        description="Write, check, list and import the news posts of a sphinx-newsnode site, "
        "and take its node's GBIF figures.",
    )
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-s",
        "--source",
        type=Path,
        default=Path(),
        help="the Sphinx source folder, with conf.py (default: the working folder)",
    )
    for subcommand in SUBCOMMANDS:
        command = commands.add_parser(
            subcommand.name,
            parents=[common] if subcommand.in_project else [],
            help=subcommand.help,
            description=subcommand.description,
        )
        for names, options in subcommand.arguments:
            command.add_argument(*names, **options)
        command.set_defaults(run=subcommand.run)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``newsnode`` command; the exit status."""
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except CommandError as exc:
        print(f"newsnode {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # newsnode list | head
        sys.stdout = None  # nothing more can be written to a closed pipe
        return 1
