"""Real parts for the outage tests: a local SMTP sink, a slow-loris HTTP server and a Celery
worker in its own process, started from the Procfile's own command lines and killed with SIGKILL."""

import contextlib
import os
import select
import shlex
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


# --- SMTP ------------------------------------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_to: list[str]
    data: bytes
    at: float  # time.time() when the sink answered 250 to the message


class SmtpSink:
    """A mail server on 127.0.0.1 that keeps what it is given (``messages``).

    Two ways to misbehave, switchable while it runs:
    - ``hang_at_data``: after the DATA command it never answers (the client waits on its read);
      ``hanging`` is set when a client is stuck there;
    - ``before_quit``: called when a client says QUIT after a message, before any reply (a test
      kills the sending worker there: the message was accepted, the client never finished)."""

    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.hang_at_data = False
        self.hanging = threading.Event()
        self.before_quit: Callable[[], None] | None = None
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port = self._listener.getsockname()[1]
        self._stopped = threading.Event()
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> "SmtpSink":
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _address = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection, connection.makefile("rb") as reader:
            connection.sendall(b"220 sink.test ESMTP\r\n")
            mail_from, rcpt_to = "", []
            for raw in reader:
                command = raw.decode("ascii", "replace").strip()
                verb = command.split(" ", 1)[0].upper()
                if verb == "EHLO":
                    connection.sendall(b"250-sink.test\r\n250 8BITMIME\r\n")
                elif verb == "MAIL":
                    mail_from, rcpt_to = command[10:].strip("<> "), []
                    connection.sendall(b"250 OK\r\n")
                elif verb == "RCPT":
                    rcpt_to.append(command[8:].strip("<> "))
                    connection.sendall(b"250 OK\r\n")
                elif verb == "DATA":
                    if self.hang_at_data:
                        self.hanging.set()
                        reader.read()  # nothing more is ever said; returns when the client is gone
                        return
                    connection.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    lines = []
                    for line in reader:
                        if line in (b".\r\n", b".\n"):
                            break
                        lines.append(line)
                    with self._lock:
                        self.messages.append(Received(mail_from, rcpt_to, b"".join(lines), time.time()))
                    connection.sendall(b"250 OK queued\r\n")
                elif verb == "QUIT":
                    if self.before_quit is not None:
                        self.before_quit()
                        return
                    connection.sendall(b"221 Bye\r\n")
                    return
                else:  # RSET, NOOP, HELO
                    connection.sendall(b"250 OK\r\n")


# --- A server that trickles its headers -------------------------------------------------------------


@dataclass
class SlowConnection:
    opened: float
    closed: float | None = None


@dataclass
class SlowLorisServer:
    """Answers every request with one header byte per second, forever: never a whole response
    (until ``serve_body`` is set).
    ``connections`` records when each client connected and when it hung up."""

    byte_every: float = 1.0
    connections: list[SlowConnection] = field(default_factory=list)
    # Set to a feed's bytes to make the server well again: later requests get it whole, at once.
    serve_body: bytes | None = None

    def __post_init__(self) -> None:
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port = self._listener.getsockname()[1]
        self._stopped = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> "SlowLorisServer":
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _address = self._listener.accept()
            except OSError:
                return
            record = SlowConnection(opened=time.time())
            self.connections.append(record)
            threading.Thread(target=self._trickle, args=(connection, record), daemon=True).start()

    def _trickle(self, connection: socket.socket, record: SlowConnection) -> None:
        with connection:
            try:
                connection.recv(65536)
                if self.serve_body is not None:
                    head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(self.serve_body)}\r\nConnection: close\r\n\r\n"
                    connection.sendall(head.encode() + self.serve_body)
                    return
                header = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100_000
                for byte in header:
                    if self._stopped.is_set():
                        break
                    connection.sendall(bytes([byte]))
                    # Wait for the next byte's turn, noticing at once when the client hangs up.
                    readable, _writable, _failed = select.select([connection], [], [], self.byte_every)
                    if readable and not connection.recv(65536):
                        break
            except OSError:
                pass  # the client hung up: what the test waits for
            finally:
                record.closed = time.time()


# --- A Celery worker in its own process ---------------------------------------------------------


def procfile_command(name: str) -> list[str]:
    """The command line of one Procfile entry (what `make run` starts)."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        key, _, command = line.partition(":")
        if key.strip() == name:
            return shlex.split(command)
    raise KeyError(name)


def worker_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment a worker process needs to work on this test's database and broker."""
    from bureau.celery import app as celery_app  # read at call time: a test may point it elsewhere

    database = settings.DATABASES["default"]
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database.get("PASSWORD") else "")
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bureau.settings",
        "DATABASE_URL": f"postgres://{credentials}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "CELERY_BROKER_URL": celery_app.conf.broker_url,
        "VAR_DIR": str(tmp_path / "var"),
        "PYTHONUNBUFFERED": "1",
    }
    environment.pop("DEBUG", None)
    environment.update(extra)
    return environment


class WorkerProcess:
    """``celery worker`` as a child process in its own session, so SIGKILL reaches the pool's
    processes too (as when the machine or the container is killed). Its log is kept in a file."""

    def __init__(self, command: list[str], environment: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, seconds: float = 90.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if " ready." in self.log():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited with {self.process.returncode}:\n{self.log()}")
            time.sleep(0.3)
        raise AssertionError(f"the worker was not ready within {seconds} s:\n{self.log()}")

    def succeeded(self, task_id: str) -> bool:
        return self.result(task_id) is not None

    def result(self, task_id: str) -> str | None:
        """What the task returned, as the worker logged it ("True", "0"), once it has succeeded."""
        for line in self.log().splitlines():
            if f"[{task_id}] succeeded" in line:
                return line.rsplit(": ", 1)[1].strip()
        return None

    def kill(self) -> None:
        """SIGKILL to the worker and its pool: no clean-up, no acknowledgement, nothing recorded."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._log.close()

    def terminate(self) -> None:
        """The polite TERM alone, so that several workers shut down at once (``stop_workers``)."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)

    def stop(self) -> None:
        """For the end of a test: a polite TERM, then KILL if it lingers."""
        self.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=20)
        self.kill()


def stop_workers(*workers: "WorkerProcess | None") -> None:
    """Stop several workers at once: each warm shutdown takes seconds, and one after the other they
    added up at the end of every test that starts two."""
    running = [worker for worker in workers if worker is not None]
    for worker in running:
        worker.terminate()
    for worker in running:
        worker.stop()


class LocalHttpServer:
    """A threaded HTTP server on 127.0.0.1 with a port of its own, serving ``handler``; used as a
    context manager or with ``start()``/``stop()``. Its shutdown polls every 20 ms (``serve_forever``
    waits 0.5 s by default, at every stop of every test)."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def start(self):
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def wait_until(condition: Callable[[], object], *, seconds: float, every: float = 0.2) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(every)


def forget_redis_queue(broker_url: str, queue: str) -> None:
    """Remove a test queue and the unacknowledged deliveries a killed worker left for it."""
    import redis  # only the worker tests need the client

    client = redis.Redis.from_url(broker_url, socket_timeout=2)
    try:
        keys = list(client.scan_iter(match=f"*{queue}*"))
        if keys:
            client.delete(*keys)
        for tag, payload in client.hgetall("unacked").items():
            if queue.encode() in payload:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    finally:
        client.close()
