"""PostgreSQL: a kept connection that the database dropped costs no request (issue 9, point 6).

A real WSGI server in one thread keeps its connection between requests (CONN_MAX_AGE), as a
gunicorn worker does; the test kills that connection from its own, second connection, the way
a database restart or failover would, and the next requests must still succeed.
"""

import threading
import urllib.request
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.core.wsgi import get_wsgi_application
from django.db import connection, connections
from django.urls import reverse

from maatwerk.accounts.roles import Role

from .factories import TeamFactory, user_with_role


def test_kept_connections_are_checked_before_use(settings):
    database = settings.DATABASES["default"]
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["CONN_MAX_AGE"] > 0


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """One thread serving the app, like one worker: it keeps one database connection."""
    httpd: WSGIServer = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=_Quiet)

    def serve():
        try:
            httpd.serve_forever(poll_interval=0.05)
        finally:
            connections.close_all()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=10)
    httpd.server_close()


def _get(url: str, cookie: str = "") -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - local
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _terminate_other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_terminate_backend and kept connections are tested on PostgreSQL only",
)
@pytest.mark.django_db(transaction=True)
def test_requests_after_the_database_dropped_the_connection_succeed(client, server, settings):
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    user = user_with_role(Role.WORKER, TeamFactory())
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    page, health = server + reverse("home"), server + reverse("health")
    assert _get(page, cookie) == 200 and _get(health) == 200

    assert _terminate_other_connections() == 1  # the server's kept connection
    assert _get(page, cookie) == 200
    assert _terminate_other_connections() == 1
    assert _get(health) == 200
    assert _get(page, cookie) == 200
