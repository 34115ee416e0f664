"""Benchmarks: figures printed beside the reference's (nomenklatura), never asserted in tests."""
