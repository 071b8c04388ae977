"""The layers of DESIGN.md ("Layers") as a test: imports run downward only.

Every .py file under src/maatwerk/ (migrations aside: they name models by string the way the
migration graph needs) is parsed with `ast`, and every reference to another app is collected:

- imports: `import maatwerk.x`, `from maatwerk.x import y`, `from maatwerk import x`, relative
  imports (`from ..x import y`), also inside functions (a deferred import is still a dependency);
- dotted strings that Django imports for us (`"maatwerk.x.views.home"`,
  `include("maatwerk.x.urls")`);
- model references by label (`ForeignKey("x.Model")`, `apps.get_model("x", "Model")`);
- URL names reversed in Python (`reverse("x:name")`, `redirect("x:name")`, `pattern_name=`).

Templates are not checked: a page may link to or load the tags of any app (they are the
presentation, composed at the top). See docs/architecture.md, "Layers".
"""

from __future__ import annotations

import ast
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "maatwerk"

# From the bottom up. An app may import any app on a lower layer, never one above it, and a
# sibling on its own layer only where SIBLINGS allows it.
LAYERS: list[tuple[str, set[str]]] = [
    ("ground: formatting, middleware, identity", {"core", "accounts"}),
    ("audit: records, reaches into no domain", {"audit"}),
    ("api platform: clients, tokens, authentication, permissions, errors, schema", {"api"}),
    ("reference data and the pure engine: know no casework", {"legal", "costs"}),
    ("cases", {"cases"}),
    ("plans", {"plans"}),
    ("decisions", {"decisions"}),
    ("cooperation: requests to outside organisations; knows plans and decisions", {"cooperation"}),
    ("the learning loop: reads the core loop", {"signals", "library", "partners", "followup"}),
    ("top: composes the others", {"workspace", "privacy", "demo"}),
    ("routing: settings and URLs of every app", {"conf", "api.urls"}),
]
LEARNING_LOOP = {"signals", "library", "partners", "followup"}
SIBLINGS: set[tuple[str, str]] = {
    ("accounts", "core"),  # identity uses the floor (the audit hook, formatting); never back
    ("demo", "workspace"),  # demo data may show the start page; the start page knows no demo
    ("workspace", "privacy"),  # the menu links the privacy officer's pages; never back
    ("conf", "api.urls"),  # the site's URLs include the API's
    # The learning-loop apps may read one another (signals count follow-up outcomes and early
    # signals, the library suggests what follow-up proved); a cycle among them still fails.
    *itertools.permutations(LEARNING_LOOP, 2),
}

LAYER_OF = {app: n for n, (_, apps) in enumerate(LAYERS) for app in apps}
DOTTED = re.compile(r"maatwerk(\.[A-Za-z_]\w*)+")
MODEL_LABEL = re.compile(r"([a-z_]+)\.[A-Z]\w*")
URL_NAME = re.compile(r"([a-z_]+):[\w-]+")
MODEL_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}
URL_CALLS = {"reverse", "reverse_lazy", "redirect", "resolve_url"}


@dataclass(frozen=True)
class Reference:
    source: str  # the importing app
    target: str  # the app it depends on
    where: str  # file:line


def app_of(path: Path, root: Path) -> str | None:
    """The app a source file belongs to; the API's urls.py is the routing layer of its own."""
    parts = path.relative_to(root).parts
    if len(parts) < 2:
        return None  # maatwerk/__init__.py
    if parts[0] == "api" and parts[1:] == ("urls.py",):
        return "api.urls"
    return parts[0]


def _module_app(dotted: str, root: Path) -> str | None:
    """`maatwerk.cases.models.Case` → cases; `maatwerk.api.urls` → api.urls."""
    parts = dotted.split(".")
    if parts[0] != "maatwerk" or len(parts) < 2:
        return None
    if parts[1:3] == ["api", "urls"]:
        return "api.urls"
    return parts[1] if (root / parts[1]).is_dir() else None


def _package(path: Path, root: Path) -> list[str]:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    return parts if path.name == "__init__.py" else parts[:-1]


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")


def _str(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def namespaces(root: Path) -> dict[str, str]:
    """URL namespace → app, from each app's `app_name = "..."`."""
    found = {}
    for urls in root.glob("*/urls.py"):
        for node in ast.parse(urls.read_text()).body:
            if (
                isinstance(node, ast.Assign)
                and any(getattr(t, "id", "") == "app_name" for t in node.targets)
                and _str(node.value)
            ):
                found[node.value.value] = urls.parent.name
    return found


def references(path: Path, root: Path, url_namespaces: dict[str, str]) -> list[Reference]:
    source = app_of(path, root)
    if source is None:
        return []
    apps = {p.name for p in root.iterdir() if p.is_dir()}
    tree = ast.parse(path.read_text(), filename=str(path))
    docstrings = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and _str(n.body[0].value) is not None
    }
    found: list[tuple[str | None, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(_module_app(a.name, root), node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _package(path, root)[: len(_package(path, root)) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module == "maatwerk":  # from maatwerk import cases
                found += [(a.name if a.name in apps else None, node.lineno) for a in node.names]
            else:
                found.append((_module_app(module, root), node.lineno))
        elif isinstance(node, ast.Constant) and id(node) not in docstrings:
            text = _str(node)
            if text and DOTTED.fullmatch(text):
                found.append((_module_app(text, root), node.lineno))
        if isinstance(node, ast.Call):
            name = _call_name(node)
            args = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "to")]
            if name in MODEL_FIELDS or name == "get_model":
                for text in filter(None, map(_str, args)):
                    label = MODEL_LABEL.fullmatch(text)
                    app = label.group(1) if label else text if name == "get_model" else None
                    found.append((app if app in apps else None, node.lineno))
            url_args = [k.value for k in node.keywords if k.arg == "pattern_name"]
            if name in URL_CALLS:
                url_args += node.args[:1]
            for text in filter(None, map(_str, url_args)):
                match = URL_NAME.fullmatch(text)
                if match and match.group(1) in url_namespaces:
                    found.append((url_namespaces[match.group(1)], node.lineno))
    where = path.relative_to(root.parent)
    return [
        Reference(source, target, f"{where}:{line}")
        for target, line in found
        if target and target != source
    ]


def all_references(root: Path = SRC) -> list[Reference]:
    url_namespaces = namespaces(root)
    return [
        ref
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.relative_to(root).parts
        for ref in references(path, root, url_namespaces)
    ]


def violations(refs: list[Reference]) -> list[str]:
    problems = []
    for app in sorted({r.source for r in refs} | {r.target for r in refs}):
        if app not in LAYER_OF:
            problems.append(
                f"app {app} has no layer: add it to DESIGN.md (Layers) and to LAYERS in {__name__}"
            )
    for r in refs:
        if r.source not in LAYER_OF or r.target not in LAYER_OF:
            continue
        mine, theirs = LAYER_OF[r.source], LAYER_OF[r.target]
        if theirs > mine or (theirs == mine and (r.source, r.target) not in SIBLINGS):
            kind = "a sibling on its own layer" if theirs == mine else "an app above it"
            problems.append(
                f"app {r.source} (layer {mine}) imports app {r.target} (layer {theirs}), "
                f"{kind}: {r.where}"
            )
    return problems


def cycles(refs: list[Reference]) -> list[list[str]]:
    """Cycles among siblings that may import each other (downward edges cannot close one)."""
    graph: dict[str, set[str]] = {}
    for r in refs:
        if LAYER_OF.get(r.source, -1) == LAYER_OF.get(r.target, -2):
            graph.setdefault(r.source, set()).add(r.target)
    found, seen = [], set()

    def walk(app: str, trail: list[str]) -> None:
        for nxt in sorted(graph.get(app, ())):
            if nxt in trail:
                cycle = [*trail[trail.index(nxt) :], nxt]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    found.append(cycle)
            else:
                walk(nxt, [*trail, nxt])

    for app in sorted(graph):
        walk(app, [app])
    return found


# ---------------------------------------------------------------------------------------------


def test_every_app_imports_only_downward():
    refs = all_references()
    assert len({r.source for r in refs}) >= 10, "the scan found too few apps to be looking"
    problems = violations(refs)
    assert not problems, "Imports that break the layers (DESIGN.md, Layers):\n" + "\n".join(
        problems
    )


def test_the_app_graph_has_no_cycle():
    found = cycles(all_references())
    assert not found, "Apps that import each other in a circle:\n" + "\n".join(
        " → ".join(c) for c in found
    )


def test_core_imports_no_other_app():
    """The floor: formatting, middleware and hooks. Everything else may stand on it."""
    assert [r.where for r in all_references() if r.source == "core"] == []


def test_every_app_on_disk_has_a_layer():
    on_disk = {p.name for p in SRC.iterdir() if p.is_dir() and any(p.glob("*.py"))}
    assert on_disk - set(LAYER_OF) == set()


# The checker itself, on a small tree written for it: each kind of reference is caught.


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "maatwerk"
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for app in {Path(n).parts[0] for n in files if "/" in n}:
        (root / app / "__init__.py").touch()
    return root


@pytest.mark.parametrize(
    "code",
    [
        "from maatwerk.cases import selectors\n",
        "import maatwerk.cases.models\n",
        "from maatwerk import cases\n",
        "from ..cases.models import Obstacle\n",
        "def later():\n    from maatwerk.cases import services\n",
        'HOOK = "maatwerk.cases.services.promote"\n',
        'from django.db import models\nx = models.ForeignKey("cases.Case", on_delete=None)\n',
        'from django.apps import apps\nM = apps.get_model("cases", "Case")\n',
        'from django.urls import reverse\nu = reverse("cases:detail", args=[1])\n',
        "from django.views.generic import RedirectView\n"
        'v = RedirectView.as_view(pattern_name="cases:list")\n',
    ],
)
def test_the_check_catches_an_upward_reference(tmp_path, code):
    root = _tree(
        tmp_path,
        {
            "legal/views.py": code,
            "cases/models.py": "class Case: pass\n",
            "cases/urls.py": 'app_name = "cases"\n',
        },
    )
    problems = violations(all_references(root))
    assert len(problems) == 1, problems
    assert problems[0].startswith("app legal (layer 3) imports app cases (layer 4), an app above")
    assert "maatwerk/legal/views.py:" in problems[0]


def test_the_check_allows_downward_and_own_app_references_and_skips_migrations(tmp_path):
    root = _tree(
        tmp_path,
        {
            "cases/models.py": "from maatwerk.legal.models import BlockingRule\nfrom . import x\n",
            "cases/views.py": '"""maatwerk.plans.views"""\nfrom .models import Case\n',
            "legal/models.py": "class BlockingRule: pass\n",
            "legal/migrations/0009_x.py": 'x = models.ForeignKey("cases.Case")\n',
        },
    )
    refs = all_references(root)
    assert [(r.source, r.target) for r in refs] == [("cases", "legal")]
    assert violations(refs) == []


def test_the_check_refuses_siblings_where_the_design_does_and_finds_cycles(tmp_path):
    root = _tree(
        tmp_path,
        {
            "legal/views.py": "from maatwerk.costs import engine\n",
            "costs/engine.py": "",
            "signals/a.py": "from maatwerk.followup import b\n",
            "followup/b.py": "from maatwerk.signals import a\n",
        },
    )
    refs = all_references(root)
    assert violations(refs) == [
        "app legal (layer 3) imports app costs (layer 3), a sibling on its own layer: "
        "maatwerk/legal/views.py:1"
    ]
    assert cycles(refs) == [["followup", "signals", "followup"]]


def test_the_check_names_an_app_without_a_layer(tmp_path):
    root = _tree(
        tmp_path,
        {"newapp/x.py": "from maatwerk.core import formatting\n", "core/formatting.py": ""},
    )
    assert violations(all_references(root))[0].startswith("app newapp has no layer")
