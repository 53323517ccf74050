"""Deadlines: a search given a time.monotonic() deadline looks at the clock between the nodes of
the query it evaluates, every CHECK_EVERY paragraphs within the long ones, and between its
stages, and raises TimeLimitExceeded once past it, so no query can hold a worker for long."""
from __future__ import annotations

import time
from typing import Optional

from ._whoosh import collectors

CHECK_EVERY = 512         # matching paragraphs between two looks at the clock


class TimeLimitExceeded(Exception):
    """A search ran past its deadline and was stopped."""


def now() -> float:
    return time.monotonic()


def check(deadline: Optional[float]) -> None:
    if deadline is not None and now() >= deadline:
        raise TimeLimitExceeded


def ticking(items, deadline: Optional[float]):
    """`items`, with a look at the clock every CHECK_EVERY of them."""
    if deadline is None:
        yield from items
        return
    for i, item in enumerate(items):
        if i % CHECK_EVERY == 0:
            check(deadline)
        yield item


class DeadlineCollector(collectors.UnlimitedCollector):
    """Every match, scored (Whoosh's own TimeLimitCollector needs SIGALRM: main thread only)."""

    def __init__(self, deadline: Optional[float]):
        super().__init__()
        self.deadline = deadline

    def collect_matches(self):
        collect = self.collect
        for sub_docnum in ticking(self.matches(), self.deadline):
            collect(sub_docnum)


class Ticker:
    """Counts paragraphs handled and looks at the clock every CHECK_EVERY of them. A callable
    object rather than a bound method, so that the posting reader holding it keeps no reference
    back to the executor (a cycle would keep a search's posting lists alive until the garbage
    collector's next full pass)."""

    def __init__(self, deadline: Optional[float]):
        self.deadline = deadline
        self.handled = 0  # paragraphs handled since the last look at the clock

    def __call__(self, n: int = 1) -> None:
        if self.deadline is not None:
            self.handled += n
            while self.handled >= CHECK_EVERY:
                self.handled -= CHECK_EVERY
                check(self.deadline)
