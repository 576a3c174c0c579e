"""The JAX knowledge look-ups answer known values from the data files and None for unknown ones."""

from __future__ import annotations

from whygpu.knowledge import jax


def test_jax_cuda_requirements() -> None:
    reqs = jax.jax_cuda_requirements("0.8.1")
    assert reqs is not None
    assert {v.extra for v in reqs.variants} == {"cuda12", "cuda13"}
    assert (reqs.min_cuda, reqs.min_cudnn, reqs.min_driver) == ("12.1", "9.8", "525")
    cuda13 = next(v for v in reqs.variants if v.cuda_major == 13)
    assert (cuda13.min_driver, cuda13.min_compute_capability) == ("580", "7.5")
    assert reqs.variant(13) == cuda13
    assert reqs.variant(11) is None
    assert reqs.extra == "cuda12"  # the variant that runs on the most drivers and GPUs
    older = jax.jax_cuda_requirements("0.5.0")
    assert older is not None and [v.extra for v in older.variants] == ["cuda12"]
    monolithic = jax.jax_cuda_requirements("0.4.20")
    assert monolithic is not None and monolithic.cuda_jaxlib_local_tag and monolithic.extra is None



def test_jax_plugin_reads_every_plugin_name_shape_and_nothing_else() -> None:
    """One table (jax.toml ``plugin``), one reading: any CUDA major, either role, any PEP 503 spelling."""
    assert jax.jax_plugin("jax_cuda13_plugin") == jax.JaxPlugin(13, "kernels")
    assert jax.jax_plugin("jax-cuda12-pjrt") == jax.JaxPlugin(12, "pjrt")
    assert jax.jax_plugin("JAX.CUDA11.PJRT") == jax.JaxPlugin(11, "pjrt")  # 0.4.x's CUDA 11 plugins, no variant row needed
    assert jax.jax_plugin("jaxlib") is None and jax.jax_plugin("jax-cuda12-plugin-extra") is None
    assert jax.jax_plugin("jax-cuda-plugin") is None
