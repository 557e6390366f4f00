"""Serves the demo page and the embeddable chat widget (bot/web/) on WEB_PORT (default 8000).

    python -m bot.web_server

The page's widget talks to the Rasa server at CMQ_PUBLIC_SERVER_URL (default
http://localhost:5005); that server must list this page's origin in its CORS origins
(CMQ_ALLOWED_ORIGINS, see bot/serve.sh). The socket.io client is served from the npm package
installed by `make` (node_modules), so the page works with no internet access.
"""

from __future__ import annotations

import html
import os
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from knowledge.settings import PROJECT_ROOT

WEB_DIR = PROJECT_ROOT / "bot" / "web"
SOCKET_IO_CLIENT = PROJECT_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
ROUTES = {"/": "index.html", "/index.html": "index.html", "/widget.js": "widget.js",
          "/widget.css": "widget.css", "/page.css": "page.css"}
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8"}


class WidgetHandler(SimpleHTTPRequestHandler):
    """Only the known files, with security headers; the page gets the server URL escaped."""

    def __init__(self, *args, server_url: str, **kwargs):
        self.server_url = server_url
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = self.path.split("?", 1)[0]
        if path == "/vendor/socket.io.min.js":
            return self._send(SOCKET_IO_CLIENT.read_bytes(), TYPES[".js"])
        name = ROUTES.get(path)
        if name is None:
            return self.send_error(404, "Page introuvable")
        body = (WEB_DIR / name).read_bytes()
        if name == "index.html":
            body = body.replace(b"{{SERVER_URL}}", html.escape(self.server_url, quote=True).encode())
        return self._send(body, TYPES[Path(name).suffix])

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Access-Control-Allow-Origin", "*")  # the widget may be embedded anywhere
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # quiet: no user data in logs
        pass


def main() -> None:
    port = int(os.environ.get("WEB_PORT", "8000"))
    server_url = os.environ.get("CMQ_PUBLIC_SERVER_URL", "http://localhost:5005")
    handler = partial(WidgetHandler, server_url=server_url)
    httpd = ThreadingHTTPServer(("0.0.0.0", port), handler)
    print(f"Page de démonstration : http://localhost:{port}/ (assistant : {server_url})", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()
