"""`ofsted-search serve --processes N`: worker processes share the port, a dead worker is
replaced, and stopping the server stops them all."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(entry.name))
    return out


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to see the workers")
def test_workers_share_the_port_are_replaced_and_stop_with_the_server(seed_index, root_dir):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "indexer.cli", "serve", "--index",
                               str(seed_index), "--port", str(port), "--processes", "2"],
                              cwd=root_dir, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/search?q=return+home+interviews"
        wait_for(lambda: answers(url))
        workers = wait_for(lambda: len(children(server.pid)) == 2 and children(server.pid))
        assert all(answers(url) for _ in range(10))

        os.kill(min(workers), signal.SIGKILL)  # a worker dies: another takes its place
        replaced = wait_for(lambda: (c := children(server.pid)) and len(c) == 2
                            and min(workers) not in c and c)
        assert all(answers(url) for _ in range(10))

        server.terminate()
        assert server.wait(30) == 0
        wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in replaced))
    finally:
        if server.poll() is None:
            server.kill()
