"""Questions and requests put to the brand wait for a reply too: stored at ingestion, answered
by a brand reply, kept in step by corrections and reclassification."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from listening.models import ComplaintEvent, Mention
from listening.models.mentions import ComplaintStatus, ReplyKind
from listening.scoping import tenant_scope
from listening.selectors.flags import tenant_flags
from listening.services.alert_sweep import unanswered_conditions
from listening.services.corrections import correction_create
from listening.services.ingestion import mentions_ingest
from tests import factories
from workers.adapters.base import RawMention


def ingest(source, *raws: RawMention) -> None:
    source.refresh_from_db()
    mentions_ingest(source=source, batch=list(raws), expected_cursor=source.cursor,
                    next_cursor={"n": (source.cursor or {}).get("n", 0) + 1})


def kind(external_id: str) -> str:
    return Mention.all_tenants.get(external_id=external_id).reply_kind


def test_ingestion_stores_what_each_mention_waits_for(world, fake_classifier):
    at = timezone.now() - timedelta(hours=1)
    ingest(world.acme_source,
           RawMention("c", "My Acme order arrived broken, can you DM me?", at, "budi", "", "mock"),
           RawMention("q", "min, Acme buka jam berapa?", at, "sari", "", "mock"),
           RawMention("r", "bisa tolong cek pesanan Acme sy", at, "ani", "", "mock"),
           RawMention("n", "Acme delivered today", at, "tono", "", "mock"),
           RawMention("s", "BUY NOW cheap acme followers, can you DM me", at, "bot", "", "mock"))
    assert [kind(x) for x in "cqrns"] == ["complaint", "question", "request", "", ""]
    # A question has no complaint lifecycle.
    assert Mention.all_tenants.get(external_id="q").complaint_status == ComplaintStatus.NONE


def test_the_brands_own_question_waits_for_nothing(world, fake_classifier):
    factories.BrandAccountFactory(brand=world.acme_brand, platform="mock", handle="acme_care")
    ingest(world.acme_source, RawMention("b", "Acme here: can you DM us your order number?",
                                         timezone.now(), "acme_care", "", "mock"))
    assert kind("b") == ""


def test_a_brand_reply_answers_a_question_without_making_it_a_complaint(world, fake_classifier):
    factories.BrandAccountFactory(brand=world.acme_brand, platform="mock", handle="acme_care")
    asked = timezone.now() - timedelta(hours=2)
    ingest(world.acme_source, RawMention("q", "how do I change my Acme address?", asked, "budi", "",
                                         "mock"))
    ingest(world.acme_source, RawMention("a", "In the app, under Profile", asked + timedelta(minutes=9),
                                         "acme_care", "", "mock", parent_external_id="q"))
    question = Mention.all_tenants.get(external_id="q")
    assert question.answered_at == asked + timedelta(minutes=9)
    assert question.complaint_status == ComplaintStatus.NONE
    assert not ComplaintEvent.all_tenants.filter(mention=question).exists()


def test_a_reply_stored_before_its_question_still_answers_it(world, fake_classifier):
    factories.BrandAccountFactory(brand=world.acme_brand, platform="mock", handle="acme_care")
    asked = timezone.now() - timedelta(hours=2)
    ingest(world.acme_source, RawMention("a", "Yes, until 22:00", asked + timedelta(minutes=4),
                                         "acme_care", "", "mock", parent_external_id="q"))
    ingest(world.acme_source, RawMention("q", "is the Acme store open tonight?", asked, "budi", "",
                                         "mock"))
    assert Mention.all_tenants.get(external_id="q").answered_at == asked + timedelta(minutes=4)


def test_a_correction_moves_the_reply_kind_with_the_complaint_label(world, fake_classifier):
    mention = factories.MentionFactory(source=world.acme_source, text="where is my Acme parcel?",
                                       reply_kind=ReplyKind.QUESTION)
    correction_create(mention=mention, field="complaint", value="complaint", user=None)
    assert mention.reply_kind == ReplyKind.COMPLAINT
    correction_create(mention=mention, field="complaint", value="not_complaint", user=None)
    assert Mention.all_tenants.get(pk=mention.pk).reply_kind == ReplyKind.QUESTION
    correction_create(mention=mention, field="spam", value="spam", user=None)
    assert Mention.all_tenants.get(pk=mention.pk).reply_kind == ReplyKind.NONE


def test_a_mention_that_becomes_a_question_on_reclassification_gets_its_earlier_answer(
    world, fake_classifier,
):
    factories.BrandAccountFactory(brand=world.acme_brand, platform="mock", handle="acme_care")
    asked = timezone.now() - timedelta(hours=3)
    question = factories.MentionFactory(source=world.acme_source, external_id="q", published_at=asked,
                                        text="kapan Acme buka cabang di Medan?")  # stored before
    factories.MentionFactory(source=world.acme_source, parent_external_id="q", is_brand_reply=True,
                             published_at=asked + timedelta(hours=1), text="Tahun depan, kak")
    call_command("reclassify_mentions", "--tenant", world.acme.slug, stdout=io.StringIO(),
                 stderr=io.StringIO())
    question = Mention.all_tenants.get(pk=question.pk)
    assert question.reply_kind == ReplyKind.QUESTION
    assert question.answered_at == asked + timedelta(hours=1)



# --- the tenant's choice, the API and the mention page ----------------------------------------

SETTINGS = "/api/v1/tenants/acme/response-settings/"


def test_the_overdue_setting_is_read_by_members_and_written_by_admins(world, api_client_for):
    assert api_client_for(world.viewer).get(SETTINGS).json()["overdue_counts"] == "complaints"
    change = {"overdue_counts": "complaints_questions"}
    assert api_client_for(world.viewer).patch(SETTINGS, change, format="json").status_code == 403
    body = api_client_for(world.owner).patch(SETTINGS, change, format="json").json()
    assert body["overdue_counts"] == "complaints_questions"
    world.acme.refresh_from_db()
    assert world.acme.overdue_counts == "complaints_questions"


def test_an_unknown_overdue_setting_is_a_400(world, api_client_for):
    bad = api_client_for(world.owner).patch(SETTINGS, {"overdue_counts": "everything"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()) == {"overdue_counts"}


def test_the_mention_page_says_what_the_mention_waits_for_and_if_the_flag_counts_it(
    world, session_client_for,
):
    question = factories.MentionFactory(source=world.acme_source, text="buka jam berapa min?",
                                        reply_kind=ReplyKind.QUESTION)
    url = f"/t/acme/mentions/{question.pk}/"
    body = session_client_for(world.owner).get(url).content.decode()
    assert 'data-reply-kind="question"' in body
    assert "Not counted by the overdue flag, which counts: Complaints only." in body
    world.acme.overdue_counts = "complaints_questions"
    world.acme.save()
    body = session_client_for(world.owner).get(url).content.decode()
    assert "Counted by the overdue flag once past the response target." in body


# --- what the overdue flag counts follows the tenant's setting ----------------------------------


def waiting(world, kind: str, *, days: int = 3, **fields) -> Mention:
    """A mention of ``kind`` published ``days`` ago (overdue whatever the business hours)."""
    texts = {"complaint": "My Acme order arrived broken", "question": "buka jam berapa min?",
             "request": "can you DM me"}
    values = {"source": world.acme_source, "brand": world.acme_brand, "text": texts[kind],
              "reply_kind": kind, "published_at": timezone.now() - timedelta(days=days)}
    if kind == "complaint":
        values.update(is_complaint=True, complaint_status=ComplaintStatus.OPEN)
    return factories.MentionFactory.create(**{**values, **fields})


def overdue_count(tenant) -> int:
    with tenant_scope(tenant):
        return tenant_flags(tenant=tenant).unanswered_count


@pytest.mark.parametrize(("setting", "counted"), [
    ("complaints", 1), ("complaints_questions", 2), ("all", 3),
])
def test_the_overdue_count_counts_what_the_tenant_chose(world, setting, counted):
    for kind in ("complaint", "question", "request"):
        waiting(world, kind)
    waiting(world, "question", answered_at=timezone.now() - timedelta(days=2))  # answered: never
    waiting(world, "question", is_spam=True)  # spam: never
    world.acme.overdue_counts = setting
    world.acme.save()
    assert overdue_count(world.acme) == counted


def test_the_overdue_alert_counts_what_each_tenant_chose(world):
    for kind in ("complaint", "question", "request"):
        waiting(world, kind)
    factories.MentionFactory(source=world.globex_source, text="how do I pay?", reply_kind="question",
                             published_at=timezone.now() - timedelta(days=3))
    world.acme.overdue_counts = "complaints_questions"
    world.acme.save()
    world.globex.overdue_counts = "complaints"
    world.globex.save()
    conditions = unanswered_conditions(tenants=[world.acme, world.globex], now=timezone.now())
    [acme] = conditions[world.acme.pk]
    assert acme.data["count"] == 2
    assert acme.title == "2 complaints and questions without a brand reply"
    assert world.globex.pk not in conditions  # its only overdue mention is a question


def test_the_response_figures_cover_what_the_overdue_flag_counts(world, api_client_for):
    asked = timezone.now() - timedelta(days=2)
    waiting(world, "complaint", published_at=asked, answered_at=asked + timedelta(minutes=30))
    waiting(world, "question", published_at=asked, answered_at=asked + timedelta(minutes=90))
    client = api_client_for(world.viewer)
    body = client.get("/api/v1/tenants/acme/response-metrics/").json()
    assert (body["scope"], body["reply_kinds"], body["overall"]["count"]) == ("overdue", ["complaint"], 1)
    world.acme.overdue_counts = "complaints_questions"
    world.acme.save()
    body = client.get("/api/v1/tenants/acme/response-metrics/").json()
    assert (body["reply_kinds"], body["overall"]["count"]) == (["complaint", "question"], 2)
    assert body["overall"]["median_seconds"] == 60 * 60
    only = client.get("/api/v1/tenants/acme/response-metrics/?scope=complaints").json()
    assert (only["reply_kinds"], only["overall"]["count"]) == (["complaint"], 1)


def test_the_mention_list_filters_on_what_a_mention_waits_for(world, api_client_for):
    ids = {kind: waiting(world, kind).pk for kind in ("complaint", "question", "request")}
    quiet = factories.MentionFactory(source=world.acme_source, text="Acme delivered today").pk
    client = api_client_for(world.viewer)

    def listed(query: str) -> set[int]:
        response = client.get(f"/api/v1/tenants/acme/mentions/?{query}")
        assert response.status_code == 200
        return {m["id"] for m in response.json()["results"]}

    assert listed("needs_reply=true") == set(ids.values())
    assert listed("needs_reply=false") == {quiet}
    assert listed("reply_kind=question") == {ids["question"]}
    assert listed("needs_reply=true&answered=false&reply_kind=request") == {ids["request"]}
    body = client.get(f"/api/v1/tenants/acme/mentions/{ids['question']}/").json()
    assert body["reply_kind"] == "question"
    assert client.get("/api/v1/tenants/acme/mentions/?reply_kind=praise").status_code == 400
    assert client.get("/api/v1/tenants/acme/mentions/?needs_reply=maybe").status_code == 400


def test_the_lists_overdue_filter_agrees_with_the_count(world, api_client_for):
    question = waiting(world, "question")
    complaint_ = waiting(world, "complaint")
    world.acme.overdue_counts = "complaints_questions"
    world.acme.save()
    results = api_client_for(world.viewer).get(
        "/api/v1/tenants/acme/mentions/?unanswered=true").json()["results"]
    assert {m["id"] for m in results} == {question.pk, complaint_.pk}
    assert overdue_count(world.acme) == 2


def test_the_tenant_page_says_what_its_overdue_count_counts(world, session_client_for):
    waiting(world, "question")
    world.acme.overdue_counts = "complaints_questions"
    world.acme.save()
    body = session_client_for(world.owner).get("/t/acme/").content.decode()
    assert "Overdue complaints and questions" in body
    assert "1 complaint or question without a brand reply" in body
    assert "Responses to complaints and questions, last 30 days" in body


def test_the_flags_api_says_what_it_counts_and_each_age_as_the_pages_do(world, api_client_for):
    waiting(world, "question", days=3)
    world.acme.overdue_counts = "complaints_questions"
    world.acme.save()
    unanswered = api_client_for(world.viewer).get("/api/v1/tenants/acme/flags/").json()["unanswered"]
    assert (unanswered["counts"], unanswered["count"]) == ("complaints_questions", 1)
    [oldest] = unanswered["oldest"]
    assert (oldest["reply_kind"], oldest["age_human"]) == ("question", "3 d")
