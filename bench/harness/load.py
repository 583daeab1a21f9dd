"""A load of concurrent readers, and what their answers add up to."""

import random
import statistics
import threading

from harness.http import REQUEST_TIMEOUT_S, request, succeeded


class Load:
    """Threads that fetch random paths from the mix until stopped, recording every answer."""

    def __init__(self, port, paths, concurrency):
        self.port = port
        self.paths = paths
        self.concurrency = concurrency
        self.answers = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self.work, args=(index,), daemon=True)
            for index in range(concurrency)
        ]

    def work(self, index):
        rng = random.Random(index)  # noqa: S311 - choosing paths, not secrets
        while not self.stopping.is_set():
            answer, _ = request(self.port, "GET", rng.choice(self.paths))
            answer.body = answer.body if not succeeded(answer) else ""  # keep memory bounded
            with self.lock:
                self.answers.append(answer)

    def start(self):
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=REQUEST_TIMEOUT_S + 5)


def latency_summary(answers):
    if not answers:
        return {"requests": 0}
    started = min(a.started for a in answers)
    ended = max(a.ended for a in answers)
    millis = sorted((a.ended - a.started) * 1000 for a in answers)
    return {
        "requests": len(answers),
        "requests_per_second": round(len(answers) / max(ended - started, 1e-9), 1),
        "p50_ms": round(statistics.median(millis), 1),
        "p95_ms": round(millis[int(len(millis) * 0.95) - 1], 1) if len(millis) > 1 else None,
        "errors": sum(not succeeded(a) for a in answers),
    }


def describe(answer):
    what = answer.error or f"{answer.status} {answer.body[:160]!r}"
    return f"{answer.method} {answer.path}: {what}"
