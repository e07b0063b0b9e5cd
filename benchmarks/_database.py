"""What the benchmarks share: which database to use, and refusing to drop a real one.

Not a benchmark itself (the Makefile runs `bench_*.py` only)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def database_config(url: str) -> dict:
    import environ

    config = environ.Env.db_url_config(url)
    engine = config["ENGINE"]
    if "sqlite" in engine:
        name = Path(config["NAME"])
        if str(name) in ("", ":memory:"):
            raise SystemExit("An SQLite benchmark needs a file: sqlite:////tmp/x.db")
        config["NAME"] = str(name if name.is_absolute() else ROOT / name)
        config["vendor"] = "sqlite"
    elif "postgres" in engine:
        config["vendor"] = "postgresql"
    else:
        raise SystemExit(f"Unsupported database for this benchmark: {url}")
    if "bench" not in Path(config["NAME"]).name:
        raise SystemExit(
            f"Refusing to drop {config['NAME']!r}: the benchmark database's name must "
            "contain 'bench'."
        )
    return config


def _admin_connection(config: dict):
    import psycopg

    return psycopg.connect(
        host=config.get("HOST") or "127.0.0.1",
        port=config.get("PORT") or 5432,
        user=config.get("USER") or "postgres",
        password=config.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


def drop_database(config: dict) -> None:
    if config["vendor"] == "sqlite":
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(config["NAME"] + suffix).unlink(missing_ok=True)
        return
    from psycopg import sql

    with _admin_connection(config) as conn:
        name = sql.Identifier(config["NAME"])
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def create_database(config: dict) -> None:
    drop_database(config)
    if config["vendor"] == "sqlite":
        return
    from psycopg import sql

    with _admin_connection(config) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"]))
        )
