from __future__ import annotations

from datetime import timedelta

import pytest

from listening.models import Correction, Mention, VolumeDaily, VolumeHourly
from listening.scoping import tenant_scope
from listening.services.corrections import correction_create
from listening.services.rollups import volume_refresh
from tests import factories
from tests.corrections.conftest import stored


def fresh(mention: Mention) -> Mention:
    return Mention.all_tenants.get(pk=mention.pk)


def test_a_correction_overrides_the_engine_at_once(world, acme_mentions):
    m = acme_mentions.fine
    correction_create(mention=m, field="complaint", value="complaint", user=world.agency_user)
    m = fresh(m)
    assert m.is_complaint is True
    assert m.intent == "complaint"
    assert m.complaint_confidence == 1.0


@pytest.mark.parametrize(
    ("text", "sentiment", "intent"),
    [
        ("My Acme order arrived broken", "negative", "other"),
        ("Is my acme order broken?", "negative", "question"),
        ("Broken box but I love Acme", "positive", "praise"),
    ],
)
def test_not_a_complaint_recomputes_intent_from_sentiment(world, text, sentiment, intent):
    m = stored(text, world, sentiment=sentiment)
    assert m.is_complaint
    correction_create(mention=m, field="complaint", value="not_complaint", user=world.owner)
    m = fresh(m)
    assert (m.is_complaint, m.intent, m.complaint_confidence) == (False, intent, 0.0)


def test_it_keeps_a_history_and_the_latest_wins(world, acme_mentions):
    m = acme_mentions.fine
    correction_create(mention=m, field="spam", value="spam", user=world.owner)
    correction_create(mention=m, field="spam", value="ham", user=world.agency_user)
    correction_create(mention=m, field="sentiment", value="negative", user=world.owner)
    history = list(Correction.all_tenants.filter(mention=m).order_by("id")
                   .values_list("field", "old_value", "new_value", "created_by__username"))
    assert history == [
        ("spam", "ham", "spam", "owner"),
        ("spam", "spam", "ham", "agency"),
        ("sentiment", "neutral", "negative", "owner"),
    ]
    m = fresh(m)
    assert m.is_spam is False
    assert m.sentiment == "negative"
    assert all(c.tenant_id == world.acme.pk for c in Correction.all_tenants.filter(mention=m))


def test_an_unknown_label_is_refused(world, acme_mentions):
    with pytest.raises(ValueError, match="not a spam label"):
        correction_create(mention=acme_mentions.fine, field="spam", value="complaint", user=None)
    assert not Correction.all_tenants.exists()


def test_it_refreshes_the_rollup_bucket_of_the_mention(world, acme_mentions):
    mentions = list(Mention.all_tenants.filter(tenant=world.acme))
    with tenant_scope(world.acme):
        volume_refresh(tenant_id=world.acme.pk, source_id=world.acme_source.pk,
                       timestamps=[m.published_at for m in mentions])

    def counts(model):
        rows = model.all_tenants.filter(tenant=world.acme, source=world.acme_source)
        return (sum(r.mentions for r in rows), sum(r.complaints for r in rows),
                sum(r.negative for r in rows))

    assert counts(VolumeHourly) == (3, 1, 1)  # spam is not counted
    correction_create(mention=acme_mentions.fine, field="complaint", value="complaint", user=None)
    correction_create(mention=acme_mentions.spam, field="spam", value="ham", user=None)
    correction_create(mention=acme_mentions.love, field="sentiment", value="negative", user=None)
    assert counts(VolumeHourly) == (4, 2, 2)
    assert counts(VolumeDaily) == (4, 2, 2)


def test_a_mention_relabelled_as_complaint_gets_its_brand_reply_linked(world, acme_mentions):
    m = acme_mentions.fine
    reply_at = m.published_at + timedelta(minutes=20)
    factories.MentionFactory(source=world.acme_source, is_brand_reply=True,
                             parent_external_id=m.external_id, published_at=reply_at)
    correction_create(mention=m, field="complaint", value="complaint", user=None)
    assert fresh(m).answered_at == reply_at
