"""The team library's database: SQLAlchemy 2, an embedded SQLite file by default, any URL for a team.

Tables: ``schema_version`` (one row; :data:`UPGRADES` takes an older database to :data:`SCHEMA_VERSION`),
``blobs`` (images and fonts by SHA-256, stored once), ``templates`` and ``kits`` (version 1), ``team_fonts``
(version 2: fonts uploaded in the app). Every save is one
transaction: a failure leaves nothing half-saved. SQLite takes its write lock when a transaction begins
(``BEGIN IMMEDIATE``), so two sessions saving at once wait for each other instead of failing; PostgreSQL
serialises the first schema creation with an advisory lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from imagegen.errors import LibraryError
from imagegen.store.session import library_root

log = logging.getLogger(__name__)

ENV_URL = "IMAGEGEN_DATABASE_URL"
SQLITE_FILE = "library.sqlite3"
SCHEMA_VERSION = 2
_ADVISORY_LOCK = 0x1A6E6E  # any fixed number: "imagegen library schema"

metadata = MetaData()
schema_version = Table("schema_version", metadata, Column("version", Integer, primary_key=True))
blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),  # image | font
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)
templates = Table(
    "templates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("name_key", String(120), nullable=False, unique=True),  # case-insensitive identity
    Column("prompt", Text, nullable=False),
    Column("scene", Text, nullable=False),  # Scene JSON
    Column("slots", Text, nullable=False),  # JSON: the slots and their saved values
    Column("thumbnail", String(64), ForeignKey("blobs.sha256"), nullable=True),
    Column("saved", Float, nullable=False),
)
kits = Table(
    "kits",
    metadata,
    Column("name", String(120), primary_key=True),
    Column("toml", Text, nullable=False),
    Column("files", Text, nullable=False),  # JSON: path relative to the kit folder -> blob sha256
    Column("saved", Float, nullable=False),
)
team_fonts = Table(
    "team_fonts",
    metadata,
    Column("name", String(120), primary_key=True),  # as it is said in a prompt ("Acme Serif")
    Column("name_key", String(120), nullable=False, unique=True),  # case-insensitive identity
    Column("sha256", String(64), ForeignKey("blobs.sha256"), nullable=False),
    Column("family", String(200), nullable=False),  # the family name inside the file
    Column("saved", Float, nullable=False),
)


def _create_v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[blobs, templates, kits], checkfirst=True)


def _create_v2(conn: Connection) -> None:
    team_fonts.create(conn, checkfirst=True)


#: ``UPGRADES[n]`` takes a database at version n to n + 1 (version 0: an empty database).
UPGRADES: tuple[Callable[[Connection], None], ...] = (_create_v1, _create_v2)
assert len(UPGRADES) == SCHEMA_VERSION


def default_url() -> str:
    """The embedded SQLite file in the data folder, unless ``IMAGEGEN_DATABASE_URL`` names another database."""
    configured = os.environ.get(ENV_URL, "").strip()
    if configured:
        return configured
    return f"sqlite:///{library_root() / SQLITE_FILE}"


def describe(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1][:80]


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def engine_for(url: str | None = None) -> Engine:
    """One engine per URL for the process (a pool of connections), its schema checked and upgraded.

    :raise LibraryError: the URL is not a database this can open, or its schema is newer than this code.
    """
    url = url or default_url()
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _open(url)
            try:
                upgrade(engine)
            except LibraryError:
                engine.dispose()
                raise
            _engines[url] = engine
        return engine


def forget_engines() -> None:
    """Close every pooled connection (tests; a process about to fork)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def _open(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise LibraryError(
            f"'{url[:80]}' is not a database URL — use e.g. sqlite:///library.sqlite3 or "
            "postgresql+psycopg://user:password@host/dbname."
        ) from exc
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")  # psycopg 3 is what requirements.txt installs
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite(parsed)
        # A server that does not answer is said within seconds, not after the system's TCP timeout.
        timeout = {"connect_timeout": 10} if parsed.get_backend_name() == "postgresql" else {}
        return create_engine(parsed, pool_pre_ping=True, connect_args=timeout)
    except (NoSuchModuleError, ImportError) as exc:
        raise LibraryError(
            f"The database {describe(url)} needs a driver that is not installed ({exc}) — "
            "use sqlite:///… or postgresql+psycopg://…"
        ) from exc


def _sqlite(parsed: object) -> Engine:
    database = getattr(parsed, "database", None)
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.isolation_level = None  # type: ignore[attr-defined]  # we say BEGIN ourselves
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # The write lock at the start: two savers queue up instead of one failing half-way.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def upgrade(engine: Engine) -> int:
    """Bring the schema to :data:`SCHEMA_VERSION`, one step at a time, in one transaction.

    :return: the version the database had.
    :raise LibraryError: the database is newer than this code, or cannot be reached.
    """
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
            schema_version.create(conn, checkfirst=True)
            found = conn.execute(select(schema_version.c.version)).scalar()
            version = int(found or 0)
            if version > SCHEMA_VERSION:
                raise LibraryError(
                    f"The library database {describe(str(engine.url))} has schema version {version}, newer than "
                    f"this imagegen's {SCHEMA_VERSION} — update imagegen (pip install -r requirements.txt)."
                )
            for step in range(version, SCHEMA_VERSION):
                UPGRADES[step](conn)
                log.info("library schema upgraded to version %d", step + 1)
            if found is None:
                conn.execute(insert(schema_version).values(version=SCHEMA_VERSION))
            elif version != SCHEMA_VERSION:
                conn.execute(schema_version.update().values(version=SCHEMA_VERSION))
            return version
    except DBAPIError as exc:
        raise LibraryError(
            f"The library database {describe(str(engine.url))} cannot be opened: {_reason(exc)}"
        ) from exc


def _reason(exc: DBAPIError) -> str:
    """The driver's words on one line, shortened (never the URL's password: drivers do not repeat it)."""
    return " ".join(str(exc.orig).split())[:200]


def blob_sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put_blob(conn: Connection, data: bytes, kind: str) -> str:
    """Store ``data`` once by its SHA-256 (a blob saved at the same moment by another session is the same
    row, not a conflict); return the hash."""
    sha = blob_sha(data)
    values = {"sha256": sha, "kind": kind, "size": len(data), "data": data}
    if conn.dialect.name in ("sqlite", "postgresql"):
        dialect_insert = _dialect_insert(conn.dialect.name)
        conn.execute(dialect_insert(blobs).values(**values).on_conflict_do_nothing(index_elements=["sha256"]))
        return sha
    with contextlib.suppress(Exception), conn.begin_nested():
        conn.execute(insert(blobs).values(**values))
    return sha


def _dialect_insert(name: str) -> Callable[..., object]:
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    return pg_insert


def get_blob(conn: Connection, sha: str) -> bytes | None:
    return conn.execute(select(blobs.c.data).where(blobs.c.sha256 == sha)).scalar()


@contextlib.contextmanager
def transaction(url: str | None = None) -> Iterator[Connection]:
    """One transaction on the library: committed on a clean exit, rolled back on any error.

    :raise LibraryError: the database cannot be reached or refused the statement.
    """
    engine = engine_for(url)
    try:
        with engine.begin() as conn:
            yield conn
    except DBAPIError as exc:
        raise LibraryError(
            f"The library database {describe(str(engine.url))} refused the change: {_reason(exc)}"
        ) from exc
