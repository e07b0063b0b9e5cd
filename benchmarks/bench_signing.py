"""How fast can people sign a joint statement, and what does a statement page with
10,000 signatures cost to render?

    .venv/bin/python benchmarks/bench_signing.py [--signatures 10000] [--seconds 20]
        [--database-url postgres://postgres@127.0.0.1:5432/solidarity_bench_signing]
        [--threads 4] [--page-requests 50] [--keep]

1. Recreates a throwaway database (its name must contain "bench"), migrates it with
   the test settings (solidarity.settings.test: tasks run eagerly, the outbox
   delivers to Django's locmem backend, per-process cache), and loads the home
   pages, footer and site settings; then a statement list and two statements.
2. Signing, through the real view and Django's test client in this process, as a
   browser without cookies does it (CSRF checks enforced, no token: the statement
   page is cached for everyone, so its form posts to campaigns:sign, exempt from
   them): with the proof of work on, as it is once many people sign within the hour
   (SIGNING_CHALLENGE_PER_HOUR), each signature fetches an ALTCHA challenge, solves
   it (an easy one: the browser's work is not what is measured here) and POSTs the
   form with its answer; its confirmation link is read from the delivered email
   (`django.core.mail.outbox`) and POSTed. Three phases of
   --seconds each: sign+confirm round trips, sign only, then confirm only (the links
   from the sign-only phase). Once with one thread; on PostgreSQL also with --threads
   threads, each with its own client and database connection. Rate limits are
   raised so that they never answer 429.
3. A second statement with --signatures confirmed signatures (bulk_create, real
   email digests, a mix of named, unnamed and organisation signers): GET of the page,
   of ?signatories=50 and of the last page of signatories, --page-requests times
   each, with the page cache off; SQL queries, SQL time, bytes and how many names
   the page shows (one page of 100, never all of them). One more row with the page
   cache on shows what anonymous visitors get in production: every request after
   the first is a hit, since the page sets no cookie.

Prints two tables, writes benchmarks/results/signing.json and drops the database
(unless --keep). Exits 1 if a request answered something unexpected. See README.md.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import itertools
import json
import math
import os
import platform
import random
import re
import signal
import statistics
import sys
import threading
import time
import urllib.parse
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _database import create_database, database_config, drop_database  # noqa: E402

SITE = ROOT / "site"
RESULTS = ROOT / "benchmarks" / "results" / "signing.json"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/solidarity_bench_signing"
# Persistent connections: the test client keeps its connection in one thread anyway;
# with several threads, a CONN_MAX_AGE of 0 would let one thread's request_finished
# signal close the others' connections at random.
CONN_MAX_AGE = "600"
PAGE_SIZE = 100  # campaigns.views.SIGNATORIES_PER_PAGE, checked at run time
UNLIMITED = {
    "ip": {"limit": 10**9, "window": 3600},
    "email": {"limit": 10**9, "window": 3600},
}
# The proof of work always on, with challenges solved in a moment: the server's
# part (issuing, checking, refusing a replay) is measured, not the browser's.
EASY_CHALLENGE = {"cost": 1, "maxnumber": 20}
LINK = re.compile(r"https?://\S+/confirm/\S+/")
SIGNATORY_LIST = re.compile(r'<ol class="signatory-list"[^>]*>(.*?)</ol>', re.S)

FIRST = ["Olena", "Iryna", "Nariman", "Serhii", "Anna", "Jan", "Maria", "Ahmed"]
LAST = ["Kovalenko", "Shevchenko", "Dzhelyalov", "Nowak", "Müller", "Rossi", "Garcia"]
COUNTRIES = ["UA", "PL", "DE", "FR", "IT", "GB", "US", "LT", "GE", "TR"]


# --- Plumbing -----------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="postgres://... or sqlite:////abs/path; dropped and recreated, so its "
        "name must contain 'bench' (default: %(default)s)",
    )
    parser.add_argument(
        "--signatures",
        type=int,
        default=10_000,
        help="confirmed signatures under the statement whose page is measured",
    )
    parser.add_argument(
        "--seconds", type=float, default=20.0, help="seconds per signing phase"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="threads for the concurrent signing run (PostgreSQL only; 0 skips it)",
    )
    parser.add_argument(
        "--page-requests",
        type=int,
        default=50,
        help="timed GETs per statement page URL, warm-up not counted",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--seed", type=int, default=1900)
    return parser.parse_args()


def setup_django(database_url: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="solidarity.settings.test",
        DATABASE_URL=database_url,
        CONN_MAX_AGE=CONN_MAX_AGE,
        PAGE_CACHE_SECONDS="0",  # render every GET; one row turns it back on
        LOG_LEVEL="WARNING",
    )
    # The test settings use a per-process cache and run tasks inline; keep it so.
    os.environ.pop("REDIS_URL", None)
    sys.path[:0] = [str(SITE), str(ROOT)]
    # whitenoise, about STATIC_ROOT: this benchmark serves no static files.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile; None for an empty list."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))]


def latency(values_s: list[float]) -> dict:
    ms = [v * 1000 for v in values_s]
    return {
        "n": len(ms),
        "p50_ms": _round(percentile(ms, 0.50)),
        "p99_ms": _round(percentile(ms, 0.99)),
        "mean_ms": _round(statistics.fmean(ms) if ms else None),
        "max_ms": _round(max(ms) if ms else None),
    }


def _round(value, digits=2):
    return None if value is None else round(value, digits)


def machine_cpu() -> tuple[float, float] | None:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat (Linux)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    values = [float(f) for f in fields]
    idle = values[3] + (values[4] if len(values) > 4 else 0.0)  # idle + iowait
    return sum(values) - idle, sum(values)


class CpuMeter:
    """CPU used during a phase: by this Python process (client and Django, every
    thread), and by the whole machine (adds PostgreSQL), in cores."""

    def __enter__(self):
        self.wall = time.perf_counter()
        self.process = time.process_time()
        self.machine = machine_cpu()
        return self

    def __exit__(self, *exc):
        wall = time.perf_counter() - self.wall
        self.python_cores = round((time.process_time() - self.process) / wall, 2)
        self.machine_cores = None
        end = machine_cpu()
        if self.machine and end and end[1] > self.machine[1]:
            busy = (end[0] - self.machine[0]) / (end[1] - self.machine[1])
            self.machine_cores = round(busy * (os.cpu_count() or 1), 2)
        return False


# --- Set-up -------------------------------------------------------------------------


def create_pages() -> dict:
    from home.demo import load_footer_and_settings, load_home_pages
    from tests.factories import StatementIndexPageFactory, StatementPageFactory

    homes = load_home_pages()
    load_footer_and_settings()
    index = StatementIndexPageFactory(parent=homes["en"])
    signing = StatementPageFactory(
        parent=index, title="Bench: signing throughput", slug="bench-signing"
    )
    many = StatementPageFactory(
        parent=index, title="Bench: many signatures", slug="bench-many"
    )
    return {"signing": signing, "many": many}


def bulk_sign(statement, n: int, rng: random.Random) -> dict:
    """`n` confirmed signatures under `statement`, as if each had been confirmed:
    90% individuals (one in ten unnamed), 10% organisations (four in five approved)."""
    from django.utils import timezone

    from campaigns.choices import SignatureStatus, SignerKind
    from campaigns.models import Signature
    from campaigns.selectors import public_signatories
    from campaigns.services import email_digest

    key = statement.translation_key
    start = timezone.now() - dt.timedelta(days=30)
    rows = []
    for i in range(n):
        organisation = rng.random() < 0.10
        email = f"many{i}@bench.example.org"
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        rows.append(
            Signature(
                statement_key=key,
                kind=SignerKind.ORGANISATION if organisation else SignerKind.INDIVIDUAL,
                name=f"{name} Foundation" if organisation else name,
                show_name=True if organisation else rng.random() < 0.9,
                country=rng.choice(COUNTRIES),
                website=f"https://org{i}.example.org" if organisation else "",
                email=email,
                email_digest=email_digest(statement_key=key, email=email),
                language="en",
                status=SignatureStatus.CONFIRMED,
                approved=organisation and rng.random() < 0.8,
                confirmed_at=start + dt.timedelta(seconds=i * 60),
            )
        )
    Signature.objects.bulk_create(rows, batch_size=1000)
    return {
        "signatures": n,
        "publicly_named": public_signatories(key).count(),
    }


def analyze() -> None:
    """Fresh planner statistics, so that query plans do not depend on autovacuum."""
    from django.db import connection

    from campaigns.models import Signature

    table = connection.ops.quote_name(Signature._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute(f"ANALYZE {table}")


# --- Signing ------------------------------------------------------------------------


class Signers:
    """Distinct signers, shared by every thread."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.numbers = itertools.count(1)
        self.lock = threading.Lock()

    def next(self) -> dict:
        with self.lock:
            i = next(self.numbers)
        email = f"{self.prefix}{i}@bench.example.org"
        if i % 10 == 0:
            return {
                "kind": "organisation",
                "name": f"Bench Organisation {self.prefix}{i}",
                "country": "UA",
                "website": f"https://{self.prefix}{i}.example.org",
                "email": email,
            }
        return {
            "kind": "individual",
            "name": f"Bench Signer {self.prefix}{i}",
            "show_name": "on",
            "country": COUNTRIES[i % len(COUNTRIES)],
            "email": email,
        }


def link_for(email: str) -> str | None:
    """The path of the confirmation link in the latest email to `email`."""
    from django.core import mail

    for message in reversed(mail.outbox):
        if message.to == [email]:
            found = LINK.search(message.body)
            return urllib.parse.urlsplit(found.group(0)).path if found else None
    return None


def solved_challenge(client) -> tuple[float, str]:
    """What ALTCHA's widget sends, and the time of the challenge request (the
    solving is the browser's work, not timed)."""
    import altcha
    from django.urls import reverse

    started = time.perf_counter()
    issued = client.get(reverse("campaigns:challenge")).json()
    elapsed = time.perf_counter() - started
    if not issued.get("required"):
        return elapsed, ""
    puzzle = altcha.Challenge.from_dict(issued)
    solution = altcha.solve_challenge(puzzle, timeout=10)
    return elapsed, altcha.Payload(puzzle, solution).to_base64()


def sign(client, path: str, data: dict) -> tuple[float, bool]:
    """The challenge request and the form's POST, timed together."""
    fetched, payload = solved_challenge(client)
    started = time.perf_counter()
    response = client.post(path, {**data, "altcha": payload})
    elapsed = fetched + time.perf_counter() - started
    ok = response.status_code == 302 and response["Location"].endswith(
        "?signed=created"
    )
    return elapsed, ok


def confirm(client, path: str) -> tuple[float, bool]:
    started = time.perf_counter()
    response = client.post(path)
    elapsed = time.perf_counter() - started
    return elapsed, response.status_code == 200 and b"confirmed" in response.content


def run_phase(mode: str, path: str, *, threads: int, seconds: float, signers, links):
    """Every thread, with its own client and connection, repeats one step until the
    phase's time is up: `round_trip` (sign, read the email, confirm), `sign` or
    `confirm` (a link from `links`, a deque, until there are none left)."""
    from django.db import connections
    from django.test import Client

    state: dict = {}
    barrier = threading.Barrier(
        threads, action=lambda: state.update(start=time.perf_counter())
    )
    samples = {"sign": [], "confirm": [], "round_trip": []}
    errors: list[str] = []
    signed_emails: list[str] = []
    ends: list[float] = []
    completed = [0]  # signatures confirmed, accepted or confirmed, by `mode`
    lock = threading.Lock()

    def worker():
        client = Client(enforce_csrf_checks=True)
        # The confirmation page keeps Django's CSRF token (it is never cached);
        # its form is not what changed, so it is posted as before.
        confirmer = Client()
        local = {"sign": [], "confirm": [], "round_trip": []}
        local_emails, local_errors, done = [], [], 0
        try:
            client.get(path)  # opens this thread's connection; not timed
            barrier.wait()
            deadline = state["start"] + seconds
            while time.perf_counter() < deadline:
                if mode == "confirm":
                    try:
                        link = links.popleft()
                    except IndexError:
                        break
                    elapsed, ok = confirm(confirmer, link)
                    local["confirm"].append(elapsed)
                    if not ok:
                        local_errors.append(f"confirm {link}")
                    done += ok
                    continue
                data = signers.next()
                begun = time.perf_counter()
                elapsed, ok = sign(client, path, data)
                local["sign"].append(elapsed)
                if not ok:
                    local_errors.append(f"sign {data['email']}")
                    continue
                if mode == "sign":
                    local_emails.append(data["email"])
                    done += 1
                    continue
                link = link_for(data["email"])
                if link is None:
                    local_errors.append(f"no email for {data['email']}")
                    continue
                confirmed, ok = confirm(confirmer, link)
                local["confirm"].append(confirmed)
                if not ok:
                    local_errors.append(f"confirm {link}")
                    continue
                # From the sign request's start: both requests and reading the email.
                local["round_trip"].append(time.perf_counter() - begun)
                done += 1
        except Exception as error:  # reported, and the run exits 1
            local_errors.append(f"{error.__class__.__name__}: {error}")
            barrier.abort()
        finally:
            connections.close_all()  # this thread's connection
            with lock:
                for key, values in local.items():
                    samples[key].extend(values)
                signed_emails.extend(local_emails)
                errors.extend(local_errors)
                ends.append(time.perf_counter())
                completed[0] += done

    with CpuMeter() as cpu:
        pool = [threading.Thread(target=worker) for _ in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
    wall = max(ends) - state["start"] if "start" in state else None
    done = completed[0]
    return {
        "phase": {"round_trip": "sign+confirm", "sign": "sign only"}.get(
            mode, "confirm only"
        ),
        "mode": mode,
        "threads": threads,
        "seconds": _round(wall),
        "completed": done,
        "per_second": round(done / wall, 1) if wall and wall > 0 else None,
        "stopped_by": "no links left"
        if mode == "confirm" and not links
        else "time limit",
        "round_trip": latency(samples["round_trip"]),
        "sign": latency(samples["sign"]),
        "confirm": latency(samples["confirm"]),
        "python_cpu_cores": cpu.python_cores,
        "machine_cpu_cores": cpu.machine_cores,
        "errors": len(errors),
        "error_examples": errors[:5],
        "_signed_emails": signed_emails,
    }


def probe_queries(path: str, signers) -> dict:
    """The SQL of one sign and one confirm request, in this thread."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(enforce_csrf_checks=True)
    data = signers.next()
    with CaptureQueriesContext(connection) as signed, SqlTimer(connection) as t_sign:
        _, ok_sign = sign(client, path, data)
    link = link_for(data["email"])
    with CaptureQueriesContext(connection) as confirmed, SqlTimer(connection) as t_conf:
        _, ok_confirm = confirm(Client(), link) if link else (0, False)
    outbox = sum("outbox_outboxmessage" in q["sql"] for q in signed.captured_queries)
    return {
        "ok": ok_sign and ok_confirm,
        "sign": {
            "queries": len(signed.captured_queries),
            "outbox_queries": outbox,
            "sql_ms": t_sign.ms,
            "sql": [q["sql"][:300] for q in signed.captured_queries],
        },
        "confirm": {
            "queries": len(confirmed.captured_queries),
            "sql_ms": t_conf.ms,
            "sql": [q["sql"][:300] for q in confirmed.captured_queries],
        },
    }


class SqlTimer:
    """Every query's time in milliseconds, more precisely than the 1 ms resolution
    of CaptureQueriesContext's "time"."""

    def __init__(self, connection):
        self.connection = connection
        self.timed: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.timed.append(((time.perf_counter() - started) * 1000, sql))

    def __enter__(self):
        self._wrapper = self.connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)

    @property
    def ms(self) -> float:
        return round(sum(ms for ms, _ in self.timed), 2)


def links_from_outbox(emails: list[str]) -> collections.deque:
    from django.core import mail

    wanted = set(emails)
    found = {}
    for message in mail.outbox:
        if message.to and message.to[0] in wanted:
            match = LINK.search(message.body)
            if match:
                found[message.to[0]] = urllib.parse.urlsplit(match.group(0)).path
    return collections.deque(found[e] for e in emails if e in found)


def signing_runs(statement, args, vendor: str) -> dict:
    from django.core import mail
    from django.urls import reverse

    path = reverse("campaigns:sign", kwargs={"page_id": statement.pk})
    thread_counts = [1]
    if vendor == "postgresql" and args.threads > 1:
        thread_counts.append(args.threads)
    runs = []
    mail.outbox = []
    probe = probe_queries(path, Signers("probe"))
    pending: collections.deque = collections.deque()
    for threads in thread_counts:
        for mode in ("round_trip", "sign", "confirm"):
            log(f"signing: {mode.replace('_', ' ')}, {threads} thread(s)")
            links = pending if mode == "confirm" else None
            run = run_phase(
                mode,
                path,
                threads=threads,
                seconds=args.seconds,
                signers=Signers(f"t{threads}{mode[0]}"),
                links=links,
            )
            if mode == "sign":  # their links, for the confirm-only phase
                pending = links_from_outbox(run["_signed_emails"])
                run["links_found"] = len(pending)
            if mode == "confirm":
                run["links_left"] = len(links)
            runs.append(run)
            mail.outbox = []  # no thread is running: nothing is lost
    for run in runs:
        run.pop("_signed_emails")
    return {"path": path, "probe": probe, "runs": runs}


# --- The statement page -------------------------------------------------------------


def names_shown(html: str) -> int | None:
    found = SIGNATORY_LIST.search(html)
    return None if found is None else found.group(1).count("<li>")


def measure_page(client, name: str, url: str, requests: int, *, expect_names: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):  # warm-up: templates, site root paths, the cache
        client.get(url)
    timings, statuses, hits = [], collections.Counter(), 0
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        statuses[response.status_code] += 1
        hits += response.get("X-Page-Cache") == "hit"
    with CaptureQueriesContext(connection) as captured, SqlTimer(connection) as sql:
        response = client.get(url)
    html = response.content.decode()
    shown = names_shown(html)
    return {
        "page": name,
        "url": url,
        **latency(timings),
        "statuses": dict(statuses),
        "cache_hits": hits,
        "queries": len(captured.captured_queries),
        "sql_ms": sql.ms,
        "bytes": len(response.content),
        # The page cache stores no response that sets a cookie.
        "sets_cookies": sorted(response.cookies.keys()),
        "names_shown": shown,
        "names_expected": expect_names,
        "ok": set(statuses) == {200} and shown == expect_names,
        "sql": [q["sql"][:1000] for q in captured.captured_queries],
        "slowest_sql": [
            {"ms": round(ms, 2), "sql": text[:1000]}
            for ms, text in sorted(sql.timed, key=lambda t: t[0], reverse=True)[:5]
        ],
    }


def page_runs(statement, seeded: dict, args) -> dict:
    from django.test import Client, override_settings

    from campaigns import views

    named = seeded["publicly_named"]
    pages = max(1, math.ceil(named / views.SIGNATORIES_PER_PAGE))

    def expected(number: int) -> int:
        number = min(max(number, 1), pages)
        return min(views.SIGNATORIES_PER_PAGE, named - (number - 1) * PAGE_SIZE)

    url = statement.url
    middle = min(50, pages)
    targets = [
        ("page 1", url, expected(1)),
        (f"?signatories={middle}", f"{url}?signatories={middle}", expected(middle)),
        (f"?signatories={pages} (last)", f"{url}?signatories={pages}", expected(pages)),
    ]
    client = Client()  # anonymous, no session cookie
    rows = []
    for name, target, names in targets:
        log(f"statement page: {name}")
        rows.append(
            measure_page(client, name, target, args.page_requests, expect_names=names)
        )
    log("statement page: page 1 with the page cache on")
    with override_settings(PAGE_CACHE_SECONDS=600):
        rows.append(
            measure_page(
                client,
                "page 1, cache on",
                url,
                args.page_requests,
                expect_names=expected(1),
            )
        )
    total = f"{seeded['signatures']} signatures"
    return {
        "signatures": seeded["signatures"],
        "publicly_named": named,
        "signatory_pages": pages,
        "page_size": views.SIGNATORIES_PER_PAGE,
        "count_shown": total in _page_text(client, url),
        "rows": rows,
        "explain_signatory_slice": explain_slices(statement, [1, middle, pages]),
    }


def explain_slices(statement, numbers: list[int]) -> dict:
    """PostgreSQL's plan and time for the query that reads one page of names."""
    from django.db import connection

    from campaigns import views
    from campaigns.selectors import public_signatories

    if connection.vendor != "postgresql":
        return {}
    names = public_signatories(statement.translation_key)
    size = views.SIGNATORIES_PER_PAGE
    plans = {}
    for number in numbers:
        offset = (number - 1) * size
        plan = names[offset : offset + size].explain(analyze=True, buffers=True)
        took = re.search(r"Execution Time: ([\d.]+) ms", plan)
        sort = re.search(r"Sort Method: ([^\n]+)", plan)
        plans[str(number)] = {
            "execution_ms": float(took.group(1)) if took else None,
            "sort": sort.group(1).strip() if sort else None,
            "plan": plan,
        }
    return plans


def _page_text(client, url: str) -> str:
    return client.get(url).content.decode()


# --- Report -------------------------------------------------------------------------


def fmt(value, spec=".1f") -> str:
    return "-" if value is None else format(value, spec)


def render_report(meta, signing, page) -> str:
    probe = signing["probe"]
    lines = [
        f"Signing a statement through the real view: {meta['database']} "
        f"({meta['database_version']}), Django test client in this process, "
        f"{meta['settings']}, CONN_MAX_AGE {CONN_MAX_AGE}, {meta['cpus']} CPUs, "
        f"{meta['seconds_per_phase']:.0f} s per phase.",
        "Each sign request is a cookie-less browser's: an ALTCHA challenge fetched "
        "(its solving not timed), then the form POSTed with the answer, which also "
        "sends the email: the outbox task runs eagerly after the commit (in "
        "production a Celery worker does that part).",
        f"SQL per request: sign {probe['sign']['queries']} queries "
        f"({probe['sign']['outbox_queries']} of them the outbox), confirm "
        f"{probe['confirm']['queries']}.",
        "",
    ]
    header = (
        f"{'phase':<16} {'threads':>7} {'n':>6} {'per s':>7} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'py CPU':>6} {'all CPU':>7}"
    )
    lines += [header, "-" * len(header)]
    for run in signing["runs"]:
        main = {"round_trip": "round_trip", "sign": "sign", "confirm": "confirm"}[
            run["mode"]
        ]
        stats = run[main]
        note = ""
        if run["mode"] == "confirm" and run["stopped_by"] != "time limit":
            note = "  (ran out of links)"
        if run["errors"]:
            note += f"  {run['errors']} ERRORS"
        lines.append(
            f"{run['phase']:<16} {run['threads']:>7} {run['completed']:>6} "
            f"{fmt(run['per_second']):>7} {fmt(stats['p50_ms']):>7} "
            f"{fmt(stats['p99_ms']):>7} {fmt(run['python_cpu_cores'], '.2f'):>6} "
            f"{fmt(run['machine_cpu_cores'], '.2f'):>7}{note}"
        )
        if run["mode"] == "round_trip":
            for part in ("sign", "confirm"):
                stats = run[part]
                lines.append(
                    f"{'  ' + part + ' request':<16} {'':>7} {stats['n']:>6} "
                    f"{'':>7} {fmt(stats['p50_ms']):>7} {fmt(stats['p99_ms']):>7}"
                )
    lines += [
        "",
        "per s: signatures confirmed (sign+confirm), accepted (sign only) or "
        "confirmed (confirm only) per second, all threads together. py CPU: cores "
        "used by this Python process (client and Django); all CPU: by the whole "
        "machine (adds PostgreSQL).",
        "",
        f"Statement page with {page['signatures']} confirmed signatures "
        f"({page['publicly_named']} publicly named: {page['signatory_pages']} pages "
        f"of {page['page_size']}); page cache off unless stated; "
        f"{meta['page_requests']} timed GETs each.",
        "",
    ]
    header = (
        f"{'page':<22} {'n':>4} {'p50 ms':>7} {'p99 ms':>7} {'queries':>7} "
        f"{'SQL ms':>7} {'KB':>6} {'names':>5}"
    )
    lines += [header, "-" * len(header)]
    for row in page["rows"]:
        note = ""
        if row["page"].endswith("cache on"):
            note = f"  ({100 * row['cache_hits'] / row['n']:.0f}% cache hits"
            if row["sets_cookies"]:
                note += f"; sets cookie {', '.join(row['sets_cookies'])}"
            note += ")"
        if not row["ok"]:
            note += f"  UNEXPECTED (want {row['names_expected']} names, 200s)"
        lines.append(
            f"{row['page']:<22} {row['n']:>4} {fmt(row['p50_ms']):>7} "
            f"{fmt(row['p99_ms']):>7} {row['queries']:>7} {row['sql_ms']:>7.1f} "
            f"{row['bytes'] / 1024:>6.1f} {fmt(row['names_shown'], 'd'):>5}{note}"
        )
    for number, plan in page["explain_signatory_slice"].items():
        lines.append(
            f"EXPLAIN ANALYZE, names of page {number}: "
            f"{fmt(plan['execution_ms'], '.2f')} ms; sort: {plan['sort'] or '-'}"
        )
    lines += [
        "",
        f"1-minute load average: {meta['loadavg_start']} before the run, "
        f"{meta['loadavg_end']} at the end (the benchmark itself raises it).",
    ]
    if meta["loadavg_start"] > 1.0:
        lines.append(
            "WARNING: the machine was busy before the run started; other work "
            "shares the cores, so these numbers are pessimistic."
        )
    return "\n".join(lines)


def main() -> int:
    args = parse_args()
    os.chdir(ROOT)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    config = database_config(args.database_url)
    meta = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": config["vendor"],
        "database_name": config["NAME"],
        "settings": "solidarity.settings.test",
        "conn_max_age": int(CONN_MAX_AGE),
        "seconds_per_phase": args.seconds,
        "threads": args.threads,
        "page_requests": args.page_requests,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "loadavg_start": round(os.getloadavg()[0], 2),
    }
    created = False
    try:
        total = time.perf_counter()
        log(f"recreating {config['vendor']} database {config['NAME']}")
        create_database(config)
        created = True
        setup_django(args.database_url)
        import django
        import wagtail
        from django.core.management import call_command
        from django.db import connection
        from django.test import override_settings

        meta.update(django=django.get_version(), wagtail=wagtail.__version__)
        started = time.perf_counter()
        log("migrate")
        call_command("migrate", verbosity=0, interactive=False)
        meta["migrate_seconds"] = round(time.perf_counter() - started, 1)
        meta["database_version"] = (
            f"PostgreSQL {connection.pg_version // 10000}"
            if connection.vendor == "postgresql"
            else f"SQLite {connection.Database.sqlite_version}"
        )
        pages = create_pages()

        from django.conf import settings

        with override_settings(
            SIGNING_RATE_LIMITS=UNLIMITED,
            SIGNING_CHALLENGE_PER_HOUR=0,
            DONATION_CHALLENGE={**settings.DONATION_CHALLENGE, **EASY_CHALLENGE},
        ):
            signing = signing_runs(pages["signing"], args, config["vendor"])

        log(f"bulk-creating {args.signatures} confirmed signatures")
        started = time.perf_counter()
        seeded = bulk_sign(pages["many"], args.signatures, random.Random(args.seed))
        analyze()
        meta["bulk_create_seconds"] = round(time.perf_counter() - started, 1)
        page = page_runs(pages["many"], seeded, args)

        meta["seconds_total"] = round(time.perf_counter() - total, 1)
        meta["loadavg_end"] = round(os.getloadavg()[0], 2)
        problems = [
            f"{run['phase']} ({run['threads']} threads): {run['errors']} errors"
            for run in signing["runs"]
            if run["errors"]
        ]
        if not signing["probe"]["ok"]:
            problems.append("the probe sign+confirm did not succeed")
        problems += [
            f"{row['page']}: statuses {row['statuses']}, {row['names_shown']} names"
            for row in page["rows"]
            if not row["ok"]
        ]
        if not page["count_shown"]:
            problems.append(f"the page does not say '{args.signatures} signatures'")

        report = render_report(meta, signing, page)
        print()
        print(report)
        for problem in problems:
            print(f"PROBLEM: {problem}")
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(
            json.dumps(
                {
                    "meta": meta,
                    "signing": signing,
                    "statement_page": page,
                    "problems": problems,
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
        print(f"\nWrote {RESULTS.relative_to(ROOT)} in {meta['seconds_total']} s.")
        return 1 if problems else 0
    finally:
        if created:
            if "django" in sys.modules and "django.db" in sys.modules:
                from django.db import connections

                connections.close_all()
            if args.keep:
                log(f"kept database {config['NAME']}")
            else:
                drop_database(config)
                log(f"dropped database {config['NAME']}")


if __name__ == "__main__":
    sys.exit(main())
