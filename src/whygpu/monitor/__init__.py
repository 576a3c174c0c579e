"""``whygpu monitor``: sample the GPUs while a job runs (or read a recorded trace) and judge whether the job kept them busy.

The flow is the project's: readers (the NVML sampler, ``/proc``, trace files) produce samples;
``analysis`` turns a stream of samples into per-GPU statistics and verdicts without touching the
system; ``report`` turns the verdicts into the contract's ``Report``; ``render`` prints it.
"""
