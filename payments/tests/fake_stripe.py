"""A fake Stripe for the tests: the simulator served over HTTP on 127.0.0.1.

The real `stripe` client talks to it (requests, retries, timeouts and all); the test
can take it down, count the calls, and sign and deliver its events as Stripe does.
"""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from payments.gateways.simulator import MemoryStore, Simulator, decode_form


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self, method: str):
        fake: FakeStripe = self.server.fake
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        key = self.headers.get("Idempotency-Key")
        fake.calls.append((method, parts.path, key))
        with fake.lock:
            fake.in_flight += 1
            fake.most_in_flight = max(fake.most_in_flight, fake.in_flight)
        try:
            if fake.delay:
                time.sleep(fake.delay)  # slower than the client's timeout: it gives up
            self._respond(fake, method, parts, body, key)
        finally:
            with fake.lock:
                fake.in_flight -= 1

    def _respond(self, fake, method, parts, body, key):
        if fake.down:
            status, answer = (
                500,
                {"error": {"type": "api_error", "message": "Stripe is down (fake)."}},
            )
        else:
            params = decode_form(parts.query if method == "GET" else body)
            status, answer = fake.simulator.handle(method, parts.path, params, key)
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", "req_fake")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._answer("GET")

    def do_POST(self):
        self._answer("POST")

    def log_message(self, *args):
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that timed out closed its socket: nothing to report


class FakeStripe:
    def __init__(self):
        self.store = MemoryStore()
        self.simulator = Simulator(self.store)
        self.calls: list[tuple[str, str, str | None]] = []
        self.down = False
        self.delay = 0.0
        self.lock = threading.Lock()
        self.in_flight = self.most_in_flight = 0
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    # What happens at Stripe without us.

    def act(self, path: str, **params) -> dict:
        status, body = self.simulator.handle("POST", path, params)
        assert status in (200, 402), body
        return body

    def events(self, *, type: str | None = None, object_id: str | None = None):
        return [
            e
            for e in self.store.list_events()
            if (type is None or e["type"] == type)
            and (
                object_id is None
                or object_id
                in (
                    e["data"]["object"]["id"],
                    e["data"]["object"].get("payment_intent"),
                )
            )
        ]

    def object(self, object_id: str) -> dict:
        return self.store.get(object_id)


def sign(payload: str, secret: str, timestamp: int | None = None) -> str:
    """Return a Stripe-Signature header: t=<unix time>,v1=HMAC-SHA256(secret, t.payload)."""
    t = int(time.time() if timestamp is None else timestamp)
    digest = hmac.new(
        secret.encode(), f"{t}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t={t},v1={digest}"
