"""A real HTTP server on 127.0.0.1 that serves the feeds the intake tests need."""

import contextlib
import time
from http.server import BaseHTTPRequestHandler

from tests.realparts import LocalHttpServer


class Route:
    def __init__(self, body=b"", status=200, headers=None, delay=0.0, chunks=None):
        self.body, self.status, self.headers, self.delay, self.chunks = body, status, headers or {}, delay, chunks


class FeedServer(LocalHttpServer):
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server.hits[self.path] = server.hits.get(self.path, 0) + 1
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.delay:
                    time.sleep(route.delay)
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.chunks is not None:
                    # No Content-Length: the client only learns the size by reading.
                    self.send_header("Connection", "close")
                    self.end_headers()
                    try:
                        for chunk in route.chunks():
                            self.wfile.write(chunk)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    self.close_connection = True
                    return
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(route.body)

        super().__init__(Handler)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body=b"", **kwargs) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body=body, **kwargs)
        return self.url(path)


def rss(items, *, title="论坛") -> str:
    """RSS 2.0 with items given as dicts (guid, title, description, link, author, pubDate)."""
    parts = []
    for item in items:
        fields = "".join(
            f"<{name}>{value}</{name}>" for name, value in item.items() if name not in ("guid",) and value is not None
        )
        guid = f'<guid isPermaLink="false">{item["guid"]}</guid>' if item.get("guid") else ""
        parts.append(f"<item>{guid}{fields}</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.org/</link><description>d</description>"
        + "".join(parts)
        + "</channel></rss>"
    )


def atom(entries) -> str:
    parts = []
    for entry in entries:
        parts.append(
            f"<entry><id>{entry['id']}</id><title>{entry['title']}</title>"
            f'<link href="{entry.get("link", "")}"/><updated>{entry.get("updated", "2026-03-01T08:00:00Z")}</updated>'
            f"<author><name>{entry.get('author', '网友')}</name></author>"
            f'<content type="html">{entry.get("content", "")}</content></entry>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>微博</title><id>urn:feed</id><updated>2026-03-01T08:00:00Z</updated>" + "".join(parts) + "</feed>"
    )
