import pytest
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings

from maatwerk.accounts.roles import Role

from .factories import CaseFactory, ResidentFactory, TeamFactory, user_with_role
from .once import rolled_back_after

# Property tests check answers, not speed: on a loaded machine (CI runs two suites side by side
# on two cores) Hypothesis's default 200 ms deadline per example fails correct code.
hypothesis_settings.register_profile("maatwerk", deadline=None)
hypothesis_settings.load_profile("maatwerk")


@pytest.fixture(scope="session", autouse=True)
def _flush_past_truncate_triggers():
    """Let the test runner's flush empty the append-only tables on PostgreSQL.

    Transactional tests end with a flush, which TRUNCATEs every table; the append-only tables
    refuse that by trigger (as they must in production). Only here, as the superuser that owns
    the test database, the flush runs with ``session_replication_role = replica``, which skips
    ordinary triggers for that one statement batch.
    """
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with self.connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            original(self, [each for sql in sql_list for each in _delete_instead_of_truncate(sql)])
        finally:
            with self.connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")

    # Restoring the serialized state writes each row again (an UPDATE where the row is still
    # there, as before the first transactional test): the append-only tables' triggers would
    # refuse that too, once the catalogue loader has written audit rows.
    from django.db.backends.base.creation import BaseDatabaseCreation

    original_restore = BaseDatabaseCreation.deserialize_db_from_string

    def deserialize_db_from_string(self, data):
        replica = self.connection.vendor == "postgresql"
        if replica:
            with self.connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")
        try:
            _restore_in_bulk(self.connection, data)
        finally:
            if replica:
                with self.connection.cursor() as cursor:
                    cursor.execute("SET session_replication_role = DEFAULT")

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    BaseDatabaseCreation.deserialize_db_from_string = deserialize_db_from_string
    yield
    DatabaseOperations.execute_sql_flush = original
    BaseDatabaseCreation.deserialize_db_from_string = original_restore


def _restore_in_bulk(connection, data: str) -> None:
    """Django's restore for serialized_rollback, with one INSERT per table instead of an UPDATE
    and an INSERT per row: a transactional test (every browser test) restores the whole
    catalogue, about 2,000 rows, before it starts, which cost about 2 s of CPU a test.

    Django's restore expects empty tables (the flush after the previous transactional test) and
    upserts row by row where they are not. Here, when any table still has rows (before the
    first transactional test; or rows a test left behind, which made every later restore fail
    on a unique index), all tables are emptied first, so the result is the serialized state
    either way. Constraints are checked afterwards, as Django does."""
    from django.core import serializers
    from django.db.transaction import atomic

    by_model: dict = {}
    with atomic(using=connection.alias), connection.constraint_checks_disabled():
        for obj in serializers.deserialize("json", data, using=connection.alias):
            by_model.setdefault(type(obj.object), []).append(obj)
        if any(model._base_manager.using(connection.alias).exists() for model in by_model):
            tables = connection.introspection.django_table_names(
                only_existing=True, include_views=False
            )
            with connection.cursor() as cursor:
                for table in tables:
                    # On PostgreSQL the caller set the replica role: no append-only trigger.
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
        for model, objs in by_model.items():
            model._base_manager.using(connection.alias).bulk_create([obj.object for obj in objs])
            for obj in objs:
                for accessor, values in (obj.m2m_data or {}).items():
                    getattr(obj.object, accessor).set(values)
        connection.check_constraints(table_names={m._meta.db_table for m in by_model})


def _delete_instead_of_truncate(sql: str) -> list[str]:
    """DELETE FROM each table rather than one TRUNCATE of all: a test leaves few rows, and
    PostgreSQL's TRUNCATE costs a new file for every table and index (about a second for all of
    them, after every transactional test). The replica role above skips the foreign-key
    triggers too, so the order of the deletes does not matter. A TRUNCATE that resets sequences
    or cascades is left as it is."""
    body = sql.strip().rstrip(";")
    if not body.startswith("TRUNCATE ") or body.endswith(("IDENTITY", "CASCADE")):
        return [sql]
    tables = body.removeprefix("TRUNCATE ").split(", ")
    # The names are the quoted table names Django's own flush put in its TRUNCATE.
    return [f"DELETE FROM {table}" for table in tables]  # noqa: S608


_REAL_DEDUCE = []


@pytest.fixture(scope="session", autouse=True)
def _no_deduce():
    """deduce (the library's Dutch de-identification) takes 10–17 s to build, once per process.
    Tests run the project's own de-identification checks alone, unless they ask for
    `real_deduce` (the library's acceptance test does). Session-wide, so module fixtures that
    load the demo (which proposes examples) are fast too."""
    from maatwerk.library import deidentify

    _REAL_DEDUCE.append(deidentify._deduce_spans)
    patch = pytest.MonkeyPatch()
    patch.setattr(deidentify, "_deduce_spans", deidentify.no_model)
    yield
    patch.undo()


@pytest.fixture
def real_deduce(monkeypatch):
    """The real deduce for this test (built once per test process, then reused)."""
    from maatwerk.library import deidentify

    monkeypatch.setattr(deidentify, "_deduce_spans", _REAL_DEDUCE[0])


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"
    # Real hashing costs ~0.3 s a password; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests log in with plain passwords; lock-out is tested on its own.
    settings.AXES_ENABLED = True
    # Cached pages are keyed by database state; rolled-back tests can repeat ids, so start clean.
    cache.clear()


@pytest.fixture
def team(db):
    return TeamFactory()


@pytest.fixture
def start_team(db):
    """A team whose organisation configured the example's mandates: plans submitted in it are
    routed and show up on its members' start pages."""
    from .plan_helpers import configure_mandates

    team = TeamFactory(name="Wijkteam Noord")
    configure_mandates(team.organisation)
    return team


@pytest.fixture
def other_team(db):
    return TeamFactory()


@pytest.fixture
def world(db):
    """Two teams in two organisations, one user per role in the first, a case in each team."""
    team_a = TeamFactory(name="Wijkteam A")
    team_b = TeamFactory(name="Wijkteam B")
    users = {role: user_with_role(role, team_a) for role in Role}
    case_a = CaseFactory(household__team=team_a)
    ResidentFactory(household=case_a.household, first_name="Geheimnaam")
    case_b = CaseFactory(household__team=team_b)
    case_a.assigned_workers.add(users[Role.WORKER])
    return {"team_a": team_a, "team_b": team_b, "users": users, "case_a": case_a, "case_b": case_b}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The full catalogue, as `make migrate` leaves it: the seed migrations, then the loader.

    The seed migrations create the rows with the fields their models had; the fields added
    since (a provision's example and version date, a rule's basis address, ...) and the
    corrections of later releases reach a database only through `load_catalogue` (see
    docs/catalogue.md). Once per test session (per xdist worker), inside the test database.
    """
    from django.db import connections

    with django_db_blocker.unblock():
        load_full_catalogue()
        # Transactional tests with serialized_rollback restore the state serialized when the
        # test database was made; serialize again so that state is the full catalogue (the
        # loader replaced escape rows, whose old ids would clash).
        for connection in connections.all():
            if getattr(connection, "_test_serialized_contents", None) is not None:
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()


def load_full_catalogue() -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("load_catalogue", stdout=StringIO())


@pytest.fixture
def seeded_catalogues(django_db_blocker):
    """The regelbank and cost catalogue the data migrations load.

    A transactional test that runs after another one finds the database flushed (the flush
    empties the seeded tables too); this loads them again the way the migrations do.
    """
    import importlib

    from django.apps import apps

    from maatwerk.costs.models import CostItem
    from maatwerk.legal.models import BlockingRule

    with django_db_blocker.unblock():
        # The session's database setup loaded the full catalogue; it is gone only after a
        # transactional test's flush. Loading it again when it is there cost ~1 s a test.
        if BlockingRule.objects.exists() and CostItem.objects.exists():
            return
        if not BlockingRule.objects.exists():
            importlib.import_module("maatwerk.legal.migrations.0002_seed_catalogue").seed(
                apps, None
            )
            from maatwerk.legal.search import reindex_all

            reindex_all()
        if not CostItem.objects.exists():
            importlib.import_module("maatwerk.costs.migrations.0002_seed_catalogue").seed(
                apps, None
            )
        load_full_catalogue()


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker):
    """`load_demo` once for a whole module (see rolled_back_after)."""
    from io import StringIO

    from django.core.management import call_command

    with rolled_back_after(django_db_blocker):
        call_command("load_demo", stdout=StringIO())
        yield
