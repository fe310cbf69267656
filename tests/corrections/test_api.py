from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from listening.models import Correction, Mention, TenantRule
from listening.services.corrections import correction_create, rule_create
from tests import factories

BASE = "/api/v1/tenants/acme"


def post_correction(client, mention_id, field="complaint", value="complaint"):
    return client.post(f"{BASE}/corrections/", {"mention": mention_id, "field": field,
                                                "value": value}, format="json")


def test_an_analyst_relabels_a_mention(world, api_client_for, acme_mentions):
    m = acme_mentions.fine
    response = post_correction(api_client_for(world.agency_user), m.pk)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("mention", "field", "old_value", "new_value", "created_by")} == {
        "mention": m.pk, "field": "complaint", "old_value": "not_complaint",
        "new_value": "complaint", "created_by": "agency",
    }
    assert Mention.all_tenants.get(pk=m.pk).is_complaint is True
    # The mention endpoint shows the human label from now on.
    detail = api_client_for(world.viewer).get(f"{BASE}/mentions/{m.pk}/").json()
    assert (detail["is_complaint"], detail["intent"]) == (True, "complaint")


def test_relabelling_a_complaint_through_the_api_dismisses_it(world, api_client_for):
    c = factories.MentionFactory(source=world.acme_source, is_complaint=True,
                                 complaint_status="open", text="My Acme order arrived broken")
    response = post_correction(api_client_for(world.agency_user), c.pk, value="not_complaint")
    assert response.status_code == 201, response.json()
    assert Mention.all_tenants.get(pk=c.pk).complaint_status == "dismissed"
    detail = api_client_for(world.viewer).get(f"{BASE}/complaints/{c.pk}/").json()
    assert detail["status"] == "dismissed"


def test_a_viewer_may_read_but_not_correct(world, api_client_for, acme_mentions):
    client = api_client_for(world.viewer)
    assert post_correction(client, acme_mentions.fine.pk).status_code == 403
    assert client.get(f"{BASE}/corrections/").status_code == 200
    assert not Correction.all_tenants.exists()


def test_an_outsider_gets_404(world, api_client_for, acme_mentions):
    client = api_client_for(world.outsider)
    assert post_correction(client, acme_mentions.fine.pk).status_code == 404
    assert client.get(f"{BASE}/corrections/").status_code == 404
    assert client.get(f"{BASE}/rules/").status_code == 404


def test_another_tenants_mention_is_a_field_error(world, api_client_for):
    globex_mention = factories.MentionFactory(source=world.globex_source)
    response = post_correction(api_client_for(world.agency_user), globex_mention.pk)
    assert response.status_code == 400
    assert "mention" in response.json()
    assert Mention.all_tenants.get(pk=globex_mention.pk).is_complaint is False
    assert not Correction.all_tenants.exists()


def test_a_label_must_belong_to_the_field(world, api_client_for, acme_mentions):
    response = post_correction(api_client_for(world.owner), acme_mentions.fine.pk,
                               field="spam", value="positive")
    assert response.status_code == 400
    assert "value" in response.json()


def test_it_lists_corrections_filtered_by_field_and_since(world, api_client_for, acme_mentions):
    old = correction_create(mention=acme_mentions.fine, field="spam", value="spam", user=None)
    Correction.all_tenants.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    recent = correction_create(mention=acme_mentions.love, field="sentiment", value="neutral",
                               user=world.owner)
    globex = factories.MentionFactory(source=world.globex_source)
    correction_create(mention=globex, field="spam", value="spam", user=None)
    client = api_client_for(world.viewer)

    def ids(params=None):
        response = client.get(f"{BASE}/corrections/", params or {})
        assert response.status_code == 200, response.json()
        return [c["id"] for c in response.json()["results"]]

    assert ids() == [recent.pk, old.pk]
    assert ids({"field": "spam"}) == [old.pk]
    assert ids({"since": (timezone.now() - timedelta(days=1)).isoformat()}) == [recent.pk]
    assert ids({"mention": acme_mentions.love.pk}) == [recent.pk]
    assert client.get(f"{BASE}/corrections/", {"field": "colour"}).status_code == 400


def test_the_corrections_list_costs_the_same_whatever_its_length(world, api_client_for,
                                                                 acme_mentions, count_queries):
    client = api_client_for(world.viewer)
    correction_create(mention=acme_mentions.fine, field="spam", value="spam", user=world.owner)
    few = count_queries(lambda: client.get(f"{BASE}/corrections/"))
    for m in (acme_mentions.broken, acme_mentions.love, acme_mentions.spam):
        for value in ("spam", "ham"):
            correction_create(mention=m, field="spam", value=value, user=world.agency_user)
    assert count_queries(lambda: client.get(f"{BASE}/corrections/")) == few


def test_the_rules_list_costs_the_same_whatever_its_length(world, api_client_for, count_queries):
    client = api_client_for(world.viewer)
    rule_create(tenant=world.acme, phrase="one", effect="spam", brand=world.acme_brand,
                user=world.owner)
    few = count_queries(lambda: client.get(f"{BASE}/rules/"))
    for i in range(6):
        rule_create(tenant=world.acme, phrase=f"p{i}", effect="spam", brand=world.acme_brand,
                    user=world.agency_user)
    assert count_queries(lambda: client.get(f"{BASE}/rules/")) == few


def test_an_analyst_manages_rules(world, api_client_for):
    client = api_client_for(world.agency_user)
    response = client.post(f"{BASE}/rules/", {"phrase": "  No SIGNAL ", "effect": "complaint",
                                              "brand": world.acme_brand.pk}, format="json")
    assert response.status_code == 201, response.json()
    rule = response.json()
    assert (rule["phrase"], rule["effect"], rule["brand"], rule["is_active"], rule["created_by"]) == (
        "no signal", "complaint", world.acme_brand.pk, True, "agency")
    url = f"{BASE}/rules/{rule['id']}/"
    assert client.get(f"{BASE}/rules/").json()["results"][0]["id"] == rule["id"]
    assert client.patch(url, {"is_active": False}, format="json").json()["is_active"] is False
    assert client.delete(url).status_code == 204
    assert not TenantRule.all_tenants.exists()


def test_a_duplicate_rule_is_a_400(world, api_client_for):
    client = api_client_for(world.owner)
    body = {"phrase": "refund", "effect": "complaint"}
    assert client.post(f"{BASE}/rules/", body, format="json").status_code == 201
    response = client.post(f"{BASE}/rules/", {**body, "phrase": "REFUND"}, format="json")
    assert response.status_code == 400
    assert "phrase" in response.json()


def test_a_rule_for_another_tenants_brand_is_a_field_error(world, api_client_for):
    response = api_client_for(world.owner).post(
        f"{BASE}/rules/", {"phrase": "x", "effect": "spam", "brand": world.globex_brand.pk},
        format="json")
    assert response.status_code == 400
    assert "brand" in response.json()


def test_a_viewer_cannot_manage_rules(world, api_client_for):
    rule = rule_create(tenant=world.acme, phrase="refund", effect="complaint")
    client = api_client_for(world.viewer)
    assert client.get(f"{BASE}/rules/{rule.pk}/").status_code == 200
    assert client.post(f"{BASE}/rules/", {"phrase": "a", "effect": "spam"},
                       format="json").status_code == 403
    assert client.delete(f"{BASE}/rules/{rule.pk}/").status_code == 403
    assert TenantRule.all_tenants.count() == 1


def test_another_tenants_rule_is_not_found(world, api_client_for):
    rule = rule_create(tenant=world.globex, phrase="refund", effect="complaint")
    client = api_client_for(world.owner)
    assert client.get(f"{BASE}/rules/{rule.pk}/").status_code == 404
    assert client.delete(f"{BASE}/rules/{rule.pk}/").status_code == 404


@pytest.mark.parametrize("accept", [None, "text/csv"])
def test_an_analyst_exports_the_corrections_as_csv(world, api_client_for, acme_mentions, accept):
    correction_create(mention=acme_mentions.fine, field="complaint", value="complaint", user=None)
    correction_create(mention=acme_mentions.spam, field="spam", value="ham", user=None)
    globex = factories.MentionFactory(source=world.globex_source, text="globex secret")
    correction_create(mention=globex, field="spam", value="spam", user=None)
    client = api_client_for(world.agency_user)
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = client.get(f"{BASE}/corrections/export/", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["text"], r["label"], r["task"], r["tenant"]) for r in rows] == [
        ("Acme delivered today", "complaint", "complaint", "acme"),
        ("BUY NOW cheap acme followers", "ham", "spam", "acme"),
    ]
    only_spam = client.get(f"{BASE}/corrections/export/", {"task": "spam"}, **headers)
    assert only_spam.content.decode().count("\n") == 2


def test_a_viewer_cannot_export(world, api_client_for):
    assert api_client_for(world.viewer).get(f"{BASE}/corrections/export/").status_code == 403
    assert api_client_for(world.outsider).get(f"{BASE}/corrections/export/").status_code == 404
