"""A stand-in for a platform's HTTPS API at the network edge: the HTTP client's one function,
answering from recorded response shapes (tests/fixtures/<kind>/). The suite's ``no_network``
fixture (tests/workers/conftest.py) fails any real connection attempted meanwhile."""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from workers.adapters import httpclient

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fixture(kind: str, name: str) -> bytes:
    return (FIXTURES / kind / name).read_bytes()


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def error(status: int, payload: Any, **headers: str) -> Answer:
    return Answer(status, json.dumps(payload).encode(), {"Content-Type": "application/json", **headers})


def respond(answer: Answer, url: str) -> httpclient.HttpResponse:
    """The HTTP client's answer for ``url`` holding a fake's ``answer``."""
    message = Message()
    for name, value in answer.headers.items():
        message[name] = value
    return httpclient.HttpResponse(answer.status, "", url, message, answer.body)


@dataclass
class Request:
    method: str
    host: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeApi:
    """Answers (method, path, page) from its routes, where ``page`` is the value of the query
    parameter named ``page_param``; a route's answers are given in turn, the last one again and
    again. An unknown request is a 404."""

    page_param: str = ""
    hosts: frozenset[str] = frozenset()
    routes: dict[tuple[str, str, str | None], list[Answer]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def route(self, path: str, *answers: Answer, page: str | None = None, method: str = "GET") -> None:
        self.routes[(method, path, page)] = list(answers)

    def json(self, path: str, kind: str, name: str, *, page: str | None = None, method: str = "GET") -> None:
        self.route(path, Answer(200, fixture(kind, name), {"Content-Type": "application/json"}),
                   page=page, method=method)

    def __call__(self, url: str, *, method: str = "GET", headers: dict[str, str] | None = None,
                 data: bytes | None = None, **_: Any) -> httpclient.HttpResponse:
        parts = urllib.parse.urlsplit(url)
        assert parts.scheme == "https", url
        assert parts.hostname in self.hosts, url
        params = {k: v[0] for k, v in urllib.parse.parse_qs(parts.query).items()}
        self.requests.append(Request(method, parts.hostname or "", parts.path, params, dict(headers or {}),
                                     data or b""))
        answers = self.routes.get((method, parts.path, params.get(self.page_param)))
        if not answers:
            answer = error(404, {"error": {"message": f"no route {parts.path}"}})
        else:
            answer = answers.pop(0) if len(answers) > 1 else answers[0]
        return respond(answer, url)

    def asked(self, path: str | None = None) -> list[tuple[str, str | None]]:
        return [(r.path, r.params.get(self.page_param)) for r in self.requests if path is None or r.path == path]


def install(monkeypatch: pytest.MonkeyPatch, fake: FakeApi) -> FakeApi:
    monkeypatch.setattr(httpclient, "http_request", fake)
    return fake
