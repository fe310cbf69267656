from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("listening", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="mention",
            index=models.Index(fields=["tenant", "external_id"], name="mention_tenant_external_idx"),
        ),
    ]
