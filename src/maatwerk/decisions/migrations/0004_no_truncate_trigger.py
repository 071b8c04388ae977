"""On PostgreSQL the database also refuses to TRUNCATE the ledger."""

from django.db import migrations

from maatwerk.core.append_only import truncate_trigger_operation


class Migration(migrations.Migration):
    dependencies = [("decisions", "0003_withdrawn_outcome")]
    operations = [truncate_trigger_operation("decisions_ledgerentry")]
