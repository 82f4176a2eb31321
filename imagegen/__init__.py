"""imagegen: compose uploaded images into stills and animations from one plain-English prompt.

The engine is importable without Streamlit; only :mod:`imagegen.ui` imports it. Its map (every module,
what it is for) is the README's "Layout" section; tests/test_architecture.py keeps the two in step.
"""

from imagegen.errors import ImagegenError

__all__ = ["ImagegenError"]
