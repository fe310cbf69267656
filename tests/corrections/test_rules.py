from __future__ import annotations

from listening.analysis.base import Analysis
from listening.models import Mention
from listening.scoping import tenant_scope
from listening.selectors.rules import apply_tenant_overrides
from listening.services.corrections import rule_create
from listening.services.ingestion import mentions_ingest
from tests.fakes import FakeClassifier
from workers.adapters.base import RawMention

engine = FakeClassifier()


def overrides(world, texts, **kwargs):
    with tenant_scope(world.acme):
        return apply_tenant_overrides(tenant=world.acme, texts=texts,
                                      analyses=engine.classify_many(texts), **kwargs)


def test_a_phrase_matches_whole_words_whatever_the_case(world):
    rule_create(tenant=world.acme, phrase="  Late   Delivery ", effect="complaint")
    out = overrides(world, ["acme LATE delivery again", "late deliveryman", "chocolate delivery"])
    assert [a.is_complaint for a in out] == [True, False, False]
    assert out[0].intent == "complaint"


def test_never_a_complaint_and_spam_rules(world):
    rule_create(tenant=world.acme, phrase="broken record", effect="not_complaint")
    rule_create(tenant=world.acme, phrase="promo code", effect="spam")
    rule_create(tenant=world.acme, phrase="buy now", effect="not_spam")
    out = overrides(world, ["this song is a broken record", "use promo code ACME",
                            "Buy now at acme.com", "something else"])
    assert [(a.is_complaint, a.is_spam) for a in out] == [
        (False, False), (False, True), (False, False), (False, False)
    ]
    assert out[0].intent == "other"


def test_a_brand_rule_applies_only_to_mentions_of_that_brand(world):
    other = world.acme_brand.__class__.all_tenants.create(tenant=world.acme, name="Roadrunner",
                                                          keywords=["beep"])
    rule_create(tenant=world.acme, phrase="slow", effect="complaint", brand=world.acme_brand)
    texts = ["acme is slow", "beep beep, slow", "slow day"]
    assert [a.is_complaint for a in overrides(world, texts)] == [True, False, False]
    known = overrides(world, texts, brand_ids=[other.pk, world.acme_brand.pk, None])
    assert [a.is_complaint for a in known] == [False, True, False]


def test_only_the_tenants_active_rules_apply(world):
    rule_create(tenant=world.globex, phrase="refund", effect="complaint")
    rule_create(tenant=world.acme, phrase="invoice", effect="complaint", is_active=False)
    out = overrides(world, ["refund please", "invoice please"])
    assert [a.is_complaint for a in out] == [False, False]


def test_the_more_specific_rule_wins(world):
    rule_create(tenant=world.acme, phrase="broken", effect="complaint")
    rule_create(tenant=world.acme, phrase="broken record", effect="not_complaint")
    out = overrides(world, ["broken record", "broken phone"])
    assert [a.is_complaint for a in out] == [False, True]


def test_it_costs_one_query_for_a_large_batch(world, count_queries):
    for i in range(30):
        rule_create(tenant=world.acme, phrase=f"phrase {i}", effect="complaint")
    texts = [f"text number {i} about acme" for i in range(5000)] + ["has phrase 7 in it"]
    analyses = engine.classify_many(texts)
    result: list[Analysis] = []
    with tenant_scope(world.acme):
        # The first batch also looks up which learnt model is in use (cached from then on).
        apply_tenant_overrides(tenant=world.acme, texts=texts[:1], analyses=analyses[:1])
        assert count_queries(lambda: result.extend(apply_tenant_overrides(
            tenant=world.acme, texts=texts, analyses=analyses))) == 1
    assert sum(a.is_complaint for a in result) == 1


def test_no_rules_leaves_the_analyses_alone(world):
    texts = ["broken acme"]
    analyses = engine.classify_many(texts)
    with tenant_scope(world.acme):
        assert apply_tenant_overrides(tenant=world.acme, texts=texts, analyses=analyses) == analyses


def test_rules_apply_at_ingestion(world, fake_classifier):
    rule_create(tenant=world.acme, phrase="no signal", effect="complaint")
    rule_create(tenant=world.acme, phrase="buy now", effect="not_spam")
    batch = [
        RawMention(external_id="r1", text="acme: no signal since morning",
                   published_at="2026-01-05T10:00:00Z", author_handle="a"),
        RawMention(external_id="r2", text="Buy now, acme sale", published_at="2026-01-05T10:00:00Z",
                   author_handle="b"),
    ]
    mentions_ingest(source=world.acme_source, batch=batch, expected_cursor=None, next_cursor=None)
    stored = {m.external_id: m for m in Mention.all_tenants.filter(tenant=world.acme)}
    assert (stored["r1"].is_complaint, stored["r1"].intent) == (True, "complaint")
    assert stored["r2"].is_spam is False


def test_ingestion_names_a_brand_as_its_brand_rules_do(world, fake_classifier):
    # A multi-word keyword across a line break, in capitals: the mention is the brand's, and the
    # brand's own rule applies to it; an exclusion, spaced out, is matched the same way.
    pay = world.acme_brand.__class__.all_tenants.create(
        tenant=world.acme, name="Kopi Senja", keywords=["kopi senja"], exclusions=["kopi senja palsu"])
    rule_create(tenant=world.acme, phrase="stuck", effect="spam", brand=pay)
    batch = [
        RawMention(external_id="p1", text="KOPI\nSENJA stuck again", published_at="2026-01-05T10:00:00Z",
                   author_handle="a"),
        RawMention(external_id="p2", text="kopi  senja   PALSU is stuck", published_at="2026-01-05T10:00:00Z",
                   author_handle="b"),
    ]
    mentions_ingest(source=world.acme_source, batch=batch, expected_cursor=None, next_cursor=None)
    stored = {m.external_id: m for m in Mention.all_tenants.filter(tenant=world.acme)}
    assert (stored["p1"].brand_id, stored["p1"].is_spam) == (pay.pk, True)
    assert stored["p2"].brand_id == world.acme_brand.pk  # the source's brand, not the excluded one
