"""Where one build's time goes: the extension's own work, and the garbage collector.

    python bench/attribute.py SPHINX-BUILD-ARGS...

Runs one sphinx-build in this process, as bench/measure.py does, and prints
on its last line a JSON object:

* ``seconds``: the build's wall time;
* ``own``: the time spent in sphinx-newsnode's own code: importing and
  setting it up, its event handlers, transforms, directives and node
  visitors, with what they call (Sphinx's path helpers, MyST's parser for a
  credit); not the other extensions it sets up (MyST-Parser);
* ``own_parts``: the same by part (``setup``, ``<event>: <handler>``,
  ``transform: <class>``, ``directive``, ``visitor``);
* ``gc`` and ``gc_full``: the time of Python's cyclic garbage collector, all
  collections and the full ones, whatever code triggered them: a full
  collection walks every object alive, so its cost grows with the doctrees
  and records the build holds; ``gc_in_own``: the part of it that fell
  within the extension's code (counted in ``own`` too);
* ``environment_bytes``: the size of the pickled environment.

Only this process is measured: with ``-j N`` the workers' time is not. Run
the same step on the extension's tree and on bare-flat's, in turn, and
compare: what the extension adds to a build is its own time, plus the
collector's and Sphinx's work on what it adds.
"""

from __future__ import annotations

import collections
import gc
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.cmd.build import build_main
from sphinx.events import EventManager

if TYPE_CHECKING:
    from collections.abc import Callable

PACKAGE = "sphinx_newsnode"


class OwnTime:
    """Time spent in the extension's code, by part; nested calls count once."""

    def __init__(self) -> None:
        self.parts: collections.defaultdict[str, float] = collections.defaultdict(float)
        self.depth = 0

    def call(self, part: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """*function(...)*, timed as *part* unless already inside the extension's code."""
        if self.depth:
            return function(*args, **kwargs)
        self.depth += 1
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            self.parts[part] += time.perf_counter() - start
            self.depth -= 1

    def exclude(self, part: str, function: Callable[..., Any], *args: Any) -> Any:
        """*function(...)*, called within *part* but not the extension's own: not counted."""
        start = time.perf_counter()
        try:
            return function(*args)
        finally:
            self.parts[part] -= time.perf_counter() - start

    def wrap(self, part: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            return self.call(part, function, *args, **kwargs)

        return timed


class Collector:
    """The garbage collector's time, from its callbacks."""

    def __init__(self, own: OwnTime) -> None:
        self.own = own
        self.seconds = self.full = self.in_own = 0.0
        self.started = 0.0
        gc.callbacks.append(self.callback)

    def callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
            return
        elapsed = time.perf_counter() - self.started
        self.seconds += elapsed
        if self.own.depth:
            self.in_own += elapsed
        if info["generation"] == 2:
            self.full += elapsed


def ours(function: object) -> bool:
    return str(getattr(function, "__module__", "")).startswith(PACKAGE)


def instrument(own: OwnTime) -> None:
    """Time the extension's setup, event handlers, transforms, directives and visitors."""
    setup_extension, connect = Sphinx.setup_extension, EventManager.connect

    def setup(app: Sphinx, name: str) -> None:
        if name.startswith(PACKAGE):
            own.call("setup", setup_extension, app, name)
            app.connect("builder-inited", lambda app: wrap_registered(app, own), priority=0)
        elif own.depth:  # another extension the extension sets up (MyST-Parser)
            own.exclude("setup", setup_extension, app, name)
        else:
            setup_extension(app, name)

    def timed_connect(
        events: EventManager, name: str, callback: Callable[..., Any], priority: int
    ) -> int:
        if ours(callback):
            callback = own.wrap(f"{name}: {callback.__qualname__}", callback)
        return connect(events, name, callback, priority)

    Sphinx.setup_extension = setup  # type: ignore[assignment,method-assign]
    EventManager.connect = timed_connect  # type: ignore[assignment,method-assign]


def wrap_registered(app: Sphinx, own: OwnTime) -> None:
    """Time what the extension registered: transforms, directives, node visitors."""
    registry = app.registry
    for transform in {*registry.transforms, *registry.post_transforms}:
        if ours(transform):
            timed = own.wrap(f"transform: {transform.__name__}", transform.apply)  # type: ignore[attr-defined]
            transform.apply = timed  # type: ignore[attr-defined]
    for directive in set(directives._directives.values()):  # type: ignore[attr-defined]
        if ours(directive):
            directive.run = own.wrap("directive", directive.run)
    for handlers in registry.translation_handlers.values():
        for name, (visit, depart) in list(handlers.items()):
            if ours(visit):
                handlers[name] = (
                    own.wrap("visitor", visit),
                    own.wrap("visitor", depart) if depart else None,
                )


def main(args: list[str]) -> int:
    own = OwnTime()
    collector = Collector(own)
    instrument(own)
    start = time.perf_counter()
    status = build_main(args)
    seconds = time.perf_counter() - start
    doctrees = args[args.index("-d") + 1] if "-d" in args[:-1] else Path(args[-1], ".doctrees")
    environment = Path(doctrees, "environment.pickle")
    found = {
        "seconds": round(seconds, 4),
        "own": round(sum(own.parts.values()), 4),
        "own_parts": {
            part: round(value, 4) for part, value in sorted(own.parts.items(), key=lambda p: -p[1])
        },
        "gc": round(collector.seconds, 4),
        "gc_full": round(collector.full, 4),
        "gc_in_own": round(collector.in_own, 4),
        "environment_bytes": environment.stat().st_size if environment.is_file() else None,
    }
    print(json.dumps(found))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
