"""The mention page's lifecycle controls and history; the tenant page's response panel."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from listening.models import Correction, Mention
from listening.models.mentions import ComplaintStatus as S
from tests.complaints.conftest import complaint


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(world, mention) -> str:
    return f"/t/{world.acme.slug}/mentions/{mention.pk}/"


def test_analysts_see_the_lifecycle_buttons_and_viewers_only_the_status(world):
    c = complaint(world)
    analyst = client_for(world.agency_user).get(page(world, c)).content.decode()
    assert 'value="resolve"' in analyst
    assert 'value="dismiss"' in analyst
    assert 'value="answer"' not in analyst  # the default policy counts only brand replies
    viewer = client_for(world.viewer).get(page(world, c)).content.decode()
    assert "Complaint" in viewer
    assert 'value="resolve"' not in viewer


def test_an_analyst_resolves_assigns_and_sees_the_history(world):
    c = complaint(world)
    client = client_for(world.agency_user)
    r = client.post(page(world, c), {"complaint_action": "resolve", "note": "Refunded"})
    assert r.status_code == 302
    client.post(page(world, c), {"complaint_action": "assign", "assigned_to": world.viewer.pk})
    stored = Mention.all_tenants.get(pk=c.pk)
    assert (stored.complaint_status, stored.assigned_to) == (S.RESOLVED, world.viewer)
    body = client.get(page(world, c)).content.decode()
    assert "resolved: open → <strong>resolved</strong>" in body
    assert "assigned to <strong>viewer</strong>" in body
    assert "“Refunded”" in body


def test_a_refused_step_is_explained_not_applied(world):
    c = complaint(world, status=S.RESOLVED)
    body = client_for(world.owner).post(page(world, c), {"complaint_action": "resolve"}).content.decode()
    assert "cannot be resolved" in body


def test_an_outsider_cannot_be_assigned_from_the_form(world):
    c = complaint(world)
    body = client_for(world.owner).post(
        page(world, c), {"complaint_action": "assign", "assigned_to": world.outsider.pk}
    ).content.decode()
    assert Mention.all_tenants.get(pk=c.pk).assigned_to is None
    assert "Select a valid choice" in body


def test_a_viewer_may_not_post_a_step(world):
    c = complaint(world)
    assert client_for(world.viewer).post(page(world, c), {"complaint_action": "dismiss"}).status_code == 403
    assert not Correction.all_tenants.exists()


def test_the_tenant_page_shows_response_figures(world):
    asked = timezone.now() - timedelta(days=2)
    complaint(world, published_at=asked, answered_at=asked + timedelta(minutes=30))
    complaint(world, published_at=asked)
    body = client_for(world.viewer).get(f"/t/{world.acme.slug}/").content.decode()
    assert "Responses to complaints, last 30 days" in body
    assert "50%" in body
    assert "1 of 2" in body
