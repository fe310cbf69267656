from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("listening", "0008_complaint_queue")]

    operations: list = []
