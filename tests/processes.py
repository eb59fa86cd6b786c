"""Helpers for the tests that kill or stop Marsad: which processes a run left behind (Linux ``/proc``), and
waiting for a line a run prints (a condition with a generous timeout, not a fixed sleep, on a loaded machine)."""
from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path
from typing import IO

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


class LineReader:
    """Reads a process's text stream (its stderr) on a thread, so that a test can wait for a line."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self._ended = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def wait_for(self, text: str, seconds: float = 120.0) -> None:
        """Return once a line holding ``text`` was printed; fail if the stream ends or ``seconds`` pass first."""
        def seen() -> bool:
            return any(text in line for line in self.lines)

        with self._changed:
            self._changed.wait_for(lambda: self._ended or seen(), seconds)
            assert seen(), f"no line with {text!r} after {seconds:g} s; printed: {''.join(self.lines)!r}"

    def text(self, seconds: float = 30.0) -> str:
        """Everything printed, once the stream has ended (the process exited)."""
        self._thread.join(seconds)
        return "".join(self.lines)


def signal_after_first_poll(proc: "subprocess.Popen[str]", signum: int) -> str:
    """Send ``signum`` to a ``marsad watch`` process once its first poll is over (it prints when the next one
    is due), wait for it to end; everything it printed on stderr."""
    log = LineReader(proc.stderr)  # type: ignore[arg-type]
    try:
        log.wait_for("next poll in")
        proc.send_signal(signum)
        proc.wait(timeout=60)
    finally:
        proc.kill()
    return log.text()
