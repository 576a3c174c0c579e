"""accdevice (session 29): the program's own choice of the CPU as the cause, and the GPU's underuse said in words.

Every line below is written from the form a program's documentation or source gives the setting or message (named beside
each reading in src/), or from the way a writer words it; none is pasted from a corpus log.
"""

from __future__ import annotations

import pytest

from log_text import codes, facts, finding_codes, first_cause
from whygpu.explain import statements, utilread
from whygpu.explain.ownanswer import cpu_notice
from whygpu.knowledge.device_settings import cpu_pin
from whygpu.knowledge.utilisation import UNDERUSED, decide

# --- 1. the settings that pin the CPU, by their documentation ----------------------------------------------------------


@pytest.mark.parametrize(("line", "row"), [
    ("python transcribe.py audio.wav --device cpu", "device-option-cpu"),
    ("yolo predict model=best.pt source=0 --device=cpu", "device-option-cpu"),
    ("python infer.py --device_type cpu --batch 4", "device-option-cpu"),
    ("python main.py --listen --cpu", "cpu-flag"),
    ("./webui.sh --use-cpu all --skip-torch-cuda-test", "cpu-flag"),
    ("python entry_with_update.py --always-cpu", "cpu-flag"),
    ("python mnist.py --epochs 10 --no-cuda", "no-cuda-flag"),
    ("python run_glue.py --model_name_or_path bert-base --no_cuda", "no-cuda-flag"),
    ("python train.py --dataroot ./datasets/maps --gpu_ids -1", "gpu-id-minus-one"),
    ("python -m spacy train config.cfg --gpu-id -1", "gpu-id-minus-one"),
    ("python asr.py --ngpu 0 --config conf/train.yaml", "gpu-count-zero"),
    ("python resnet_main.py --num_gpus=0", "gpu-count-zero"),
    ("trainer = pl.Trainer(accelerator='cpu', max_epochs=5)", "accelerator-cpu"),
    ("args = TrainingArguments(output_dir='out', use_cpu=True)", "trainer-cpu-flag"),
    ("clf = pipeline('sentiment-analysis', model=name, device=-1)", "pipeline-device-minus-one"),
    ("reader = easyocr.Reader(['en'], gpu=False)", "reader-gpu-false"),
    ("ocr = PaddleOCR(lang='en', use_gpu=False)", "reader-gpu-false"),
    ('model = WhisperModel("large-v2", device="cpu", compute_type="int8")', "call-device-cpu"),
    ("model = whisper.load_model('base', device='cpu')", "call-device-cpu"),
    ("with tf.device('/cpu:0'):", "tf-device-cpu"),
    ("sess = ort.InferenceSession('model.onnx', providers=['CPUExecutionProvider'])", "onnx-cpu-provider-only"),
    ("PARAMETER num_gpu 0", "ollama-num-gpu-zero"),
    ('{"model": "llama3", "options": {"num_gpu": 0}}', "ollama-num-gpu-zero"),
    ("export JAX_PLATFORM_NAME=cpu", "jax-platform-name-env"),
    ("paddleocr --image_dir ./imgs --use_gpu false", "no-cuda-flag"),
    ("nlp = stanza.Pipeline('en', use_gpu=False)", "reader-gpu-false"),
    ("flair.device = torch.device('cpu')", "flair-device-cpu"),
    ("number_of_gpu=0", "torchserve-no-gpu"),
    ("CUDA_VISIBLE_DEVICES=0 python train.py -data data/demo -save_model m -gpuid 0", "opennmt-gpuid"),
])
def test_a_documented_cpu_setting_is_named(line: str, row: str) -> None:
    found = cpu_pin(line)
    assert found is not None and found[0].id == row, line


@pytest.mark.parametrize("line", [
    "python transcribe.py audio.wav --device cuda",
    "python detect.py --device 0",
    "docker run --cpus 4 image",              # a CPU quota, not the device
    "python app.py --cpu-threads 8",
    "chromium --headless --disable-gpu",      # a browser's rendering flag
    "python train.py --gpus 0",               # an id in many programs, a count in others: not read
    "python train.py --gpu_ids 0,1",
    "python train.py --num_gpus 2",
    "trainer = pl.Trainer(accelerator='gpu', devices=1)",
    "ckpt = torch.load(path, map_location='cpu')",   # loading a checkpoint, then moved
    "reader = easyocr.Reader(['en'], gpu=True)",
    "PARAMETER num_gpu 99",
    "number_of_gpu=2",
    "flair.device = torch.device('cuda:0')",
    "paddleocr --image_dir ./imgs --use_gpu true",
])
def test_other_settings_are_not_a_cpu_pin(line: str) -> None:
    assert cpu_pin(line) is None, line


# --- 2. the setting set for a run whose GPU went unused leads ---------------------------------------------------------


def test_a_cpu_option_on_the_command_leads_over_the_words() -> None:
    log = "python detect.py --weights best.pt --source clip.mp4 --device cpu\nIt runs but only on the CPU, the GPU is not used at all."
    assert first_cause(log) == "CODE_FORCES_CPU"
    assert "LOG400" in finding_codes(log)


def test_the_frameworks_no_gpu_answer_follows_from_the_setting() -> None:
    # jax's platform set to the CPU in the writer's code: JAX's own fallback warning is what the setting makes it print.
    log = ("import jax\njax.config.update('jax_platform_name', 'cpu')\n"
           "WARNING:absl:No GPU/TPU found, falling back to CPU.\nWhy does JAX not use my GPU?")
    assert first_cause(log) == "CODE_FORCES_CPU"


def test_a_trainer_setting_leads_over_is_available_false() -> None:
    log = ("args = TrainingArguments(output_dir='out', use_cpu=True)\n"
           ">>> torch.cuda.is_available()\nFalse\ntraining is very slow, it is not using the GPU")
    assert first_cause(log) == "CODE_FORCES_CPU"


def test_a_failure_of_its_own_keeps_its_place() -> None:
    # The library that did not load names a cause of its own: the setting does not lead over it.
    log = ("python infer.py --device cpu\n"
           "Could not load dynamic library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file\n"
           "the GPU is not used")
    assert first_cause(log) != "CODE_FORCES_CPU"


def test_a_cuda_call_beside_the_setting_keeps_its_place() -> None:
    # The run that failed asked CUDA for the GPU: the setting did not keep that run off it.
    log = ("python fold.py --cpu input.fasta\n"
           "Error initializing CUDA: CUDA_ERROR_NO_DEVICE (100)\nit does not use the GPU")
    assert first_cause(log) != "CODE_FORCES_CPU"


@pytest.mark.parametrize("log", [
    "Should I try --device cpu? The GPU is not used.",                                          # a question
    "RuntimeError: no GPU was found, run with --cpu",                                          # a message's advice
    "Error: CUDA unavailable. Use the flag --device cpu to continue.",                        # a message's advice
    "You can pass --cpu to run without a GPU. My GPU is not used though.",                      # advice
    "With --device cpu it runs fine, but with cuda it crashes and the GPU is not used.",        # a workaround that works
    "To compare with the CPU I ran python bench.py --device cpu. The GPU is not used in the other run.",  # on purpose
    "parser.add_argument('--cpu', action='store_true', help='use the CPU')\nthe GPU is not used",  # a definition
    "usage: app.py [-h] [--cpu] [--port PORT]\nthe GPU is not used",                            # a usage listing
    "  --no-cuda      disables CUDA training\nthe GPU is not used",                               # a help row
    "# python run.py --device cpu\npython run.py\nthe GPU is not used",                          # commented out
    "# CPU only\npython run.py --device cpu\nthe GPU is not used",                               # labelled a CPU run
    "I run the tool with the option --cpu to avoid the GPU, yet another step fails: the GPU is not used.",   # chosen to keep the GPU out
    "I changed the line `with tf.device('/cpu:0'):` to `with tf.device('/gpu:0'):` but the GPU is not used.",  # changed away
])
def test_a_setting_only_named_is_not_read(log: str) -> None:
    assert not facts(log).cpu_pin, log


def test_the_writers_own_run_with_the_option_is_read() -> None:
    assert facts("I run it with --device cpu and the GPU is not used.").cpu_pin


def test_no_unused_gpu_no_finding() -> None:
    # The setting alone, in a log that says nothing of the GPU going unused, is the writer's choice.
    assert "LOG400" not in finding_codes("python transcribe.py audio.wav --device cpu --model small\nTranscription done in 40 s")


def test_the_gpu_in_use_quiets_the_setting() -> None:
    log = ("python train.py --device cpu --epochs 1\n"
           "|    0   N/A  N/A     12345      C   python                           5120MiB |\n"
           "GPU available: True (cuda), used: True\nthe GPU is not used")
    assert "LOG400" not in finding_codes(log)


# --- 3. programs whose CPU notice comes from their own setting --------------------------------------------------------


def test_opennmt_notice_is_its_gpu_ranks_setting() -> None:
    log = "[2024-01-02 10:00:00,000 INFO] * number of parameters: 1000\n[2024-01-02 10:00:01,000 INFO] Starting training on CPU, could be very slow\nit trains on the cpu"
    assert first_cause(log) == "CODE_FORCES_CPU"


def test_spacy_switch_hint_means_a_gpu_left_unasked() -> None:
    log = "ℹ Using CPU\nℹ To switch to GPU 0, use the option: --gpu-id 0\n=== Training pipeline ==="
    assert first_cause(log) == "CODE_FORCES_CPU"


def test_transformers_device_notice_is_read_as_the_device_chosen() -> None:
    assert cpu_notice("Device set to use cpu") is not None
    assert cpu_notice("Device set to use cuda:0") is None
    # With no device given the pipeline takes the GPU torch finds: the notice alone is the framework's answer ...
    assert first_cause("Device set to use cpu\nthe pipeline is slow, my GPU is not used") != "CODE_FORCES_CPU"
    # ... and with device=-1 in the writer's call it is the setting's doing.
    log = "clf = pipeline('text-classification', model='distilbert-base-uncased', device=-1)\nDevice set to use cpu\nmy GPU is not used"
    assert first_cause(log) == "CODE_FORCES_CPU"


def test_a_generic_cpu_notice_stays_the_frameworks_answer() -> None:
    # "Using device: cpu" is printed after the program's own device test: the framework's answer, not a setting.
    log = "Using device: cpu\nthe training does not use my GPU"
    assert first_cause(log) != "CODE_FORCES_CPU"


# --- 4. a machine supposed in a condition is not the writer's ---------------------------------------------------------


@pytest.mark.parametrize(("line", "read"), [
    ("The warning appears if the notebook is run on a machine with no GPU.", False),
    ("It fails when a job lands on a node with no GPU.", False),
    ("I run it on a machine with no GPU.", True),
    ("When I run it on a machine with no GPU it crashes.", True),
])
def test_a_supposed_machine_is_not_the_writers(line: str, read: bool) -> None:
    assert (statements.no_gpu(line) is not None) is read, line


# --- 5. the GPU used but waiting for the CPU side, in words ------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "The GPU is only being used about 30% while one of my CPU cores is maxed out.",
    "GPU utilisation low, CPU maxed.",
    "My CPU is pegged at 100% and the GPU sits at 40%.",
    "GPU usage hovers around 25% whilst a single core runs at 100%.",
    "The GPU (RTX 3090) is at 35% and one CPU thread is saturated.",
    "the GPU is barely used, data loading is the bottleneck",
    "Data loading is the bottleneck here.",
    "We are bottlenecked by the dataloader.",
    "The input pipeline was the bottleneck.",
    "The GPU is starved.",
    "It looks like the GPU is waiting for data most of the time.",
    "The profiler shows 60% of the training time is consumed by the DataLoader.",
    "Most of the time is spent in data loading.",
])
def test_underuse_in_words_is_read(line: str) -> None:
    # accutil2 (session 31): a line with a number ("about 30% while one core is maxed out") is read by explain/utilread.py and
    # decided by knowledge.utilisation.decide; words alone by statements.
    assert statements.underused(line) is not None or _numbers(line) == UNDERUSED, line


@pytest.mark.parametrize("line", [
    "GPU at 0% while one CPU core is at 100%",                      # no kernel ran: unused, not underused
    "GPU memory is at 30% while the CPU is at 100%",                # memory, not work
    "If the GPU is idle, raise num_workers.",                       # advice under a condition
    "If the GPU sits at 30% with a core at 100%, add workers.",     # supposed
    "Is data loading the bottleneck?",                              # asked
    "Is the GPU waiting for data?",                                 # asked
    "If most of the time is spent in data loading, add workers.",   # supposed
    "print('GPU at 30%, CPU at 100%')",                             # code
    "My GPU utilization stays at mostly 0% and occasionally goes to 10%.",  # an idle GPU's flicker, no burst of work
    'The docs say "GPU is idle" when the loader is slow.',          # quoted, the mark right before the words
])
def test_underuse_quiet_forms(line: str) -> None:
    assert statements.underused(line) is None, line
    assert _numbers(line) != UNDERUSED, line


def _numbers(line: str) -> str:
    return decide([r for r, _ in utilread.said(line)]).kind


def test_a_quotation_mark_right_before_the_words_quotes_them() -> None:
    from whygpu.explain import grammar

    text = 'The docs say "GPU is idle" here, and my GPU is idle too.'
    assert grammar.quoted_from(text, text.index("GPU"))
    assert not grammar.quoted_from(text, text.rindex("GPU"))
    assert not grammar.quoted_from("GPU is idle", 0)
    # A message quoted from its first word stays the writer's report of what they got (grammar.quoted).
    text = 'I\'m getting "CUDA not available" errors.'
    assert not grammar.quoted(text, text.index("CUDA"))


def test_underuse_words_lead_the_report() -> None:
    log = "I train a tagger; the GPU (RTX 2080) is only being used about 30% whilst one CPU core is maxed out.\n- ubuntu 20.04\n- cuda 11.8"
    assert codes(log)[:1] == ["GPU_UNDERUSED"]
