"""The analyst notebook runs end to end (nbclient, the venv's python3 kernel) and shows the sample's
planted missing credits, its plots and the timeline figure."""

from __future__ import annotations

import json
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "refund-reconciliation.ipynb"


def _kernel_name() -> str:
    """``python3`` from this interpreter's ipykernel (installed into the venv when missing)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        import sys

        from ipykernel.kernelspec import install

        install(prefix=sys.prefix)
    return "python3"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    workdir = tmp_path_factory.mktemp("nb")
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name=_kernel_name(),
                                     resources={"metadata": {"path": str(workdir)}})
    # Importing streamlit (other tests in this worker do) sets MPLBACKEND=Agg for the whole process,
    # and the kernel would inherit it and show no figure: give the kernel Jupyter's inline backend.
    import os

    saved = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    try:
        client.execute()  # raises CellExecutionError on the first failing cell
    finally:
        if saved is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = saved
    return nb


def _outputs(nb) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _text(nb) -> str:
    parts = []
    for o in _outputs(nb):
        if o.output_type == "stream":
            parts.append(o.text)
        elif o.output_type in ("execute_result", "display_data"):
            parts.append(str(o.data.get("text/plain", "")))
    return "\n".join(parts)


def test_committed_notebook_has_no_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") and not c.get("execution_count") for c in nb.cells if c.cell_type == "code")
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_notebook_runs_without_errors(executed):
    assert not [o for o in _outputs(executed) if o.output_type == "error"]


def test_notebook_shows_planted_missing_credits(executed):
    expected = json.loads((ROOT / "sample_data" / "EXPECTED.json").read_text(encoding="utf-8"))["missing_credits"]
    text = _text(executed)
    assert expected
    for m in expected:
        line = next((ln for ln in text.splitlines() if f"order {m['order_id']}" in ln), None)
        assert line is not None, m["order_id"]
        assert m["state"] in line and m["expected_amount"] in line and m["expected_since"] in line
        assert f"due {m['due_by']}" in line


def test_notebook_draws_its_plots(executed):
    pngs = [o for o in _outputs(executed) if o.output_type == "display_data" and "image/png" in o.data]
    assert len(pngs) >= 2  # paid vs refunded by month; delays by payment method and store
    plotly = [o for o in _outputs(executed) if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert plotly  # the timeline figure
    text = _text(executed)
    assert "dossier.pdf True dossier.zip True" in text
    assert "DELI Tools Official Store" in text  # the many-cases overview names the worst store
