"""NVIDIA's video codec libraries (session 35, accmedia): knowledge/video_codec.toml, explain/videocodec.py, LOG640-LOG644.

Each reading has a case where it speaks and one where it stays quiet. Real lines carry their public source."""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause, report
from whygpu.knowledge.video_codec import CodecSign, api_floor, verdict

# https://github.com/styler00dollar/VSGAN-tensorrt-docker/issues/42
VSGAN = ("Attempting to use a custom ffmpeg command to render using hevc_nvenc caused the following error:\n"
         "[hevc_nvenc @ 0x55ca461fa380] Cannot load libnvidia-encode.so.1\n"
         "[hevc_nvenc @ 0x55ca461fa380] The minimum required Nvidia driver for nvenc is (unknown) or newer\n")
# https://github.com/linuxserver/docker-plex/issues/340
PLEX = ("The documentation states that for enabling hw acceleration only the nvidia docker runtime and the "
        "`NVIDIA_VISIBLE_DEVICES=all` environment variable is necessary.\n"
        "Oct 21, 2022 16:01:12.613 [0x7f1c07a08b38] ERROR - [Req#225/Transcode] [FFMPEG] - Cannot load libnvidia-encode.so.1\n"
        "Oct 21, 2022 16:01:12.613 [0x7f1c07a08b38] ERROR - [Req#225/Transcode] [FFMPEG] - The minimum required Nvidia driver for nvenc is 418.30 or newer\n"
        "Only once I set the environment variable `NVIDIA_DRIVER_CAPABILITIES=all` as well, hw accell works.\n")
# https://github.com/HandBrake/HandBrake/issues/5641
HANDBRAKE = ("[h264_nvenc @ 000001aedcf7e740] Driver does not support the required nvenc API version. Required: 12.1 Found: 12.0\n"
             "[h264_nvenc @ 000001aedcf7e740] The minimum required Nvidia driver for nvenc is (unknown) or newer\n"
             "[13:17:25] encavcodecInit: avcodec_open failed\n")
# https://github.com/NVIDIA/nvvl/issues/77
NVVL = ("ImportError: /root/anaconda3/lib/python3.6/site-packages/nvvl-1.0-py3.6-linux-x86_64.egg/nvvl/lib/libnvvl.so: "
        "undefined symbol: cuvidGetDecoderCaps\n")
# https://github.com/meta-pytorch/torchcodec/issues/442
TORCHCODEC = ('    video = VideoDecoder(video_file, device="cuda")\n'
              '  File "/home/ubuntu/si/.venv/lib/python3.10/site-packages/torchcodec/decoders/_video_decoder.py", line 96, in __init__\n'
              "    core.add_video_stream(\n"
              "RuntimeError: Unsupported device: cuda\n")
# https://github.com/valkjsaaa/auto-bilibili-recorder/issues/9
SESSIONS = ("Conversion may fail sometimes due to too many concurrent sessions\n"
            "[h264_nvenc @ 0x5601aa5b40c0] OpenEncodeSessionEx failed: out of memory (10)\n"
            "[h264_nvenc @ 0x5601aa5b40c0] No NVENC capable devices found\n")


def test_api_floor_reads_the_table() -> None:
    assert api_floor("12.2") == ("551.76", "550.54.14")
    assert api_floor("13.0") == ("570.0", "570.0")
    assert api_floor("99.9") is None


def test_encode_library_missing_in_a_container_is_the_video_capability() -> None:
    assert first_cause(PLEX) == "CONTAINER_NO_GPU"
    assert "LOG640" in finding_codes(PLEX)
    found = [c for c in codes(PLEX)]
    assert found[0] == "CONTAINER_NO_GPU"


def test_encode_library_missing_without_a_container_ranks_at_medium() -> None:
    rep = report(VSGAN)
    assert rep.causes[0].code == "CONTAINER_NO_GPU"
    assert "LOG640" in finding_codes(VSGAN)


def test_encode_library_missing_stays_quiet_where_the_container_has_video() -> None:
    given = VSGAN + "docker run --gpus all -e NVIDIA_DRIVER_CAPABILITIES=compute,video,utility myimage\n"
    assert "LOG640" not in finding_codes(given)
    assert facts(given).video_capability


def test_encode_library_missing_stays_quiet_without_any_driver() -> None:
    nodriver = "[AVHWDeviceContext @ 0x562894e1d340] Cannot load libcuda.so.1\n[h264_nvenc @ 0x1] Cannot load libnvidia-encode.so.1\n"
    assert "LOG640" not in finding_codes(nodriver)


def test_dali_hint_naming_docker_is_not_a_container_shown() -> None:
    # https://github.com/NVIDIA/DALI/issues/1588 (the program's own hint names Docker)
    dali = ('Assert on "cuvidInitChecked(0)" failed: Failed to load libnvcuvid.so, \n'
            "needed by the VideoReader operator. \n"
            "If you are running in a Docker container, please refer to https://github.com/NVIDIA/nvidia-docker/wiki/Usage\n")
    rep = report(dali)
    assert rep.causes[0].code == "CONTAINER_NO_GPU"
    decided = verdict([CodecSign("missing", "dali-failed-to-load")], in_container=False, video_given=False, several_sessions=False)
    assert decided.confidence == "medium"


def test_api_shortfall_is_the_driver_too_old() -> None:
    assert first_cause(HANDBRAKE) == "DRIVER_TOO_OLD"
    assert "LOG641" in finding_codes(HANDBRAKE)
    title = report(HANDBRAKE).causes[0]
    assert "None" not in str(title)


def test_api_equal_is_not_a_shortfall() -> None:
    same = "[h264_nvenc @ 0x1] Driver does not support the required nvenc API version. Required: 12.0 Found: 12.0\n"
    assert "LOG641" not in finding_codes(same)


def test_missing_sdk_entry_point_is_the_driver_too_old() -> None:
    assert first_cause(NVVL) == "DRIVER_TOO_OLD"
    assert "LOG642" in finding_codes(NVVL)
    other = "ImportError: libfoo.so: undefined symbol: cudnnCreate\n"
    assert "LOG642" not in finding_codes(other)


def test_torchcodec_cpu_build() -> None:
    assert first_cause(TORCHCODEC) == "FRAMEWORK_CPU_BUILD"
    assert "LOG643" in finding_codes(TORCHCODEC)
    # The same words from another program (not torchcodec) are not read.
    assert "LOG643" not in finding_codes("RuntimeError: Unsupported device: cuda\n")


def test_decord_cpu_build() -> None:
    # https://github.com/dmlc/decord/issues/71
    assert "LOG643" in finding_codes("CUDA not enabled. Requested context GPU(0).\n")


def test_session_limit_only_where_sessions_are_shown() -> None:
    assert first_cause(SESSIONS) == "GPU_BUSY"
    assert "LOG644" in finding_codes(SESSIONS)
    # https://github.com/joinhive-ai/transcoder/issues/11: the code alone (no sessions shown) decides nothing.
    alone = "[h264_nvenc @ 0000023a79212040] OpenEncodeSessionEx failed: out of memory (10): (no details)\n"
    assert "LOG644" not in finding_codes(alone)


def test_no_nvenc_device_alone_is_not_read() -> None:
    # A machine with no NVIDIA GPU (or an ffmpeg build without nvenc) prints this alone: not this class.
    alone = "[h264_nvenc @ 0x1] No NVENC capable devices found\nUnknown encoder 'h264_nvenc'\n"
    assert not facts(alone).video_codec
    assert not {"LOG640", "LOG641", "LOG642", "LOG643", "LOG644"} & finding_codes(alone)


def test_windows_dll_missing_is_not_a_container() -> None:
    # A Windows host's missing NVENC DLL is the driver's install, not a container's capability.
    assert "LOG640" not in finding_codes("[h264_nvenc @ 0000] Cannot load nvEncodeAPI64.dll\n")
