"""The dashboard in Bahasa Indonesia or English: from the browser's Accept-Language by default,
from the header's switcher once chosen; the mention list names languages instead of codes."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from dashboard.charts import daily_chart
from listening.selectors.volume import VolumePoint
from listening.services.alert_sweep import unanswered_conditions
from tests import factories

pytestmark = pytest.mark.django_db


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_a_browser_asking_for_indonesian_gets_the_tenant_page_in_indonesian(world):
    factories.MentionFactory(source=world.acme_source, text="Paketnya belum sampai", lang="id")
    body = signed_in(world.owner).get("/t/acme/", HTTP_ACCEPT_LANGUAGE="id-ID,id;q=0.9,en;q=0.5").content.decode()
    assert '<html lang="id">' in body
    assert "Mention terbaru" in body
    assert "Keluar" in body  # the header's sign-out button
    assert ">Indonesia<" in body  # the mention's language by its name, in Indonesian
    assert "Newest mentions" not in body


def test_a_browser_asking_for_english_gets_english(world):
    factories.MentionFactory(source=world.acme_source, text="Paketnya belum sampai", lang="id")
    body = signed_in(world.owner).get("/t/acme/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="en">' in body
    assert "Newest mentions" in body
    assert ">Indonesian<" in body
    assert "Mention terbaru" not in body


def test_the_mention_filters_name_the_languages_in_the_readers_language(world):
    factories.MentionFactory(source=world.acme_source, text="Paketnya belum sampai", lang="id")
    factories.MentionFactory(source=world.acme_source, text="Bungkusan belum sampai lagi", lang="ms")
    body = signed_in(world.owner).get("/t/acme/mentions/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<option value="id">Indonesia</option>' in body
    assert '<option value="ms">Melayu</option>' in body
    assert "Semua bahasa" in body


def test_the_switcher_posts_the_choice_and_it_outlasts_the_browsers_language(world):
    client = signed_in(world.owner, enforce_csrf_checks=True)
    page = client.get("/t/acme/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert 'action="/i18n/setlang/"' in body
    assert 'name="language" value="id"' in body
    assert 'name="language" value="en"' in body
    token = page.context["csrf_token"]

    chosen = client.post("/i18n/setlang/", {"language": "id", "next": "/t/acme/",
                                            "csrfmiddlewaretoken": str(token)})
    assert chosen.status_code == 302
    assert chosen["Location"] == "/t/acme/"
    body = client.get("/t/acme/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="id">' in body
    assert "Mention terbaru" in body

    client.post("/i18n/setlang/", {"language": "en", "next": "/t/acme/", "csrfmiddlewaretoken": str(token)})
    assert "Newest mentions" in client.get("/t/acme/", HTTP_ACCEPT_LANGUAGE="id").content.decode()


def test_the_switcher_refuses_a_post_without_the_csrf_token(world):
    client = signed_in(world.owner, enforce_csrf_checks=True)
    assert client.post("/i18n/setlang/", {"language": "id", "next": "/t/acme/"}).status_code == 403


def test_the_login_page_is_in_the_browsers_language(client):
    body = client.get("/login/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Masuk ke Dengar" in body
    assert "Kata sandi" in body


def test_the_overdue_alert_is_written_in_the_active_language(world):
    now = timezone.now()
    factories.MentionFactory(source=world.acme_source, is_complaint=True, published_at=now - timedelta(hours=30))
    with translation.override("id"):
        [condition] = unanswered_conditions(tenants=[world.acme], now=now)[world.acme.pk]
    assert "belum dibalas brand" in condition.title
    assert "melewati target respons" in condition.explanation
    with translation.override("en"):
        [condition] = unanswered_conditions(tenants=[world.acme], now=now)[world.acme.pk]
    assert "without a brand reply" in condition.title


def test_the_charts_day_labels_name_the_month_in_the_readers_language():
    first = datetime(2026, 10, 1, tzinfo=UTC)
    points = [VolumePoint(start=first + timedelta(days=i), mentions=3, complaints=1, negative=0) for i in range(15)]
    now = datetime(2026, 12, 1, tzinfo=UTC)  # every day is over: no "today" bar
    with translation.override("id"):
        assert [b.label for b in daily_chart(points, now=now).bars if b.label] == ["1 Okt", "8 Okt", "15 Okt"]
    with translation.override("en"):
        assert [b.label for b in daily_chart(points, now=now).bars if b.label] == ["1 Oct", "8 Oct", "15 Oct"]
