"""Hostile inputs, limits, races and fuzzing (``pytest -m adversarial``)."""
