"""Azure ML: inside a job (its environment variables), metrics and the plot go to the run, checked in a real mlflow file store."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_runner import run_whygpu
from conftest import FIXTURES
from whygpu.monitor.azureml import azureml_run

mlflow = pytest.importorskip("mlflow")

# mlflow 3 keeps the file store in maintenance mode behind this switch; it is still the real store
# (https://mlflow.org/docs/latest/self-hosting/migrate-from-file-store).
FILE_STORE = {"MLFLOW_ALLOW_FILE_STORE": "true"}


@pytest.fixture(autouse=True)
def _allow_file_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")


def _store(tmp_path: Path) -> tuple[str, str]:
    from mlflow.tracking import MlflowClient

    uri = (tmp_path / "mlruns").as_uri()
    client = MlflowClient(tracking_uri=uri)
    experiment = client.create_experiment("job")
    run = client.create_run(experiment)
    return uri, run.info.run_id


def test_metrics_and_plot_logged_to_the_run(tmp_path: Path) -> None:
    from mlflow.tracking import MlflowClient

    uri, run_id = _store(tmp_path)
    env = {"MLFLOW_TRACKING_URI": uri, "MLFLOW_RUN_ID": run_id, "AZUREML_RUN_ID": run_id,
           "AZUREML_EXPERIMENT_ID": "0", **FILE_STORE}
    result = run_whygpu(["monitor", "--from", str(FIXTURES / "input_bound.dmon.txt")], env=env)
    assert result.code == 1, result.stderr
    assert f"to the Azure ML run {run_id}" in result.stderr
    client = MlflowClient(tracking_uri=uri)
    metrics = client.get_run(run_id).data.metrics
    assert metrics["whygpu/gpu0/utilization_median"] == 2.0
    assert metrics["whygpu/gpu0/utilization_p95"] == 97.0
    assert metrics["whygpu/gpu0/memory_peak_mib"] == 10457.0
    assert 0.8 < metrics["whygpu/gpu0/idle_share"] < 0.9
    names = {a.path for a in client.list_artifacts(run_id, "whygpu")}
    assert "whygpu/whygpu-monitor.html" in names
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return
    assert "whygpu/whygpu-monitor.png" in names


def test_outside_azureml_nothing_is_logged(tmp_path: Path) -> None:
    from mlflow.tracking import MlflowClient

    uri, run_id = _store(tmp_path)
    # An mlflow run id alone (a laptop with mlflow) is not an Azure ML job.
    result = run_whygpu(["monitor", "--from", str(FIXTURES / "input_bound.dmon.txt")],
                        env={"MLFLOW_TRACKING_URI": uri, "MLFLOW_RUN_ID": run_id, **FILE_STORE})
    assert "Azure ML" not in result.stderr
    assert MlflowClient(tracking_uri=uri).get_run(run_id).data.metrics == {}


def test_detection() -> None:
    assert azureml_run({}) is None
    assert azureml_run({"MLFLOW_TRACKING_URI": "azureml://x", "MLFLOW_RUN_ID": "r"}) == ("azureml://x", "r")
    assert azureml_run({"MLFLOW_TRACKING_URI": "file:/tmp/x", "MLFLOW_RUN_ID": "r"}) is None
