"""CPU seconds spent by the server side of a load run: gunicorn, PostgreSQL, Redis.

Read from /proc, so that PostgreSQL's backends count too, not only gunicorn's workers.
A process that exits during the run (a backend closed after its request, a worker
recycled by max_requests) is not lost: its parent collects its time when it reaps it
(cutime/cstime), so each snapshot sums every process's own time plus its reaped
children's. A difference of two snapshots is then the CPU the run cost.
"""

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[str, int, float] | None:
    """(name, parent pid, own + reaped children's CPU seconds) of one process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone between listing and reading
        return None
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    # After the name: state, ppid, ..., utime (14th field of the line), stime, cutime,
    # cstime; indices here are shifted by the two fields before the state.
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    return name, int(fields[1]), (utime + stime + cutime + cstime) / TICKS


def _processes() -> dict[int, tuple[str, int, float]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat:
                found[int(entry.name)] = stat
    return found


def _tree(processes, root: int) -> set[int]:
    members, grew = {root}, True
    while grew:
        grew = False
        for pid, (_, parent, _) in processes.items():
            if parent in members and pid not in members:
                members.add(pid)
                grew = True
    return members


def snapshot(*, gunicorn_pid: int) -> dict[str, float]:
    """CPU seconds so far of the gunicorn tree, PostgreSQL's and Redis's processes.

    The trees are summed from their roots' own time only, plus the live children
    each root has not reaped yet: a root's cutime already holds its reaped children.
    """
    processes = _processes()

    def tree_seconds(root: int) -> float:
        return sum(
            processes[pid][2] for pid in _tree(processes, root) if pid in processes
        )

    postmasters = [
        pid
        for pid, (name, parent, _) in processes.items()
        if name == "postgres" and processes.get(parent, ("",))[0] != "postgres"
    ]
    redis = [pid for pid, (name, _, _) in processes.items() if name == "redis-server"]
    return {
        "gunicorn": tree_seconds(gunicorn_pid) if gunicorn_pid in processes else 0.0,
        "postgres": sum(tree_seconds(pid) for pid in postmasters),
        "redis": sum(processes[pid][2] for pid in redis),
    }


def difference(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {name: round(after[name] - before[name], 3) for name in before}
