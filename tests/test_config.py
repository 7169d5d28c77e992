"""Configuration values: declared once, validated with a located warning."""

from __future__ import annotations

from pathlib import Path

from sphinx_newsnode.core.config import OPTIONS

from conftest import newsnode_warnings


def test_invalid_values_fall_back_to_defaults(site) -> None:
    app = site("fixture").build(
        confoverrides={"newsnode_drafts": "publish-all", "newsnode_timezone": "Mars/Olympus"}
    )
    warnings = newsnode_warnings(app)
    assert {w.type for w in warnings} == {"newsnode.config"}
    # Located where conf.py sets the value; a -D override has no line to show.
    assert sorted(w.location.rsplit("/", 1)[-1] for w in warnings) == ["", "conf.py:4"]
    assert "'publish-all' is invalid" in app.warning.getvalue()
    assert app.config.newsnode_drafts == "exclude"
    assert app.config.newsnode_timezone == "UTC"
    # Falling back to "exclude" keeps the draft out: the safe default.
    assert not Path(app.outdir, "_posts", "2021-11-07-biodiversity-digitization.html").exists()


def test_every_option_is_registered_with_its_description(site) -> None:
    app = site("gate").build("dummy")
    for option in OPTIONS:
        assert option.name in app.config
        assert app.config[option.name] == option.default
        assert option.description


def test_stylesheet_only_for_html(site) -> None:
    app = site("fixture").build("text")
    assert not list(Path(app.outdir).rglob("*.css"))


def test_stylesheet_refreshed_on_rebuild(site) -> None:
    root = site("fixture")
    first = root.build()
    css = Path(first.outdir, "_static", "sphinx-newsnode.css")
    css.write_text("/* from an older version */")
    second = root.build(warningiserror=True)
    assert "--newsnode-cta-primary-background" in css.read_text()
    assert "copy_overwrite" not in second.warning.getvalue()
