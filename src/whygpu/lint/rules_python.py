"""PY rules: what the user's scripts and notebooks do to keep work off the GPU or starve it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from whygpu.lint.frameworks import jax_cuda_install
from whygpu.lint.intent import gate, program_intent
from whygpu.lint.project import TORCH_FAMILY, Project
from whygpu.lint.python import EnvWrite, PythonModel, device_managers
from whygpu.lint.rulekit import hit
from whygpu.lint.rules_dockerfile import hiding_value, torch_cpu_hits
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, RuleDoc, rule

REF_TF_GPU = "https://www.tensorflow.org/guide/gpu"
REF_TORCH_CUDA = "https://pytorch.org/docs/stable/notes/cuda.html"
REF_TF_DATA = "https://www.tensorflow.org/guide/data_performance"
_CPU_DEVICE = re.compile(r"(^|/|:)(device:)?cpu(:\d+)?$", re.IGNORECASE)
_GPU_DEVICE = re.compile(r"(^|/|:)(device:)?gpu(:\d+)?$", re.IGNORECASE)


def _meant(project: Project, file: PythonModel, outcome: Hit, base: Severity, *, weighing: bool = False, explicit: bool = False, done_by: int | None = None) -> Outcome:
    """``outcome`` gated by the program's GPU intent (whygpu.lint.intent): an error only where a GPU is meant;
    ``explicit`` for code that itself puts the work on the CPU or hides the GPU (a warning where nothing says);
    ``done_by`` the last line of the work the finding is about."""
    return gate(outcome, program_intent(project, file, done_by=done_by, at=outcome.location), base, weighing=weighing, explicit=explicit)


@rule(
    "PY001",
    "tf-device-cpu-training",
    "CODE_FORCES_CPU",
    Severity.ERROR,
    RuleDoc(
        what="with tf.device('/CPU:0') around building, compiling or fitting a model.",
        why="Ops created in the block are pinned to the CPU; the model's variables and training steps never reach the GPU.",
        example="with tf.device('/CPU:0'):\n    model = build_model()\n    model.fit(ds, epochs=5)",
        fix="model = build_model()\nmodel.fit(ds, epochs=5)   # TensorFlow places ops on the GPU by itself",
        limits=(
            "A CPU block that only prepares data (no model, fit or GradientTape) is fine and not reported."
            " Gated by GPU intent (whygpu.lint.intent): an error where the project states that a GPU is meant, a warning where nothing says, a note where the CPU is chosen on purpose."
        ),
        references=(REF_TF_GPU, "https://www.tensorflow.org/api_docs/python/tf/device"),
    ),
)
def tf_device_cpu_training(project: Project) -> Iterator[Outcome]:
    """The PY001 check (tf-device-cpu-training); see the rule's documentation above."""
    for file in project.python:
        for scope in file.facts.device_scopes:
            if _CPU_DEVICE.search(scope.device.strip()) and scope.trains:
                found = hit(scope.location, f"Model building or training is pinned to the CPU by tf.device({scope.device!r})", fix="Remove the tf.device block around the model; keep CPU placement only for data preparation.")
                yield _meant(project, file, found, Severity.ERROR, explicit=True)


@rule(
    "PY002",
    "tf-hides-gpus",
    "CODE_FORCES_CPU",
    Severity.ERROR,
    RuleDoc(
        what="tf.config.set_visible_devices([], 'GPU') (or the experimental alias).",
        why="It removes every GPU from TensorFlow's view for the rest of the process; everything then runs on the CPU.",
        example="tf.config.set_visible_devices([], 'GPU')",
        fix="# remove the call; to use one GPU: gpus = tf.config.list_physical_devices('GPU'); tf.config.set_visible_devices(gpus[:1], 'GPU')",
        limits=(
            "Only a literal empty list is recognised. Not reported where JAX or PyTorch is imported too: hiding the GPU "
            "from TensorFlow (used for input pipelines) so that it does not take the GPU's memory is the documented way "
            "to share a process with them; nor in a module that only builds tf.data input pipelines (no training step) "
            "in a project that imports JAX or PyTorch elsewhere."
            " Gated by GPU intent (whygpu.lint.intent): an error where the project states that a GPU is meant, a warning where nothing says, a note where the CPU is chosen on purpose."
        ),
        references=("https://www.tensorflow.org/api_docs/python/tf/config/set_visible_devices", REF_TF_GPU, "https://docs.jax.dev/en/latest/notebooks/neural_network_with_tfds_data.html"),
    ),
)
def tf_hides_gpus(project: Project) -> Iterator[Outcome]:
    """The PY002 check (tf-hides-gpus); see the rule's documentation above."""
    owners = {"jax", "torch"} & {framework for file in project.python for framework in file.facts.imports}
    for file in project.python:
        if {"jax", "torch"} & set(file.facts.imports):
            continue  # TensorFlow feeds data; the GPU belongs to the other framework
        if owners and file.facts.tf_datasets and not file.facts.trains:
            continue  # an input-pipeline module of a JAX or PyTorch project: its TensorFlow work is data loading
        for location in file.facts.hide_gpu_calls:
            yield _meant(project, file, hit(location, "tf.config.set_visible_devices([], 'GPU') hides every GPU from TensorFlow", fix="Remove this call."), Severity.ERROR, explicit=True)


def _initialised_before(file: object, write: EnvWrite) -> tuple[int, object, str] | None:
    """The CUDA initialisation before ``write`` in the same function (in source order for a notebook's %env)."""
    return write.initialised_by if write.scoped else _after_init(file, write.line)


def _after_init(file: object, line: int) -> tuple[int, object, str] | None:
    from whygpu.lint.python import PythonModel

    assert isinstance(file, PythonModel)
    for init in file.facts.cuda_inits:
        if init[0] < line:
            return init
    return None


@rule(
    "PY003",
    "cuda-visible-devices-hidden",
    "CODE_FORCES_CPU",
    Severity.ERROR,
    RuleDoc(
        what="os.environ['CUDA_VISIBLE_DEVICES'] set to '-1' or '' (or NVIDIA_VISIBLE_DEVICES to void/none) in the script or a notebook %env.",
        why="CUDA then enumerates no GPU for this process; TensorFlow, PyTorch and JAX all fall back to the CPU.",
        example="os.environ['CUDA_VISIBLE_DEVICES'] = '-1'",
        fix="# delete the line; to pick a GPU: os.environ['CUDA_VISIBLE_DEVICES'] = '0' before importing the framework",
        limits=(
            "Values computed at run time are not judged, nor a write in a branch (if/else, except) or in a function whose name says CPU: the script's explicit CPU path."
            " Gated by GPU intent (whygpu.lint.intent): an error where the project states that a GPU is meant, a warning where nothing says, a note where the CPU is chosen on purpose."
        ),
        references=("https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#env-vars", REF_TORCH_CUDA),
    ),
)
def cuda_visible_devices_hidden(project: Project) -> Iterator[Outcome]:
    """The PY003 check (cuda-visible-devices-hidden); see the rule's documentation above."""
    for file in project.python:
        for write in file.facts.env_writes:
            if write.name not in ("CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES") or write.value is None:
                continue
            reason = hiding_value(write.name, write.value)
            if reason and not write.conditional and _initialised_before(file, write) is None:
                yield _meant(project, file, hit(write.location, f"{write.name}={write.value!r} {reason}", fix=f"Remove the {write.name} assignment."), Severity.ERROR, explicit=True)


@rule(
    "PY004",
    "cuda-visible-devices-too-late",
    "CODE_FORCES_CPU",
    Severity.WARNING,
    RuleDoc(
        what="CUDA_VISIBLE_DEVICES set in the script after a call that initialises CUDA (torch.cuda.*, tf.config.list_physical_devices, jax.devices, .cuda()).",
        why="CUDA reads CUDA_VISIBLE_DEVICES once, when it initialises; setting it later changes nothing, so the process uses other GPUs (or hides none) than intended.",
        example="import torch\nprint(torch.cuda.is_available())\nos.environ['CUDA_VISIBLE_DEVICES'] = '1'",
        fix="import os\nos.environ['CUDA_VISIBLE_DEVICES'] = '1'   # first, before any framework call\nimport torch",
        limits=(
            "Setting it after a bare import is only a note: frameworks initialise CUDA lazily, but any library call in between may do so. "
            "Only a CUDA call earlier in the same function counts, and a write that keeps the caller's value "
            "(os.environ.get of the same variable) or sits in a branch is not judged: it is for child processes."
        ),
        references=(REF_TORCH_CUDA, REF_TF_GPU),
    ),
)
def cuda_visible_devices_too_late(project: Project) -> Iterator[Outcome]:
    """The PY004 check (cuda-visible-devices-too-late); see the rule's documentation above."""
    for file in project.python:
        first_import = file.facts.first_import_line()
        for write in file.facts.env_writes:
            if write.name != "CUDA_VISIBLE_DEVICES":
                continue
            init = _initialised_before(file, write)
            if init is not None and not write.conditional:
                yield hit(
                    write.location,
                    f"CUDA_VISIBLE_DEVICES is set after CUDA was initialised ({init[2]}), so it has no effect",
                    evidence=[init[1].evidence()],  # type: ignore[attr-defined]
                    fix="Set CUDA_VISIBLE_DEVICES at the very top of the script (or in the job's environment), before any framework call.",
                )
            elif first_import is not None and first_import < write.line and not hiding_value(write.name, write.value or "x"):
                framework = min(file.facts.imports.items(), key=lambda item: item[1].line)
                yield hit(
                    write.location,
                    f"CUDA_VISIBLE_DEVICES is set after {framework[0]} was imported; it works only if nothing initialised CUDA in between",
                    evidence=[framework[1].evidence()],
                    severity=Severity.INFO,
                    confidence=Confidence.LOW,
                    fix="Move the assignment above the framework imports.",
                )


@rule(
    "PY005",
    "jax-platforms-cpu",
    "CODE_FORCES_CPU",
    Severity.ERROR,
    RuleDoc(
        what="JAX_PLATFORMS (or JAX_PLATFORM_NAME) set to cpu in the script, or jax.config.update('jax_platforms', 'cpu').",
        why="JAX then starts only its CPU backend, even with a CUDA jaxlib plugin and a GPU present.",
        example="jax.config.update('jax_platforms', 'cpu')",
        fix="# remove it; JAX picks the GPU when the CUDA plugin is installed",
        limits=(
            "Values computed at run time are not judged."
            " Gated by GPU intent (whygpu.lint.intent): an error where the project states that a GPU is meant, a warning where nothing says, a note where the CPU is chosen on purpose."
        ),
        references=("https://docs.jax.dev/en/latest/installation.html", "https://docs.jax.dev/en/latest/config_options.html"),
    ),
)
def jax_platforms_cpu(project: Project) -> Iterator[Outcome]:
    """The PY005 check (jax-platforms-cpu); see the rule's documentation above."""
    for file in project.python:
        for write in file.facts.env_writes:
            if write.name in ("JAX_PLATFORMS", "JAX_PLATFORM_NAME") and write.value is not None and write.value.strip().lower() == "cpu":
                yield _meant(project, file, hit(write.location, f"{write.name}='cpu' makes JAX use only the CPU", fix=f"Remove the {write.name} assignment."), Severity.ERROR, explicit=True)
        for location in file.facts.jax_cpu_configs:
            yield _meant(project, file, hit(location, "jax.config.update(..., 'cpu') makes JAX use only the CPU", fix="Remove this call."), Severity.ERROR, explicit=True)


@rule(
    "PY006",
    "torch-model-not-on-gpu",
    "CODE_FORCES_CPU",
    Severity.ERROR,
    RuleDoc(
        what="A training or inference script that creates a torch model but never moves anything to a device (.to(...), .cuda(), device=..., torch.set_default_device).",
        why="PyTorch keeps modules and tensors on the CPU until told otherwise; the GPU stays idle however it is set up.",
        example="model = Net()\nfor x, y in loader:\n    loss = loss_fn(model(x), y)\n    loss.backward()",
        fix="device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')\nmodel = Net().to(device)\nfor x, y in loader:\n    x, y = x.to(device), y.to(device)",
        limits=(
            "A model moved in another module is not seen (hence medium confidence). Only files that train (a loop with "
            "backward or optimizer.step, an optimizer, fit) are judged; loss modules are not models; models from "
            "torch.hub.load and scripts using Lightning, Accelerate, DeepSpeed, Composer, transformers' Trainer or Ignite (which "
            "place the model themselves) are skipped. Where an environment at or above the script installs a CPU-only PyTorch "
            "beside a CUDA JAX (JAX owns the GPU), it is a note."
            " Gated by GPU intent (whygpu.lint.intent): an error where the project states that a GPU is meant, a note where nothing says, a note where the CPU is chosen on purpose."
        ),
        references=(REF_TORCH_CUDA, "https://pytorch.org/tutorials/beginner/basics/buildmodel_tutorial.html#get-device-for-training"),
    ),
)
def torch_model_not_on_gpu(project: Project) -> Iterator[Outcome]:
    """The PY006 check (torch-model-not-on-gpu); see the rule's documentation above."""
    managers = device_managers()
    for file in project.python:
        facts = file.facts
        if "torch" not in facts.imports or not facts.model_creations or facts.device_moves or not facts.trains:
            continue
        if facts.modules & managers:
            continue
        name, location = facts.model_creations[0]
        chosen = cpu_torch_beside_jax(project, file)
        found = hit(
            location,
            f"The torch model {name!r} is never moved to a CUDA device, so it runs on the CPU",
            evidence=[chosen or ""],
            confidence=Confidence.MEDIUM,
            fix=f"{name} = {name}.to(device) with device = torch.device('cuda'), and move each batch with .to(device).",
            severity=Severity.INFO if chosen else None,
        )
        # The model's work ends with its last training loop or fit (a notebook's later cells are other work).
        done_by = max([location.line] + [loop.location.line for loop in facts.training_loops] + [fit.line for fit in facts.fits])
        yield found if chosen else _meant(project, file, found, Severity.ERROR, done_by=done_by)


def cpu_torch_beside_jax(project: Project, file: PythonModel) -> str | None:
    """A note when an environment declared at or above ``file``'s folder installs a CPU-only PyTorch beside a CUDA JAX:
    JAX owns the GPU there and PyTorch was chosen without CUDA, so a torch model on the CPU is that choice (moving it
    to 'cuda' would fail in that environment). None otherwise."""
    folder = PurePosixPath(file.display).parent
    for stack in project.stacks:
        jax = jax_cuda_install(stack)
        if jax is None:
            continue
        torch_specs = [p for p in stack.packages if p.name in TORCH_FAMILY]
        if not torch_specs or not any(folder.is_relative_to(PurePosixPath(p.location.file).parent) for p in torch_specs):
            continue
        cpu = next((o for o in torch_cpu_hits(torch_specs, stack.packages, stack.indexes) if isinstance(o, Hit)), None)
        if cpu is not None:
            return (
                f"{torch_specs[0].location.file} installs PyTorch without CUDA ({cpu.title}) beside {jax}: JAX owns the GPU "
                "and this PyTorch runs on the CPU by choice, a note, not an error"
            )
    return None


@rule(
    "PY007",
    "torch-device-cpu",
    "CODE_FORCES_CPU",
    Severity.ERROR,
    RuleDoc(
        what="A torch device hard-coded to 'cpu' (device = 'cpu', torch.device('cpu'), model.to('cpu')) and given to the model or tensors, in a script that never mentions CUDA.",
        why="Everything moved to that device stays on the CPU, on any machine.",
        example="device = torch.device('cpu')\nmodel = Net().to(device)",
        fix="device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')\nmodel = Net().to(device)",
        limits=(
            "A script that also selects 'cuda' or uses torch.accelerator anywhere, or assigns the same name another device "
            "(an explicit CPU branch), is assumed to choose at run time and is not reported; nor is a script using a CPU "
            "optimizer (DeepSpeedCPUAdam and kin), whose point is the CPU."
            " Gated by GPU intent (whygpu.lint.intent): an error where the project states that a GPU is meant, a warning where nothing says, a note where the CPU is chosen on purpose."
        ),
        references=(REF_TORCH_CUDA,),
    ),
)
def torch_device_cpu(project: Project) -> Iterator[Outcome]:
    """The PY007 check (torch-device-cpu); see the rule's documentation above."""
    for file in project.python:
        facts = file.facts
        if "torch" not in facts.imports or facts.mentions_cuda or facts.cpu_workload or not facts.trains_or_runs:
            continue
        for name, location in facts.cpu_devices:
            if name in facts.runtime_devices:
                continue  # the other branch picks an accelerator
            if name not in facts.device_arguments and name not in {n for n, _ in facts.model_creations}:
                continue  # a CPU device kept for offloading or checkpoints, never given to the model
            found = hit(
                location,
                f"{name} is hard-coded to the CPU device",
                confidence=Confidence.MEDIUM,
                fix="Choose the device at run time: torch.device('cuda' if torch.cuda.is_available() else 'cpu').",
            )
            yield _meant(project, file, found, Severity.ERROR, explicit=True)


@rule(
    "PY008",
    "host-sync-in-training-loop",
    "GPU_UNDERUSED",
    Severity.WARNING,
    RuleDoc(
        what=".cpu() or .numpy() inside a training loop (a loop that calls .backward() or optimizer.step()).",
        why="Each call copies to host memory and waits for the GPU to finish: the GPU idles every step while Python waits.",
        example="for x, y in loader:\n    loss.backward(); optimizer.step()\n    losses.append(loss.detach().cpu().numpy())",
        fix="for x, y in loader:\n    loss.backward(); optimizer.step()\n    losses.append(loss.detach())   # stays on the GPU\nlosses = torch.stack(losses).cpu().numpy()   # once, after the loop",
        limits=(
            "Only the loop that takes the steps counts (not the epoch loop around it, nor evaluation after it); calls "
            "under 'if step % N == 0' (periodic logging), under torch.no_grad() (evaluation) and in RPC arguments are not reported. "
            "Nor is a copy whose value the loop shows or records every iteration (print, a logging call, a progress bar, a live "
            "plot, a metric logger, a formatted string; directly or through names assigned in the loop): showing a GPU value each "
            "step takes one synchronisation per step, which keeping the value on the GPU cannot remove; nor a copy of a tensor "
            "the iteration already read to the host (.cpu(), .item(), .tolist(): the first read waited), nor of a tensor computed before "
            "a wait the iteration makes on every step and this rule accepts (running_loss += loss.item(), .tolist(), a copy it shows): "
            "that read waited for all the work queued before it, so the copy waits for nothing and keeping the tensor on the GPU would "
            "not remove the step's wait (a copy after another reported copy is part of the same wait and is reported); nor PyTorch's .numpy() without .cpu() (it converts only "
            "a tensor already on the host; TensorFlow's .numpy() does copy from the GPU and counts). In the `if __name__ == \"__main__\":` demo of a module other scripts of the project import it is a note (the module's self-test, not how the project runs)."
            " Weighed against GPU intent (whygpu.lint.intent): a warning where the program or its environment states that a GPU is meant, a note elsewhere; never an error, so the default gate (fail-on error) does not fail on it."
        ),
        references=(
            "https://pytorch.org/tutorials/recipes/recipes/tuning_guide.html#avoid-unnecessary-cpu-gpu-synchronization",
            "https://pytorch.org/docs/stable/notes/cuda.html#asynchronous-execution",
            "https://pytorch.org/docs/stable/generated/torch.Tensor.numpy.html",
        ),
    ),
)
def host_sync_in_training_loop(project: Project) -> Iterator[Outcome]:
    """The PY008 check (host-sync-in-training-loop); see the rule's documentation above."""
    for file in project.python:
        for loop in file.facts.training_loops:
            for method, location in loop.syncs:
                demo = module_demo(project, file, location.line)
                found = hit(
                    location,
                    f".{method}() in the training loop makes every step wait for the GPU",
                    evidence=[loop.location.evidence(), demo or ""],
                    fix="Keep the values on the GPU inside the loop; copy them to the host once after it (or only every N steps).",
                    severity=Severity.INFO if demo else None,
                )
                yield found if demo else _meant(project, file, found, Severity.WARNING, weighing=True)


@rule(
    "PY009",
    "dataloader-no-workers",
    "GPU_UNDERUSED",
    Severity.WARNING,
    RuleDoc(
        what="A torch DataLoader with num_workers=0 (the default) in a script that decodes or augments images per sample.",
        why="With no workers, decoding and augmentation run in the training process between GPU steps, and the GPU waits for them.",
        example="train_tf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.ToTensor()])\nds = datasets.ImageFolder('photos', transform=train_tf)\nloader = DataLoader(ds, batch_size=64)\nmodel.to('cuda')",
        fix="loader = DataLoader(ds, batch_size=64, num_workers=8, pin_memory=True, persistent_workers=True)",
        limits=(
            "The transform list is read from the same file and counts only when a dataset gets it (an argument, a Dataset "
            "class); transforms built elsewhere are not seen, nor one applied to whole batches in the loop. Conversions alone "
            "(ToTensor, Normalize) on in-memory datasets are not heavy; num_workers given through **kwargs is not judged, "
            "nor an explicit num_workers=0 (a deliberate choice), nor a loader without num_workers in a program that passes "
            "num_workers=0 to another of its loaders (the same choice: workers may not start where it runs, as in a notebook "
            "on Windows); files that neither train nor use a device (clients, "
            "data tools) are skipped. A loader whose every loop breaks at once (a one-batch peek) or never hands a batch on (no "
            "call gets it, no .to/.cuda, no backward: a statistics pass), or that is only read once with next(iter(loader)) "
            "outside any loop or function, feeds no model step by step and is not reported; nor a loader over a TensorDataset "
            "(samples are indexes into tensors already in memory). In the `if __name__ == \"__main__\":` demo of a module other scripts of the project import it is a note (the module's self-test, not how the project runs)."
            " Weighed against GPU intent (whygpu.lint.intent): a warning where the program or its environment states that a GPU is meant, a note elsewhere; never an error, so the default gate (fail-on error) does not fail on it."
        ),
        references=("https://pytorch.org/docs/stable/data.html#single-and-multi-process-data-loading", "https://pytorch.org/tutorials/recipes/recipes/tuning_guide.html"),
    ),
)
def dataloader_no_workers(project: Project) -> Iterator[Outcome]:
    """The PY009 check (dataloader-no-workers); see the rule's documentation above."""
    for file in project.python:
        facts = file.facts
        if not facts.heavy_transforms or not (facts.trains or facts.device_moves or facts.modules & device_managers()):
            continue
        chosen = next((other for other in facts.dataloaders if other.explicit and other.num_workers == 0), None)
        for loader in facts.dataloaders:
            if chosen is not None:
                break  # the program sets num_workers=0 itself elsewhere: its author chose no workers where it runs
            if loader.num_workers == 0 and not loader.explicit:
                how = "no num_workers (default 0)"
                demo = module_demo(project, file, loader.location.line)
                found = hit(
                    loader.location,
                    f"DataLoader with {how} while the script decodes or augments images per sample",
                    evidence=[facts.heavy_transforms[0].evidence(), demo or ""],
                    fix="Pass num_workers=<CPU cores> (and pin_memory=True) to the DataLoader.",
                    severity=Severity.INFO if demo else None,
                )
                yield found if demo else _meant(project, file, found, Severity.WARNING, weighing=True)


def module_demo(project: Project, file: PythonModel, line: int) -> str | None:
    """A note when ``line`` is in the ``if __name__ == "__main__":`` block of a module other scripts of the project
    import: the module's own demo or self-test, not the way the project runs; a cost found there is a note. None otherwise."""
    block = file.facts.main_block
    if file.notebook or block is None or not block[0] <= line <= block[1] or file.display not in project.imported_modules():
        return None
    return (
        f"{file.display} is a module the project imports; this is its own __main__ demo (lines {block[0]}-{block[1]}), "
        "not how the project trains: a note, not a warning"
    )


@rule(
    "PY010",
    "tf-data-no-prefetch",
    "GPU_UNDERUSED",
    Severity.WARNING,
    RuleDoc(
        what="A tf.data pipeline used for training with no .prefetch() anywhere in the script.",
        why="Without prefetch the input pipeline and the training step take turns: the GPU idles while the next batch is prepared.",
        example="ds = tf.data.TFRecordDataset(files).map(parse).shuffle(1000).batch(64)\nmodel.fit(ds, epochs=5)",
        fix="ds = tf.data.TFRecordDataset(files).map(parse, num_parallel_calls=tf.data.AUTOTUNE).shuffle(1000).batch(64).prefetch(tf.data.AUTOTUNE)\nmodel.fit(ds, epochs=5)",
        limits=(
            "Datasets passed between files are not followed. A pipeline with no per-element work (no .map or .interleave, "
            "no file source: slicing tensors already in memory) is not reported; a distribution strategy's per-replica "
            "buffer counts as prefetching, and so does a dataset from Keras' image_dataset_from_directory or "
            "text_dataset_from_directory, which prefetch what they decode. A .map reached through a pandas attribute "
            "(x.index.map, s.str.map) is not tf.data work. In the `if __name__ == \"__main__\":` demo of a module other scripts of the project import it is a note (the module's self-test, not how the project runs)."
            " Weighed against GPU intent (whygpu.lint.intent): a warning where the program or its environment states that a GPU is meant, a note elsewhere; never an error, so the default gate (fail-on error) does not fail on it."
        ),
        references=(REF_TF_DATA, "https://www.tensorflow.org/api_docs/python/tf/data/Dataset#prefetch"),
    ),
)
def tf_data_no_prefetch(project: Project) -> Iterator[Outcome]:
    """The PY010 check (tf-data-no-prefetch); see the rule's documentation above."""
    for file in project.python:
        facts = file.facts
        if not facts.tf_datasets or not facts.dataset_work or facts.prefetches or not (facts.fits or facts.training_loops):
            continue
        demo = module_demo(project, file, facts.tf_datasets[0].line)
        found = hit(
            facts.tf_datasets[0],
            "tf.data pipeline without .prefetch(): the GPU waits for each batch",
            evidence=[demo or ""],
            confidence=Confidence.MEDIUM,
            fix="End the pipeline with .prefetch(tf.data.AUTOTUNE).",
            severity=Severity.INFO if demo else None,
        )
        yield found if demo else _meant(project, file, found, Severity.WARNING, weighing=True)


@rule(
    "PY011",
    "tf-device-gpu-unneeded",
    "CODE_FORCES_CPU",
    Severity.INFO,
    RuleDoc(
        what="with tf.device('/GPU:0') used as the way to make TensorFlow use the GPU.",
        why="TensorFlow already places ops on the first GPU when it sees one; the block changes nothing and, when no GPU is visible, does not bring one back.",
        example="with tf.device('/GPU:0'):\n    model.fit(x, y)",
        fix="model.fit(x, y)   # check tf.config.list_physical_devices('GPU') to see whether a GPU is visible",
        limits="Informational: it does not block the GPU.",
        references=(REF_TF_GPU,),
    ),
)
def tf_device_gpu_unneeded(project: Project) -> Iterator[Outcome]:
    """The PY011 check (tf-device-gpu-unneeded); see the rule's documentation above."""
    for file in project.python:
        for scope in file.facts.device_scopes:
            if _GPU_DEVICE.search(scope.device.strip()) and scope.device.strip().lower().rstrip("0").rstrip(":") in ("/gpu", "gpu", "/device:gpu"):
                yield hit(scope.location, f"tf.device({scope.device!r}) is not needed: TensorFlow uses the first GPU by default", fix="Remove the tf.device block; if TensorFlow sees no GPU, run 'whygpu' to find out why.")


RULES = [
    tf_device_cpu_training,
    tf_hides_gpus,
    cuda_visible_devices_hidden,
    cuda_visible_devices_too_late,
    jax_platforms_cpu,
    torch_model_not_on_gpu,
    torch_device_cpu,
    host_sync_in_training_loop,
    dataloader_no_workers,
    tf_data_no_prefetch,
    tf_device_gpu_unneeded,
]
