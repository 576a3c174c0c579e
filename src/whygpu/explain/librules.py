"""The log rule that judges a CUDA or cuDNN library named as failing only in the writer's words (acclibs, session 23).

"找不到cudnn64_8.dll" (cannot find), "it can't find libcudart.so.11.0": the library file's name says which cuDNN major or
CUDA release the program asks the loader for (``knowledge.cuda_versions.parse_library_name``), and a version of the same
library the log shows present decides what the failure means (``knowledge.libraries.library_failure_cause``, the one
decision the signature readings use too): only another major or release present = CUDNN_MISMATCH / CUDA_LIBS_MISMATCH, the
same one present = CUDA_LIBS_NOT_ON_PATH. accfiles (session 26): with no version of that library shown anywhere, the family is
ranked by the counted base rates of knowledge/priors.toml for that file, as a program's own load line with nothing present is
(the sentence says the file was not found, in whatever language; what it cannot say is which member of the family that is).
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu import lazyre as re
from whygpu.explain import grammar
from whygpu.explain.buildrules import cuda_found, cudnn_found
from whygpu.explain.ccrules import possible_instead
from whygpu.explain.judge import LogSubject, log_cause_fix
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.explain.presentsaid import locate_fix
from whygpu.knowledge.cuda_versions import cudnn_major, parse_library_name
from whygpu.knowledge.libraries import CudnnPresent, LibraryReading, library_failure_cause
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Decides, Hit, Outcome, Rule, RuleDoc, rule

# Words that say the file was not found or could not be opened (not that it loaded and lacked a symbol, which is a
# version's mismatch a program's message says in its own words), in English, Chinese and Japanese.
_NOT_FOUND = re.compile(
    r"\b(?:not (?:be )?found|(?:can ?not|can't|could ?not|couldn't|unable to|failed to|fails to) (?:find|open|load|locate)"
    r"|no such file|missing|does(?: not|n't) exist)\b|找不到|未找到|缺少|无法加载|无法找到|加载失败|載入失敗|見つかりません|読み込めません|ロードできません",
    re.I)


# The signature that reads a library file named as not found in any wording, the writer's own included (its lines may
# carry versions said in prose, which only this rule reads); a program's fixed message is read by its own signature.
_ANY_WORDING = frozenset({"LOG-LIB-FILE-NOT-FOUND"})


def _said_only(subject: LogSubject) -> list[Seen[str]]:
    """The library files the log says were not found, on a line no program's own message was read on (a signature reads
    those). A line only LOG-LIB-FILE-NOT-FOUND read (the file's name near "not found" in any wording) is judged here too,
    against the versions the writer's words show present, which that reading does not see (accfiles, session 26); where
    this rule decides, the generic reading of the line yields to it (explain._merge_judged)."""
    facts = subject.facts
    evidence = [line for m in subject.messages if m.signature not in _ANY_WORDING for line in m.evidence]
    generic = [line for m in subject.messages if m.signature in _ANY_WORDING for line in m.evidence]

    def said(where: str, lines: list[str]) -> bool:
        return any(line.startswith(f"{where}:") for line in lines)

    # A line a program's message was read on stays that message's (its evidence may list only its first lines).
    read = {s.where for s in facts.library_failed if not said(s.where, generic)}
    failed = [*(s for s in facts.load_failed if s.where not in read),
              *(s for s in facts.library_failed if said(s.where, generic))]
    return [s for s in failed if parse_library_name(s.value).version
            and _NOT_FOUND.search(s.text) and "undefined symbol" not in s.text.lower()
            and not any(line.startswith(f"{s.where}:") for line in evidence)]


# The NVIDIA driver's user-space libraries, by their stems.
_DRIVER_LIBRARY = re.compile(r"(?:lib)?(?:cuda|nvcuda|nvidia-ml|nvml)$", re.I)


def _reading(name: str, file: str, wanted: str, versions: list[tuple[str, str]], tags: frozenset[str] = frozenset()) -> LibraryReading:
    """The knowledge layer's reading of ``file`` failing against the ``(version, how)`` present (``tags``: the log's context
    tags the decision reads, as infer's do)."""
    if name == "cuDNN":
        return library_failure_cause("CUDNN_MISSING", ("CUDNN_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"), file=file, wanted=wanted,
                                     cudnn_present=[CudnnPresent(v, how) for v, how in versions], tags=tags)
    return library_failure_cause("CUDA_LIBS_MISSING", ("CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"), file=file, wanted=wanted,
                                 cuda_installed=[v for v, _ in versions], tags=tags)


@rule(
    # Counted 2026-12-05 over every labelled case whose log shows a cuDNN library failing and another cuDNN major present
    # (python3 bench/explain_rule_precision.py --grep '(lib)?cudnn(\.so\.|64_)[0-7]\b' and the accrank4 rows of
    # knowledge/priors.toml): CUDNN_MISMATCH 5 (holdout10 apple-axlearn-858, holdout18 steffenhir-graxpert-205, holdout3
    # tensorflow-42309, holdout15 paddlepaddle-paddleocr-9913, holdout24 yaofanguk-video-subtitle-extractor-48, the last
    # named only in prose), CUDNN_MISSING 1 (holdout16 jax-ml-jax-5464, with CUDA libraries failing too); negatives 0.
    "LOG283", "log-library-named-other-present", "CUDNN_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Finds a CUDA or cuDNN library file (libcudnn.so.8, cudnn64_8.dll, libcudart.so.11.0, cublas64_11.dll) said to fail in the writer's own words, in any language ('cannot find', '找不到', '缺少', '見つかりません'), on a line no program's load message was read on, when the log shows another version of the same library present (or the same one).",
        why="The file name carries the cuDNN major or CUDA release the program asks the loader for; the version shown installed then says whether the library is there in another version (MISMATCH), or there in the right one where the loader does not look (NOT_ON_PATH).",
        example="装的是cuda10.1和cudnn-7.6.5，对应的库应该是cudnn64_7.dll\n但GPU版本报错说找不到cudnn64_8.dll",
        fix="Install the cuDNN major (or CUDA release) the file name asks for beside the one installed, or a build of the program for the installed one; the same one installed: put its directory on PATH (Windows) or LD_LIBRARY_PATH.",
        limits="With no version of that library shown present, the family is ranked by the counted base rates (knowledge/priors.toml) and what decides is said; quiet where a version is shown that does not decide, in a question or condition, and when a program's own load message on the line is read by its signature.",
        references=("https://docs.nvidia.com/deeplearning/cudnn/latest/reference/support-matrix.html",
                    "https://docs.nvidia.com/deploy/cuda-compatibility/#binary-compatibility"),
        causes=("CUDNN_MISMATCH", "CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH", "CUDNN_MISSING", "CUDA_LIBS_MISSING"),
    ),
    decides=Decides(over="generic", cause="any", by="only_lines"),
)
def library_named_other_present(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use:
        return
    for seen in _said_only(subject):
        parsed = parse_library_name(seen.value)
        if parsed.version is None:
            continue
        if _DRIVER_LIBRARY.match(parsed.stem):
            continue  # the driver's own library (libcuda, nvcuda, NVML) is no CUDA release's: the driver rules read it
        cudnn = parsed.stem.lower().removeprefix("lib").startswith("cudnn")
        name = "cuDNN" if cudnn else "CUDA"
        found = cudnn_found(facts) if cudnn else cuda_found(facts)
        wanted = cudnn_major(parsed.version) if cudnn else (parsed.cuda_version or parsed.version)
        # acconpath (session 38): the writer's words that the library is there all the same (explain.presentsaid), as infer tags them.
        tags = frozenset({"library_present_said"}) if facts.stated_library_present and not facts.stated_cuda_absent else frozenset()
        reading = _reading(name, seen.value, wanted, [(v, how) for v, _, how in found], tags)
        if not found and not any(s.where == seen.where for s in facts.library_failed) and not grammar.program_line(seen.text):
            # Nothing shown present: the counted base rates rank the family (basis "base_rate"), or agree with the
            # line's own reading (basis "": the prior's first member is the one the file's name already means). Only
            # the writer's words: a program's load line no signature read (a name cut by a terminal) stays quiet.
            yield from _ranked(subject, seen, name, wanted, reading)
            return
        if not found or reading.basis in ("", "base_rate", "present_said"):
            continue  # a signature's line with nothing shown is ranked by the signature; a version shown that did not decide
        if len({_reading(name, seen.value, wanted, [(v, how)]).cause for v, _, how in found}) > 1:
            continue  # the wanted version and another both shown (one may be a requirement read as installed): not decided
        shown = [s for v, s, _ in found if reading.present and v.split(".")[0] == reading.present.split(",")[0].strip().split(".")[0]] or [found[0][1]]
        present = reading.present or ", ".join(dict.fromkeys(v for v, _, _ in found))
        if reading.cause == "CUDA_LIBS_NOT_ON_PATH":
            title = f"{seen.value} (wanted: {name} {wanted}) is said not to be found, while {name} {present} is shown installed: the loader does not look where it is"
            fix = (f"Find {seen.value} under the {name} {present} installation and put its directory on PATH (Windows) or LD_LIBRARY_PATH "
                   "(Linux) where the program starts.")
        else:
            title = f"The program asks for {seen.value} ({name} {wanted}), but the log shows {name} {present} installed"
            fix = (f"Install {name} {wanted}{'.x' if name == 'cuDNN' else ''} (the version {seen.value} belongs to) beside {name} {present}, "
                   f"or install a build of the program made for {name} {present}.")
        yield Hit(
            title=title,
            evidence=_ev(seen, *shown[:1]),
            fix=fix,
            confidence=Confidence.MEDIUM,
            cause=reading.cause,
            blocks_gpu=True,
            extra={"read_from": "the library named in the writer's words against the version shown present, judged by knowledge.libraries.library_failure_cause"},
        )
        return


def _ranked(subject: LogSubject, seen: Seen[str], name: str, wanted: str, reading: LibraryReading) -> Iterator[Outcome]:
    """accfiles (session 26): a library file said not to be found with no version of it shown anywhere: the family ranked by
    the counted base rates of knowledge/priors.toml for that file (``reading.prior``), as a program's own load line with
    nothing present is ranked (explain/signatures.toml LOG-LIB-FILE-NOT-FOUND reads the ASCII print forms; this reads the
    writer's words in any language, "找不到cudnn64_8.dll", "cudnn64_8.dll が見つかりません")."""
    prior = reading.prior
    evidence = _ev(seen)
    if reading.basis == "present_said":
        # acconpath (session 38): the writer says the library is there all the same (knowledge.libraries decides).
        said = subject.facts.stated_library_present[:1]
        yield Hit(
            title=f"{seen.value} ({name} {wanted}) is said not to be found, though the log says it is there: the loader does not look where it is",
            evidence=_ev(seen, *said),
            fix=locate_fix(seen.value),
            confidence=Confidence.MEDIUM,
            cause=reading.cause,
            blocks_gpu=True,
            extra={"read_from": "the library named in the writer's words, with the writer's word that it is there (knowledge.libraries.library_failure_cause)"},
        )
        yield from possible_instead(subject, reading.alternatives, evidence, reading.cause)
        return
    yield Hit(
        title=f"{seen.value} ({name} {wanted}) is said not to be found, and the log shows no {name} installed",
        evidence=evidence,
        fix=prior.fix if prior is not None else log_cause_fix(reading.cause, subject),
        confidence=Confidence.MEDIUM,
        cause=reading.cause,
        blocks_gpu=True,
        extra={"read_from": "the library named in the writer's words, ranked by the counted base rates of knowledge/priors.toml"},
    )
    yield from possible_instead(subject, reading.alternatives, evidence, reading.cause)


LIB_RULES: list[Rule[LogSubject]] = [library_named_other_present]
