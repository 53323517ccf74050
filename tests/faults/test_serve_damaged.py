"""`ofsted-search serve` on a damaged index: a warning at start, then 503s, never a 500."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from click.testing import CliRunner

from indexer import cli, store


def test_serve_warns_at_start_that_the_index_is_damaged(index_dir, corpus, damage, monkeypatch):
    seen = {}
    monkeypatch.setattr("waitress.serve", lambda app, **kwargs: seen.update(app=app))
    damage(store.current_generation(index_dir), "cut")
    result = CliRunner().invoke(cli.cli, ["serve", "--processes", "1", "--index", str(index_dir),
                                          "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "Warning: the index in" in result.output and "damaged" in result.output
    assert "ofsted-search build --full" in result.output
    assert seen["app"].test_client().get("/").status_code == 503


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


@pytest.mark.slow
def test_a_real_server_answers_503_on_a_damaged_index_and_logs_why(index_dir, corpus, damage,
                                                                    tmp_path):
    damage(store.current_generation(index_dir), "cut")
    port = free_port()
    log = open(tmp_path / "server.log", "w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", "serve", "--processes", "2", "--port", str(port),
         "--index", str(index_dir), "--corpus", str(corpus)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):  # bounded wait for the server to listen (at most a minute)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        statuses = [get(base + path) for path in
                    ["/", "/search?q=care", "/api/search?q=care", "/search.csv?q=care"]]
        assert [s for s, _ in statuses] == [503] * 4
        assert "needs rebuilding" in statuses[0][1]
        assert "needs rebuilding" in json.loads(statuses[2][1])["error"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    log.seek(0)
    text = log.read()
    assert "damaged" in text and "Traceback" not in text
