"""Backups of the site's database and files, checked by a manifest, and their
restore into an empty database (docs/operations/backups.md).

A backup is one directory:

    manifest.json     when and from which code it was made, the migrations applied,
                      the rows of every table (counted in the snapshot that was
                      dumped) and each file's size and SHA-256
    database.pgdump   PostgreSQL: `pg_dump --format=custom`
    database.sqlite3  SQLite: a copy made with SQLite's backup API
    media.tar.gz      MEDIA_ROOT without private/: images, documents, renditions
    private.tar.gz    MEDIA_ROOT/private/: the Board's invoices, which name payees

Nothing from the environment is in it: no SECRET_KEY, OUTBOX_KEY or Stripe key.
Those are kept apart, and a restore needs the same SECRET_KEY and OUTBOX_KEY, since
digests and sealed mail in the database were made with them.

Reports of persecution are in the database as ciphertext only, and every private
key that opens them is stored sealed (site/intake/crypto.py): a backup holds no
readable report, and no key that opens one without a reader's passphrase.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.executor import MigrationExecutor

from donations.models.allocation import PRIVATE_MEDIA_PREFIX

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"
MEDIA_ARCHIVE = "media.tar.gz"
PRIVATE_ARCHIVE = "private.tar.gz"
PRIVATE_DIR = PRIVATE_MEDIA_PREFIX.strip("/")
DATABASE_FILES = {"postgresql": PG_DUMP, "sqlite": SQLITE_COPY}
# Tables kept empty in a backup. Sessions hold the sealed halves of unlocked report
# keys and signed-in staff; the database cache may hold pages of people unpublished
# since, and rate-limit counters. Both fill again by themselves.
UNSAVED_TABLES = ("django_session", "solidarity_cache")
# The rows an operator looks at first after a restore.
KEY_MODELS = {
    "donations": "donations.Donation",
    "ledger transactions": "donations.LedgerTransaction",
    "ledger legs": "donations.LedgerLeg",
    "allocations": "donations.Allocation",
    "disbursements": "donations.Disbursement",
    "signatures": "campaigns.Signature",
    "reports": "intake.Report",
    "pages": "wagtailcore.Page",
}


class BackupError(Exception):
    """A backup that cannot be made, or one that must not be restored."""


@dataclass(frozen=True)
class RestoreReport:
    """What a restore found: the rows of every table against the manifest's, and
    the migrations this code has that the restored database lacks (and the other
    way round)."""

    manifest: dict
    rows: dict[str, int]
    differences: dict[str, tuple[int | None, int | None]]
    unapplied_migrations: list[str]
    unknown_migrations: list[str]

    @property
    def key_rows(self) -> dict[str, tuple[int | None, int | None]]:
        """Per key model: (rows in the manifest, rows restored)."""
        return {
            name: (self.manifest["rows"].get(table), self.rows.get(table))
            for name, table in key_tables().items()
        }


def key_tables() -> dict[str, str]:
    return {
        name: apps.get_model(label)._meta.db_table for name, label in KEY_MODELS.items()
    }


# --- Backup ------------------------------------------------------------------------


def backup_create(*, to: Path, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Back up the database `using`, MEDIA_ROOT and the private files into the new
    (or empty) directory `to`; returns the manifest. The directory appears only
    once complete: a backup that failed halfway leaves nothing that looks whole."""
    target = Path(to)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} is not empty: a backup never overwrites another.")
    connection = connections[using]
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups of {connection.vendor} are not supported.")
    if connection.in_atomic_block:
        raise BackupError("Back up outside a transaction: pg_dump sees committed data.")
    partial = target.with_name(f".{target.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=0o700, parents=True)
    try:
        if connection.vendor == "postgresql":
            database = _dump_postgres(connection, partial / PG_DUMP)
        else:
            database = _copy_sqlite(connection, partial / SQLITE_COPY)
        media_root = Path(settings.MEDIA_ROOT)
        media = _archive(media_root, partial / MEDIA_ARCHIVE, leave_out=PRIVATE_DIR)
        private = _archive(media_root / PRIVATE_DIR, partial / PRIVATE_ARCHIVE)
        rows, migrations = database.pop("rows"), database.pop("migrations")
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "app": _app_version(),
            "database": database,
            "migrations": migrations,
            "rows": rows,
            "key_rows": {name: rows.get(t) for name, t in key_tables().items()},
            "media": media,
            "private": private,
            "files": {
                path.name: {"bytes": path.stat().st_size, "sha256": _sha256(path)}
                for path in sorted(partial.iterdir())
            },
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        for path in partial.iterdir():
            path.chmod(0o600)  # personal data: readable by the operator only
        if target.exists():
            target.rmdir()
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def _dump_postgres(connection, path: Path) -> dict:
    """pg_dump inside a snapshot this connection exported, so that the row counts
    and migrations in the manifest are those of the very data dumped."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        env, dbname = _pg_environment(connection.settings_dict)
        _run(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={path}",
                *(f"--exclude-table-data={table}" for table in UNSAVED_TABLES),
                dbname,
            ],
            env=env,
        )
        tables = connection.introspection.table_names(cursor)
        return {
            "vendor": "postgresql",
            "server_version": connection.pg_version,
            "pg_dump": _run(["pg_dump", "--version"], env=env).strip(),
            "rows": _count_rows(cursor, tables),
            "migrations": _latest_migrations(cursor),
        }


def _copy_sqlite(connection, path: Path) -> dict:
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
        tables = [
            name
            for (name,) in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%'"
            )
        ]
        for table in UNSAVED_TABLES:
            if table in tables:
                copy.execute(f"DELETE FROM {_quote(table)}")
        copy.commit()
        copy.execute("VACUUM")  # the deleted rows' pages go too
        cursor = copy.cursor()
        return {
            "vendor": "sqlite",
            "sqlite_version": sqlite3.sqlite_version,
            "rows": _count_rows(cursor, tables),
            "migrations": _latest_migrations(cursor),
        }
    finally:
        copy.close()


def _archive(root: Path, path: Path, *, leave_out: str | None = None) -> dict:
    """Regular files under `root` (none if it is missing) as a gzipped tar."""
    count = size = 0
    with tarfile.open(path, "w:gz") as tar:
        for item in sorted(root.rglob("*")) if root.is_dir() else []:
            relative = item.relative_to(root)
            if leave_out and relative.parts[0] == leave_out:
                continue
            if item.is_file() and not item.is_symlink():
                tar.add(item, arcname=relative.as_posix(), recursive=False)
                count += 1
                size += item.stat().st_size
    return {"files": count, "bytes": size}


def _app_version() -> dict:
    try:
        version = metadata.version("solidarity")
    except metadata.PackageNotFoundError:
        version = None
    commit = None
    if (Path(settings.BASE_DIR) / ".git").exists() and shutil.which("git"):
        result = subprocess.run(
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
        )
        commit = result.stdout.strip() or None
    return {"version": version, "commit": commit}


# --- Checking a backup ---------------------------------------------------------------


def backup_verify(*, source: Path) -> dict:
    """The manifest of the backup in `source`, once every file it lists is there
    with its checksum; BackupError naming each problem otherwise."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError as error:
        raise BackupError(f"{source} holds no {MANIFEST}: not a backup.") from error
    except ValueError as error:
        raise BackupError(f"{MANIFEST} is damaged: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} is not of a format this code reads ({FORMAT}).")
    files = manifest.get("files", {})
    vendor = manifest.get("database", {}).get("vendor")
    needed = {DATABASE_FILES.get(vendor, "database"), MEDIA_ARCHIVE, PRIVATE_ARCHIVE}
    problems = [f"{name} is not listed" for name in sorted(needed - set(files))]
    for name, about in sorted(files.items()):
        path = source / name
        if PurePosixPath(name).name != name or name.startswith("."):
            problems.append(f"{name!r} is not a file name")
        elif not path.is_file():
            problems.append(f"{name} is missing")
        elif path.stat().st_size != about.get("bytes"):
            problems.append(f"{name} is not of the size the manifest gives")
        elif _sha256(path) != about.get("sha256"):
            problems.append(f"{name} does not match its SHA-256")
    if problems:
        raise BackupError("The backup is damaged: " + "; ".join(problems) + ".")
    return manifest


# --- Restore -------------------------------------------------------------------------


def backup_restore(
    *, source: Path, using: str = DEFAULT_DB_ALIAS, force: bool = False
) -> RestoreReport:
    """Restore the backup in `source` into the database `using` and MEDIA_ROOT.

    Every checksum is verified, and the archives read through, before anything is
    written. The database must have no tables and MEDIA_ROOT no files, unless
    `force`: then the backup replaces the database, and its files overwrite those
    of the same name."""
    source = Path(source)
    manifest = backup_verify(source=source)
    connection = connections[using]
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"This is a backup of a {vendor} database, the target {connection.vendor}."
        )
    if connection.in_atomic_block:
        raise BackupError("Restore outside a transaction.")
    media_root = Path(settings.MEDIA_ROOT)
    existing = connection.introspection.table_names()
    if existing and not force:
        raise BackupError(
            f"The target database already has {len(existing)} tables: restore into "
            "an empty database, or pass --force to replace what is there."
        )
    if _holds_files(media_root) and not force:
        raise BackupError(
            f"{media_root} already holds files: restore into an empty MEDIA_ROOT, "
            "or pass --force to overwrite files of the same name."
        )
    archives = {MEDIA_ARCHIVE: media_root, PRIVATE_ARCHIVE: media_root / PRIVATE_DIR}
    for name in archives:
        _check_archive(source / name)

    if vendor == "postgresql":
        _restore_postgres(connection, source / PG_DUMP, clean=bool(existing))
    else:
        _restore_sqlite(connection, source / SQLITE_COPY)
    for name, root in archives.items():
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / name, "r:gz") as tar:
            tar.extractall(root, filter="data")
    return _compare(connection, manifest)


def _holds_files(root: Path) -> bool:
    return root.is_dir() and any(p.is_file() for p in root.rglob("*"))


def _check_archive(path: Path) -> None:
    """Only plain files at relative paths: nothing an archive could write outside
    MEDIA_ROOT, nor a link."""
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar:
                parts = PurePosixPath(member.name).parts
                if member.name.startswith("/") or ".." in parts or not member.isreg():
                    raise BackupError(f"{path.name} holds {member.name!r}: refused.")
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"{path.name} cannot be read: {error}") from error


def _restore_postgres(connection, dump: Path, *, clean: bool) -> None:
    connection.close()  # pg_restore must not wait for our locks
    env, dbname = _pg_environment(connection.settings_dict)
    _run(
        [
            "pg_restore",
            *(["--clean", "--if-exists"] if clean else []),
            # The target's own user owns everything: the backup may come from a
            # server whose roles this one does not have.
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={dbname}",
            str(dump),
        ],
        env=env,
    )
    connection.close()


def _restore_sqlite(connection, copy: Path) -> None:
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)  # one transaction: all or nothing
    finally:
        source.close()


def _compare(connection, manifest: dict) -> RestoreReport:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        rows = _count_rows(cursor, tables)
    expected = manifest["rows"]
    differences = {
        table: (expected.get(table), rows.get(table))
        for table in sorted(set(expected) | set(rows))
        if expected.get(table) != rows.get(table)
    }
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    unapplied = [
        f"{migration.app_label}.{migration.name}"
        for migration, _backwards in executor.migration_plan(graph.leaf_nodes())
    ]
    # On disk, not in the graph: squashed migrations replace what they squash.
    known = set(executor.loader.disk_migrations)
    unknown = sorted(
        f"{app}.{name}"
        for app, name in executor.loader.applied_migrations
        if (app, name) not in known
    )
    return RestoreReport(
        manifest=manifest,
        rows=rows,
        differences=differences,
        unapplied_migrations=unapplied,
        unknown_migrations=unknown,
    )


# --- Shared --------------------------------------------------------------------------


def _count_rows(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        if table in UNSAVED_TABLES:
            continue
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _latest_migrations(cursor) -> dict[str, str]:
    """The latest migration applied, per app (names start with their number)."""
    cursor.execute("SELECT app, name FROM django_migrations")
    latest: dict[str, str] = {}
    for app, name in cursor.fetchall():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_environment(settings_dict: dict) -> tuple[dict, str]:
    """libpq's environment for this database (the password never on a command
    line, where `ps` shows it), and its name."""
    _args, extra = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(extra or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env, settings_dict["NAME"]


def _run(command: list[str], *, env: dict) -> str:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL's client tools).")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
    return result.stdout
