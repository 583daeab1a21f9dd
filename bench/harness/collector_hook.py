"""gunicorn's configuration for bench/collector.py: production's (cooperation/project/gunicorn.py),
with each worker writing every garbage collection it makes (its generation and the CPU it took,
in the collecting thread) to a file of its own in COLLECTOR_LOG_DIR. With COLLECTOR_DEFAULTS set,
the worker goes back to Python's defaults after production's hook has run (nothing frozen, a
young collection every 700 objects), so that the two can be compared; with COLLECTOR_THRESHOLDS
("20000,10,10"), it keeps production's frozen objects and takes those thresholds instead."""

import gc
import os
import time
from pathlib import Path

from cooperation.project.gunicorn import *  # noqa: F403 - production's settings, every one
from cooperation.project.gunicorn import post_worker_init as production_post_worker_init

PYTHON_DEFAULT_THRESHOLDS = (700, 10, 10)


def post_worker_init(worker):
    production_post_worker_init(worker)
    if os.environ.get("COLLECTOR_DEFAULTS"):
        gc.unfreeze()
        gc.set_threshold(*PYTHON_DEFAULT_THRESHOLDS)
    elif os.environ.get("COLLECTOR_THRESHOLDS"):
        gc.set_threshold(*map(int, os.environ["COLLECTOR_THRESHOLDS"].split(",")))
    log = (Path(os.environ["COLLECTOR_LOG_DIR"]) / f"{os.getpid()}.log").open("a", buffering=1)
    started = {}

    def record(phase, info):
        if phase == "start":
            started["cpu"] = time.thread_time()
        else:
            spent = (time.thread_time() - started["cpu"]) * 1000
            log.write(f"{info['generation']} {spent:.3f}\n")

    gc.callbacks.append(record)
