from __future__ import annotations

from django.urls import reverse

from listening.models import Correction, Mention
from listening.services.corrections import correction_create
from tests import factories


def url(mention, slug="acme"):
    return reverse("dashboard:mention", kwargs={"slug": slug, "mention_id": mention.pk})


def test_an_analyst_relabels_from_the_mention_page(client, world, acme_mentions):
    m = acme_mentions.broken
    client.force_login(world.agency_user)
    page = client.get(url(m)).content.decode()
    assert 'name="label"' in page
    assert "csrfmiddlewaretoken" in page
    response = client.post(url(m), {"label": "complaint:not_complaint"})
    assert response.status_code == 302
    assert response["Location"] == url(m)
    assert Mention.all_tenants.get(pk=m.pk).is_complaint is False
    page = client.get(url(m)).content.decode()
    assert "not_complaint" in page
    assert "agency" in page


def test_the_form_is_protected_by_csrf(world, acme_mentions):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)
    assert client.post(url(acme_mentions.fine), {"label": "spam:spam"}).status_code == 403
    assert not Correction.all_tenants.exists()


def test_the_page_shows_the_history_newest_first(client, world, acme_mentions):
    m = acme_mentions.fine
    correction_create(mention=m, field="spam", value="spam", user=world.owner)
    correction_create(mention=m, field="sentiment", value="negative", user=world.agency_user)
    client.force_login(world.viewer)
    page = client.get(url(m)).content.decode()
    assert page.index("Sentiment") < page.index("Spam:")
    assert 'name="label"' not in page  # viewers see the history, not the form


def test_a_viewer_may_not_relabel(client, world, acme_mentions):
    client.force_login(world.viewer)
    assert client.post(url(acme_mentions.fine), {"label": "spam:spam"}).status_code == 403
    assert not Correction.all_tenants.exists()


def test_an_outsider_gets_404(client, world, acme_mentions):
    client.force_login(world.outsider)
    assert client.post(url(acme_mentions.fine), {"label": "spam:spam"}).status_code == 404
    # Their own tenant in the URL, acme's mention in the id.
    assert client.post(url(acme_mentions.fine, slug="initech"),
                       {"label": "spam:spam"}).status_code == 404
    assert not Correction.all_tenants.exists()


def test_a_wrong_label_shows_an_error(client, world, acme_mentions):
    client.force_login(world.owner)
    response = client.post(url(acme_mentions.fine), {"label": "spam:maybe"})
    assert response.status_code == 200
    assert "alert-bad" in response.content.decode()
    assert not Correction.all_tenants.exists()


def test_the_page_costs_the_same_whatever_the_history(client, world, acme_mentions, count_queries):
    m = acme_mentions.fine
    client.force_login(world.viewer)
    without = count_queries(lambda: client.get(url(m)))
    for value in ["spam", "ham"] * 5:
        correction_create(mention=m, field="spam", value=value, user=factories.UserFactory())
    assert count_queries(lambda: client.get(url(m))) == without
