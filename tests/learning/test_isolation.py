"""A tenant's model learns from its own corrections only and decides for its own mentions only:
at ingestion and on reclassification."""

from __future__ import annotations

import io

from django.core.management import call_command

from listening.models import LearnedModel, Mention
from listening.scoping import tenant_scope
from listening.selectors import learning as learning_selectors
from listening.selectors.learning import learned_model, training_examples
from listening.services.corrections import correction_create
from listening.services.ingestion import mentions_ingest
from listening.services.learning import learning_use_engine, tenant_model_train
from tests.learning.conftest import mention_in, pulsa_texts, teach
from workers.adapters.base import RawMention

COMPLAINT = "pulsa ilang terus dari pagi"
CHATTER = "watching the match tonight haha"


def ingest(source, *texts: str) -> dict[str, Mention]:
    batch = [RawMention(external_id=f"new-{i}", text=t, published_at="2026-01-05T10:00:00Z",
                        author_handle=f"u{i}") for i, t in enumerate(texts)]
    mentions_ingest(source=source, batch=batch, expected_cursor=source.cursor, next_cursor=None)
    return {m.text: m for m in Mention.all_tenants.filter(source=source, external_id__startswith="new-")}


def teach_the_opposite(world, n: int = 40) -> None:
    """Globex's team labels the same kind of mentions the other way round."""
    flip = {"complaint": "not_complaint", "not_complaint": "complaint"}
    for text, label in pulsa_texts(n):
        correction_create(mention=mention_in(world.globex_source, text), field="complaint",
                          value=flip[label], user=None)


def test_each_tenant_learns_from_its_own_corrections_only(world, taught):
    teach_the_opposite(world)
    with tenant_scope(world.acme):
        acme = training_examples(tenant=world.acme, limit_per_task=1000)
    with tenant_scope(world.globex):
        globex = training_examples(tenant=world.globex, limit_per_task=1000)
    assert acme.count == globex.count == 40
    assert set(acme.texts["complaint"]).isdisjoint(
        {t for t, lab in zip(globex.texts["complaint"], globex.labels["complaint"], strict=True)
         if lab == "complaint" and t.startswith("pulsa")})
    for tenant in (world.acme, world.globex):
        assert tenant_model_train(tenant_id=tenant.pk).status == "trained"
    assert LearnedModel.all_tenants.filter(tenant=world.acme).get().corrections == 40
    assert LearnedModel.all_tenants.filter(tenant=world.globex).get().corrections == 40


def test_at_ingestion_each_tenant_gets_its_own_model_and_others_the_engine(world, taught):
    teach_the_opposite(world)
    tenant_model_train(tenant_id=world.acme.pk)
    tenant_model_train(tenant_id=world.globex.pk)

    acme = ingest(world.acme_source, COMPLAINT, CHATTER)
    assert acme[COMPLAINT].is_complaint
    assert acme[COMPLAINT].complaint_status == "open"
    assert not acme[CHATTER].is_complaint

    globex = ingest(world.globex_source, COMPLAINT, CHATTER)
    assert not globex[COMPLAINT].is_complaint
    assert globex[CHATTER].is_complaint

    # Initech corrected nothing: the (fake) engine alone, which knows only "broken".
    initech = ingest(world.initech_source, COMPLAINT, CHATTER)
    assert not initech[COMPLAINT].is_complaint
    assert not initech[CHATTER].is_complaint


def test_going_back_to_the_engine_takes_effect_at_the_next_batch(
        world, taught, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tenant_model_train(tenant_id=world.acme.pk)
    with tenant_scope(world.acme):
        assert learned_model(tenant=world.acme) is not None
    with django_capture_on_commit_callbacks(execute=True), tenant_scope(world.acme):
        learning_use_engine(tenant=world.acme, user=world.owner)
    with tenant_scope(world.acme):
        assert learned_model(tenant=world.acme) is None
    assert not ingest(world.acme_source, COMPLAINT)[COMPLAINT].is_complaint


def test_reclassification_applies_the_tenants_model_to_its_stored_mentions_only(world, taught):
    acme_old = mention_in(world.acme_source, COMPLAINT)
    globex_old = mention_in(world.globex_source, COMPLAINT)
    teach(world, None, n=40, source=world.globex_source, seed=1)
    tenant_model_train(tenant_id=world.acme.pk)
    tenant_model_train(tenant_id=world.globex.pk)
    LearnedModel.all_tenants.filter(tenant=world.globex).update(is_active=False)

    out = io.StringIO()
    call_command("reclassify_mentions", "--tenant", "acme", "--tenant", "globex", stdout=out,
                 stderr=io.StringIO())
    assert Mention.all_tenants.get(pk=acme_old.pk).is_complaint
    assert not Mention.all_tenants.get(pk=globex_old.pk).is_complaint  # globex uses the engine
    # A person's label still beats the model.
    corrected = taught.corrections[0].mention
    assert Mention.all_tenants.get(pk=corrected.pk).is_complaint is False


def test_the_model_in_use_costs_no_query_per_batch_once_known(world, taught, count_queries):
    tenant_model_train(tenant_id=world.acme.pk)
    with tenant_scope(world.acme):
        assert learned_model(tenant=world.acme) is not None
        assert count_queries(lambda: learned_model(tenant=world.acme)) == 0


def test_a_cache_behind_a_change_is_put_right_by_the_database(world, taught):
    tenant_model_train(tenant_id=world.acme.pk)
    with tenant_scope(world.acme):
        assert learned_model(tenant=world.acme) is not None
    # Deactivated behind the cache's back (no commit hook ran): the process's decoded copy is
    # dropped and the database's answer, the engine, wins.
    learning_selectors._cache.clear()
    LearnedModel.all_tenants.filter(tenant=world.acme).update(is_active=False)
    with tenant_scope(world.acme):
        assert learned_model(tenant=world.acme) is None
