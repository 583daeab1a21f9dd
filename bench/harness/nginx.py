"""nginx in front of gunicorn, with the shipped site configuration (docs/deploy/nginx.conf) as
production runs it, on loopback and without TLS: what the slow-client test and the benchmarks
that measure the deployment start."""

import os
import shutil
import subprocess
from pathlib import Path

NGINX = shutil.which("nginx", path="/usr/sbin:/usr/bin")


def _configuration(directory, site, listen_port, gunicorn_port):
    """A minimal nginx.conf in `directory` holding the site configuration `site` (its text),
    listening on loopback `listen_port` and passing to gunicorn on `gunicorn_port`."""
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{gunicorn_port};")
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{listen_port};")
    site = "\n".join(line for line in site.splitlines() if "ssl_certificate" not in line)
    (directory / "site.conf").write_text(site)
    temp = {kind: directory / kind for kind in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    main = f"""
        daemon off; worker_processes 1; pid {directory}/nginx.pid;
        error_log {directory}/error.log;
        {"user root;" if os.geteuid() == 0 else ""}
        events {{ worker_connections 512; }}
        http {{
            access_log off;
            client_body_temp_path {temp["body"]}; proxy_temp_path {temp["proxy"]};
            fastcgi_temp_path {temp["fastcgi"]}; uwsgi_temp_path {temp["uwsgi"]};
            scgi_temp_path {temp["scgi"]};
            include {directory}/site.conf;
        }}
    """
    (directory / "nginx.conf").write_text(main)
    return directory / "nginx.conf"


def command(root, directory, listen_port, gunicorn_port):
    """The command that runs nginx with the site configuration of the checkout at `root`, on
    loopback `listen_port` in front of gunicorn on `gunicorn_port`, its files in `directory`
    (made if need be)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    site = (Path(root) / "docs" / "deploy" / "nginx.conf").read_text()
    conf = _configuration(directory, site, listen_port, gunicorn_port)
    return [NGINX, "-c", str(conf), "-p", str(directory)]


def start(root, directory, listen_port, gunicorn_port):
    """nginx as `command` runs it, started."""
    return subprocess.Popen(
        command(root, directory, listen_port, gunicorn_port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
