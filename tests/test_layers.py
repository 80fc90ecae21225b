"""The import contract: the layers of the house, read from the code's own imports (no code is run).

From the ground up (README "Layout", STYLE.md §14):

0. the core, ``bureau``: clock, organisation models and reads, notifications, files, exports,
   imports, auth, settings and the Celery app — imports no app of ours;
1. ``archive``: the append-only record of every change — imports only the core;
2. the organisation's archived changes: ``bureau.services`` and the pages and admin that call it;
   ``proofing``, the proofreading lists, check and acknowledgements (the core and the archive only);
3. the feature apps ``opinions`` and ``publicity`` — independent of each other;
4. ``assignments`` (duty and county tasks), which links tasks and reports to posts and demands;
5. ``events``: opinion events grouping posts and demands, graded, with response clocks;
6. ``alerts``: alert rules, routed by the duty roster, delivered and acknowledged;
7. ``reports``: the home page's panels, dashboard, assessment, annual summary;
8. ``demo``: the demo office and load generators, which drive every service;
9. ``bureau.urls``, the root URLconf, which includes every app's URLs.

A module may import its own layer and the layers below. There is no import loop between modules,
except the named pairs below. An import inside a function carries a comment saying why."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "bureau",
    "archive",
    "proofing",
    "opinions",
    "publicity",
    "assignments",
    "events",
    "alerts",
    "reports",
    "demo",
)

# Longest matching prefix wins.
LAYERS = {
    "bureau": 0,
    "archive": 1,
    "bureau.services": 2,
    "bureau.admin": 2,
    "bureau.views": 2,
    "proofing": 2,
    "opinions": 3,
    "publicity": 3,
    "assignments": 4,
    "events": 5,
    "alerts": 6,
    "reports": 7,
    "demo": 8,
    "bureau.urls": 9,
}
# Same layer, and still never importing each other.
INDEPENDENT = [("opinions", "publicity")]

# The loops we mean: a service schedules its own Celery task after commit, and the task module
# calls the service. The service imports the task inside the function that schedules it.
INTENDED_LOOPS = {
    frozenset({"bureau.notifications", "bureau.tasks"}),
    frozenset({"opinions.services.intake", "opinions.tasks"}),
    frozenset({"reports.annual.services", "reports.tasks"}),
}


def _modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _layer(module: str) -> tuple[int, str]:
    prefix = module
    while prefix:
        if prefix in LAYERS:
            return LAYERS[prefix], prefix
        prefix = prefix.rpartition(".")[0]
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


class _Imports(ast.NodeVisitor):
    """Every import of our modules in one file: (line, target module, inside a function)."""

    def __init__(self, module: str, is_package: bool) -> None:
        self.package = module if is_package else module.rpartition(".")[0]
        self.depth = 0
        self.found: list[tuple[int, str, bool]] = []

    def visit_FunctionDef(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(node.lineno, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            parts = self.package.split(".")
            parts = parts[: len(parts) - node.level + 1]
            base = ".".join([*parts, base] if base else parts)
        for alias in node.names:
            self._add(node.lineno, f"{base}.{alias.name}" if base else alias.name)

    def _add(self, line: int, name: str) -> None:
        if name.split(".")[0] not in APPS:
            return
        target = _resolve(name)
        if target is not None:
            self.found.append((line, target, self.depth > 0))


def _imports(module: str) -> list[tuple[int, str, bool]]:
    path = MODULES[module]
    visitor = _Imports(module, path.name == "__init__.py")
    visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
    return [(line, target, inside) for line, target, inside in visitor.found if target != module]


GRAPH = {module: _imports(module) for module in MODULES}


def test_no_module_imports_a_higher_layer():
    wrong = []
    for module, imports in GRAPH.items():
        layer, _ = _layer(module)
        for line, target, _inside in imports:
            target_layer, _ = _layer(target)
            if target_layer > layer:
                wrong.append(f"{module}:{line} (layer {layer}) imports {target} (layer {target_layer})")
    assert wrong == []


def test_independent_apps_do_not_import_each_other():
    wrong = []
    for module, imports in GRAPH.items():
        for line, target, _inside in imports:
            for pair in INDEPENDENT:
                here, there = module.split(".")[0], target.split(".")[0]
                if here != there and {here, there} == set(pair):
                    wrong.append(f"{module}:{line} imports {target}")
    assert wrong == []


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    edges = {module: {target for _line, target, _inside in imports} for module, imports in GRAPH.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in edges:
        if node not in index:
            visit(node)
    return components


def test_no_import_loops_but_the_named_task_pairs():
    unexpected = [cycle for cycle in _cycles() if frozenset(cycle) not in INTENDED_LOOPS]
    assert unexpected == []


def test_every_import_inside_a_function_says_why():
    silent = []
    for module, imports in GRAPH.items():
        lines = MODULES[module].read_text(encoding="utf-8").splitlines()
        for line, target, inside in imports:
            if not inside:
                continue
            here, above = lines[line - 1], lines[line - 2] if line >= 2 else ""
            if "#" not in here and not above.strip().startswith("#"):
                silent.append(f"{module}:{line} imports {target}")
    assert silent == []


def test_the_contract_sees_the_imports_it_checks():
    """A contract that reads nothing passes everything: it must see the imports we know exist."""
    assert (ROOT / "bureau" / "clock.py").exists()
    assert "archive.services" in {target for _line, target, _inside in GRAPH["opinions.services.demands._common"]}
    assert _layer("bureau.clock") == (0, "bureau")
    assert _layer("bureau.urls") == (9, "bureau.urls")
    assert _layer("reports.dashboard.selectors") == (7, "reports")
