"""The JAX knowledge look-ups answer known values from the data files and None for unknown ones."""

from __future__ import annotations

from whygpu.knowledge import jax


def test_jax_cuda_requirements() -> None:
    reqs = jax.jax_cuda_requirements("0.8.1")
    assert reqs is not None
    assert {"jax-cuda12-plugin", "jax-cuda12-pjrt", "jax-cuda13-plugin"} <= set(
        reqs.plugin_packages
    )
    assert (reqs.min_cuda, reqs.min_cudnn, reqs.min_driver) == ("12.1", "9.8", "525")
    cuda13 = next(v for v in reqs.variants if v.cuda_major == 13)
    assert (cuda13.min_driver, cuda13.min_compute_capability) == ("580", "7.5")
    assert reqs.variant(13) == cuda13
    assert reqs.variant(11) is None
    assert reqs.extra == "cuda12"  # the variant that runs on the most drivers and GPUs
    older = jax.jax_cuda_requirements("0.5.0")
    assert older is not None and older.plugin_packages == ("jax-cuda12-plugin", "jax-cuda12-pjrt")
    monolithic = jax.jax_cuda_requirements("0.4.20")
    assert monolithic is not None and monolithic.cuda_jaxlib_local_tag and monolithic.extra is None
    assert jax.jax_plugin_cuda_major("jax_cuda13_plugin") == 13
    assert jax.jax_plugin_cuda_major("jaxlib") is None
