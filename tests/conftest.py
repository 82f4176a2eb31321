"""Shared fixtures."""

from apptest_helpers import data_dir  # noqa: F401  (fixture)
