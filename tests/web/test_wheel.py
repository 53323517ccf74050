"""The wheel is the product: installed outside the repository (no editable install, no checkout
beside it), it serves its pages with their CSS and JavaScript."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, deadline: float) -> tuple[int, bytes]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv outside the repository holding only the built wheel; the dependencies are
    the test environment's own (no download), reached through a path file, which loads no
    editable install of this repository."""
    where = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools writes build/ and *.egg-info into the tree it builds, and
    # under pytest -n each worker running a test of this module builds its own wheel at once.
    source = where / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "build", "index", "*.egg-info", "__pycache__", ".hypothesis"))
    # Built with the test environment's own setuptools and wheel: no download, no network.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--no-index", "-q", "-w", str(where / "dist"), str(source)],
                   check=True, timeout=600)
    wheel = next((where / "dist").glob("ofsted_search-*.whl"))
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True, timeout=300)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True).stdout
    Path(site.strip(), "test-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    return venv


def test_the_wheel_holds_the_static_files_templates_and_data(installed):
    python = installed / "bin" / "python"
    where = subprocess.run([str(python), "-c", "import webapp, indexer; print(webapp.__file__);"
                            "print(indexer.__file__)"], capture_output=True, text=True,
                           check=True, cwd=installed).stdout.split()
    assert all(str(installed) in w for w in where), where  # not the checkout
    package = Path(where[0]).parent
    assert (package / "static" / "style.css").is_file()
    assert (package / "static" / "filters.js").is_file()
    assert (package / "templates" / "search.html").is_file()


def test_the_installed_app_serves_its_css(installed, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seed = next((ROOT / "corpus").glob("*.txt"))
    (corpus / seed.name).write_bytes(seed.read_bytes())
    port = free_port()
    server = subprocess.Popen(
        [str(installed / "bin" / "ofsted-search"), "serve", "--index", str(tmp_path / "index"),
         "--corpus", str(corpus), "--port", str(port), "--processes", "1"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        status, css = get(f"http://127.0.0.1:{port}/static/style.css", deadline)
        assert status == 200 and b"{" in css
        status, page = get(f"http://127.0.0.1:{port}/search?q=care", deadline)
        assert status == 200 and b'href="/static/style.css' in page
    finally:
        server.terminate()
        server.wait(timeout=30)
