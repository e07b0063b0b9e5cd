"""How fast does a coalition's register import? 5,000 generated rows, as drafts.

    .venv/bin/python benchmarks/bench_register_import.py [--rows 5000]
        [--database-url sqlite:////tmp/solidarity_bench_import.sqlite3] [--keep]

1. Recreates a throwaway database (its name must contain "bench"), migrates it with
   the test settings (tasks eager) and loads the home pages and a register in uk,
   en and ru, a member organisation and 200 published profiles to match against.
2. Generates a CSV of --rows rows (names in uk/ru/en, statuses, dates, the
   member; 2% repeat an existing profile's name in another spelling, 1% have an
   unknown status) and reads it with tablib.
3. Times, in this process: the dry run (parse, match, plan), the import (every row
   a draft page with a revision, its spellings, external id and case handling) and
   a second import of the same file (every row a new draft revision).

Prints rows per second for each phase and writes
benchmarks/results/register_import.json. See README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _database import create_database, database_config, drop_database  # noqa: E402

SITE = ROOT / "site"
RESULTS = ROOT / "benchmarks" / "results" / "register_import.json"
DEFAULT_DATABASE_URL = "sqlite:////tmp/solidarity_bench_import.sqlite3"
GIVEN = [
    ("Сергій", "Сергей", "Serhii"), ("Олена", "Елена", "Olena"),
    ("Андрій", "Андрей", "Andrii"), ("Наталія", "Наталья", "Nataliia"),
    ("Юрій", "Юрий", "Yurii"), ("Ірина", "Ирина", "Iryna"),
    ("Олексій", "Алексей", "Oleksii"), ("Тетяна", "Татьяна", "Tetiana"),
]  # fmt: skip
SURNAMES = [
    ("Петренко", "Петренко", "Petrenko"), ("Коваль", "Коваль", "Koval"),
    ("Мельник", "Мельник", "Melnyk"), ("Бондар", "Бондарь", "Bondar"),
    ("Шевчук", "Шевчук", "Shevchuk"), ("Ткаченко", "Ткаченко", "Tkachenko"),
]  # fmt: skip
STATUSES = ["pretrial", "sentenced", "house_arrest", "released", "disappeared"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--seed", type=int, default=1900)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args()


def setup_django(database_url: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="solidarity.settings.test",
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("REDIS_URL", None)
    sys.path[:0] = [str(SITE), str(ROOT)]
    warnings.filterwarnings("ignore", message="No directory at")
    import logging

    import django

    django.setup()
    logging.getLogger("wagtail").setLevel(logging.WARNING)


SYLLABLES = [
    ("ко", "ko"), ("ба", "ba"), ("ре", "re"), ("ми", "mi"), ("ту", "tu"),
    ("да", "da"), ("ле", "le"), ("но", "no"), ("ра", "ra"), ("су", "su"),
]  # fmt: skip


def name(index: int) -> tuple[str, str, str]:
    """A unique name per index in three spellings: a generated third word (letters,
    since transliteration keys drop digits) keeps generated people apart, as real
    registers' patronymics do."""
    given = GIVEN[index % len(GIVEN)]
    surname = SURNAMES[(index // len(GIVEN)) % len(SURNAMES)]
    cyrillic, latin = "", ""
    number = index
    for _ in range(6):
        number, digit = divmod(number, len(SYLLABLES))
        cyrillic += SYLLABLES[digit][0]
        latin += SYLLABLES[digit][1]
    extra = (cyrillic.capitalize(), cyrillic.capitalize(), latin.capitalize())
    return tuple(f"{g} {s} {e}" for g, s, e in zip(given, surname, extra, strict=True))


def seed(rng) -> dict:
    from home.demo import load_footer_and_settings, load_home_pages
    from network.models import Member
    from prisoners.models import PrisonerIndexPage, PrisonerPage

    homes = load_home_pages()
    load_footer_and_settings()
    for lang in ("uk", "en", "ru"):
        homes[lang].add_child(
            instance=PrisonerIndexPage(title="Prisoners", slug="prisoners")
        )
    Member.objects.create(
        name="Bench Aid", slug="bench-aid", country="UA", joined_on=dt.date(2024, 1, 1)
    )
    register = PrisonerIndexPage.objects.get(locale__language_code="en")
    for index in range(200):
        register.add_child(
            instance=PrisonerPage(
                title=name(100_000 + index)[2], status="sentenced", live=True,
                consent_given_by="family", consent_given_on=dt.date(2024, 1, 1),
                consent_name=True,
            )
        )  # fmt: skip
    return {"existing_profiles": 200}


def register_csv(rows: int, rng) -> str:
    import tablib

    data = tablib.Dataset(
        headers=[
            "external_id", "name_uk", "name_ru", "name_en", "language", "status",
            "detained_on", "sentence_years", "member",
        ]
    )  # fmt: skip
    for index in range(rows):
        uk, ru, en = name(100_000 + index if rng.random() < 0.02 else index)
        status = "unknown" if rng.random() < 0.01 else rng.choice(STATUSES)
        detained = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randrange(4000))
        data.append(
            [
                f"BENCH-{index:05d}", uk, ru, en, rng.choice(["uk", "uk", "en", "ru"]),
                status, detained.isoformat(), rng.choice(["", "3", "7.5", "12"]),
                "bench-aid" if index % 3 == 0 else "",
            ]
        )  # fmt: skip
    return data.export("csv")


def timed(file_text: str, *, dry_run: bool) -> dict:
    from prisoners.models import RegisterImport
    from prisoners.register_import.parsing import read_register
    from prisoners.register_import.services import run_import

    started = time.perf_counter()
    rows = read_register(content=file_text.encode(), file_name="bench.csv")
    job = RegisterImport.objects.create(rows=rows, dry_run=dry_run, file_name="b.csv")
    report = run_import(job=job).report
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "rows_per_second": round(len(rows) / seconds, 1),
        **{
            k: report[k] for k in ("rows", "created", "updated", "errors", "duplicates")
        },
    }


def main() -> int:
    args = parse_args()
    config = database_config(args.database_url)
    create_database(config)
    try:
        setup_django(args.database_url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        rng = random.Random(args.seed)
        meta = {
            "rows": args.rows,
            "database": config["vendor"],
            "python": platform.python_version(),
            **seed(rng),
        }
        text = register_csv(args.rows, rng)
        results = {
            "dry run": timed(text, dry_run=True),
            "import": timed(text, dry_run=False),
            "re-import (updates)": timed(text, dry_run=False),
        }
        print(f"{'phase':<22}{'rows':>7}{'seconds':>10}{'rows/s':>10}"
              f"{'created':>9}{'updated':>9}{'errors':>8}{'dupes':>7}")  # fmt: skip
        for phase, r in results.items():
            print(
                f"{phase:<22}{r['rows']:>7}{r['seconds']:>10}{r['rows_per_second']:>10}"
                f"{r['created']:>9}{r['updated']:>9}{r['errors']:>8}{r['duplicates']:>7}"
            )
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps({"meta": meta, "results": results}, indent=2))
        return 0
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(config)


if __name__ == "__main__":
    sys.exit(main())
