"""On PostgreSQL the database itself refuses to change or remove ledger entries."""

from django.db import migrations

from maatwerk.core.append_only import trigger_operation


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial")]
    operations = [trigger_operation("decisions_ledgerentry")]
