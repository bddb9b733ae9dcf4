"""Helpers of the hostile-table tests: a clean register with one table put in its place, and
the CLI run on it."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

import ropa
from ropa.cli import app
from tests.conftest import DATA

TABLES = Path(__file__).resolve().parent / "data" / "tables"
CLEAN = DATA / "registers" / "clean"
#: The ids of the clean register's activities, in order.
IDS = ["C1", "C2", "P1"]
DATED = ["--as-of", "2026-11-25", "--no-policy"]


def register_with(tmp_path: Path, source: Path | str | bytes, name: str = "activities.csv") -> Path:
    """A copy of the clean register whose activities table is ``source`` (a file of
    tests/hostile/data/tables, or bytes), saved as ``name``."""
    folder = tmp_path / "register"
    shutil.copytree(CLEAN, folder)
    (folder / "activities.csv").unlink()
    data = source if isinstance(source, bytes) else (TABLES / source).read_bytes()
    (folder / name).write_bytes(data)
    return folder


def check(*args: object):
    """``ropa`` run in-process with ``args``: the result has ``exit_code`` and ``output``."""
    return CliRunner().invoke(app, [str(a) for a in args])


def findings(register: ropa.Register, code: str):
    """The register's load findings of one code."""
    f = register.load_findings
    return f[f["code"] == code].reset_index(drop=True)
