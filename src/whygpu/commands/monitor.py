"""``whygpu monitor``: run a command (or attach to a PID, or read a recorded trace) and judge how the GPU was used."""

from __future__ import annotations

import argparse
import sys

# Not ``typing`` itself: ``whygpu --help`` imports every command module, and typing costs as much
# as argparse. mypy reads any ``TYPE_CHECKING`` name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMATS = ("text", "json", "markdown", "html")


def register(sub: Any) -> None:
    """Add the ``monitor`` sub-command."""
    from whygpu.commands.common import add_output_options, seconds

    parser = sub.add_parser(
        "monitor",
        help="run a job (or attach to one, or read a trace) and say whether it kept the GPU busy",
        description=(
            "Watch the GPUs while a job runs: 'whygpu monitor -- python train.py', 'whygpu monitor --pid PID', "
            "or 'whygpu monitor --from trace.csv' for a trace recorded earlier (whygpu --record, nvidia-smi "
            "--query-gpu CSV, nvidia-smi dmon, dcgmi dmon, DCGM exporter metrics). While a command runs its "
            "output passes through untouched and the report goes to stderr (or -o FILE); whygpu exits with "
            "the command's exit code."),
    )
    parser.add_argument("job", nargs=argparse.REMAINDER, metavar="-- COMMAND ...", help="the command to run and watch")
    parser.add_argument("--pid", type=int, metavar="PID", help="attach to a running process (and its children)")
    parser.add_argument("--from", dest="from_file", metavar="FILE", help="analyse a recorded trace instead of sampling")
    parser.add_argument("--columns", metavar="LIST", help="the --query-gpu list of a headerless nvidia-smi CSV "
                        "(e.g. index,utilization.gpu,memory.used)")
    parser.add_argument("--interval", type=float, default=1.0, metavar="S",
                        help="seconds between samples (default 1, at least 0.1); with --from, the interval of a "
                             "trace that has no timestamps")
    parser.add_argument("--record", metavar="FILE", help="write the samples to FILE as they come (.csv for CSV, else JSONL)")
    parser.add_argument("--plot", metavar="FILE", help="write a PNG chart of utilisation and memory (needs whygpu[plot])")
    parser.add_argument("--html", metavar="FILE", help="write a self-contained HTML report with the chart")
    parser.add_argument("--offline", action="store_true", help="no network for the doctor (skips the Azure metadata service)")
    parser.add_argument("--timeout", type=seconds, default=5.0, metavar="S", help="timeout for one NVML reading, and for each command the doctor runs (default 5)")
    add_output_options(parser, FORMATS)


def run(args: argparse.Namespace) -> int:
    """Run ``monitor``: the job's exit code for a command, else 0/1 as for the other commands."""
    from whygpu.errors import UserError

    job = list(args.job or [])
    if job and job[0] == "--":
        job = job[1:]
    modes = sum(1 for m in (bool(job), args.pid is not None, bool(args.from_file)) if m)
    if modes != 1:
        raise UserError("give exactly one of: -- COMMAND ..., --pid PID, --from FILE")
    if not 0.1 <= args.interval <= 3600:
        raise UserError(f"--interval {args.interval:g}: must be between 0.1 and 3600 seconds")
    if args.plot:
        from whygpu.monitor.plot import have_matplotlib

        if not have_matplotlib():
            raise UserError("--plot needs matplotlib: pip install 'whygpu[plot]'")
    if args.from_file:
        if args.record:
            raise UserError("--record writes live samples; it cannot be combined with --from")
        return _from_trace(args)
    return _live(args, job)


def _from_trace(args: argparse.Namespace) -> int:
    from whygpu.commands.common import exit_code_for
    from whygpu.inputs import check_input, refuse_binary
    from whygpu.monitor.analysis import Analyzer
    from whygpu.monitor.report import RunInfo, build_report
    from whygpu.monitor.traces import TraceReader, gc_paused

    check_input(args.from_file, what="--from trace")
    refuse_binary(args.from_file, "a GPU trace")
    columns = [c.strip() for c in args.columns.split(",")] if args.columns else None
    reader = TraceReader(args.from_file, interval_s=args.interval, columns=columns)
    analyzer = Analyzer()
    with gc_paused():
        for chunk in reader.chunks():
            analyzer.feed(chunk)
    own = (reader.format or "").startswith("whygpu")
    analysis = analyzer.finish(attribution="process" if own else "device")
    run_info = RunInfo(mode="trace", source=args.from_file, source_format=reader.format, interval_s=args.interval,
                       losses=reader.losses, notes=list(reader.notes))
    if reader.losses.count:
        print(f"whygpu: {args.from_file}: {reader.losses.count} line(s) could not be read "
              f"(first: {reader.losses.first}); the rest is analysed", file=sys.stderr)
    report = build_report(analysis, run_info)
    _outputs(args, report, analysis, to_stderr=False)
    return exit_code_for(report.problem_found)


def _live(args: argparse.Namespace, job: list[str]) -> int:
    import os
    import threading

    from whygpu.commands.common import exit_code_for
    from whygpu.errors import UserError
    from whygpu.model import Report
    from whygpu.monitor.analysis import Analyzer, Kind
    from whygpu.monitor.live import JobNotStarted, Monitor
    from whygpu.monitor.record import Recorder
    from whygpu.monitor.report import RunInfo, build_report
    from whygpu.monitor.sampler import nvml_sampler

    if job:
        import shutil

        if (os.sep not in job[0] and shutil.which(job[0]) is None) or (os.sep in job[0] and not os.path.exists(job[0])):
            raise UserError(f"no such command: {job[0]}")
    if args.pid is not None and not os.path.exists(f"/proc/{args.pid}"):
        raise UserError(f"no process with PID {args.pid}")
    recorder = None
    if args.record:
        try:
            recorder = Recorder(args.record, interval_s=args.interval, command=" ".join(job))
        except OSError as exc:
            raise UserError(f"cannot write: {exc.strerror or exc}", where=args.record) from None
    analyzer = Analyzer()
    monitor = Monitor(nvml_sampler(timeout_s=args.timeout), analyzer, interval_s=args.interval, recorder=recorder)
    doctor_box: list[Report] = []
    doctor_thread = None
    if not monitor.start_sampler():
        # Say why at once (done above), and find the machine's cause while the job runs.
        def doctor_now() -> None:
            report = _doctor(None, args.offline, args.timeout)
            if report is not None:
                doctor_box.append(report)
                if report.causes:
                    top = report.causes[0]
                    print(f"whygpu: the doctor's root cause: {top.code}: {top.title}", file=sys.stderr, flush=True)

        doctor_thread = threading.Thread(target=doctor_now, daemon=True)
        doctor_thread.start()
    try:
        result = monitor.run_command(job) if job else monitor.attach(args.pid)
    except JobNotStarted as exc:
        raise UserError(str(exc)) from None
    if doctor_thread is not None:
        doctor_thread.join(timeout=60)
    attribution = result.attribution
    if attribution != "process" and result.lists_seen and not result.hidden_pids:
        attribution = "lists"  # NVML listed the GPUs' processes, and none was the job's
    analysis = analyzer.finish(attribution=attribution) if result.samples else None
    if result.samples and attribution == "device" and not result.hidden_pids:
        result.notes.append("NVML gave no process lists: the verdicts are at the device level")
    run_info = RunInfo(mode="command" if job else "pid", command=job, pid=args.pid, exit_code=result.exit_code,
                       signal_name=result.signal_name, wall_s=result.wall_s, interval_s=args.interval,
                       losses=result.losses, notes=result.notes, sampler_unavailable=result.sampler_unavailable,
                       interpreter=result.interpreter, doctor=doctor_box[0] if doctor_box else None)
    if analysis is not None and any(v.kind is Kind.NEVER_TOUCHED for v in analysis.verdicts):
        run_info.doctor = _doctor(result.interpreter, args.offline, args.timeout)
        if result.interpreter is None:
            run_info.notes.append("no Python interpreter was seen in the job's processes: the doctor looked at whygpu's own")
    report = build_report(analysis, run_info)
    _outputs(args, report, analysis, to_stderr=bool(job))
    if job:
        return result.exit_code if result.exit_code is not None else 3
    return exit_code_for(report.problem_found)


def _doctor(python: str | None, offline: bool, timeout_s: float) -> Any:
    try:
        from whygpu.api import build_snapshot
        from whygpu.diagnose import diagnose

        return diagnose(build_snapshot(python=python, offline=offline, timeout_s=timeout_s), subject_kind="machine")
    except Exception as exc:  # the doctor's failure must not cost the monitor's report
        print(f"whygpu: the doctor could not run: {type(exc).__name__}: {exc}", file=sys.stderr)
        return None


def _outputs(args: argparse.Namespace, report: Any, analysis: Any, *, to_stderr: bool) -> None:
    from whygpu.commands.common import emit
    from whygpu.errors import UserError
    from whygpu.monitor import render as mrender

    png = None
    if args.plot and analysis is not None and analysis.gpus:
        from whygpu.monitor.plot import png_chart

        png = png_chart(analysis.gpus)
        _write(args.plot, png)
    elif args.plot:
        print("whygpu: no samples: no plot written", file=sys.stderr)
    page = None
    if args.html or args.format == "html":
        page = mrender.render_html(report, analysis, png=png)
        if args.html:
            _write(args.html, page.encode("utf-8"))
    if analysis is not None:
        from whygpu.monitor.azureml import log_to_run

        if png is None:
            from whygpu.monitor.plot import have_matplotlib

            if have_matplotlib() and analysis.gpus and _in_azureml():
                from whygpu.monitor.plot import png_chart

                png = png_chart(analysis.gpus)
        logged = log_to_run(analysis, png, page or mrender.render_html(report, analysis, png=png))
        if logged:
            print(f"whygpu: {logged}", file=sys.stderr)
    if args.format == "json":
        from whygpu.redact import redact_deep
        from whygpu.render.json import render_json

        text = render_json(redact_deep(report))
    elif args.format == "markdown":
        text = mrender.render_markdown(report, analysis)
    elif args.format == "html":
        text = page or ""
    else:
        text = mrender.render_text(report, analysis)
    if args.format != "json":
        from whygpu.redact import redact_text

        text = redact_text(text)  # JSON was redacted string by string above; a pass over its escaped text could break it
    if to_stderr and not args.output:
        sys.stderr.write(text if text.endswith("\n") else text + "\n")
        sys.stderr.flush()
        return
    try:
        emit(text, args.output, redacted=True)
    except UserError:
        raise


def _in_azureml() -> bool:
    import os

    from whygpu.monitor.azureml import azureml_run

    return azureml_run(os.environ) is not None


def _write(path: str, data: bytes) -> None:
    from whygpu.errors import UserError

    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise UserError(f"cannot write: {exc.strerror or exc}", where=path) from None
