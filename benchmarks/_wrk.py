"""Load from wrk (Debian's `wrk`), the C load generator the issue's figures came from.

A Python client with 8 threads spends more CPU than a cached page costs the server,
so on 2 shared cores it, not the server, sets the ceiling for cached pages and static
files. wrk takes a fraction of that. A small Lua script counts the responses that were
not 200 and those marked `X-Page-Cache: hit`.
"""

import re
import resource
import shutil
import subprocess
import tempfile
from pathlib import Path

COUNTING_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) hits = 0; others = 0 end
function response(status, headers, body)
  if headers["X-Page-Cache"] == "hit" then hits = hits + 1 end
  if status ~= 200 then others = others + 1 end
end
function done(summary, latency, requests)
  local h, o = 0, 0
  for _, t in ipairs(threads) do h = h + t:get("hits"); o = o + t:get("others") end
  io.write(string.format("HITS %d\\nNOT200 %d\\n", h, o))
  io.write(string.format("P50US %d\\nP99US %d\\n",
    latency:percentile(50), latency:percentile(99)))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def drive(url: str, *, connections: int, seconds: float, threads: int = 2) -> dict:
    """`connections` keep-alive connections on `url` for `seconds`."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(COUNTING_SCRIPT)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        completed = subprocess.run(
            [
                "wrk",
                f"-t{min(threads, connections)}",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "-H",
                "Accept: text/html,*/*",
                "-H",
                "User-Agent: solidarity-bench",
                "-s",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
    finally:
        Path(script.name).unlink()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    client_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    output = completed.stdout
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed: {completed.stderr or output}")

    def number(pattern: str, cast=float, default=0):
        found = re.search(pattern, output)
        return cast(found.group(1)) if found else default

    requests = number(r"(\d+) requests in", int)
    seconds_taken = number(r"requests in ([\d.]+)s", float, seconds)
    not_200 = number(r"NOT200 (\d+)", int)
    errors = sum(
        int(value)
        for value in re.findall(r"(?:connect|read|write|timeout) (\d+)", output)
    )
    return {
        "requests": requests,
        "seconds": round(seconds_taken, 2),
        "rps": round((requests - not_200) / seconds_taken, 1) if seconds_taken else 0.0,
        "p50_ms": round(number(r"P50US (\d+)", int) / 1000, 1),
        "p99_ms": round(number(r"P99US (\d+)", int) / 1000, 1),
        "statuses": {"200": requests - not_200, "other": not_200}
        if not_200
        else {"200": requests},
        "errors": errors,
        "cache_hits": number(r"HITS (\d+)", int),
        "client": "wrk",
        "client_cpu_seconds": round(client_cpu, 2),
    }
