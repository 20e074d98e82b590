"""Fail when the project's apps import each other in a circle (deferred imports included).

Every ``.py`` file of every app (a top-level folder with an ``apps.py``), migrations aside, is
parsed; each import naming another app is an edge of the app graph. Usage:
``python tests/check_app_graph.py [project root]``; prints each cycle with the lines that make it.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict, deque
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ImportSite:
    """Where an app imports another: the file (relative to the root), the line, the module."""

    path: str
    line: int
    module: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} ({self.module})"


Graph = dict[str, dict[str, list[ImportSite]]]


def find_apps(root: Path) -> set[str]:
    """The project's apps: the top-level folders that hold an ``apps.py``."""
    return {path.parent.name for path in root.glob("*/apps.py")}


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """Every absolute module an AST imports, wherever the import sits, with its line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return found


def build_graph(root: Path) -> Graph:
    """App → imported app → the places where the import is written."""
    apps = find_apps(root)
    graph: Graph = {app: defaultdict(list) for app in apps}
    for app in sorted(apps):
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root)
            if "migrations" in relative.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for line, module in imported_modules(tree):
                target = module.split(".", 1)[0]
                if target in apps and target != app:
                    graph[app][target].append(ImportSite(relative.as_posix(), line, module))
    return graph


def _shortest_path(graph: Graph, start: str, goal: str, allowed: set[str]) -> list[str] | None:
    """The shortest path ``start`` → … → ``goal`` through the ``allowed`` apps."""
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [node]
            while (parent := previous[path[-1]]) is not None:
                path.append(parent)
            return path[::-1]
        for target in sorted(graph[node]):
            if target in allowed and target not in previous:
                previous[target] = node
                queue.append(target)
    return None


def _components(graph: Graph) -> list[set[str]]:
    """The strongly connected components of the graph (Tarjan), as sets of apps."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            result.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def find_cycles(graph: Graph) -> list[list[str]]:
    """One shortest cycle through each edge that closes one, as ``[a, b, …, a]``, deduplicated."""
    cycles: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    for component in _components(graph):
        if len(component) < 2:
            continue
        for source in sorted(component):
            for target in sorted(graph[source]):
                if target not in component:
                    continue
                back = _shortest_path(graph, target, source, component)
                assert back is not None
                cycle = [source, *back]
                # The same circle read from another app is the same cycle.
                turn = cycle.index(min(cycle[:-1]))
                key = tuple(cycle[turn:-1] + cycle[:turn])
                if key not in seen:
                    seen.add(key)
                    cycles.append([*key, key[0]])
    return cycles


def report(graph: Graph, cycles: list[list[str]]) -> str:
    """Each cycle as ``a → b → a``, then the import lines that make each of its edges."""
    lines = []
    for cycle in cycles:
        lines.append("Import cycle between apps: " + " → ".join(cycle))
        for source, target in pairwise(cycle):
            for site in graph[source][target]:
                lines.append(f"  {source} → {target}: {site}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    root = Path(argv[1]).resolve() if len(argv) > 1 else ROOT
    graph = build_graph(root)
    cycles = find_cycles(graph)
    if cycles:
        print(report(graph, cycles))
        return 1
    print(f"No import cycle between the {len(graph)} apps.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
