"""A private, throwaway PostgreSQL cluster: its own data directory and loopback port."""

import os
import shutil
import subprocess
from pathlib import Path

from harness.processes import free_port

SHARED_CLUSTER_PORT = 5432


class PrivateCluster:
    """A PostgreSQL cluster of our own in a temporary directory, on its own loopback port."""

    def __init__(self, root, bin_dir):
        self.root = root
        self.bin = bin_dir
        self.data = root / "data"
        self.logfile = root / "postgresql.log"
        self.port = free_port()
        if self.port == SHARED_CLUSTER_PORT:  # never, but never touch the shared cluster
            raise RuntimeError("refusing to use the shared cluster's port")
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _pg(self, *args, check=True):
        result = subprocess.run(
            [*self.as_owner, *args], capture_output=True, text=True, timeout=120
        )
        if check and result.returncode:
            raise RuntimeError(f"{Path(args[0]).name} failed: {result.stderr.strip()[-500:]}")
        return result

    def init(self):
        if self.as_owner:
            self.root.parent.chmod(0o711)  # the postgres user may pass through to its own part
            shutil.chown(self.root, "postgres", "postgres")
        self._pg(
            str(self.bin / "initdb"),
            f"--pgdata={self.data}",
            "--username=postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )

    def start(self, *settings):
        options = [
            f"-p {self.port}",
            f"-k {self.root}",
            "-c listen_addresses=127.0.0.1",
            *(f"-c {setting}" for setting in settings),
        ]
        self._pg(
            str(self.bin / "pg_ctl"),
            "start",
            f"--pgdata={self.data}",
            f"--log={self.logfile}",
            "--wait",
            "--timeout=60",
            f"--options={' '.join(options)}",
        )

    def stop(self, mode="fast", check=True):
        return self._pg(
            str(self.bin / "pg_ctl"),
            "stop",
            f"--pgdata={self.data}",
            f"--mode={mode}",
            "--wait",
            "--timeout=60",
            check=check,
        )

    def copy_data_to(self, target):
        """A copy of the stopped cluster's data directory at `target`, whose parent must exist."""
        self._pg("cp", "-a", str(self.data), str(target))

    def replace_data_with(self, source):
        """The stopped cluster's data directory replaced by a copy of `source` (copy_data_to's)."""
        self._pg("rm", "-rf", str(self.data))
        self._pg("cp", "-a", str(source), str(self.data))

    def owned_directory(self, path):
        """`path`, made, for the cluster's owner to write in (its parent must exist)."""
        path.mkdir()
        if self.as_owner:
            path.parent.chmod(0o711)
            shutil.chown(path, "postgres", "postgres")
        return path

    def destroy(self):
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate", check=False)
