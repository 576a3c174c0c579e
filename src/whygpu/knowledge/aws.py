"""Amazon EC2 GPU instance types: which NVIDIA GPU an instance family carries (knowledge/aws.toml), accversions (session 20)."""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record

__all__ = ["AwsInstanceGpu", "aws_instance_gpu"]


@record(frozen=True)
class AwsInstanceGpu:
    """An EC2 instance type's GPU: the type as written, its family, the GPU model (as knowledge/gpus.toml names it) and the row's source."""

    instance_type: str
    family: str
    gpu_model: str
    source: str


@lru_cache(maxsize=1)
def _families() -> dict[str, tuple[str, str]]:
    return {str(row["family"]): (str(row["gpu_model"]), str(row["source"])) for row in table_rows("aws", "instance_family")}


def aws_instance_gpu(instance_type: str) -> AwsInstanceGpu | None:
    """The GPU of an EC2 instance type ("p2.xlarge", SageMaker's "ml.p3.2xlarge"); None for a type the table has no family of."""
    m = re.fullmatch(r"(?:ml\.)?([a-z][a-z0-9]*)\.(?:\d*x?large|metal)", instance_type.strip().lower())
    if m is None:
        return None
    found = _families().get(m.group(1))
    if found is None:
        return None
    return AwsInstanceGpu(instance_type=instance_type, family=m.group(1), gpu_model=found[0], source=found[1])
