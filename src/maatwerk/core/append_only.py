"""PostgreSQL triggers that make a table append-only (audit events, ledger entries).

The models already refuse updates and deletes in Python; the triggers also stop raw SQL, the
shell and bulk updates. Used by migrations, so keep their behaviour stable.
"""

from django.db import migrations


def trigger_operation(table: str) -> migrations.RunPython:
    """A migration operation adding (and on rollback removing) the row trigger on `table`."""
    create = f"""
CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '{table} is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_no_update BEFORE UPDATE OR DELETE ON {table}
  FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
"""
    drop = f"""
DROP TRIGGER IF EXISTS {table}_no_update ON {table};
DROP FUNCTION IF EXISTS {table}_append_only();
"""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(create)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop)

    return migrations.RunPython(forwards, backwards)


def truncate_trigger_operation(table: str) -> migrations.RunPython:
    """A migration operation refusing `TRUNCATE` on `table` (also when reached by CASCADE).

    TRUNCATE fires no row triggers, so the trigger above does not stop it; this statement
    trigger reuses its function. Needs `trigger_operation(table)` to have run first.
    """
    create = f"""
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
  FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only();
"""
    drop = f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};"

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(create)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop)

    return migrations.RunPython(forwards, backwards)
