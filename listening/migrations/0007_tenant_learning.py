from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("listening", "0006_api_tokens")]

    operations: list = []
