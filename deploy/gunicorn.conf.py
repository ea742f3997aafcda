"""gunicorn settings for Kezdesu: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Everything can be overridden from the environment file (deploy/kezdesu.env.example).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: the slow work (imports, optimiser runs, mail) is done by `manage.py worker`.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# The proxy in front (nginx) is the only one whose X-Forwarded-Proto is believed.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1")
# Requests are logged by the application (one JSON line each, with the request id); errors go to stderr.
accesslog = None
errorlog = "-"
loglevel = "warning"
# Heartbeat files in memory, not on a disk that may stall (gunicorn docs, "Blocking OS calls").
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 — shared memory, not a temp file
proc_name = os.environ.get("GUNICORN_NAME", "kezdesu-web")


def child_exit(server, worker):
    """With several workers, /metrics adds up what each wrote; a dead worker's live gauges are dropped."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
