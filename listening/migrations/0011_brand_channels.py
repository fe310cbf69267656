from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("listening", "0010_needs_reply")]

    operations: list = []
