"""Replaying recorded HTTP responses (VCR cassettes, as pystac-client keeps for its own tests)
through a requests adapter: the session answers only requests that were recorded, in order, and
fails on any other. No socket is opened."""

from __future__ import annotations

import json
from pathlib import Path

import requests
import yaml
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict


class Replay(BaseAdapter):
    """Answers each request with the next recorded interaction of the same method and URL (and,
    with `match_body`, the same JSON body); `sent` keeps what was asked."""

    def __init__(self, cassette: Path, *, match_body: bool = True):
        super().__init__()
        self.interactions = yaml.safe_load(Path(cassette).read_text(encoding="utf-8"))["interactions"]
        self.match_body = match_body
        self.sent: list[tuple[str, str, dict | None]] = []

    def send(self, request, **kwargs):
        body = json.loads(request.body) if request.body else None
        self.sent.append((request.method, request.url, body))
        for i, it in enumerate(self.interactions):
            rec = it["request"]
            rec_body = json.loads(rec["body"]) if rec.get("body") else None
            if rec["method"] == request.method and rec["uri"] == request.url and (
                    not self.match_body or rec_body == body):
                self.interactions.pop(i)
                return self._response(request, it["response"])
        raise AssertionError(f"no recorded response for {request.method} {request.url} {body}")

    @staticmethod
    def _response(request, recorded) -> requests.Response:
        r = requests.Response()
        r.status_code = recorded["status"]["code"]
        r.reason = recorded["status"]["message"]
        r._content = recorded["body"]["string"].encode("utf-8")
        r.headers = CaseInsensitiveDict({"Content-Type": "application/json"})
        r.encoding = "utf-8"
        r.url, r.request = request.url, request
        return r

    def close(self):
        pass


def session(adapter: Replay) -> requests.Session:
    s = requests.Session()
    s.mount("https://", adapter)
    s.mount("http://", adapter)
    return s
