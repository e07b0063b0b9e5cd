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
