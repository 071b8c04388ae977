"""Data built once for a module of tests instead of once a test."""

from contextlib import contextmanager

TEST_SETTINGS = {
    # What the function-scoped `_dutch` fixture sets; it has not run yet at module scope.
    "LANGUAGE_CODE": "nl",
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}


@contextmanager
def rolled_back_after(django_db_blocker, **overrides):
    """Data built once for a whole module, in an outer transaction rolled back after it.

    Each test still runs in its own transaction inside this one (pytest-django's `db`: a
    savepoint), so what a test changes is undone before the next; only the building is shared.
    For modules without transactional tests (a flush inside the outer transaction would empty
    it). Hand tests fresh instances (a function fixture that fetches them): a shared instance
    changed by one test would carry its change into the next.
    """
    from django.db import transaction
    from django.test import override_settings

    with override_settings(**{**TEST_SETTINGS, **overrides}), django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
