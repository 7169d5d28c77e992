"""Run one sphinx-build and print its wall time and peak memory (a helper of run.py).

    python bench/measure.py SPHINX-BUILD-ARGS...

Prints ``seconds peak_kib`` on the last line: peak memory is the largest
resident set of this process and of the worker processes of ``-j``.
"""

from __future__ import annotations

import resource
import sys
import time

from sphinx.cmd.build import build_main

start = time.perf_counter()
status = build_main(sys.argv[1:])
elapsed = time.perf_counter() - start
peak = max(
    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
)
print(f"{elapsed:.4f} {peak}")
sys.exit(status)
