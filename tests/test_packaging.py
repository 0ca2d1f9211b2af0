"""A wheel (``pip install .``, pipx, Docker) and an editable install both answer from anywhere.

The repository's top-level ``knowledge/`` ships inside the wheel as ``bot/knowledge`` (see
``[tool.setuptools]`` in pyproject.toml). These tests build from a copy of the sources, so
the checkout gets no ``build/`` or ``*.egg-info``, and install into throw-away virtual
environments whose dependencies come from the running one (a ``.pth`` line, written after
the install so pip never sees this checkout's own editable install). Nothing is downloaded
when the running environment has setuptools >= 77 (the test extras pin it).
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "what is resnet"
RESNET_CARD = "Deep Residual Learning for Image Recognition\nKaiming He"


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _offline_build() -> bool:
    try:
        major = int(importlib.metadata.version("setuptools").split(".")[0])
    except importlib.metadata.PackageNotFoundError:
        return False
    return major >= 77


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of what a build reads: pyproject.toml, README.md, bot/ and knowledge/."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("bot", "knowledge"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    return src


@pytest.fixture(scope="module")
def wheel(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    isolation = ["--no-build-isolation"] if _offline_build() else []
    pip: list[str | Path] = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        *isolation,
        "-q",
        "-w",
        dist,
        ".",
    ]
    _run(*pip, cwd=source)
    (built,) = dist.glob("paperbot-*.whl")
    return built


def _venv(where: Path, wheel: Path) -> Path:
    """Install ``wheel`` (no dependencies) into a new venv; return its ``bin`` directory."""
    _run(sys.executable, "-m", "venv", "--without-pip", where, cwd=where.parent)
    python = where / "bin" / "python"
    pip: list[str | Path] = [
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "-q",
        "--no-deps",
        wheel,
    ]
    _run(*pip, cwd=where.parent)
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    purelib = _run(python, "-c", code, cwd=where)
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib.strip(), "_deps.pth").write_text("\n".join(sorted(ours)) + "\n")
    return where / "bin"


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAPERBOT_", "PYTHON"))}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    env["XDG_DATA_HOME"] = str(home)
    return env


def _ask_from_elsewhere(bin_dir: Path, tmp_path: Path) -> tuple[str, str]:
    """Run ``paperbot ask`` from an empty directory; return its output and the knowledge dir."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _clean_env(tmp_path / "data")
    out = _run(bin_dir / "paperbot", "ask", QUESTION, cwd=elsewhere, env=env)
    where = _run(
        bin_dir / "python",
        "-c",
        "from bot.core.knowledge import default_knowledge_dir; print(default_knowledge_dir())",
        cwd=elsewhere,
        env=env,
    )
    return out, where.strip()


def test_the_wheel_carries_the_knowledge_and_the_messages(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        f"bot/knowledge/{p.relative_to(ROOT / 'knowledge').as_posix()}"
        for p in (ROOT / "knowledge").rglob("*.yaml")
    }
    assert "bot/knowledge/lists.yaml" in expected
    assert expected <= names
    assert {"bot/locales/en.yaml", "bot/locales/zh.yaml"} <= names
    assert not any(n.startswith("knowledge/") for n in names), "knowledge/ must not be top level"


def test_an_installed_wheel_answers_from_any_directory(wheel: Path, tmp_path: Path) -> None:
    bin_dir = _venv(tmp_path / "venv", wheel)
    out, knowledge = _ask_from_elsewhere(bin_dir, tmp_path)
    assert out.startswith(RESNET_CARD)
    assert Path(knowledge).parts[-2:] == ("bot", "knowledge")
    assert Path(knowledge).is_relative_to(tmp_path / "venv")


def test_an_editable_install_reads_the_checkouts_knowledge(source: Path, tmp_path: Path) -> None:
    if not _offline_build():
        pytest.skip("needs setuptools >= 77 in this environment (the test extras)")
    dist = tmp_path / "dist"
    dist.mkdir()
    build = f"from setuptools import build_meta as b; b.build_editable({str(dist)!r})"
    _run(sys.executable, "-c", build, cwd=source)
    (editable,) = dist.glob("paperbot-*.whl")
    bin_dir = _venv(tmp_path / "venv", editable)
    out, knowledge = _ask_from_elsewhere(bin_dir, tmp_path)
    assert out.startswith(RESNET_CARD)
    assert Path(knowledge) == source / "knowledge"


def test_every_package_under_bot_is_listed_in_pyproject() -> None:
    """``packages`` is written by hand (for the knowledge mapping): keep it complete."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    assert setuptools["package-dir"] == {"bot.knowledge": "knowledge"}
    knowledge = ROOT / "knowledge"
    found = {
        ".".join(("bot", *folder.relative_to(ROOT).parts))
        for folder in [knowledge, *knowledge.rglob("*")]
        if folder.is_dir() and any(f.suffix == ".yaml" for f in folder.iterdir())
    }
    for folder in [ROOT / "bot", *(ROOT / "bot").rglob("*")]:
        if not folder.is_dir() or "__pycache__" in folder.parts:
            continue
        if any(f.suffix in {".py", ".yaml"} for f in folder.iterdir()):
            found.add(".".join(folder.relative_to(ROOT).parts))
    assert set(setuptools["packages"]) == found
