from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("listening", "0007_tenant_learning")]

    operations: list = []
