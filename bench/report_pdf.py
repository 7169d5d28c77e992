"""Time the annual report PDF of a 100-post year.

    python bench/report_pdf.py [--posts 100] [--runs 3]

Builds the year's LaTeX with sphinx-newsnode (``newsnode_reports``), then the
PDF with latexmk, and prints the median seconds of each step and the PDF's
page count. Needs TeX Live, latexmk and poppler-utils.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import write_posts

CONF = """\
extensions = ["sphinx_newsnode"]
project = "Benchmark node"
html_baseurl = "https://node.example.org/"
newsnode_reports = {2021: {"title": "Benchmark report 2021", "author": "Benchmark node"}}
latex_documents = []
"""


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    latex_times, pdf_times, pages = [], [], 0
    for _run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp)
            (src / "conf.py").write_text(CONF)
            (src / "index.md").write_text("# Benchmark\n")
            write_posts(src, args.posts, year=2021, drafts=False)
            out = src / "_build" / "latex"
            latex_times.append(
                timed([sys.executable, "-m", "sphinx", "-q", "-b", "latex", ".", str(out)], src)
            )
            pdf_times.append(
                timed(["latexmk", "-pdf", "-interaction=nonstopmode", "node-report-2021.tex"], out)
            )
            info = subprocess.run(
                ["pdfinfo", str(out / "node-report-2021.pdf")], capture_output=True, text=True
            ).stdout
            pages = int(
                next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages"))
            )
    latex, pdf = statistics.median(latex_times), statistics.median(pdf_times)
    print(f"annual report of {args.posts} posts, median of {args.runs} runs")
    print(f"  sphinx-build -b latex  {latex:7.2f} s")
    print(f"  latexmk -pdf           {pdf:7.2f} s")
    print(f"  total                  {latex + pdf:7.2f} s   ({pages} pages)")


if __name__ == "__main__":
    main()
