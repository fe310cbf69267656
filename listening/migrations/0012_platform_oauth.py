from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("listening", "0011_brand_channels")]

    operations: list = []
