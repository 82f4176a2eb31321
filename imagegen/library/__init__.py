"""The team library: brand kits and saved templates, kept in a database (SQLite by default, any SQLAlchemy URL).

:mod:`.db` the engine, schema and its upgrades, blobs by content hash; :mod:`.kit` a kit folder's
brand.toml; :mod:`.templates` a Scene's slots; :mod:`.store` saving, listing, renaming, deleting.
"""

from imagegen.library.db import ENV_URL, default_url, describe
from imagegen.library.kit import BrandKit, load_kit, repository_kit_dir
from imagegen.library.store import (
    Template,
    TemplateInfo,
    delete_template,
    list_templates,
    load_template,
    rename_template,
    save_template,
)
from imagegen.library.templates import Slot, SlotKind

__all__ = [
    "ENV_URL",
    "BrandKit",
    "Slot",
    "SlotKind",
    "Template",
    "TemplateInfo",
    "default_url",
    "delete_template",
    "describe",
    "list_templates",
    "load_kit",
    "load_template",
    "rename_template",
    "repository_kit_dir",
    "save_template",
]
