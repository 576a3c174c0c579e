"""The writer's words that the work was placed on the CPU, or kept off the GPU, in the forms the listed phrases miss.

Session 36 (accquiet). Over the labelled corpus, 287 positives got no cause at all; in about a fifth of the silent cases of
the five largest causes the log's only sign was the writer saying that the work went to the CPU, in words the reader of
``explain.statements`` did not take. They are one meaning, said with a handful of verbs and quantifiers across programs:

- a negated verb that puts the work or the model on the GPU ("not loading models to GPU" (Buzz), "does not allocate the
  pipeline to the GPU" (pyannote), "doesn't offload any layers to the GPU" (llama.cpp front ends));
- a finite verb that puts it on the CPU ("load models entirely onto CPU" (Ollama), "launches the voice model in CPU mode"
  (AllTalk), "the model is loaded into CPU");
- the CPU used and the GPU named as what was not ("it will just use the CPU and not GPU" (whisper-asr-webservice), "uses
  the CPU, not the GPU");
- a subject quantified to none ("None of my 2 GPUs are used" (BionicGPT), "no threads use gpu" (XGBoost));
- the GPU said to stop being used ("GPU stop being utilized" (DeepLabCut)) or not to seem to be in use ("doesn't seem to
  be using GPU" (fastembed)).

Each counts only where ``statements.asserted`` says the sentence asserts it (not a question, a wish, advice, a
condition, a comparison) and ``statements.said_now`` says it is of now. What the words mean for the causes is not decided
here: they are the writer's word that the GPU went unused (``LogFacts.stated_unused``), which LOG104 ranks for the
framework, version and platform with the check that decides (knowledge/priors.toml [[unused]]).
"""

from __future__ import annotations

from whygpu import lazyre as re

__all__ = ["CUES", "placed_unused"]

# A line can hold one of the forms only if it holds one of these (lower case).
CUES = ("load", "alloc", "offload", "launch", "move", "put ", "send", "place", "push", "transfer", "none of", "no ",
        "not gpu", "not the gpu", "not my gpu", "not on gpu", "not on the gpu", "stop", "seem to be", "appear to be")

_GPU = r"(?:(?:nvidia|cuda|dedicated|discrete)[- ]?)?gpus?\b(?![-_ ]?(?:usage|util|memory|mem\b|ram\b|temp|load|clock|fan|power|driver|version|process))"
_CPU = r"(?:cpus?|processor)\b(?![-_ ]?(?:threads?|cores?|workers?|usage|util|memory|mem\b|ram\b|load|time|bound|side|version|build|wheel|package))"
_NEG = (r"(?:\b(?:is|are|was|were|do|does|did|has|have|had|wo|would|could)n[’']?t\b|\b(?:not|never|doesnt|didnt|isnt|wasnt|dont)\b"
        r"|\bno\s+longer\b|\bfail(?:s|ed|ing)?\s+to\b|\bunable\s+to\b|\brefus(?:es|ed|ing)\s+to\b)")
# Verbs that put the work, a model or its layers somewhere.
_PLACE = r"(?:load|allocat|offload|mov|put|send|sent|plac|push|transferr?)"
_PLACE_FINITE = (r"(?:loads|loaded|loading|allocates|allocated|allocating|offloads|offloaded|offloading|moves|moved|moving|puts|placed|places|placing"
                 r"|sends|sent|sending|pushes|pushed|pushing|transfers|transferred|transferring|launches|launched|launching|starts|started|starting)")

_FORMS = re.compile(
    # A negated verb of placement whose goal is the GPU: "not loading models to GPU", "does not allocate the pipeline to the GPU".
    rf"(?P<neg_place>{_NEG}\s+(?:(?:even|actually|really|properly|correctly|automatically|be|being|get|got|able\s+to)\s+)*{_PLACE}\w*"
    rf"\s+(?:(?!(?:from|off|out)\b)[\w.-]+\s+){{0,4}}?(?:to|onto|into|on)\s+(?:the\s+|my\s+|a\s+|any\s+)?{_GPU})"
    # A finite verb of placement whose goal is the CPU: "load models entirely onto CPU", "launches the voice model in CPU mode".
    rf"|(?P<cpu_place>(?:\b{_PLACE_FINITE}|(?<=[a-z0-9)] )load|(?<=[a-z0-9)] )launch)\s+(?:(?!(?:from|off|out|to|onto|into|on|in|back|data|results?|outputs?|tensors?|batch(?:es)?|memory)\b)[\w.-]+\s+){{0,4}}?"
    rf"(?:onto|into|to|on|in)\s+(?:the\s+|my\s+)?{_CPU}(?:\s+(?:mode|only|instead))?)"
    # The CPU used and the GPU named as what was not: "use the CPU and not GPU", "runs on the CPU, not the GPU".
    rf"|(?P<cpu_not_gpu>\b(?:uses?|used|using|runs?|ran|running)\s+(?:(?:on|only|just|mainly|still|always|the|my)\s+)*{_CPU}\s*,?\s*(?:and\s+|but\s+)?not\s+(?:on\s+)?(?:the\s+|my\s+)?{_GPU})"
    # A subject quantified to none: "None of my 2 GPUs are used", "no threads use gpu".
    rf"|(?P<none_of>\bnone\s+of\s+(?:the\s+|my\s+|our\s+)?(?:\d+\s+|two\s+|both\s+)?{_GPU}\s+(?:is|are|was|were|gets?|got)\s+(?:being\s+|ever\s+)?(?:used|utili[sz]ed|detected|recogni[sz]ed|in\s+use))"
    # (Not "no process ... on the GPU": a monitor's process list, statements.no_process's reading, which knows where it is empty by design.)
    rf"|(?P<no_worker>\bno\s+(?:threads?|kernels?|jobs?|work)\s+(?:is\s+|are\s+)?(?:uses?|using|runs?\s+on|running\s+on|on)\s+(?:the\s+|my\s+)?{_GPU})"
    # The GPU said to stop being used, or not to seem to be in use.
    rf"|(?P<stop>\b{_GPU}\s+(?:stop|stops)\s+(?:being\s+)?(?:used|utili[sz]ed|detected|recogni[sz]ed|working))"
    rf"|(?P<seem>{_NEG}\s+(?:seem|appear)\s+to\s+be\s+(?:using|utili[sz]ing|detecting|recogni[sz]ing|running\s+on|on)\s+(?:the\s+|my\s+|any\s+)?{_GPU})",
    re.I,
)


# The GPU named as where the work goes next, later in the sentence.
_GPU_AFTER = re.compile(rf"\b(?:to|onto|into|on)\s+(?:the\s+|my\s+)?(?:{_GPU}|cuda\b)", re.I)


def placed_unused(text: str) -> re.Match[str] | None:
    """The writer's words in ``text`` that the work went to the CPU or stayed off the GPU (the forms above), asserted of now,
    or None. ``text`` is one line the reader already found to hold a GPU or CPU word."""
    from whygpu.explain import grammar, statements

    low = text.lower()
    if not any(map(low.__contains__, CUES)) or grammar.program_line(text):
        return None
    for m in _FORMS.finditer(text[:statements.MAX_LINE]):
        if m.lastgroup == "cpu_place":
            left, _ = grammar.sentence_at(text, m.start(), m.end())
            if not text[left:m.start()].strip(" \t-*>•"):
                continue  # the verb opens its sentence: an instruction ("Load the model on CPU first"), not a report
            if _GPU_AFTER.search(text, m.end(), grammar.sentence_at(text, m.start(), m.end())[1]):
                continue  # the work goes on to the GPU after ("loads the weights to CPU and then copies them to the GPU")
        if grammar.quoted(text, m.start()) or not statements.asserted(text, m.start(), m.end()):
            continue
        if statements.said_now(text, m):
            return m
    return None
