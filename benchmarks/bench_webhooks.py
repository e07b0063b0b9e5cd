"""Stripe webhooks and checkout: how fast we take in and process verified events, and
how long creating a Checkout Session takes on our side.

    .venv/bin/python benchmarks/bench_webhooks.py                 # PostgreSQL
    .venv/bin/python benchmarks/bench_webhooks.py --database-url sqlite:////tmp/bench_webhooks.sqlite3

Stripe is out of reach, so its API is the fake world of `tests/fake_stripe.py`
(in-process, no network): checkout latency measures our code and stripe-python, not
Stripe. Ingest is the real view (signature verified on the raw body, event stored
once) through Django's test client; processing is
`donations.stripe.events.event_process` on the stored events (each fetches the
session from the fake and posts the ledger).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _database import create_database, database_config, drop_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/solidarity_bench_webhooks"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args()


def setup_django(database_url: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="solidarity.settings.test",
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("REDIS_URL", None)
    sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
    import django

    django.setup()


def ms_stats(seconds: list[float]) -> dict:
    ordered = sorted(s * 1000 for s in seconds)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * len(ordered))) - 1)]
    return {"p50_ms": round(statistics.median(ordered), 2), "p99_ms": round(p99, 2)}


def main() -> int:
    args = parse_args()
    config = database_config(args.database_url)
    create_database(config)
    try:
        setup_django(args.database_url)
        return run(args, config)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(config)


def run(args, config) -> int:
    import logging

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from donations.models import LedgerTransaction, StripeEvent
    from donations.stripe import client as stripe_api
    from donations.stripe import events, webhook
    from tests import fake_stripe

    logging.getLogger("stripe").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    settings.STRIPE_SECRET_KEY = fake_stripe.SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = fake_stripe.WEBHOOK_SECRET
    world = fake_stripe.FakeStripe()
    stripe_api.HTTP_CLIENT = world.http_client()

    # 1. Checkout sessions: our record, then the session (idempotency key included).
    checkout = []
    donations = []
    for _ in range(min(args.events, 500)):
        started = time.perf_counter()
        donations.append(fake_stripe.start_donation(amount=2500))
        checkout.append(time.perf_counter() - started)
    while len(donations) < args.events:
        donations.append(fake_stripe.start_donation(amount=2500))

    # 2. Ingest: verified, stored, answered; processing held back to measure apart.
    bodies = []
    for donation in donations:
        world.complete_checkout(
            donation.checkout_session_id, settled_amount=2500, fee=63
        )
        bodies.append(
            fake_stripe.signed_event(
                world, "checkout.session.completed", donation.checkout_session_id
            )
        )
    webhook._enqueue = lambda pk: None
    client = Client()
    url = reverse("stripe_webhook")
    ingest = []
    started_all = time.perf_counter()
    for payload, header in bodies:
        started = time.perf_counter()
        response = client.post(
            url, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
        )
        ingest.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    ingest_seconds = time.perf_counter() - started_all

    duplicate = []
    for payload, header in bodies[:200]:
        started = time.perf_counter()
        client.post(
            url, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
        )
        duplicate.append(time.perf_counter() - started)

    # 3. Processing: fetch the session from "Stripe", post to the ledger, receipt.
    process = []
    pks = list(StripeEvent.objects.order_by("pk").values_list("pk", flat=True))
    started_all = time.perf_counter()
    for pk in pks:
        started = time.perf_counter()
        events.event_process(event_pk=pk)
        process.append(time.perf_counter() - started)
    process_seconds = time.perf_counter() - started_all

    assert StripeEvent.objects.count() == len(bodies)
    assert LedgerTransaction.objects.count() == len(bodies)
    results = {
        "database": config["vendor"],
        "events": len(bodies),
        "checkout_session_create": ms_stats(checkout),
        "ingest": {
            "per_second": round(len(bodies) / ingest_seconds, 1),
            **ms_stats(ingest),
        },
        "duplicate_delivery": ms_stats(duplicate),
        "process": {
            "per_second": round(len(pks) / process_seconds, 1),
            **ms_stats(process),
        },
    }
    print(f"\nStripe webhooks on {config['vendor']}, {len(bodies)} events, in-process")
    print(f"{'step':28} {'per s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, key in (
        ("checkout session create", "checkout_session_create"),
        ("webhook ingest (verify+store)", "ingest"),
        ("duplicate delivery", "duplicate_delivery"),
        ("event processing", "process"),
    ):
        row = results[key]
        rate = row.get("per_second", "")
        print(f"{name:28} {rate:>8} {row['p50_ms']:>8} {row['p99_ms']:>8}")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "webhooks.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
