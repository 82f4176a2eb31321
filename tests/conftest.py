"""Shared fixtures."""

from api_helpers import api  # noqa: F401  (fixture)
from apptest_helpers import data_dir  # noqa: F401  (fixture)
from library_helpers import db_url  # noqa: F401  (fixture)
from session_helpers import clock, store  # noqa: F401  (fixtures)
