"""Serving the app with waitress, in one process or several sharing one listening socket.

Python runs one thread at a time in a process, so one process answers with one core however
many threads waitress gives it; searching is CPU work. With `processes` > 1 the socket is opened
once, then that many worker processes are forked, each with its own app (its own open index)
and waitress's threads; the kernel hands each new connection to one of them. The parent only
watches: it replaces a worker that dies, and stops them all when it is stopped (SIGTERM or
Ctrl-C); on Linux a worker also stops if the parent is killed outright.
"""
from __future__ import annotations

import ctypes
import os
import signal
import socket
import sys
from typing import Callable

from flask import Flask


def serve(make_app: Callable[[], Flask], host: str, port: int, processes: int,
          settings: dict) -> None:
    """Serve `make_app()` on host:port until stopped; `settings` are waitress's."""
    from waitress import serve as waitress_serve
    if processes <= 1:
        waitress_serve(make_app(), host=host, port=port, **settings)
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family,
                                backlog=settings.get("backlog", 1024))
    workers: set[int] = set()
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True
        for pid in list(workers):
            _kill(pid)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(processes):
        workers.add(_fork_worker(make_app, sock, settings))
    while workers:
        try:
            pid, _status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        workers.discard(pid)
        if not stopping:
            workers.add(_fork_worker(make_app, sock, settings))
    sock.close()


def _fork_worker(make_app, sock, settings) -> int:
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _die_with_parent(parent)
        _run(make_app, sock, settings)
    except BaseException:  # a worker never returns into the parent's code
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _run(make_app, sock, settings) -> None:
    from waitress import serve as waitress_serve
    waitress_serve(make_app(), sockets=[sock], **settings)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass


def _die_with_parent(parent: int) -> None:
    """Linux: SIGTERM this process when its parent dies (prctl PR_SET_PDEATHSIG)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: a worker outlives a parent killed with SIGKILL
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(0)
