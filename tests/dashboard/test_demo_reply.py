"""The demo, as ``make run`` seeds it: a newcomer answers a complaint of a mock source from its page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from listening.management.commands.seed_demo import DEMO_USERNAME
from listening.models import Mention, OutgoingReply, ReplyStatus, Source, Tenant
from listening.models.mentions import ComplaintStatus
from listening.scoping import tenant_scope
from listening.services.sources import source_poll_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def source() -> Source:
    """The demo's first mock source, polled once through to the present."""
    call_command("seed_demo", backfill_days=1.0, stdout=io.StringIO())
    tenant = Tenant.objects.get(slug="telko-nusantara")
    source = Source.all_tenants.get(tenant=tenant, name="Mentions (mock)")
    with tenant_scope(tenant):
        while source_poll_once(source=source).has_more:
            source.refresh_from_db()
    return source


@pytest.fixture
def complaint(source: Source) -> Mention:
    return Mention.all_tenants.filter(source=source, is_complaint=True, is_brand_reply=False,
                                      complaint_status=ComplaintStatus.OPEN).latest("published_at")


@pytest.fixture
def newcomer(client: Any, source: Source) -> Any:
    client.force_login(get_user_model().objects.get(username=DEMO_USERNAME))
    return client


def page(mention: Mention) -> str:
    return f"/t/{mention.tenant.slug}/mentions/{mention.pk}/"


def test_a_demo_complaint_offers_the_reply_box(newcomer: Any, complaint: Mention) -> None:
    html = newcomer.get(page(complaint)).content.decode()
    assert "Post reply" in html
    assert "cannot post replies" not in html


def test_posting_from_the_page_answers_the_demo_complaint_once(newcomer: Any, complaint: Mention) -> None:
    form = {"text": "Sorry about the outage, a fix is rolling out", "idempotency_key": "k-demo-0001"}
    response = newcomer.post(f"{page(complaint)}reply/", form, follow=True)
    again = newcomer.post(f"{page(complaint)}reply/", form, follow=True)
    html = response.content.decode()
    assert "Your reply is posted" in html
    assert "Sorry about the outage, a fix is rolling out" in html
    assert again.status_code == 200
    assert list(OutgoingReply.all_tenants.filter(mention=complaint).values_list("status", flat=True)) == [
        ReplyStatus.SENT]
    assert Mention.all_tenants.filter(parent_external_id=complaint.external_id, is_brand_reply=True,
                                      text=form["text"]).count() == 1
    complaint.refresh_from_db()
    assert complaint.complaint_status == ComplaintStatus.ANSWERED


def test_a_refused_demo_reply_says_why_and_changes_nothing(
    newcomer: Any, source: Source, complaint: Mention
) -> None:
    source.config = {**source.config, "reply_fail_marker": "#fail"}
    source.save(update_fields=["config"])
    stored = Mention.all_tenants.filter(source=source).count()
    response = newcomer.post(f"{page(complaint)}reply/", {"text": "On it #FAIL", "idempotency_key": "k-demo-0002"},
                             follow=True)
    html = response.content.decode()
    assert "The reply was not posted" in html
    assert "failure marker" in html
    complaint.refresh_from_db()
    assert complaint.complaint_status == ComplaintStatus.OPEN
    assert Mention.all_tenants.filter(source=source).count() == stored
