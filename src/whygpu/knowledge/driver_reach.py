"""What a driver-side answer means where the job ran (acccont, session 34): inside a container not given the GPU, or on a
host (knowledge/driver_reach.toml, every row with its public source and counts).

One decision: ``driver_answer_reading`` is the only judgement of "a missing or insufficient driver, read with the place the
log puts the job in". explain reads the place (explain/contplace.py) and the answer (a signature, a status, a fact), and
asks this function how to rank the causes; the rows hold the meaning.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from whygpu.knowledge._util import table_rows
from whygpu.records import record


@record(frozen=True)
class DriverPlace:
    """Where a driver-side answer was given, as far as the log shows.

    ``place`` is "container" (inside a container shown or named and not shown given the GPU, with no nvidia-smi failure
    shown on the host itself), "host" (no container shown or named, on Linux) or "" (neither decided). ``driver`` is the
    driver version the log shows, if any; ``runtime_cuda`` the CUDA release the program's runtime carries, where shown;
    ``driver_loaded`` whether anything shows the driver there (a version, the kernel module's fields, nvidia-smi's table).
    """

    place: str
    driver: str | None = None
    runtime_cuda: str | None = None
    # Whether the log shows the driver there at all: a version, the kernel module's fields, nvidia-smi's CUDA Version.
    driver_loaded: bool = False
    # accnodriver (session 36): the machine's NVIDIA GPU as the log's signs show it ("absent", "present" or "unknown";
    # knowledge.gpu_presence.presence_verdict), which orders NO_GPU against the other two.
    gpu: str = "unknown"
    # accnoticed39 (session 39): the last driver branch NVIDIA ships for the GPU the log names (knowledge.gpus'
    # architecture_driver rows: Kepler 470), the newest among the boards the name may be; None where current drivers
    # support it or no GPU is named.
    gpu_last_branch: str | None = None


@record(frozen=True)
class DriverReading:
    """How to rank the causes of one answer at one place, with the reasoning, the deciding check and the source."""

    answer: str
    place: str
    ranking: tuple[str, ...]
    confidence: str
    counts: dict[str, int]
    reasoning: str
    decide: str
    source: str
    # accnoticed39 (session 39): the reading's first cause is one the answer's line does not leave open (the GPU's own
    # limit), put first beside the line's causes.
    opens: bool = False


@lru_cache(maxsize=1)
def _answers() -> tuple[dict[str, Any], ...]:
    return tuple(table_rows("driver_reach", "answer"))


@lru_cache(maxsize=1)
def _readings() -> tuple[tuple[dict[str, Any], DriverReading], ...]:
    return tuple(
        (row, DriverReading(
            answer=str(row["answer"]), place=str(row["place"]), ranking=tuple(row["ranking"]),
            confidence=str(row.get("confidence", "medium")), counts={str(k): int(v) for k, v in dict(row.get("counts", {})).items()},
            reasoning=str(row.get("reasoning", "")), decide=str(row.get("decide", "")), source=str(row["source"]),
            opens=bool(row.get("opens", False)),
        ))
        for row in table_rows("driver_reach", "reading")
    )


def answer_of(*, signature: str = "", status: str = "", fact: str = "") -> str | None:
    """The driver-side answer a signature id, a resolved status name or a fact name is ([[answer]] rows), or None."""
    for row in _answers():
        if (signature and signature in row.get("signatures", ())) or (fact and fact in row.get("facts", ())):
            return str(row["name"])
        if status and any(status.lower().startswith(s.lower()) for s in row.get("statuses", ())):
            return str(row["name"])
    return None


def _driver_runs(driver: str, cuda: str) -> bool | None:
    """Whether a driver version runs a CUDA release (minor-version compatibility counted); None where unknown."""
    from whygpu.knowledge.cuda import max_cuda_for_driver
    from whygpu.knowledge.cuda_versions import version_tuple

    newest = max_cuda_for_driver(driver)
    if newest is None or not cuda:
        return None
    return version_tuple(newest)[:2] >= version_tuple(cuda)[:2]


def driver_answer_reading(answer: str | None, where: DriverPlace) -> DriverReading | None:
    """How to rank the causes of a driver-side answer given where the job ran; None where the place does not decide.

    The one judgement of missing-driver evidence against the place: inside a container not given the GPU, libcuda or
    nvidia-smi missing means the runtime mounted nothing in (CONTAINER_NO_GPU); on a host, nvidia-smi missing means no
    driver installed (DRIVER_MISSING). The runtime's "insufficient" inside such a container is read as the container's
    only where no driver version shown says otherwise (one that runs the runtime's CUDA agrees; an older one, or one shown
    beside a runtime the log does not name, keeps the driver's reading). A GPU whose last driver branch cannot run the
    runtime's CUDA (a Kepler board under a CUDA 12 program) is read as the GPU's limit wherever the job ran.
    """
    if not answer or not where.place:
        return None
    for row, reading in _readings():
        if reading.answer != answer or reading.place != where.place:
            continue
        wanted = str(row.get("driver", "any"))
        if wanted == "any":
            return reading
        if wanted == "beyond_gpu" and where.gpu_last_branch and where.runtime_cuda \
                and _driver_runs(where.gpu_last_branch, where.runtime_cuda) is False:
            return reading
        if wanted == "not_shown" and where.driver is None and not where.driver_loaded:
            return reading
        if wanted == "runs_runtime" and where.driver is not None and where.runtime_cuda \
                and _driver_runs(where.driver, where.runtime_cuda):
            return reading
    return None
