#!/usr/bin/env python3
"""Set up everything ropa needs on a fresh machine, then run the main job or the tests.

    python3 dev.py run     # set up, then write PRO-AT's quarterly report (registers/pro-at)
    python3 dev.py test    # set up, then ruff, mypy and the whole test suite with the doctests (pytest)

Needs only Python >= 3.11. It creates .venv/, installs ropa with its dependencies and the
development extra (hypothesis for ropa.testing, pytest, ruff, mypy), and,
where it runs as root on Debian/Ubuntu, installs the system libraries WeasyPrint needs
(pango, harfbuzz's subsetter) and poppler-utils (pdftotext/pdftoppm, used by tests).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")

#: Debian packages: WeasyPrint's pango (and its fonts), the font subsetter that makes PDF
#: output reproducible and faster, poppler-utils for reading PDFs back in tests, and wamerican
#: (the English word list tools/build_vendors.py reads to keep ambiguous vendor names apart; the
#: test that the vendor file is what the build gives needs it).
APT_PACKAGES = ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core",
                "poppler-utils", "wamerican"]


def sh(*cmd: str | Path, check: bool = True, **kw) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], check=check, **kw).returncode


def system_packages() -> None:
    if not shutil.which("dpkg-query") or not shutil.which("apt-get"):
        print("note: not a Debian-like system; install pango and poppler-utils yourself if missing")
        return
    missing = [p for p in APT_PACKAGES
               if subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], capture_output=True,
                                 text=True).stdout.find("install ok installed") < 0]
    if not missing:
        return
    if os.geteuid() != 0:
        print(f"note: missing system packages {' '.join(missing)}; run as root or: sudo apt-get install {' '.join(missing)}")
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    sh("apt-get", "update", "-qq", env=env, check=False)
    sh("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env, check=False)


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit(f"ropa needs Python >= 3.11; this is {sys.version.split()[0]}")
    system_packages()
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".ropa-installed"
    inputs = (ROOT / "pyproject.toml").read_bytes()
    if not stamp.exists() or stamp.read_bytes() != inputs:
        sh(PY, "-m", "pip", "install", "-q", "--upgrade", "pip")
        sh(PY, "-m", "pip", "install", "-q", "-e", f"{ROOT}[dev]")
        stamp.write_bytes(inputs)


def current_quarter(today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


def run() -> int:
    setup()
    ropa = BIN / "ropa"
    quarter = current_quarter()
    # PRO-AT's reviewed flows files name their texts in ../shared/policies, outside the register:
    # ropa reads them only from a folder the user trusts.
    code = sh(ropa, "--trust", ROOT.parent / "shared" / "policies", "report", "registers/pro-at",
              "--quarter", quarter, cwd=ROOT, check=False)
    if code in (0, 1):  # 1: the report was written and holds findings at or above --fail-on
        print(f"report: {ROOT / 'reports' / quarter}")
    return code


def test(extra: list[str]) -> int:
    setup()
    env = dict(os.environ)
    env.setdefault("HYPOTHESIS_PROFILE", "ci" if env.get("CI") else "dev")
    if sh(PY, "-m", "ruff", "check", "--output-format", "concise", ROOT / "ropa", ROOT / "tests", ROOT / "benchmarks",
          ROOT / "conftest.py", check=False):
        return 1
    # the public API's types ([tool.mypy] in pyproject.toml says which modules)
    if sh(PY, "-m", "mypy", cwd=ROOT, check=False):
        return 1
    # the suite and, as doctests, every docstring example of ropa/ ([tool.pytest.ini_options])
    return sh(PY, "-m", "pytest", "-n", "2", "-q", *extra, cwd=ROOT, env=env, check=False)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "test", "setup"):
        print(__doc__)
        return 2
    if sys.argv[1] == "setup":
        setup()
        return 0
    return run() if sys.argv[1] == "run" else test(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
