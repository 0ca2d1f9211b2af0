"""The arrows point inward: each layer imports only the layers below it.

    adapters (telegram/, console, cli)  ->  features/  ->  storage/, i18n  ->  core/

Nothing in ``bot/core`` imports ``telegram``, storage, features or does database I/O; storage
never imports features or ``telegram``; features never import ``telegram``. Sizes stay within
what a reader takes in at once (the limits of ``shared/tools/structure.py``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[1] / "bot"

# What each layer may import from bot.* (a module may always import its own layer).
ALLOWED = {
    "core": {"core"},
    "storage": {"core", "storage"},
    "i18n": {"core", "i18n"},
    "features": {"core", "storage", "i18n", "features"},
    "telegram": {"core", "storage", "i18n", "features", "telegram", "config", "logs"},
}
FORBIDDEN_PACKAGES = {
    "core": {"telegram", "aiosqlite", "sqlite3", "httpx"},
    "storage": {"telegram", "httpx"},
    "features": {"telegram", "aiosqlite", "sqlite3", "httpx"},
}


def layer(path: Path) -> str:
    rel = path.relative_to(BOT)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def imports(path: Path) -> set[str]:
    """Dotted names of every module ``path`` imports (at any depth of the file)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


SOURCES = sorted(BOT.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(BOT)))
def test_imports_point_inward(path: Path) -> None:
    own = layer(path)
    found = imports(path)
    if own in ALLOWED:
        internal = {m.split(".")[1] for m in found if m.startswith("bot.")}
        up = {m for m in internal if layer(BOT / m) not in ALLOWED[own]}
        assert not up, f"{path.relative_to(BOT)} imports up to {sorted(up)}"
    roots = {m.split(".")[0] for m in found}
    assert not roots & FORBIDDEN_PACKAGES.get(own, set()), path


def test_sizes_within_limits() -> None:
    over = []
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(BOT)
        if len(text.splitlines()) > 500:
            over.append(f"{rel}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            size = (node.end_lineno or node.lineno) - node.lineno + 1
            if isinstance(node, ast.ClassDef) and size > 250:
                over.append(f"{rel}: class {node.name} {size} lines")
            elif not isinstance(node, ast.ClassDef) and size > 60 and "matching" not in rel.parts:
                over.append(f"{rel}: def {node.name} {size} lines")
    assert not over, over


def test_no_callback_data_spelled_out_outside_the_codec() -> None:
    """Callback data is only built by ``bot/features/callbacks.py`` (``Button.action``)."""
    for path in SOURCES:
        if path.name == "callbacks.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg in {"data", "callback_data"}:
                value = node.value
                encoded = (
                    isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Attribute)
                    and value.func.attr == "encode"
                )
                ok = (
                    encoded
                    or isinstance(value, ast.Name | ast.Attribute)
                    or (isinstance(value, ast.Constant) and value.value is None)
                )
                assert ok, f"{path.relative_to(BOT)}:{node.value.lineno} spells out callback data"
