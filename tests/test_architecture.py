"""The layers the package is built in, and the size of its pieces, stay as designed.

Read from the source with :mod:`ast`: each layer imports only from the layers
below it (its ``TYPE_CHECKING`` imports too), no module imports itself back
through others, inside a layer features use the layer's shared modules (named
in its ``SHARED``) and not each other, and no class or function grows past a
size a reader takes in at once.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import sphinx_newsnode

PACKAGE = Path(sphinx_newsnode.__file__).parent
#: Bottom to top.
LAYERS = ("core", "model", "jekyll", "gate", "reading", "outputs", "cli")
MAX_CLASS_LINES = 150
MAX_FUNCTION_LINES = 60


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__")


MODULES = {
    module_name(path): path
    for path in sorted(PACKAGE.rglob("*.py"))
    if module_name(path) not in {"", "__main__"}
}


def layer_of(module: str) -> str:
    return module.split(".")[0]


def imports_of(module: str) -> set[str]:
    """The package's modules that *module* imports, by their name in the package."""
    tree = ast.parse(MODULES[module].read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "sphinx_newsnode":
                found.update(a.name for a in node.names if a.name in MODULES)
            elif node.module.startswith("sphinx_newsnode."):
                name = node.module.removeprefix("sphinx_newsnode.")
                found.update(
                    f"{name}.{a.name}" if f"{name}.{a.name}" in MODULES else name
                    for a in node.names
                )
        elif isinstance(node, ast.Import):
            found.update(
                a.name.removeprefix("sphinx_newsnode.")
                for a in node.names
                if a.name.startswith("sphinx_newsnode.")
            )
    return {name for name in found if name in MODULES and name != module}


GRAPH = {module: imports_of(module) for module in MODULES}


def test_every_module_is_in_a_layer() -> None:
    assert {layer_of(module) for module in MODULES} == set(LAYERS)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module) -> None:
    level = LAYERS.index(layer_of(module))
    upward = sorted(i for i in GRAPH[module] if LAYERS.index(layer_of(i)) > level)
    assert upward == [], f"{module} imports from a layer above it: {upward}"


@pytest.mark.parametrize("layer", LAYERS[:-1])
def test_features_use_the_shared_modules_of_their_layer(layer) -> None:
    """sphinx-design's hub and spokes: a feature imports its layer's hubs, not other features."""
    package = importlib.import_module(f"sphinx_newsnode.{layer}")
    assert package.__doc__, f"{layer}/__init__.py says what the layer owns"
    shared = {f"{layer}.{name}" for name in getattr(package, "SHARED", ())}
    assert shared <= set(MODULES), shared - set(MODULES)
    # The package itself wires its features together in its setup function. A
    # feature may be split in parts (report_front.py is a part of report.py):
    # a part is imported by its feature only.
    for module in (m for m in MODULES if layer_of(m) == layer and m not in shared | {layer}):
        sideways = sorted(
            i
            for i in GRAPH[module]
            if layer_of(i) == layer
            and i not in shared
            and i != layer
            and not i.startswith(module + "_")
        )
        assert sideways == [], f"{module} imports the features {sideways}"


def test_no_import_cycle() -> None:
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(GRAPH[module]):
            if state.get(target) == "open":
                pytest.fail("import cycle: " + " -> ".join([*path, module, target]))
            if target not in state:
                visit(target, [*path, module])
        state[module] = "done"

    for module in sorted(MODULES):
        if module not in state:
            visit(module, [])


def sizes() -> list[tuple[str, str, int]]:
    found = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                kind = "class" if isinstance(node, ast.ClassDef) else "function"
                found.append((kind, f"{module}.{node.name}", node.end_lineno - node.lineno + 1))
    return found


def test_classes_and_functions_stay_small() -> None:
    limits = {"class": MAX_CLASS_LINES, "function": MAX_FUNCTION_LINES}
    too_long = [(name, lines) for kind, name, lines in sizes() if lines > limits[kind]]
    assert too_long == []
