"""Processes the benchmarks start: commands, free ports, gunicorn and its workers."""

import socket
import subprocess
import sys
import time
from pathlib import Path

from harness.http import request

ROOT = Path(__file__).resolve().parents[2]  # the repository
PYTHON = sys.executable
CONFIG = "cooperation.project.gunicorn"  # production's gunicorn configuration module


def log(message):
    print(message, flush=True)


def run(command, env=None, **kwargs):
    return subprocess.run(command, env=env, cwd=ROOT, check=True, **kwargs)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env, port, workers=2, logfile=None, timeout=120, root=ROOT, config=CONFIG):
    """gunicorn serving the atlas on loopback with production's configuration (threads,
    request limits), once it answers. The fault test waits out outages, so its default timeout
    is longer than production's 30 s; pass `timeout=None` for production's own. `root` is the
    checkout it serves (bench/side_by_side.py serves an earlier commit's beside this one);
    `config` the configuration module (bench/collector.py's adds to production's)."""
    process = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            f"--config=python:{config}",
            "cooperation.project.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            *([f"--timeout={timeout}"] if timeout else []),
            "--max-requests=0",  # no worker replaced mid-measurement
            "--log-level=warning",
        ],
        env=env,
        cwd=root,
        stdout=logfile,
        stderr=subprocess.STDOUT if logfile else None,
    )
    return answering(process, port, "/robots.txt", "gunicorn")


def answering(process, port, path, name, seconds=60):
    """`process` once it answers `path` on `port`; an error if it exits or takes `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer, _ = request(port, "GET", path)
        if answer.status == 200:
            return process
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise RuntimeError(f"{name} did not start")


def worker_pids(master_pid):
    return sorted(
        int(pid)
        for pid in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    )
