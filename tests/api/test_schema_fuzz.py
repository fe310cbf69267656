"""The OpenAPI document tells the truth: schemathesis fuzzes every operation of /api/v1/schema/
against the app, in-process (WSGI), and fails on any 5xx, an undocumented status or content type,
a response body the document does not describe, or input that breaks the document accepted.

    pytest tests/api/test_schema_fuzz.py -s    # prints operations, test cases, 5xx, failures

Bounded and repeatable: hypothesis is derandomized and each operation gets at most
``MAX_EXAMPLES`` generated cases (on top of schemathesis' coverage cases), so a run takes a few
minutes on a small machine and finds the same things every time. It runs on SQLite and PostgreSQL.

The caller is an admin of ``acme`` with a read-write token, so writes are exercised; the path's
tenant is always ``acme`` (a random slug is only ever a 404), and an ``id`` in a path is, half the
time, the id of a row of the seeded world. Nothing here reaches the network: the only source kind
that fetches (rss) is validated when a source is created, never polled (no worker runs).
"""

from __future__ import annotations

import logging
import socket
from datetime import date, timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.core.result import Err
from schemathesis.pytest.lazy import get_all_tests

import listening.api.flags as flags
from listening.models import (
    Alert,
    AlertChannel,
    Correction,
    Role,
    TenantHoliday,
    TenantRule,
)
from listening.wsgi import application
from tests import factories

MAX_EXAMPLES = 12
HYPOTHESIS = settings(deadline=None, derandomize=True, database=None, max_examples=MAX_EXAMPLES,
                      suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])

CHECKS = {
    "not_a_server_error": {"enabled": True},
    "status_code_conformance": {"enabled": True},
    "content_type_conformance": {"enabled": True},
    "response_schema_conformance": {"enabled": True},
    # Schema-valid data can still be refused by rules a schema cannot state (a name already
    # taken, since after until), so accepted-positive is not required; rejected-negative is.
    "negative_data_rejection": {"enabled": True},
    "positive_data_acceptance": {"enabled": False},
}


def _no_network(*args, **kwargs):
    raise OSError(f"the schema fuzz reached for the network: {args!r}")


@pytest.fixture
def fuzz_world(world):
    """``world`` plus one of everything in ``acme``, and an admin to make the requests."""
    acme, brand, source = world.acme, world.acme_brand, world.acme_source
    admin = factories.UserFactory(username="fuzz-admin")
    factories.MembershipFactory(user=admin, tenant=acme, role=Role.ADMIN)
    now = timezone.now()
    mentions = [
        factories.MentionFactory(source=source, brand=brand, text="My order is broken",
                                 is_complaint=True, published_at=now - timedelta(hours=5)),
        factories.MentionFactory(source=source, brand=brand, text="Love it",
                                 published_at=now - timedelta(days=2)),
    ]
    alert = Alert.all_tenants.create(
        tenant=acme, kind=Alert._meta.get_field("kind").choices[0][0], key="fuzz",
        title="Volume falling", explanation="Fewer mentions than usual.", data={"change": -0.5},
    )
    channel = AlertChannel.all_tenants.create(tenant=acme, name="Ops", kind="email",
                                              target="ops@example.com")
    holiday = TenantHoliday.all_tenants.create(tenant=acme, date=date(2026, 12, 25), name="Natal")
    rule = TenantRule.all_tenants.create(tenant=acme, phrase="refund please", effect="complaint",
                                         created_by=world.owner)
    correction = Correction.all_tenants.create(
        tenant=acme, mention=mentions[1], field="sentiment", old_value="neutral",
        new_value="positive", created_by=world.owner)
    ids = sorted({brand.pk, source.pk, alert.pk, channel.pk, holiday.pk, rule.pk, correction.pk,
                  *(m.pk for m in mentions)})
    return admin, ids


@pytest.fixture
def api_schema(world, fuzz_world, api_client_for, monkeypatch):
    admin, ids = fuzz_world
    # Django's own test client keeps the test's connection open across requests: so do we.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # The network is out of bounds: a name resolved or a connection opened is an error.
    monkeypatch.setattr(socket, "getaddrinfo", _no_network)
    monkeypatch.setattr(socket, "create_connection", _no_network)
    # Throttling is tested elsewhere; here it would only cut the fuzz short.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES",
                        {scope: "100000/min" for scope in SimpleRateThrottle.THROTTLE_RATES})
    client = api_client_for(admin, tenant=world.acme)
    config = schemathesis.Config.from_dict({
        "seed": 20261127,
        "headers": {"Authorization": client._credentials["HTTP_AUTHORIZATION"]},
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "dictionaries": {"ids": {"values": ids}},
        "parameters": {
            "path.tenant_slug": "acme",
            "path.id": {"dictionary": "ids", "probability": 0.5},
        },
        "checks": CHECKS,
    })
    quiet = [logging.getLogger(name) for name in ("django.request", "dengar.request")]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.ERROR)  # thousands of 4xx lines otherwise
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, config=config)
    finally:
        for logger, level in zip(quiet, levels, strict=True):
            logger.setLevel(level)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def fuzz(schema) -> tuple[int, list[int], list[str]]:
    """Each operation of ``schema`` fuzzed: how many operations, the status of every request, and
    the failures found (one per failing operation, as hypothesis stops at the first)."""
    # schemathesis' own pytest integration renames pytest nodes through an attribute pytest 9
    # no longer has; its test builder is used directly, one hypothesis test per operation.
    calls: list[int] = []

    def check(case: schemathesis.Case) -> None:
        response = case.call()
        calls.append(response.status_code)
        case.validate_response(response)

    failures: list[str] = []
    operations = 0
    for result in get_all_tests(schema=schema, test_func=check, settings=HYPOTHESIS, given_kwargs=None):
        if isinstance(result, Err):
            failures.append(f"schema error: {result.err()}")
            continue
        operation, test = result.ok()
        operations += 1
        try:
            test()
        except (Exception, BaseExceptionGroup) as exc:  # every operation is tried, then all reported
            failures.append(f"{operation.label}: {exc}")
    return operations, calls, failures


@pytest.mark.slow  # minutes: every operation, many generated requests
def test_every_operation_keeps_to_the_schema(api_schema):
    operations, calls, failures = fuzz(api_schema)
    server_errors = sum(status >= 500 for status in calls)
    print(f"schemathesis: {operations} operations, {len(calls)} test cases, {server_errors} answered 5xx, "
          f"{len(failures)} operations failing")
    documented = sum(method in {"get", "put", "post", "patch", "delete"}
                     for methods in api_schema.raw_schema["paths"].values() for method in methods)
    assert operations == documented > 40  # every operation of the document, none skipped
    assert not failures, "\n\n".join(failures)


def test_the_fuzz_catches_an_answer_the_document_does_not_describe(api_schema, monkeypatch):
    # The canary: a view answering with a status its operation does not document is caught.
    monkeypatch.setattr(flags.FlagsView, "get", lambda self, request, *args, **kwargs: Response(
        {"detail": "I'm a teapot."}, status=418))
    only_flags = api_schema.include(path="/api/v1/tenants/{tenant_slug}/flags/", method="GET")
    operations, _, failures = fuzz(only_flags)
    assert operations == 1
    assert len(failures) == 1, failures
    assert "Undocumented status code" in failures[0], failures
