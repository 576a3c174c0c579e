"""accwords (session 33): options that keep the work on the CPU, read where the run shows them, and a GPU used but idle read
from a program's input-bound message and the writer's words (knowledge/device_settings.toml, knowledge/utilisation.toml)."""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause, report

# --- options that keep the work on the CPU (LOG400) ------------------------------------------------------------------------


def test_colmap_use_gpu_off_with_its_cpu_extractor_line() -> None:
    # COLMAP's own line "Creating SIFT CPU feature extractor" (src/colmap/feature/sift.cc) is the CPU work the option chose.
    text = ("colmap feature_extractor --database_path db.db --image_path images --SiftExtraction.use_gpu 0\n"
            "I20250619 20:05:59.565144 12332 sift.cc:727] Creating SIFT CPU feature extractor\n")
    assert first_cause(text) == "CODE_FORCES_CPU"
    assert "LOG400" in finding_codes(text)
    assert "use_gpu 1" in report(text).causes[0].fix


def test_colmap_use_gpu_off_with_the_writers_words() -> None:
    text = "colmap exhaustive_matcher --database_path db.db --SiftMatching.use_gpu 0\nmatching is very slow, the GPU is not used\n"
    assert first_cause(text) == "CODE_FORCES_CPU"


def test_colmap_use_gpu_on_is_no_pin() -> None:
    text = "colmap exhaustive_matcher --database_path db.db --SiftMatching.use_gpu 1\nmatching is very slow, the GPU is not used\n"
    assert "LOG400" not in finding_codes(text)


def test_colmap_option_given_as_advice_is_no_pin() -> None:
    text = "You need to add the --SiftExtraction.use_gpu 0 flag in order to make it run on the CPU only.\nthe GPU is not used\n"
    assert "LOG400" not in finding_codes(text)


def test_colmap_option_without_any_sign_of_cpu_work_stays_quiet() -> None:
    assert codes("colmap feature_extractor --database_path db.db --image_path images --SiftExtraction.use_gpu 0\n") == []


def test_config_device_cpu() -> None:
    text = "Global:\n  device: cpu\n  epochs: 100\ntraining is very slow, the GPU is not used at all\n"
    assert first_cause(text) == "CODE_FORCES_CPU"
    assert "LOG400" in finding_codes(text)


def test_config_device_gpu_is_no_pin() -> None:
    text = "Global:\n  device: gpu\n  epochs: 100\ntraining is very slow, the GPU is not used at all\n"
    assert "LOG400" not in finding_codes(text)


def test_printed_config_use_gpu_false() -> None:
    # PaddleOCR prints its configuration at start (tools/program.py), 'use_gpu' among its Global keys.
    text = ("2020-05-17 10:05:23,320-INFO: {'Global': {'algorithm': 'DB', 'use_gpu': False, 'epoch_num': 1200}}\n"
            "training is slow and my GPU is not used\n")
    assert first_cause(text) == "CODE_FORCES_CPU"


def test_use_gpu_true_is_no_pin() -> None:
    text = "2020-05-17 10:05:23,320-INFO: {'Global': {'algorithm': 'DB', 'use_gpu': True}}\ntraining is slow and my GPU is not used\n"
    assert "LOG400" not in finding_codes(text)


def test_cpu_work_line_is_a_fact() -> None:
    assert [s.value for s in facts("I0101 sift.cc:1432] Creating SIFT CPU feature matcher\n").cpu_work] == ["COLMAP"]
    assert facts("I0101 sift.cc:1432] Creating SIFT GPU feature matcher\n").cpu_work == []


# --- a GPU used but idle (LOG109) --------------------------------------------------------------------------------------------


def test_tensorflow_profiler_input_bound_decides() -> None:
    # TensorFlow's profiler overview page (https://www.tensorflow.org/guide/data_performance_analysis).
    text = ("Your program is HIGHLY input-bound because 85.3% of the total step time sampled is waiting for input. "
            "Therefore, you should first focus on reducing the input time.\n")
    assert first_cause(text) == "GPU_UNDERUSED"
    fix = report(text).causes[0].fix
    assert "num_workers" in fix and "AUTOTUNE" in fix and "What decides" in fix


def test_input_bound_message_beside_the_gpu_not_found_is_not_underuse() -> None:
    text = ("Your program is HIGHLY input-bound because 85.3% of the total step time sampled is waiting for input.\n"
            ">>> tf.config.list_physical_devices('GPU')\n[]\n")
    assert "GPU_UNDERUSED" not in codes(text)


def test_lightning_few_workers_warning_with_a_low_share() -> None:
    # pytorch_lightning's data connector warning (a real line: https://github.com/NVIDIA-NeMo/Speech/issues/1204 shows it).
    text = ("UserWarning: The dataloader, train dataloader 0, does not have many workers which may be a bottleneck. "
            "Consider increasing the value of the `num_workers` argument\nnvidia-smi shows GPU-Util around 5%\n")
    assert first_cause(text) == "GPU_UNDERUSED"


def test_lightning_few_workers_warning_alone_stays_quiet() -> None:
    text = ("UserWarning: The dataloader, train dataloader 0, does not have many workers which may be a bottleneck. "
            "Consider increasing the value of the `num_workers` argument\nthe accuracy is low after 10 epochs\n")
    assert "GPU_UNDERUSED" not in codes(text)


def test_chinese_low_utilisation_words_while_training() -> None:
    # https://github.com/PaddlePaddle/PaddleClas/issues/2260 (its title and first line)
    text = "使用GPU训练的时候 利用率太低\nnum_workers 设置16 但是还是单线程在载入数据  CPU使用率一致在25%\n"
    assert first_cause(text) == "GPU_UNDERUSED"


def test_chinese_low_utilisation_in_a_condition_stays_quiet() -> None:
    assert "GPU_UNDERUSED" not in codes("如果GPU利用率很低，可以调大num_workers\n")


def test_a_share_said_to_fluctuate() -> None:
    # https://github.com/qqwweee/keras-yolo3/issues/524
    assert first_cause("利用单gpu训练，速度还是很慢\ngpu的利用率只有14%，而且还是周期波动的，一会0，一会变成14%\n") == "GPU_UNDERUSED"
    assert first_cause("the GPU usage is 15%, and it fluctuates a lot during training\n") == "GPU_UNDERUSED"


def test_data_not_transferred_fast_is_the_input_side_not_the_gpu_unused() -> None:
    # https://github.com/WongKinYiu/yolov7/issues/2064
    text = ("During training, GPU utilization sometimes drops to 0% and at other times increases to 50%-70%.\n"
            "_Summary, dataloader cannot transfer data synchronously to GPU. So GPU consumption is decreasing._\n")
    assert first_cause(text) == "GPU_UNDERUSED"
    assert facts(text).stated_unused == []


def test_input_bottleneck_appears() -> None:
    assert first_cause("Epoch 2 overview (input bottleneck appears):\n") == "GPU_UNDERUSED"
    assert "GPU_UNDERUSED" not in codes("To avoid an input bottleneck, use prefetch.\n")


def test_gpu_not_used_at_all_is_not_underuse() -> None:
    text = ("+-----------------------------------------------------------------------------+\n"
            "| 0%   36C    P8    10W / 250W |      0MiB / 11178MiB |      0%      Default |\n"
            "|  No running processes found                                                 |\n"
            "Your program is HIGHLY input-bound because 85.3% of the total step time sampled is waiting for input.\n")
    assert "GPU_UNDERUSED" not in codes(text)


def test_xgboost_hist_without_a_cuda_device() -> None:
    text = ("params = {'objective': 'binary:logistic', 'tree_method': 'hist', 'max_depth': 8}\n"
            "bst = xgb.train(params, dtrain)\ntraining takes 10 minutes and the GPU is not used\n")
    assert first_cause(text) == "CODE_FORCES_CPU"
    assert "device='cuda'" in report(text).causes[0].fix


def test_xgboost_hist_with_a_cuda_device_is_no_pin() -> None:
    text = ("params = {'objective': 'binary:logistic', 'tree_method': 'hist', 'device': 'cuda'}\n"
            "bst = xgb.train(params, dtrain)\ntraining takes 10 minutes and the GPU is not used\n")
    assert "LOG400" not in finding_codes(text)


def test_use_said_to_come_in_spikes() -> None:
    # https://github.com/r9y9/wavenet_vocoder/issues/199
    text = ("If I watch GPU usage with nvidia-smi I see only intermittent GPU-Util spikes with CPU utilization at about 25% "
            "(ton 8 cores @ 4.8 ghz).\n")
    assert first_cause(text) == "GPU_UNDERUSED"
    assert "GPU_UNDERUSED" not in codes("If the GPU shows only intermittent spikes, increase num_workers.\n")


def test_colmap_sift_option_its_gpu_extractor_lacks() -> None:
    # https://github.com/colmap/colmap/issues/2785 (the writer's lines)
    text = ("When I apply feature extractor, the process run on GPU. However, when I use\n"
            "--SiftExtraction.estimate_affine_shape true \n--SiftExtraction.domain_size_pooling true\n"
            "Or, even one of them, feature extractor run on CPU. Then after that, matcher also run on CPU.\n")
    assert first_cause(text) == "CODE_FORCES_CPU"
    assert "domain_size_pooling 0" in report(text).causes[0].fix


def test_colmap_sift_option_off_is_no_pin() -> None:
    text = "colmap feature_extractor --SiftExtraction.domain_size_pooling 0 --SiftExtraction.use_gpu 1\nthe GPU is not used\n"
    assert "LOG400" not in finding_codes(text)
