"""Inside an Azure ML job with mlflow installed: log the summary metrics and the plot to the job's run (the ``mlflow`` extra)."""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Mapping

from whygpu.monitor.analysis import Analysis

# Azure ML sets these in every job's environment; MLFLOW_RUN_ID names the run to log to
# (https://learn.microsoft.com/azure/machine-learning/how-to-log-view-metrics).
RUN_ID_VARS = ("MLFLOW_RUN_ID", "AZUREML_RUN_ID")


def azureml_run(environ: Mapping[str, str]) -> tuple[str, str] | None:
    """(tracking URI, run id) when this looks like an Azure ML job with an mlflow tracking URI, else None."""
    uri = environ.get("MLFLOW_TRACKING_URI", "")
    run_id = next((environ[v] for v in RUN_ID_VARS if environ.get(v)), "")
    if not uri or not run_id or not (environ.get("AZUREML_RUN_ID") or environ.get("AZUREML_EXPERIMENT_ID")
                                     or uri.startswith("azureml:")):
        return None
    return uri, environ.get("MLFLOW_RUN_ID") or run_id


def metrics(analysis: Analysis) -> dict[str, float]:
    """The summary metrics, one set per GPU, named ``whygpu/gpuN/<what>``."""
    out: dict[str, float] = {}
    for s in analysis.gpus:
        key = "whygpu/gpu" + "".join(c if c.isalnum() else "_" for c in s.gpu)
        for name, value in (("utilization_mean", s.util_mean), ("utilization_median", s.util_median),
                            ("utilization_p95", s.util_p95), ("idle_share", s.idle_share),
                            ("memory_peak_mib", s.mem_peak_mib)):
            if value is not None:
                out[f"{key}/{name}"] = float(value)
    return out


def log_to_run(analysis: Analysis, png: bytes | None, html_page: str | None,
               environ: Mapping[str, str] | None = None) -> str | None:
    """Log metrics and pictures to the Azure ML job's run; a line saying what happened, or None when not in a job."""
    env = os.environ if environ is None else environ
    found = azureml_run(env)
    if found is None:
        return None
    if importlib.util.find_spec("mlflow") is None:
        return "inside an Azure ML job, but mlflow is not installed: no metrics logged (pip install 'whygpu[mlflow]')"
    uri, run_id = found
    try:
        from mlflow.entities import Metric
        from mlflow.tracking import MlflowClient

        client = MlflowClient(tracking_uri=uri)
        import time

        now = int(time.time() * 1000)
        values = metrics(analysis)
        client.log_batch(run_id, metrics=[Metric(k, v, now, 0) for k, v in values.items()])
        with tempfile.TemporaryDirectory() as tmp:
            for name, data in (("whygpu-monitor.png", png), ("whygpu-monitor.html", html_page.encode() if html_page else None)):
                if data is None:
                    continue
                path = os.path.join(tmp, name)
                with open(path, "wb") as handle:
                    handle.write(data)
                client.log_artifact(run_id, path, artifact_path="whygpu")
    except Exception as exc:  # mlflow raises many types; logging must never fail the report
        return f"could not log to the Azure ML run: {type(exc).__name__}: {str(exc)[:200]}"
    return f"logged {len(values)} metrics and the plot to the Azure ML run {run_id}"
