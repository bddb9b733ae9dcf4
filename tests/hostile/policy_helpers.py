"""Helpers for the hostile-input tests of the policy side: the CLI, register copies, secrets."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from ropa.cli import app
from tests.conftest import PRO_AT, SHARED

HOSTILE = Path(__file__).resolve().parent / "data" / "policy"
runner = CliRunner()


def run(*args: object):
    """``ropa ARGS`` in this process; the result has ``exit_code``, ``stdout``, ``stderr``, ``output``."""
    return runner.invoke(app, [str(a) for a in args])


def pro_at_copy(folder: Path, *, texts_in_shared: bool = True) -> Path:
    """A copy of registers/pro-at in ``folder``; its flows files name PRO-AT's texts in
    ../shared/policies by absolute path (a trusted folder in the tests), or keep the relative
    path, which from the copy leads nowhere."""
    reg = folder / "pro-at"
    shutil.copytree(PRO_AT, reg)
    if texts_in_shared:
        for flows in (reg / "policies").glob("*.flows.yaml"):
            text = SHARED / "policies" / "pro-at" / f"{flows.name.split('.')[0]}.txt"
            set_source(flows, str(text))
    return reg


def set_source(flows: Path, source: str) -> None:
    """Replace the ``source:`` line of a flows file."""
    lines = flows.read_text(encoding="utf-8").split("\n")
    lines = [f"source: {source}" if line.startswith("source:") else line for line in lines]
    flows.write_text("\n".join(lines), encoding="utf-8")


def secret(folder: Path) -> tuple[Path, list[str]]:
    """A file outside any register whose lines must never appear in an output."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secret.txt"
    lines = [f"TOPSECRET-{i}-k3y-material-{i * 7919}" for i in range(1, 40)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, lines


def pdf_text(pdf: Path) -> str:
    """The text of a PDF (poppler's pdftotext)."""
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8", "replace")


def leaked(lines: list[str], *outputs: str) -> list[str]:
    """The secret lines (or any 20-character piece of them) found in the outputs."""
    pieces = {line[i: i + 20] for line in lines for i in range(0, len(line) - 19, 5)}
    return sorted(p for p in pieces if any(p in out for out in outputs))
