"""Helpers for the tests that kill Marsad: which processes a run left behind (Linux ``/proc``)."""
from __future__ import annotations

import os
import time
from pathlib import Path

PROC = Path("/proc")


def _stat(pid: int) -> tuple[str, int] | None:
    """(state letter, parent pid) of a process, None once it is gone."""
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    fields = raw[raw.rindex(")") + 2:].split()  # the command name may hold spaces and parentheses
    return fields[0], int(fields[1])


def descendants(pid: int) -> set[int]:
    """Every living process started, directly or not, by ``pid``."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            st = _stat(int(entry.name))
            if st is not None and st[0] != "Z":
                children.setdefault(st[1], []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie waiting to be reaped has ended)."""
    st = _stat(pid)
    return st is not None and st[0] != "Z"


def left_behind(pids: set[int], seconds: float = 5.0) -> set[int]:
    """Those of ``pids`` still running after ``seconds`` (returns as soon as none is)."""
    deadline = time.monotonic() + seconds
    while True:
        running = {p for p in pids if alive(p)}
        if not running or time.monotonic() > deadline:
            return running
        time.sleep(0.05)


def kill_all(pids: set[int]) -> None:
    """Clean up after a failed test: kill what it left running."""
    for p in pids:
        try:
            os.kill(p, 9)
        except ProcessLookupError:
            pass
