"""Two messages of session 34's opened batch read by what they mean, not by their exact spacing or length (lead, session 34)."""

from __future__ import annotations

from tests.log_text import first_cause


def test_pytorchs_driver_message_retyped_without_its_space_is_the_old_driver() -> None:
    # https://github.com/pytorch/pytorch/issues/1564: the writer retyped the assertion's text
    log = ("I have tried it, torch.cuda.is_available() still returns False.\n"
           "It raise assertion error which shows \"The NVIDIA driver on your system is too old(found version 8000)\".\n")
    assert first_cause(log) == "DRIVER_TOO_OLD"


def test_the_driver_message_needs_its_found_version() -> None:
    # The words alone, with no found version, are not this message.
    assert first_cause("Is the NVIDIA driver on your system too old? I am not sure.\n") != "DRIVER_TOO_OLD"


def test_tensorflows_cudnn_line_cut_after_the_loaded_version_is_the_mismatch() -> None:
    # https://github.com/tensorflow/tensorflow/issues/17566: the paste cuts the line after the loaded version
    log = ("2018-03-08 17:46:50.845206: E tensorflow/stream_executor/cuda/cuda_dnn.cc:378] Loaded runtime CuDNN library: 7101\n"
           "[...]\n")
    assert first_cause(log) == "CUDNN_MISMATCH"


def test_a_loaded_cudnn_in_the_middle_of_a_sentence_is_not_the_cut_line() -> None:
    # TensorFlow 2's healthy start-up line and a version said mid-sentence stay quiet.
    assert first_cause("I tensorflow/stream_executor/cuda/cuda_dnn.cc:384] Loaded cuDNN version 8101\n") is None
    assert first_cause("Loaded runtime CuDNN library: 7101 and it trains fine on the GPU\n") is None


def test_a_cpu_build_named_as_the_circumstance_of_a_run_is_the_writers_comparison() -> None:
    # https://github.com/jax-ml/jax/issues/304 (a negative: the GPU ran; the CPU-only build was the writer's comparison run)
    log = ("When I try to run my jax-based training script on the GPU, it prints the following messages several hundred times "
           "but proceeds without an exception.\n"
           "    ** On entry to GEMM_EX  parameter number 12 had an illegal value\n"
           "The same script doesn't print any errors when run with a CPU-only build.\n")
    assert first_cause(log) is None


def test_a_cpu_build_the_writer_got_is_still_read() -> None:
    assert first_cause("torch.cuda.is_available() returns False. I installed pytorch with pip and got a CPU-only build.\n") == "FRAMEWORK_CPU_BUILD"
    assert first_cause("torch.cuda.is_available() returns False. When I ran pip install torch it installed a CPU-only build.\n") == "FRAMEWORK_CPU_BUILD"


def test_a_geforce_ti_board_written_by_its_number_alone_is_named() -> None:
    # https://github.com/4DVLab/DexH2R/issues/5 ("my 5070ti machine"): the Ti suffix is GeForce's alone.
    from whygpu.knowledge.gpus import gpu_in_text

    model = gpu_in_text("I try to deploy it in my 5070ti machine")
    assert model is not None and model.name == "GeForce RTX 5070 Ti" and model.compute_capability == "12.0"
    found = gpu_in_text("on a 1080 Ti")
    assert found is not None and found.name == "GeForce GTX 1080 Ti"
    # A number without Ti, or a Ti number no board has, names nothing.
    assert gpu_in_text("port 5070 is open") is None
    assert gpu_in_text("build 1234ti") is None


def test_a_count_glued_to_a_gpu_model_is_not_part_of_its_name() -> None:
    # "2xRTX 5000 16GB" was read as the Fermi Quadro 5000 (compute capability 2.0): "2xrtx" was one word.
    from whygpu.knowledge.gpus import gpu_in_text

    two = gpu_in_text("2xRTX 5000 16GB")
    assert two is not None and two.name == "Quadro RTX 5000" and two.compute_capability == "7.5"
    eight = gpu_in_text("8xH100 80GB")
    assert eight is not None and eight.compute_capability == "9.0"
    # A PCI vendor id in hex is no count.
    assert gpu_in_text("vendor 0x10de") is None
