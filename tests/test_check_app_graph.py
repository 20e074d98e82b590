"""The app-graph check in `make lint` fails on an import cycle between apps, deferred or not."""

from __future__ import annotations

from pathlib import Path

from tests.check_app_graph import build_graph, find_cycles, main


def _app(root: Path, name: str, **modules: str) -> None:
    (root / name).mkdir()
    (root / name / "apps.py").write_text("")
    for module, source in modules.items():
        (root / name / f"{module}.py").write_text(source)


def test_check__reports_a_cycle_made_by_a_deferred_import_with_its_lines(
    tmp_path: Path, capsys
) -> None:
    _app(tmp_path, "low", models="def route():\n    from high.models import Page\n")
    _app(tmp_path, "high", models="from low.models import route\n")

    assert main(["check", str(tmp_path)]) == 1

    out = capsys.readouterr().out
    assert "Import cycle between apps: high → low → high" in out
    assert "low → high: low/models.py:2 (high.models.Page)" in out
    assert "high → low: high/models.py:1 (low.models.route)" in out


def test_check__passes_a_graph_without_cycle_and_ignores_migrations_and_other_folders(
    tmp_path: Path, capsys
) -> None:
    _app(tmp_path, "core", models="import ops.logs\n")
    _app(tmp_path, "ops", logs="import os\n")
    _app(tmp_path, "home", models="from core.models import BasePage\nfrom .blocks import X\n")
    (tmp_path / "core" / "migrations").mkdir()
    (tmp_path / "core" / "migrations" / "0001_initial.py").write_text("import home.models\n")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "urls.py").write_text("import home.models\n")
    (tmp_path / "ops" / "checks.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import config.settings\n"
    )

    assert main(["check", str(tmp_path)]) == 0
    assert "No import cycle" in capsys.readouterr().out


def test_check__finds_each_cycle_of_three_apps_once(tmp_path: Path) -> None:
    _app(tmp_path, "a", m="import b.m\n")
    _app(tmp_path, "b", m="import c.m\n")
    _app(tmp_path, "c", m="import a.m\n")

    assert find_cycles(build_graph(tmp_path)) == [["a", "b", "c", "a"]]
