# ruff: noqa: S608 - table and role names are constants of this file, not input
"""PostgreSQL: append-only tables refuse TRUNCATE, and the app's own database role owns nothing.

The grants below are the ones `docs/security.md` tells operators to give the app role; keep the
two in step.
"""

import pytest
from django.db import connection, transaction

from maatwerk.accounts.roles import Role
from maatwerk.audit import services as audit
from maatwerk.audit.models import AuditEvent

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="database roles and the TRUNCATE trigger exist on PostgreSQL only",
    ),
]

APPEND_ONLY = ("audit_auditevent", "decisions_ledgerentry")
APP_ROLE = "maatwerk_app_test"
# As in docs/security.md, "The database roles".
GRANTS = f"""
GRANT USAGE ON SCHEMA public TO {APP_ROLE};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE};
REVOKE UPDATE, DELETE ON audit_auditevent, decisions_ledgerentry FROM {APP_ROLE};
"""


def _refused(sql: str, match: str) -> None:
    with (
        pytest.raises(Exception, match=match),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Django's foreign keys are deferred; TRUNCATE refuses while their checks are pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql)


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_owner_cannot_truncate_append_only_tables(world, table):
    audit.record(actor=world["users"][Role.WORKER], action="view", obj=world["case_a"])
    # A table that another table references (the ledger: collective activities point at their
    # payments) is refused a plain TRUNCATE by PostgreSQL's foreign-key check before the
    # trigger fires; with CASCADE the append-only trigger refuses it.
    _refused(f"TRUNCATE {table}", "append-only|referenced in a foreign key constraint")
    _refused(f"TRUNCATE {table} CASCADE", "append-only")
    assert AuditEvent.objects.exists()


@pytest.fixture
def app_role(db):
    """A role like the production app role, inside the test's transaction (rolled back)."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")
        cursor.execute(GRANTS)
    return APP_ROLE


def _as(role: str, sql: str, match: str) -> None:
    with (
        pytest.raises(Exception, match=match),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"SET LOCAL ROLE {role}")
        cursor.execute(sql)


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_app_role_cannot_truncate_alter_or_drop(app_role, table):
    _as(app_role, f"TRUNCATE {table}", "permission denied")
    _as(app_role, f"ALTER TABLE {table} DISABLE TRIGGER USER", "must be owner")
    _as(app_role, f"ALTER TABLE {table} ADD COLUMN x int", "must be owner")
    _as(app_role, f"DROP TRIGGER {table}_no_truncate ON {table}", "must be owner")
    _as(app_role, f"DROP TABLE {table}", "must be owner")
    _as(app_role, f"UPDATE {table} SET id = id", "permission denied")
    _as(app_role, f"DELETE FROM {table}", "permission denied")


def test_app_role_owns_no_table_and_can_do_the_apps_work(app_role, world):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s",
            [app_role],
        )
        assert cursor.fetchone()[0] == 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {app_role}")
        # An ordinary write of the app: an audit event (INSERT, with its identity sequence).
        audit.record(actor=world["users"][Role.WORKER], action="view", obj=world["case_a"])
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, count(*) FROM decisions_ledgerentry")
            assert cursor.fetchone()[0] == app_role
