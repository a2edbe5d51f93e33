"""Fixtures for the device tests: the corpus of camera-like frames, made at test time."""

from __future__ import annotations

import pytest

from devices.corpus import Sample, generate

CORPUS_SIZE = 120  # the default run; bench/bench_decode.py uses 600


@pytest.fixture(scope="session")
def corpus() -> list[Sample]:
    """The first frames of the seeded corpus (deterministic)."""
    return list(generate(CORPUS_SIZE))
