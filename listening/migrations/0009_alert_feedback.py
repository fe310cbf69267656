import django.db.models.deletion
import django.db.models.manager
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("listening", "0008_complaint_queue")]

    operations: list = [
        migrations.AlterField(
            model_name="alert",
            name="kind",
            field=models.CharField(
                choices=[("decline", "Volume decline"), ("surge", "Volume surge"),
                         ("unanswered", "Unanswered complaints"), ("source_health", "Source health"),
                         ("complaint_storm", "Complaint storm")],
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="alertevent",
            name="action",
            field=models.CharField(
                choices=[("opened", "Opened"), ("acknowledged", "Acknowledged"),
                         ("resolved", "Resolved"), ("feedback", "Feedback")],
                max_length=16,
            ),
        ),
        migrations.CreateModel(
            name="AlertFeedback",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("alert_key", models.CharField(max_length=120)),
                ("verdict", models.CharField(
                    choices=[("useful", "Useful"), ("not_useful", "Not useful"), ("wrong", "Wrong")],
                    max_length=12)),
                ("note", models.CharField(blank=True, max_length=200)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("alert", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                            related_name="feedback", to="listening.alert")),
                ("tenant", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                             related_name="+", to="listening.tenant")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                           related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["-updated_at", "-id"],
                "abstract": False,
                "base_manager_name": "all_tenants",
                "default_manager_name": "all_tenants",
                "indexes": [models.Index(fields=["tenant", "alert_key", "-updated_at"],
                                         name="alert_feedback_key_idx")],
                "constraints": [models.UniqueConstraint(fields=("tenant", "alert", "user"),
                                                        name="alert_feedback_one_per_user")],
            },
            managers=[("all_tenants", django.db.models.manager.Manager())],
        ),
    ]
