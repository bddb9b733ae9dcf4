"""Both notebooks run top to bottom, as a user would run them from notebooks/."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["quickstart.ipynb", "quarterly-report.ipynb"])
def test_notebook_runs_top_to_bottom(name):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert code_cells and all(c.get("outputs") is not None for c in code_cells)
    errors = [o for c in code_cells for o in c["outputs"] if o.get("output_type") == "error"]
    assert not errors
    # Results display as tables: DataFrames (and ropa's objects) give HTML.
    html = [o for c in code_cells for o in c["outputs"] if "text/html" in o.get("data", {})]
    assert len(html) >= 5
