"""``python -m imagegen``: see :mod:`imagegen.cli`."""

from imagegen.cli import main

raise SystemExit(main())
