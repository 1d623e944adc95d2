"""The project's apps depend on each other one way only, like the floors of a house.

Every import between two of our apps counts, inside functions too; tests and migrations
don't (they may reach anywhere), nor does the composition root (``cms/urls.py`` and the
settings), which wires every app together.
"""

import ast
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.test import SimpleTestCase

# Lowest floor first: an app imports only apps on its own floor or below.
LAYERS = [
    {"core", "outbox"},
    {"taxonomy", "consent", "moderation"},
    {"stories"},
    {"articles", "signoff"},
    {"home", "search", "feeds", "publicapi", "submissions", "staff", "records"},
    {"cms"},
]
COMPOSITION_ROOT = ("cms/urls.py", "cms/settings/")


def project_apps():
    base = Path(settings.BASE_DIR).resolve()
    return {
        config.name: Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == base
    }


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def import_graph(app_paths):
    """{app: {imported app: [file that imports it, ...]}} over production modules."""
    base = Path(settings.BASE_DIR)
    graph = {name: {} for name in app_paths}
    for name, folder in app_paths.items():
        for path in sorted(folder.rglob("*.py")):
            relative = (
                path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)
            )
            parts = set(path.relative_to(folder).parts)
            if parts & {"tests", "migrations"} or relative.startswith(COMPOSITION_ROOT):
                continue
            for module in imported_modules(path):
                target = module.split(".")[0]
                if target in graph and target != name:
                    graph[name].setdefault(target, []).append(relative)
    return graph


def find_cycle(graph):
    """One cycle as a list of apps [a, b, ..., a], or None."""
    visiting, done = [], set()

    def visit(app):
        if app in visiting:
            return [*visiting[visiting.index(app) :], app]
        if app in done:
            return None
        visiting.append(app)
        for target in sorted(graph.get(app, ())):
            cycle = visit(target)
            if cycle:
                return cycle
        visiting.pop()
        done.add(app)
        return None

    for app in sorted(graph):
        cycle = visit(app)
        if cycle:
            return cycle
    return None


def floor(app):
    return next(i for i, layer in enumerate(LAYERS) if app in layer)


class LayerTests(SimpleTestCase):
    def test_every_project_app_has_a_floor(self):
        self.assertEqual(set(project_apps()), set().union(*LAYERS))

    def test_no_import_cycle_between_apps(self):
        graph = import_graph(project_apps())
        cycle = find_cycle(graph)
        self.assertIsNone(
            cycle,
            "Import cycle: "
            + " -> ".join(cycle or [])
            + "".join(
                f"\n  {a} -> {b}: {', '.join(graph[a][b])}"
                for a, b in zip(cycle or [], (cycle or [])[1:], strict=False)
            ),
        )

    def test_imports_go_down_only(self):
        graph = import_graph(project_apps())
        upward = [
            f"{app} imports {target} ({', '.join(files)})"
            for app, targets in graph.items()
            for target, files in targets.items()
            if floor(target) > floor(app)
        ]
        self.assertEqual(upward, [])

    def test_an_import_inside_a_function_counts(self):
        with tempfile.TemporaryDirectory() as folder:
            module = Path(folder) / "rules.py"
            module.write_text("def late():\n    from stories.models import Testimonial\n")
            graph = import_graph({"core": Path(folder), "stories": Path(folder) / "none"})
        self.assertEqual(graph["core"], {"stories": [str(module)]})

    def test_the_cycle_finder_finds_cycles(self):
        self.assertEqual(
            find_cycle({"a": {"b": []}, "b": {"c": []}, "c": {"a": []}}),
            [
                "a",
                "b",
                "c",
                "a",
            ],
        )
        self.assertIsNone(find_cycle({"a": {"b": []}, "b": {}, "c": {"a": []}}))
