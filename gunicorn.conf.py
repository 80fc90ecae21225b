"""Gunicorn settings for the office's web container (``gunicorn bureau.wsgi -c gunicorn.conf.py``).

Tunable from the environment: GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_TIMEOUT and gunicorn's own
FORWARDED_ALLOW_IPS (the proxy's address, when BEHIND_TLS_PROXY is on)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # noqa: S104 - inside the container; compose publishes it

# Synchronous workers: two to four, whatever the machine. Each holds one database connection
# (CONN_MAX_AGE), so more workers mean more PostgreSQL connections, not more speed on two cores.
workers = int(os.environ.get("GUNICORN_WORKERS", min(4, max(2, multiprocessing.cpu_count()))))
worker_class = "sync"

# Longer than the database statement timeout (30 s), so a slow query ends as an error page
# rather than as a killed worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then: a slow leak in a long-running process never grows large.
max_requests = 1000
max_requests_jitter = 100

# Heartbeat files in memory: a container's overlay file system can stall them.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's advice for containers

# We do not use gunicorn's control socket, and the image's home directory is read-only.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
