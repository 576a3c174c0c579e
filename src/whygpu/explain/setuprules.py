"""The log rule that reads a program's own CUDA setup lines as one layer's state (accsetup, session 34).

bitsandbytes' CUDA setup says which CUDA it detected, which binary it wanted, whether it found it, what it searched for and what
it fell back to; xFormers says which torch its C++/CUDA part was built for beside the one installed. The reader
(explain/setupstate.py) finds each line as a mark; the knowledge layer (``knowledge.program_setup.decide``, the table
knowledge/program_setup.toml) decides from the marks together which state the setup is in: no binary for the detected CUDA in
the release (CUDA_LIBS_MISMATCH), a package or source build without its libraries (FRAMEWORK_INSTALL_BROKEN), the Linux package
on native Windows (FRAMEWORK_CPU_BUILD), a CUDA library its binary needs missing (CUDA_LIBS_MISSING), no CUDA runtime found on
its paths (CUDA_LIBS_NOT_ON_PATH), torch's CPU build under xFormers (FRAMEWORK_CPU_BUILD), xFormers built for another torch
(FRAMEWORK_INSTALL_BROKEN). This rule says the state in the program's name, with the fix filled from the lines and the one
check that decides.

Quiet: a healthy setup (the binary for the detected CUDA loaded; xFormers built for the torch installed), a setup that found no
GPU or no driver library (the layers below: their own signatures), a CPU library loaded with no line saying why.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Decides, Hit, Outcome, Rule, RuleDoc, rule


@rule(
    "LOG555", "log-program-cuda-setup-state", "CUDA_LIBS_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Reads a program's own CUDA setup lines as one layer's state (knowledge/program_setup.toml): bitsandbytes' CUDA setup (the CUDA it detected, the binary it wanted and whether it was there, the CUDA runtime it searched for, what it loaded instead; 0.35-0.41's cuda_setup and 0.42+'s cextension lines) and xFormers' check of the torch its C++/CUDA part was built for. The state decides the cause: no binary for the detected CUDA in the release, a package or source build without its libraries, the Linux package on native Windows, a CUDA library its binary needs missing, no CUDA runtime on its search paths, torch's CPU build under xFormers, xFormers built for another torch.",
        why="The same few lines mean different layers depending on what stands beside them: 'Required library version not found' from a pip release is a release older than the CUDA, from a source checkout a build that produced nothing; 'libcudart.so not found in any environmental path' followed by 'CUDA runtime path found' is a healthy setup. Reading them together names the one fix.",
        example="CUDA SETUP: Detected CUDA version 122\nCUDA SETUP: Required library version not found: libbitsandbytes_cuda122.so. Maybe you need to compile it from source?\nCUDA SETUP: Defaulting to libbitsandbytes_cpu.so...\n(https://github.com/bitsandbytes-foundation/bitsandbytes/issues/551)",
        fix="The state's fix, in the program's name, with the detected CUDA, the binary, the library or the torch releases filled in from its lines; and the state's one deciding check.",
        limits="Quiet where the setup loaded the binary for the CUDA it detected, where it found no GPU or no driver library (LOG-BNB-NO-GPU-CPU-FALLBACK and LOG-BNB-SETUP-LIB-NOT-FOUND read those), and where only 'compiled without GPU support' or a CPU library loaded is shown (no line says why). xFormers built for the same torch release without a CUDA tag on either side (a platform without CUDA) is not read. llama.cpp's system line (BLAS = 0), CTranslate2's and ONNX Runtime's own answers are read by their signatures and explain/ortproviders.py.",
        references=("https://github.com/TimDettmers/bitsandbytes/blob/0.41.0/bitsandbytes/cuda_setup/main.py",
                    "https://huggingface.co/docs/bitsandbytes/main/en/installation",
                    "https://github.com/facebookresearch/xformers/blob/main/xformers/_cpp_lib.py"),
        causes=("CUDA_LIBS_MISMATCH", "FRAMEWORK_INSTALL_BROKEN", "FRAMEWORK_CPU_BUILD", "CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"),
    ),
    decides=Decides(over="signature", cause="any", by="first_line"),
)
def program_setup_state(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.program_setup import decide

    facts = subject.facts
    if not facts.program_setup:
        return
    # Optional add-ons (knowledge/optional_addons.toml): on a run the log shows on the GPU their setup is no cause of it (the
    # program goes on without them); xFormers also where a framework lists the GPU (its failure leaves torch's own attention).
    used = subject.gpu_in_use or bool(facts.run_on_cuda)
    listed = used or bool(facts.gpu_seen())
    by_program: dict[str, dict[str, list[str]]] = {}
    for seen in facts.program_setup:
        by_program.setdefault(seen.value.program, {}).setdefault(seen.value.mark, []).append(seen.value.value)
    for program, marks in by_program.items():
        if used or (listed and program == "xFormers"):
            continue
        decision = decide(program, marks)
        if decision is None:
            continue
        state = decision.state
        shown = [s for s in facts.program_setup if s.value.program == program and s.value.mark in state.needs]
        # The line of the CUDA it detected beside the binary it wanted: the two facts the state is read from.
        if state.id in ("no_binary_for_cuda", "source_build_without_binary"):
            shown += [s for s in facts.program_setup if s.value.program == program and s.value.mark == "detected_cuda"][:1]
        if not shown:  # a state of marks the values mean (xFormers' torch releases compared): the lines that show the values
            shown = [s for s in facts.program_setup if s.value.program == program]
        evidence = tuple(dict.fromkeys(s.evidence() for s in shown))[:3]
        yield Hit(
            title=f"{program}: {decision.meaning}",
            evidence=evidence,
            fix=f"{decision.fix}\nWhat decides it: {decision.decide}",
            # The program's own account of its setup, read as a whole: above a generic line of the same layer.
            confidence=Confidence.HIGH,
            cause=state.cause,
            blocks_gpu=True,
            extra={"read_from": f"{program}'s own setup lines (state {state.id}), judged by knowledge.program_setup"},
        )


SETUP_RULES: list[Rule[LogSubject]] = [program_setup_state]
