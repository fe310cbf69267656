import uuid

import django.db.models.deletion
import django.db.models.manager
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def give_each_source_its_webhook_key(apps, schema_editor):
    """A field added with a callable default gets one value for every existing row: each source
    needs its own."""
    Source = apps.get_model("listening", "Source")
    for pk in Source._default_manager.filter(webhook_key__isnull=True).values_list("pk", flat=True):
        Source._default_manager.filter(pk=pk).update(webhook_key=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("listening", "0010_needs_reply"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="mention",
            name="deleted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="mention",
            name="edited_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="mention",
            name="replied_by",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="secrets",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="source",
            name="webhook_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_source_its_webhook_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="source",
            name="webhook_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="source",
            name="webhook_received_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="source",
            name="webhook_rejected",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="source",
            name="webhook_rejected_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="OutgoingReply",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("idempotency_key", models.CharField(max_length=80)),
                ("text", models.TextField()),
                ("status", models.CharField(
                    choices=[("pending", "Sending"), ("sent", "Sent"), ("failed", "Failed")],
                    default="pending", max_length=8,
                )),
                ("external_id", models.CharField(blank=True, max_length=200)),
                ("error", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("mention", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="outgoing_replies",
                    to="listening.mention",
                )),
                ("sent_by", models.ForeignKey(
                    blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                    to=settings.AUTH_USER_MODEL,
                )),
                ("tenant", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="+", to="listening.tenant",
                )),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "abstract": False,
                "base_manager_name": "all_tenants",
                "default_manager_name": "all_tenants",
                "constraints": [
                    models.UniqueConstraint(fields=("tenant", "mention", "idempotency_key"), name="outgoing_reply_once")
                ],
            },
            managers=[("all_tenants", django.db.models.manager.Manager())],
        ),
    ]
