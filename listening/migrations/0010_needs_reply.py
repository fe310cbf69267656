from django.db import migrations, models


def complaints_need_replies(apps, schema_editor):
    """Stored complaints wait for a reply as complaints; questions and requests among stored
    mentions are found by ``manage.py reclassify_mentions``."""
    Mention = apps.get_model("listening", "Mention")
    Mention._default_manager.filter(is_complaint=True, is_spam=False, is_brand_reply=False).update(
        reply_kind="complaint"
    )


class Migration(migrations.Migration):
    dependencies = [("listening", "0009_alert_feedback")]

    operations: list = [
        migrations.AddField(
            model_name="mention",
            name="reply_kind",
            field=models.CharField(
                blank=True, default="", max_length=10,
                choices=[("", "Needs no reply"), ("complaint", "Complaint"),
                         ("question", "Question"), ("request", "Request")],
            ),
        ),
        migrations.AddField(
            model_name="tenant",
            name="overdue_counts",
            field=models.CharField(
                default="complaints", max_length=24,
                choices=[("complaints", "Complaints only"),
                         ("complaints_questions", "Complaints and questions"),
                         ("all", "Everything that needs a reply: complaints, questions and requests")],
            ),
        ),
        migrations.RunPython(complaints_need_replies, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="mention",
            index=models.Index(
                condition=models.Q(~models.Q(reply_kind=""), is_spam=False, answered_at__isnull=True),
                fields=["tenant", "published_at"], name="mention_needs_reply_idx",
            ),
        ),
    ]
