"""On PostgreSQL the database itself refuses to change or remove ledger entries.

The model already refuses in Python; this also stops raw SQL, the shell and bulk updates.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION decisions_ledgerentry_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'decisions_ledgerentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER decisions_ledgerentry_no_update BEFORE UPDATE OR DELETE ON decisions_ledgerentry
  FOR EACH ROW EXECUTE FUNCTION decisions_ledgerentry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS decisions_ledgerentry_no_update ON decisions_ledgerentry;
DROP FUNCTION IF EXISTS decisions_ledgerentry_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
