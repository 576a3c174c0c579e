"""A PNG of utilisation and memory over time per GPU, drawn with matplotlib (the ``plot`` extra)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from whygpu.monitor.analysis import GpuStats


def have_matplotlib() -> bool:
    """True when matplotlib can be imported (found without importing it)."""
    import importlib.util

    return importlib.util.find_spec("matplotlib") is not None


def png_chart(stats: Sequence[GpuStats], *, title: str = "whygpu monitor") -> bytes:
    """The chart as PNG bytes (matplotlib's Agg backend: no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 4.5), dpi=100)
    util_ax, mem_ax = figure.subplots(2, 1, sharex=True)
    t0 = min((s.t_first for s in stats), default=0.0)
    for s in stats:
        times = [(p.t0 + p.t1) / 2 - t0 for p in s.series]
        util_ax.plot(times, [p.util_mean if p.util_mean is not None else float("nan") for p in s.series],
                     label=f"GPU {s.gpu}", linewidth=1)
        mem_ax.plot(times, [p.mem_max if p.mem_max is not None else float("nan") for p in s.series], linewidth=1)
    util_ax.set_ylabel("utilisation %")
    util_ax.set_ylim(0, 105)
    util_ax.legend(loc="upper right", fontsize="small")
    util_ax.set_title(title)
    mem_ax.set_ylabel("memory MiB")
    mem_ax.set_xlabel("seconds")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
