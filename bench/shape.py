"""`python -m bench.shape`: the shape of the product's code (bot/, actions/, channels/).

Prints the import cycles (strongly connected components of more than one module in the import graph, counting
every import, also those inside functions), the imports inside functions and the files over 300 lines, each with
its list. Reads the files as text (ast); runs none of them.
"""
from __future__ import annotations

import argparse
import ast
import json
from dataclasses import dataclass, field
from pathlib import Path

PACKAGES = ("bot", "actions", "channels")
LONG_FILE = 300


@dataclass
class Shape:
    modules: dict[str, Path] = field(default_factory=dict)
    imports: dict[str, set[str]] = field(default_factory=dict)
    inner_imports: list[tuple[str, int, str]] = field(default_factory=list)   # (file, line, import)
    long_files: list[tuple[str, int]] = field(default_factory=list)

    @property
    def cycles(self) -> list[list[str]]:
        return [sorted(c) for c in strongly_connected(self.imports) if len(c) > 1]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The project's modules this import statement loads (a package's `__init__` counts as its own module)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            anchor = module.split(".") if is_package else module.split(".")[:-1]
            anchor = anchor[:len(anchor) - node.level + 1]
            base = ".".join(anchor + ([base] if base else []))
        names = [f"{base}.{alias.name}" for alias in node.names] + [base]
    found = set()
    for name in names:
        while name and name not in known:       # `from a.b import C` loads a.b; `import a.b.c` loads a.b.c
            name = name.rpartition(".")[0]
        if name:
            found.add(name)
    return found


def inside_function(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            ids.update(id(n) for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom)))
    return ids


def measure(root: Path) -> Shape:
    shape = Shape()
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            shape.modules[module_name(path, root)] = path
    known = set(shape.modules)
    for module, path in shape.modules.items():
        source = path.read_text(encoding="utf-8")
        lines = source.count("\n") + (not source.endswith("\n") and bool(source))
        if lines > LONG_FILE:
            shape.long_files.append((str(path.relative_to(root)), lines))
        tree = ast.parse(source, filename=str(path))
        inner = inside_function(tree)
        targets: set[str] = set()
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            targets |= imported(node, module, path.name == "__init__.py", known)
            if id(node) in inner:
                shape.inner_imports.append((str(path.relative_to(root)), node.lineno, ast.unparse(node)))
        # A submodule import also runs its packages' __init__ modules: they are edges too.
        for target in list(targets):
            parts = target.split(".")
            targets |= {".".join(parts[:n]) for n in range(1, len(parts)) if ".".join(parts[:n]) in known}
        targets.discard(module)
        shape.imports[module] = targets
    shape.inner_imports.sort()
    shape.long_files.sort(key=lambda item: -item[1])
    return shape


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                components.append(component)
    return components


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--json", action="store_true", help="the counts as one JSON line")
    args = parser.parse_args(argv)
    shape = measure(args.root)
    cycles = shape.cycles
    if args.json:
        print(json.dumps({"import_cycles": len(cycles), "imports_inside_functions": len(shape.inner_imports),
                          f"files_over_{LONG_FILE}_lines": len(shape.long_files)}))
        return
    print(f"import cycles: {len(cycles)}")
    for cycle in cycles:
        print("  " + " <-> ".join(cycle))
    print(f"imports inside functions: {len(shape.inner_imports)}")
    for file, line, text in shape.inner_imports:
        print(f"  {file}:{line}: {text}")
    print(f"files over {LONG_FILE} lines: {len(shape.long_files)}")
    for file, lines in shape.long_files:
        print(f"  {file}: {lines}")


if __name__ == "__main__":
    main()
