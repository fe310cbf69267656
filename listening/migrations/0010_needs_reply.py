from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("listening", "0009_alert_feedback")]

    operations: list = []
