"""The ``newsnode_*`` configuration values, declared once.

:data:`OPTIONS` is the single table of every value: name, default, rebuild
scope, accepted types and description. :func:`setup_config` registers it with
Sphinx, :func:`check_config` validates it at ``config-inited`` (a bad value
is warned about and replaced by its default) and ``docs/`` renders the same
table, so the reference cannot drift from the code.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sphinx.config import ENUM

from sphinx_newsnode.core.diagnostics import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

DRAFTS_EXCLUDE = "exclude"
DRAFTS_SHOW = "show"
REPORT_THEME = "newsnode-report"
"""The LaTeX theme of the node reports' ``latex_documents`` entries."""

#: Builders of a website: they get the generated pages and the feeds
#: (epub and singlehtml have no use for them).
SITE_BUILDERS = frozenset({"html", "dirhtml"})


@dataclass(frozen=True)
class Option:
    """One configuration value of the extension."""

    name: str
    default: Any
    rebuild: Literal["", "env", "html"]
    types: tuple[type, ...]
    description: str
    choices: tuple[str, ...] = ()

    def is_valid(self, value: Any) -> bool:
        """Whether *value* has an accepted type (and is one of the choices)."""
        if self.choices:
            return value in self.choices
        if isinstance(value, bool) and bool not in self.types:
            return False
        if not isinstance(value, self.types):
            return False
        if isinstance(value, list):
            return all(isinstance(item, str) for item in value)
        if isinstance(value, int):
            return value >= 0
        return True


OPTIONS: tuple[Option, ...] = (
    Option(
        "newsnode_posts",
        ["news/**", "_posts/**", "posts/**"],
        "env",
        (list,),
        "Glob patterns, relative to the source directory, of the files that are "
        "news posts. A matched file is a post when it starts with YAML front "
        "matter (a ``---`` line); other matched files stay ordinary pages.",
    ),
    Option(
        "newsnode_drafts",
        DRAFTS_EXCLUDE,
        "env",
        (str,),
        'What happens to unpublished posts. ``"exclude"``: they reach no output '
        'of any builder. ``"show"``: they are built with a *Draft* banner and '
        '``<meta name="robots" content="noindex">`` (for previews only). '
        "Overridable on the command line: ``-D newsnode_drafts=show``.",
        choices=(DRAFTS_EXCLUDE, DRAFTS_SHOW),
    ),
    Option(
        "newsnode_future",
        False,
        "env",
        (bool,),
        "Publish posts whose date lies in the future. Off by default: a post "
        "dated tomorrow is *scheduled* and treated as a draft until then.",
    ),
    Option(
        "newsnode_timezone",
        "UTC",
        "env",
        (str,),
        "IANA time zone (``Africa/Johannesburg``) in which dates without a zone "
        "are read. Never the build machine's zone.",
    ),
    Option(
        "newsnode_site_root",
        None,
        "env",
        (str, type(None)),
        "Directory against which site-absolute paths such as "
        "``/assets/images/x.jpg`` are resolved, relative to the source "
        "directory. ``None``: the source directory itself.",
    ),
    Option(
        "newsnode_auto_hero",
        True,
        "env",
        (bool,),
        "Insert the hero banner (``background``, ``imageLicense``) and the "
        "front-matter ``cta`` buttons at the top of each post automatically.",
    ),
    Option(
        "newsnode_date_format",
        "%-d %B %Y",
        "html",
        (str,),
        "How listings print dates, with Sphinx's date tokens (``%d``, ``%B``, "
        "``%Y``...), in the post's language.",
    ),
    Option(
        "newsnode_archive_path",
        "archive",
        "html",
        (str,),
        "Folder of the generated pages: ``archive/index`` (all years, tags and "
        "categories), ``archive/2021``, ``archive/tags/<tag>``, "
        "``archive/categories/<category>``. Empty: no generated pages.",
    ),
    Option(
        "newsnode_archive_page_size",
        50,
        "html",
        (int,),
        "How many posts an archive page shows; a year, tag or category with more "
        "gets further pages (``archive/2021/2``) with numbered links between them. "
        "``0``: one page each, however long.",
    ),
    Option(
        "newsnode_feed_path",
        "feeds",
        "html",
        (str,),
        "Folder of the feeds: ``feeds/atom.xml``, ``feeds/rss.xml`` and "
        "``feeds/tags/<tag>/atom.xml`` (and ``rss.xml``). Empty: no feeds. "
        "Feeds need ``html_baseurl``.",
    ),
    Option(
        "newsnode_feed_length",
        20,
        "html",
        (int,),
        "How many of the newest posts a feed holds.",
    ),
    Option(
        "newsnode_reports",
        {},
        "env",
        (dict,),
        'Annual reports to build as PDF: ``{2021: {"title": ..., "author": ...}}``. '
        "Each year gets a page ``reports/2021`` (written once if missing, yours to "
        "edit) holding a ``news-report``, and a LaTeX document "
        "``node-report-2021.tex`` in ``latex_documents``.",
    ),
    Option(
        "newsnode_report_pdfs",
        "_build/latex",
        "env",
        (str,),
        "Folder, relative to the folder of ``conf.py``, in which HTML builds look for "
        "the reports' PDFs (``sphinx-build -M latexpdf docs docs/_build`` leaves them "
        "in ``docs/_build/latex``). Each one found is shipped with the site next to "
        "its year's page and linked from it and from ``news-reports`` lists. "
        "Empty: none.",
    ),
    Option(
        "newsnode_report_download",
        None,
        "env",
        (int, type(None)),
        "The one year whose report becomes a LaTeX document, for Read the Docs' PDF "
        "download (which takes exactly one file); ``None``: every year of "
        "``newsnode_reports``.",
    ),
    Option(
        "newsnode_gbif",
        {},
        "env",
        (dict,),
        'The node whose GBIF figures the reports show: ``{"country": "ZA"}`` (an ISO '
        'code), ``{"organization": KEY}`` or ``{"node": KEY}`` (GBIF keys), and '
        'optionally ``"api"``, the GBIF API ``newsnode stats`` asks. Set, each '
        "report has a *Data mobilisation* section from ``_data/gbif/YEAR.json``.",
    ),
    Option(
        "newsnode_report_path",
        "reports",
        "env",
        (str,),
        "Folder, in the source directory, of the pages of ``newsnode_reports``.",
    ),
    Option(
        "newsnode_jekyll_permalink",
        "date",
        "html",
        (str, type(None)),
        "The URL pattern of posts on the old Jekyll site, as in Jekyll's "
        "``permalink`` setting: a style (``date``, ``pretty``, ``ordinal``, "
        "``weekdate``, ``none``) or a pattern such as ``/news/:year/:title/``. Each "
        "published post gets a redirect page from that URL (and from its "
        "``permalink:`` front matter) to its page. ``None``: no redirects but "
        "those of ``permalink:``.",
    ),
    Option(
        "newsnode_old_site",
        None,
        "env",
        (str, type(None)),
        "The address of the node's old Jekyll site (``url`` and ``baseurl`` of its "
        "``_config.yml``; ``newsnode import`` sets it). A post's link to a page of "
        "the old site that this project does not have (``/data``, ``/contact/``) "
        "leads there. ``None``: such links are reported as missing.",
    ),
    Option(
        "newsnode_default_language",
        None,
        "env",
        (str, type(None)),
        "The language of a story's original (``en``): where a page shows a story "
        "that has no version in the page's language, it shows this one (else the "
        "story's oldest version). ``None``: the project's ``language``.",
    ),
    Option(
        "newsnode_languages_by_path",
        {},
        "env",
        (dict,),
        'The language of the posts under each folder: ``{"_posts/es": "es"}``, as '
        "Jekyll's ``defaults`` in ``_config.yml`` give it (``newsnode import`` "
        "writes them). A post's ``lang`` front matter comes first; without either, "
        "a language folder on its path (``_posts/fr/``), else ``language``.",
    ),
    Option(
        "newsnode_leak_audit",
        True,
        "",
        (bool,),
        "After each build, read the whole output for traces of unpublished posts "
        "(name, title, text, draft-only images) and fail the build if one is found.",
    ),
    Option(
        "newsnode_require_license",
        True,
        "env",
        (bool,),
        "Warn (``newsnode.license``) when a hero image has no licence text.",
    ),
)


def setup_config(app: Sphinx) -> None:
    """Register every value of :data:`OPTIONS`."""
    for option in OPTIONS:
        types: Any = ENUM(*option.choices) if option.choices else option.types
        app.add_config_value(
            option.name, option.default, option.rebuild, types, description=option.description
        )


def check_config(app: Sphinx, config: Config) -> None:
    """Replace invalid values by their default, with a located warning."""
    for option in OPTIONS:
        value = config[option.name]
        if option.is_valid(value):
            continue
        expected = (
            " or ".join(repr(choice) for choice in option.choices)
            if option.choices
            else " or ".join(t.__name__ for t in option.types)
        )
        warn(
            Subtype.CONFIG,
            f"{option.name} = {value!r} is invalid (expected {expected}); "
            f"using the default {option.default!r}",
            conf_location(app, option.name),
        )
        config[option.name] = option.default
    try:
        zoneinfo.ZoneInfo(config.newsnode_timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        warn(
            Subtype.CONFIG,
            f"newsnode_timezone = {config.newsnode_timezone!r} is not a known "
            "time zone; using 'UTC'",
            conf_location(app, "newsnode_timezone"),
        )
        config.newsnode_timezone = "UTC"


def name_the_site(app: Sphinx, config: Config) -> None:
    """A news site is titled by its project, not "*project* documentation" (``config-inited``).

    Only when neither ``conf.py`` nor ``-D`` sets ``html_title``: then it is the user's.
    """
    if "html_title" not in config.overrides and conf_location(app, "html_title") is None:
        config.html_title = site_name(app)


def site_name(app: Sphinx) -> str:
    """The project's name, or ``News`` where ``conf.py`` names none."""
    named = "project" in app.config.overrides or conf_location(app, "project")
    return app.config.project if named else "News"


def app_of(env: BuildEnvironment) -> Sphinx:
    """The application of *env* (``env.app`` is deprecated from Sphinx 9, ``_app`` new in it)."""
    app = getattr(env, "_app", None)
    return app if app is not None else env.app


def builder_settings(app: Sphinx) -> str:
    """What an HTML builder writes pages with: its configuration and tags, as Sphinx hashes them."""
    info = getattr(app.builder, "build_info", None)
    return repr((info.config_hash, info.tags_hash)) if info else ""


def conf_location(app: Sphinx, name: str) -> str | None:
    """``conf.py:LINE`` where *name* is assigned, if it is (not set by ``-D``)."""
    path = Path(app.confdir or app.srcdir, "conf.py")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    pattern = re.compile(rf"\s*{name}\s*[:=]")
    line = next((n for n, text in enumerate(lines, 1) if pattern.match(text)), None)
    return f"{path}:{line}" if line else None


def timezone(config: Config) -> zoneinfo.ZoneInfo:
    """The configured zone in which naive dates are read."""
    return zoneinfo.ZoneInfo(config.newsnode_timezone)
