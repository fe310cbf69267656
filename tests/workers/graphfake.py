"""A stand-in for the Graph API at the network edge: the HTTP client's one function, answering
from recorded response shapes (tests/fixtures/<kind>/), and a guard that fails any real
connection attempted meanwhile."""

from __future__ import annotations

import json
import socket
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.workers.apifake import Answer, fixture, respond
from workers.adapters import httpclient


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    url: str


@dataclass
class FakeGraph:
    """Answers (method, path, after-cursor) from its routes; a route's answers are given in turn,
    the last one again and again. An unknown request is a 404 with a Graph error body."""

    routes: dict[tuple[str, str, str | None], list[Answer]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def route(self, path: str, *answers: Answer, after: str | None = None, method: str = "GET") -> None:
        self.routes[(method, path, after)] = list(answers)

    def json(self, path: str, kind: str, name: str, *, after: str | None = None, method: str = "GET") -> None:
        self.route(path, Answer(200, fixture(kind, name), {"Content-Type": "application/json"}),
                   after=after, method=method)

    def __call__(self, url: str, *, method: str = "GET", headers: dict[str, str] | None = None,
                 data: bytes | None = None, **_: Any) -> httpclient.HttpResponse:
        parts = urllib.parse.urlsplit(url)
        assert parts.scheme == "https", url
        assert parts.hostname == "graph.facebook.com", url
        path = parts.path.split("/", 2)[2]  # past the version
        query = parts.query if method == "GET" else (data or b"").decode()
        params = {k: v[0] for k, v in urllib.parse.parse_qs(query).items()}
        self.requests.append(Request(method, path, params, dict(headers or {}), url))
        answers = self.routes.get((method, path, params.get("after")))
        if not answers:
            answer = Answer(404, json.dumps({"error": {"message": f"no route {path}", "code": 803}}).encode())
        else:
            answer = answers.pop(0) if len(answers) > 1 else answers[0]
        return respond(answer, url)

    def asked(self) -> list[tuple[str, str | None]]:
        return [(r.path, r.params.get("after")) for r in self.requests]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any real connection fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"a test tried to reach the network: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch, no_network: None) -> FakeGraph:
    """The Graph API as the HTTP client would reach it, faked at that one function."""
    fake = FakeGraph()
    monkeypatch.setattr(httpclient, "http_request", fake)
    return fake
