"""What the benchmark scripts measure around a step: wall seconds and peak resident memory,
sampled in a thread at 20 ms (`children=True` adds child processes: Dask workers)."""

from __future__ import annotations

import threading
import time

import psutil


class Peak:
    """`with Peak() as p: ...` then `p.seconds`, `p.peak` (bytes, the largest sample),
    `p.start` (bytes at entry) and `p.gb` (GiB above the level at entry)."""

    def __init__(self, children: bool = True, interval: float = 0.02):
        self.children, self.interval = children, interval
        self._stop = threading.Event()

    def _rss(self) -> int:
        me = psutil.Process()
        total = me.memory_info().rss
        for c in (me.children(recursive=True) if self.children else ()):
            try:
                total += c.memory_info().rss
            except psutil.Error:        # a worker that exited between listing and reading
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._rss())
            time.sleep(self.interval)

    def __enter__(self) -> Peak:
        self.start = self.peak = self._rss()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.t0
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())

    @property
    def gb(self) -> float:
        return (self.peak - self.start) / 2**30
