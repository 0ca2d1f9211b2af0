"""The core stays pure: nothing in bot/core imports telegram (or does I/O on its own)."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "bot" / "core"


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module.split(".")[0])
    return out


def test_core_never_imports_telegram_or_storage() -> None:
    files = list(CORE.glob("*.py"))
    assert files
    for path in files:
        found = imports(path)
        assert "telegram" not in found, path.name
        assert "aiosqlite" not in found and "sqlite3" not in found, path.name


def test_only_the_telegram_package_imports_telegram() -> None:
    root = CORE.parent
    for path in root.rglob("*.py"):
        if "telegram" in path.relative_to(root).parts[:1]:
            continue
        assert "telegram" not in imports(path), path
