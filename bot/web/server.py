"""Serves the demo page and the embeddable chat widget (bot/web/) on WEB_PORT (default 8000).

    python -m bot.web.server

The page's widget talks to the Rasa server at CMQ_PUBLIC_SERVER_URL (default
http://localhost:5005); that server must list this page's origin in its CORS origins
(CMQ_ALLOWED_ORIGINS, see bot/ops/launch.py). The socket.io client is served from the npm package
installed by `make` (node_modules), so the page works with no internet access.

The page shows the campus map (bot/web/campus_map.py), drawn once when the server starts.

/insights shows the latest insights report (`cmq insights`, var/insights/) and its CSV files to
whoever gives the API token (CMQ_API_TOKEN, as `?token=` or `Authorization: Bearer`); without
it, or when no token is set, 401.
"""

from __future__ import annotations

import hmac
import html
import os
import re
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote

from knowledge.settings import PROJECT_ROOT

WEB_DIR = PROJECT_ROOT / "bot" / "web"
SOCKET_IO_CLIENT = PROJECT_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
ROUTES = {"/": "index.html", "/index.html": "index.html", "/widget.js": "widget.js",
          "/widget.css": "widget.css", "/page.css": "page.css", "/page.js": "page.js"}
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".csv": "text/csv; charset=utf-8"}
INSIGHTS_DIR = PROJECT_ROOT / "var" / "insights"
_INSIGHTS_FILE = re.compile(r"^/insights(?:/|/index\.html|/([a-z-]+\.csv))?$")


class WidgetHandler(SimpleHTTPRequestHandler):
    """Only the known files, with security headers; the page gets the server URL escaped."""

    def __init__(self, *args, server_url: str, campus_map: str = "", **kwargs):
        self.server_url = server_url
        self.campus_map = campus_map
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = self.path.split("?", 1)[0]
        if path == "/vendor/socket.io.min.js":
            return self._send(SOCKET_IO_CLIENT.read_bytes(), TYPES[".js"])
        insights = _INSIGHTS_FILE.match(path)
        if insights:
            return self._insights(insights.group(1) or "index.html")
        name = ROUTES.get(path)
        if name is None:
            return self.send_error(404, "Page introuvable")
        body = (WEB_DIR / name).read_bytes()
        if name == "index.html":
            body = body.replace(b"{{SERVER_URL}}", html.escape(self.server_url, quote=True).encode())
            body = body.replace(b"{{CAMPUS_MAP}}", self.campus_map.encode())
        return self._send(body, TYPES[Path(name).suffix])

    def _insights(self, name: str) -> None:
        token = os.environ.get("CMQ_API_TOKEN") or ""
        given = ((parse_qs(self.path.partition("?")[2]).get("token") or [""])[0]
                 or self.headers.get("Authorization", "").removeprefix("Bearer ").strip())
        if not token or not hmac.compare_digest(given.encode(), token.encode()):
            return self.send_error(401, "Jeton d'API requis")
        path = INSIGHTS_DIR / name
        if not path.is_file():
            return self.send_error(404, "Pas encore de rapport : lancez « make insights »")
        body = path.read_bytes()
        if name == "index.html":  # the CSV links, with the token the page was opened with
            link = f'href="/insights/\\1?token={quote(given)}"'.encode()
            body = re.sub(rb'href="([a-z-]+\.csv)"', link, body)
        return self._send(body, TYPES[path.suffix])

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


def campus_map() -> str:
    """The map's HTML, or a sentence saying why there is none (the page works without it)."""
    from bot.web.campus_map import MapUnavailable, campus_map_html
    from knowledge.queries import KnowledgeBaseUnavailable, open_knowledge_base

    try:
        return campus_map_html(open_knowledge_base())
    except (MapUnavailable, KnowledgeBaseUnavailable) as error:
        return f"<p>La carte n'est pas disponible ({html.escape(str(error))}).</p>"


def main() -> None:
    port = int(os.environ.get("WEB_PORT", "8000"))
    server_url = os.environ.get("CMQ_PUBLIC_SERVER_URL", "http://localhost:5005")
    handler = partial(WidgetHandler, server_url=server_url, campus_map=campus_map())
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
