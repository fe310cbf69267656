from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from listening.models import Mention, ReclassifyRun, VolumeHourly
from listening.scoping import tenant_scope
from listening.services.corrections import correction_create, rule_create
from listening.services.rollups import volume_refresh
from tests import factories
from tests.corrections.conftest import stored
from tests.fakes import FAKE


def fresh(mention: Mention) -> Mention:
    return Mention.all_tenants.get(pk=mention.pk)


def reclassify(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("reclassify_mentions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- export_corrections ---------------------------------------------------------------------


def test_it_exports_the_latest_label_of_each_corrected_field(world, acme_mentions, tmp_path):
    m = acme_mentions.fine
    correction_create(mention=m, field="spam", value="spam", user=None)
    latest = correction_create(mention=m, field="spam", value="ham", user=None)
    correction_create(mention=acme_mentions.love, field="sentiment", value="neutral", user=None)
    correction_create(mention=factories.MentionFactory(source=world.globex_source, text="gx"),
                      field="complaint", value="complaint", user=None)
    out = tmp_path / "corrections.csv"
    call_command("export_corrections", "--tenant", "acme", "--output", str(out),
                 stderr=io.StringIO())
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["text", "label", "lang", "task", "tenant", "corrected_at"]
    assert [(r["text"], r["label"], r["lang"], r["task"], r["tenant"]) for r in rows] == [
        ("Acme delivered today", "ham", "en", "spam", "acme"),
        ("I love Acme", "neutral", "en", "sentiment", "acme"),
    ]
    assert rows[0]["corrected_at"] == latest.created_at.isoformat()


def test_it_exports_every_tenant_and_one_task(world, acme_mentions):
    correction_create(mention=acme_mentions.fine, field="complaint", value="complaint", user=None)
    correction_create(mention=acme_mentions.love, field="sentiment", value="neutral", user=None)
    correction_create(mention=factories.MentionFactory(source=world.globex_source, text="gx"),
                      field="complaint", value="not_complaint", user=None)
    out = io.StringIO()
    call_command("export_corrections", "--all-tenants", "--task", "complaint", stdout=out,
                 stderr=io.StringIO())
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["label"], r["tenant"]) for r in rows] == [("complaint", "acme"),
                                                        ("not_complaint", "globex")]


def test_the_export_feeds_evaluate_classifier(world, acme_mentions, tmp_path):
    correction_create(mention=acme_mentions.fine, field="complaint", value="complaint", user=None)
    correction_create(mention=acme_mentions.broken, field="complaint", value="not_complaint",
                      user=None)
    out = tmp_path / "complaint.csv"
    call_command("export_corrections", "--tenant", "acme", "--task", "complaint",
                 "--output", str(out), stderr=io.StringIO())
    result = io.StringIO()
    call_command("evaluate_classifier", str(out), "--task", "complaint", "--json",
                 "--backend", FAKE, stdout=result)
    assert '"n": 2' in result.getvalue()


def test_it_needs_a_tenant(world):
    with pytest.raises(CommandError, match="--tenant"):
        call_command("export_corrections")
    with pytest.raises(CommandError, match="No such tenant: nope"):
        call_command("export_corrections", "--tenant", "nope")


# --- reclassify_mentions --------------------------------------------------------------------


def test_it_reclassifies_and_changes_only_what_changed(world, fake_classifier, acme_mentions):
    stale = stored("Acme parcel broken", world, is_complaint=False, intent="other",
                   sentiment="neutral", sentiment_score=0.0, complaint_confidence=0.1)
    untouched = [acme_mentions.broken, acme_mentions.fine]
    out, _ = reclassify("--tenant", "acme")
    assert "5 mentions reclassified, 1 changed" in out
    stale = fresh(stale)
    assert (stale.is_complaint, stale.intent, stale.sentiment) == (True, "complaint", "negative")
    assert [fresh(m).is_complaint for m in untouched] == [True, False]


def test_it_never_undoes_a_human_correction(world, fake_classifier, acme_mentions):
    correction_create(mention=acme_mentions.broken, field="complaint", value="not_complaint",
                      user=world.owner)
    correction_create(mention=acme_mentions.spam, field="spam", value="ham", user=world.owner)
    correction_create(mention=acme_mentions.fine, field="sentiment", value="positive",
                      user=world.owner)
    rule_create(tenant=world.acme, phrase="broken", effect="complaint")  # a person beats a rule
    out, _ = reclassify("--tenant", "acme")
    assert "0 changed" in out
    assert fresh(acme_mentions.broken).is_complaint is False
    assert fresh(acme_mentions.spam).is_spam is False
    assert (fresh(acme_mentions.fine).sentiment, fresh(acme_mentions.fine).intent) == (
        "positive", "praise")


def test_it_applies_the_tenants_rules(world, fake_classifier, acme_mentions):
    rule_create(tenant=world.acme, phrase="delivered", effect="complaint")
    rule_create(tenant=world.acme, phrase="followers", effect="not_spam")
    rule_create(tenant=world.globex, phrase="love", effect="complaint")
    globex = stored("I love Acme", world, source=world.globex_source,
                    brand=world.globex_brand)
    out, _ = reclassify("--tenant", "acme")
    assert "2 changed" in out
    assert fresh(acme_mentions.fine).is_complaint is True
    assert fresh(acme_mentions.spam).is_spam is False
    assert fresh(acme_mentions.love).is_complaint is False
    assert fresh(globex).is_complaint is False  # not reclassified, and not acme's rule anyway


def test_it_refreshes_the_rollups_of_changed_rows(world, fake_classifier, acme_mentions):
    with tenant_scope(world.acme):
        volume_refresh(tenant_id=world.acme.pk, source_id=world.acme_source.pk,
                       timestamps=[m.published_at for m in Mention.all_tenants.all()])
    rule_create(tenant=world.acme, phrase="delivered", effect="complaint")
    reclassify("--tenant", "acme")
    assert sum(VolumeHourly.all_tenants.filter(tenant=world.acme)
               .values_list("complaints", flat=True)) == 2


def test_it_links_brand_replies_of_new_complaints(world, fake_classifier, acme_mentions):
    m = acme_mentions.fine
    factories.MentionFactory(source=world.acme_source, is_brand_reply=True,
                             parent_external_id=m.external_id, published_at=m.published_at)
    rule_create(tenant=world.acme, phrase="delivered", effect="complaint")
    reclassify("--tenant", "acme")
    assert fresh(m).answered_at == m.published_at


def test_it_resumes_where_an_interrupted_run_stopped(world, fake_classifier, acme_mentions):
    ids = list(Mention.all_tenants.filter(tenant=world.acme).order_by("id")
               .values_list("id", flat=True))
    out, err = reclassify("--tenant", "acme", "--batch", "3", "--max-batches", "1")
    assert "stopped after 1 batches" in out
    run = ReclassifyRun.all_tenants.get(tenant=world.acme)
    assert (run.last_id, run.processed, run.finished_at, run.classifier) == (ids[2], 3, None, FAKE)
    assert "acme: 3/4" in err

    # Meanwhile a mention the first batch already saw is edited: a resumed run must not redo it.
    Mention.all_tenants.filter(pk=ids[0]).update(is_complaint=False, intent="other")
    Mention.all_tenants.filter(pk=ids[3]).update(is_complaint=True, intent="complaint")
    out, err = reclassify("--tenant", "acme", "--batch", "3")
    assert f"resuming after mention {ids[2]}" in out
    assert "4 mentions reclassified, 1 changed" in out
    assert "acme: 4/4 (100%)" in err
    run.refresh_from_db()
    assert run.finished_at is not None
    assert Mention.all_tenants.get(pk=ids[0]).is_complaint is False  # not revisited
    assert Mention.all_tenants.get(pk=ids[3]).is_complaint is False  # reclassified: love is no complaint


def test_restart_starts_over(world, fake_classifier, acme_mentions):
    reclassify("--tenant", "acme", "--batch", "2", "--max-batches", "1")
    out, _ = reclassify("--tenant", "acme", "--batch", "2", "--restart")
    assert "resuming" not in out
    assert "4 mentions reclassified" in out


def test_a_finished_run_starts_over_next_time(world, fake_classifier, acme_mentions):
    reclassify("--all-tenants")
    out, _ = reclassify("--tenant", "acme")
    assert "resuming" not in out
    assert "4 mentions reclassified, 0 changed" in out


def test_it_needs_a_known_tenant(world):
    with pytest.raises(CommandError, match="--tenant"):
        reclassify()
    with pytest.raises(CommandError, match="No such tenant: nope"):
        reclassify("--tenant", "nope")


def test_the_progress_bar_redraws_one_line_on_a_terminal():
    from listening.management.commands.reclassify_mentions import Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    progress = Progress(stream, label="acme", total=10)
    progress.update(5)
    progress.update(10)
    progress.close()
    text = stream.getvalue()
    assert text.count("\r") == 2
    assert text.endswith("\n")
    assert "[###############---------------] acme: 5/10 (50%)" in text
    assert "ETA" in text


def test_the_command_runs_from_the_shell():
    result = subprocess.run([sys.executable, "manage.py", "reclassify_mentions", "--help"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "--max-batches" in result.stdout
