"""imagegen: compose uploaded images into stills and animations from one plain-English prompt.

The engine is importable without Streamlit; only :mod:`imagegen.ui` imports it.
"""

from imagegen.errors import ImagegenError

__all__ = ["ImagegenError"]
