"""The HTTP API: the app's sessions and its one render service, for other tools (a CMS, a script, a job).

* :mod:`.app`     :func:`create_app`: each route opens a session and calls the store or the service
* :mod:`.schemas` the JSON bodies, and their translation to a RenderRequest and back from what it made
* :mod:`.errors`  engine errors -> HTTP status codes and one JSON shape (the messages are the app's)
* :mod:`.serve`   ``python -m imagegen serve``: uvicorn, the optional bearer token, the TTL sweeper

The API decides nothing about a file: it only translates HTTP to the calls the Streamlit app makes.
"""

from imagegen.api.app import ApiSettings, create_app

__all__ = ["ApiSettings", "create_app"]
