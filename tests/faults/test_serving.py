"""The web app never serves a damaged generation: the previous good one, else a 503."""
from __future__ import annotations

import logging

import pytest

from indexer import store
from indexer.build import build
from webapp import create_app

PAGES = ["/", "/search?q=care+leavers", "/reports/0000000000000000"]


def client_for(index_dir, corpus):
    return create_app(index_dir=index_dir, corpus_dir=corpus).test_client()


def add_report(corpus, word="zephyrwidget"):
    """Change the corpus so the next build writes a new generation holding `word`."""
    letter = sorted(corpus.glob("*.txt"))[0]
    letter.write_text(letter.read_text("utf-8") + f"\n\nInspectors saw the {word} panel.\n",
                      "utf-8")


def total(client, q):
    response = client.get(f"/api/search?q={q}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["total"]


def test_with_no_good_generation_every_page_is_a_503_saying_the_index_needs_rebuilding(
        index_dir, corpus, damage, caplog):
    damage(store.current_generation(index_dir), "cut")
    client = client_for(index_dir, corpus)
    with caplog.at_level(logging.ERROR):
        for page in PAGES:
            response = client.get(page)
            assert response.status_code == 503, page
            assert "needs rebuilding" in response.get_data(as_text=True)
        api = client.get("/api/search?q=care")
    assert api.status_code == 503 and "needs rebuilding" in api.get_json()["error"]
    assert "Traceback" not in caplog.text and "damaged" in caplog.text


def test_a_server_keeps_serving_the_previous_generation_when_the_new_one_is_damaged(
        index_dir, corpus, damage, caplog):
    client = client_for(index_dir, corpus)
    assert total(client, "zephyrwidget") == 0
    add_report(corpus)
    # full: no segment hard-linked from the previous generation, which stays undamaged
    new = build(corpus, index_dir, show_progress=False, jobs=1, full=True).generation
    damage(new, "flip")  # same size: only the checksum tells
    with caplog.at_level(logging.ERROR):
        assert total(client, "zephyrwidget") == 0  # still the previous generation
        assert client.get("/").status_code == 200
    assert new.name in caplog.text and "checksum differs" in caplog.text
    # The next good build is picked up as usual.
    add_report(corpus, "quixotrumble")
    build(corpus, index_dir, show_progress=False, jobs=1)
    assert total(client, "zephyrwidget") == 1 and total(client, "quixotrumble") == 1


def test_a_server_started_on_a_damaged_generation_serves_the_one_before(index_dir, corpus,
                                                                       damage):
    add_report(corpus)
    new = build(corpus, index_dir, show_progress=False, jobs=1, full=True).generation
    damage(new, "cut")
    client = client_for(index_dir, corpus)
    assert client.get("/search?q=care").status_code == 200
    assert total(client, "zephyrwidget") == 0  # the previous build's reports


def test_damage_found_after_opening_is_a_503_and_stops_that_generation(index_dir, corpus,
                                                                      damage, monkeypatch):
    client = client_for(index_dir, corpus)
    assert total(client, "care") > 0
    # A file damaged while open fails inside a search (Whoosh raises EOFError on a cut file);
    # make the search fail that way, and the file be damaged on disk.
    damage(store.current_generation(index_dir), "delete:reports.json")
    from indexer.engine import Engine

    def failing(self, *args, **kwargs):
        raise EOFError("Ran out of input")
    monkeypatch.setattr(Engine, "search", failing)
    response = client.get("/search?q=care")
    assert response.status_code == 503
    assert "needs rebuilding" in response.get_data(as_text=True)
    monkeypatch.undo()
    assert client.get("/search?q=care").status_code == 503  # no other generation to fall to


def test_an_unexpected_error_on_a_whole_index_is_still_a_500(index_dir, corpus, monkeypatch):
    client = client_for(index_dir, corpus)
    from indexer.engine import Engine

    def failing(self, *args, **kwargs):
        raise RuntimeError("a bug")
    monkeypatch.setattr(Engine, "search", failing)
    assert client.get("/search?q=care").status_code == 500
    monkeypatch.undo()
    assert client.get("/search?q=care").status_code == 200


def test_a_server_lets_go_of_the_previous_generation_after_a_switch(index_dir, corpus,
                                                                    monkeypatch):
    # Its engine sits in reference cycles: without a full collection a server switched a few
    # times held every generation's tables (the soak's memory growth).
    import gc
    import weakref
    monkeypatch.setattr(store, "COLLECT_AFTER", 0)  # no grace period for requests still on it
    client = client_for(index_dir, corpus)
    assert total(client, "care") > 0
    old = weakref.ref(client.application.extensions["index_reader"].snapshot().engine)
    gc.disable()  # only the reader's own collection may free it
    try:
        add_report(corpus)
        build(corpus, index_dir, show_progress=False, jobs=1, full=True)
        assert total(client, "zephyrwidget") == 1  # switched
        assert total(client, "care") > 0
        assert old() is None
    finally:
        gc.enable()
