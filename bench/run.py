"""Benchmark sphinx-newsnode against a bare MyST build of the same posts.

    python bench/run.py [--posts 500] [--runs 3] [--rebuilds 5]

Generates N seed-shaped posts (bench/generate.py: hero, licence, two
buttons, one in ten a draft; headings, an image and links in the body) and
builds them as

* **bare**: MyST-Parser alone, the posts in a glob toctree;
* **bare-flat**: MyST-Parser alone, the posts in no toctree: the baseline
  with the recommended layout's shape, which tells the extension's own cost;
* **newsnode**: sphinx-newsnode, an index with ``news-list``, archives and
  feeds, the posts in no toctree (the recommended layout);
* **newsnode+toctree**: sphinx-newsnode with the bare layout's glob toctree,
  to tell the extension's own cost from the layout's;
* **ablog**, when ABlog is installed.

For each it measures a full build at ``-j 1`` and ``-j 2``, a rebuild with
no change, a rebuild after one post's body changed and after one post's
title changed, and the peak memory of the full ``-j 1`` build; every time is
the median of ``--runs`` runs (a rebuild's, in each run, the median of
``--rebuilds``), and each is also given as a ratio to ``--baseline`` (bare
MyST) measured in the same run, where the layouts take each step in turn.
``--layouts`` picks layouts: at 5,000 posts the glob-toctree layouts take
hours. It also times the publication gate's scan of the posts' front
matter, per post.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import write_posts

HERE = Path(__file__).parent
BASE_CONF = 'project = "Benchmark node"\nexclude_patterns = ["_build"]\n'
# Bare MyST as a user publishes with it: each post's front-matter title is its
# page title (without myst_title_to_header the pages have no title, every page
# warns of its headings, and the glob-toctree build took 1.7 times as long at
# 200 posts). Posts outside every toctree would each warn; newsnode does not.
BARE_CONF = (
    'extensions = ["myst_parser"]\nmyst_title_to_header = True\n'
    'suppress_warnings = ["toc.not_included"]\n'
)
LAYOUTS = {
    "bare": (BARE_CONF, "# News\n\n```{toctree}\n:glob:\n:maxdepth: 1\n\nnews/*\n```\n"),
    "bare-flat": (BARE_CONF, "# News\n\nThe posts are in no toctree.\n"),
    "newsnode": (
        'extensions = ["sphinx_newsnode"]\nhtml_baseurl = "https://node.example.org/"\n',
        "# News\n\n```{news-list}\n:limit: 20\n:show-description:\n```\n",
    ),
    "newsnode+toctree": (
        'extensions = ["sphinx_newsnode"]\nhtml_baseurl = "https://node.example.org/"\n',
        "# News\n\n```{toctree}\n:glob:\n:maxdepth: 1\n\nnews/*\n```\n",
    ),
    "ablog": (
        'extensions = ["ablog", "myst_parser"]\nblog_baseurl = "https://node.example.org/"\n'
        'blog_path = "blog"\nblog_post_pattern = "news/*"\n',
        "# News\n\n```{postlist} 20\n```\n",
    ),
}
STEPS = ("full -j 1", "full -j 2", "no change", "body edit", "title edit")
Timings = dict[str, tuple[float, int]]
"""Seconds and peak KiB of each step."""


def build(srcdir: Path, *args: str) -> tuple[float, int]:
    """One build: (seconds, peak KiB)."""
    command = [sys.executable, str(HERE / "measure.py"), "-q", "-b", "html", *args]
    command += [str(srcdir), str(srcdir / "_build" / "html")]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"build failed:\n{result.stderr[-3000:]}")
    seconds, peak = result.stdout.split()[-2:]
    return float(seconds), int(peak)


def touch(path: Path, old: str, new: str) -> None:
    """Edit *path*: *old* becomes *new*, or back again (so that each rebuild has an edit)."""
    text = path.read_text(encoding="utf-8")
    text = text.replace(old, new) if old in text else text.replace(new, old)
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def prepare(layout: str, posts: int, workdir: Path) -> Path:
    """The source tree of one layout, made afresh."""
    conf, index = LAYOUTS[layout]
    src = workdir / layout
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    (src / "conf.py").write_text(BASE_CONF + conf)
    (src / "index.md").write_text(index)
    write_posts(src, posts)
    return src


def take_step(src: Path, step: str) -> tuple[float, int]:
    """One step of :data:`STEPS` on the tree at *src*, after the steps before it."""
    if step == "full -j 1":
        return build(src, "-E")
    if step == "full -j 2":
        shutil.rmtree(src / "_build")
        return build(src, "-E", "-j", "2")
    posts = posts_of(src)
    post = posts[len(posts) // 2]
    if step == "body edit":
        touch(post, "Researchers and curators met", "Researchers and curators gathered")
    elif step == "title edit":
        touch(post, "title: Node news", "title: Renamed node news")
    return build(src)


def measure(layouts: list[str], posts: int, workdir: Path, rebuilds: int) -> dict[str, Timings]:
    """Every step for every layout, the layouts taking each step in turn.

    So a step's builds follow each other, and a machine whose speed drifts
    (a shared host) slows each layout's alike. A full build is taken once; a
    rebuild, a second or less, *rebuilds* times (the layouts in turn each
    time), and its time is their median: one rebuild moves by a fifth from
    one to the next on a shared host.
    """
    sources = {name: prepare(name, posts, workdir) for name in layouts}
    results: dict[str, Timings] = {name: {} for name in layouts}
    for step in STEPS:
        times: dict[str, list[tuple[float, int]]] = {name: [] for name in layouts}
        for _repeat in range(1 if step.startswith("full") else rebuilds):
            for name in layouts:
                times[name].append(take_step(sources[name], step))
        for name in layouts:
            results[name][step] = statistics.median_low(times[name])
    return results


def posts_of(src: Path) -> list[Path]:
    return sorted((src / "news").glob("*.md"))


def gate_scan_cost(posts: int, workdir: Path) -> float:
    """Milliseconds per post of the gate's front-matter scan."""
    from sphinx.application import Sphinx

    from sphinx_newsnode.gate.scan import scan_posts

    src = workdir / "newsnode"
    app = Sphinx(src, src, src / "_build" / "scan", src / "_build" / "scan-doctrees", "dummy",
                 status=None, warning=None, freshenv=True)  # fmt: skip
    start = time.perf_counter()
    count = sum(1 for _post in scan_posts(app))
    return (time.perf_counter() - start) * 1000 / max(count, 1)


def arguments(argv: list[str] | None = None) -> tuple[argparse.Namespace, list[str]]:
    """The bench's options and the layouts to measure; exits on a bad one."""
    parser = argparse.ArgumentParser(description="sphinx-newsnode against bare MyST")
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--rebuilds", type=int, default=5, help="times each rebuild is taken in a run"
    )
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--layouts", default=",".join(LAYOUTS), help="comma-separated")
    parser.add_argument("--baseline", default="bare", choices=LAYOUTS)
    args = parser.parse_args(argv)
    wanted = [name.strip() for name in args.layouts.split(",")]
    if unknown := set(wanted) - set(LAYOUTS):
        parser.error(f"unknown layouts: {', '.join(sorted(unknown))}")
    if args.baseline not in wanted:
        parser.error(f"the baseline {args.baseline} must be among the layouts")
    return args, wanted


def compile_extension() -> None:
    """Compile sphinx-newsnode's modules, as pip leaves an installed package.

    Sphinx, MyST and ABlog come compiled from their wheels; an editable
    install under ``PYTHONDONTWRITEBYTECODE`` would be compiled from source
    in every measured build (0.06 s a build on the development machine).
    """
    spec = importlib.util.find_spec("sphinx_newsnode")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        compileall.compile_dir(folder, quiet=1)


def main() -> None:
    args, wanted = arguments()
    compile_extension()
    layouts = [name for name in wanted if name != "ablog" or importlib.util.find_spec("ablog")]
    base = args.baseline
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="newsnode-bench-"))
    runs: dict[str, list[Timings]] = {name: [] for name in layouts}
    for run in range(args.runs):
        print(f"run {run + 1}/{args.runs}", file=sys.stderr)
        for name, results in measure(layouts, args.posts, workdir, args.rebuilds).items():
            runs[name].append(results)
    median = {
        name: {step: statistics.median(r[step][0] for r in results) for step in STEPS}
        for name, results in runs.items()
    }
    memory = {
        name: statistics.median(r["full -j 1"][1] for r in results) / 1024
        for name, results in runs.items()
    }
    scan = gate_scan_cost(args.posts, workdir) if "newsnode" in layouts else float("nan")
    print(f"{args.posts} posts, median of {args.runs} runs (a rebuild: of {args.rebuilds} each); "
          f"{platform.python_implementation()} "
          f"{platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}; "
          f"ratios to {base}")  # fmt: skip
    header = f"{'':18}" + "".join(f"{step:>20}" for step in STEPS) + f"{'peak memory':>20}"
    print(header)
    for name in layouts:
        cells = [
            f"{median[name][step]:8.2f} s ({median[name][step] / median[base][step]:4.2f}x)"
            for step in STEPS
        ]
        cells.append(f"{memory[name]:7.0f} MiB ({memory[name] / memory[base]:4.2f}x)")
        print(f"{name:18}" + "".join(f"{cell:>20}" for cell in cells))
    print(f"gate scan of the front matter: {scan:.3f} ms per post")
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
