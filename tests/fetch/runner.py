"""Running `ofsted-search fetch` against the local replica, as the tests do."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from indexer.cli import cli

from .replica import Replica

# No waiting between requests, and quick retries: the replica answers at once.
FAST = ["--delay", "0", "--backoff", "0.05", "--timeout", "1", "--retries", "3"]


def run_fetch(replica: Replica, corpus: Path, *args: str) -> tuple[int, dict]:
    """`ofsted-search fetch --json` against the replica: (exit status, the summary)."""
    result = CliRunner().invoke(cli, ["fetch", "--site", replica.base, "--corpus", str(corpus),
                                      "--json", *FAST, *args])
    assert result.stdout.strip(), result.output
    return result.exit_code, json.loads(result.stdout)
