"""Worker processes that end with their run: the initializer every pool of Marsad's gives its processes."""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT_CHECK_SECONDS = 1.0


def start_worker(parent: int) -> None:
    """Run in each worker as it starts: Ctrl-C is left to the main process, and the worker ends
    with it however it ends (SIGKILL and the OOM killer included)."""
    # Ctrl-C reaches every process of the terminal's group; only the main one stops the run (and reports)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)


def die_with_parent(parent: int) -> None:
    """End this process soon after process ``parent`` (the main process of the run) is gone.

    A worker blocked on its task queue never notices on its own that the main process died (it
    holds the queue's other end too), so without this it would wait forever. On Linux the kernel
    kills it at once (``PR_SET_PDEATHSIG``, which follows the thread that started the worker); on
    every system a daemon thread also checks every second that the process that started the worker
    (the main one, or a fork server that ends with it) and the main process are still there.
    """
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no libc to call: the thread below still does it
            pass
    starter = os.getppid()
    if not _alive(parent):  # the main process died before the line above took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == starter and _alive(parent):
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="marsad-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # there, but another user's: the pid was reused, the main process is gone
        return False
    return True
