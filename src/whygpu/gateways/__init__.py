"""Gateways: the only modules that touch a system dependency (subprocess, NVML, ELF files, HTTP); each turns failure into a value."""
