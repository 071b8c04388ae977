"""Production refuses to start insecurely, and passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "MAATWERK_ENV": "production",
    "DEBUG": "false",
    "SECRET_KEY": "k" * 30 + "-production-secret-for-tests-only-0123456789",
    "ALLOWED_HOSTS": "maatwerk.example.nl",
    "MAATWERK_BSN_KEY": "b" * 20 + "-production-bsn-key-for-tests-only",
    "DATABASE_URL": "sqlite:///:memory:",
}


def _run(env_overrides, *args):
    env = {k: v for k, v in os.environ.items() if k not in GOOD and k != "DJANGO_SETTINGS_MODULE"}
    env.update({k: v for k, v in env_overrides.items() if v is not None})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"DEBUG": "true"}, "DEBUG is on"),
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "dev-only-insecure-key-never-use-in-production"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS is empty"),
        ({"MAATWERK_REQUIRE_2FA": "false"}, "MAATWERK_REQUIRE_2FA is off"),
        ({"MAATWERK_BSN_KEY": None}, "MAATWERK_BSN_KEY"),
    ],
)
def test_production_refuses_insecure_configuration(override, complaint):
    env = {**GOOD, **override}
    result = _run(env, "check")
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
    assert complaint in result.stderr


def test_production_passes_deploy_check_without_warnings():
    result = _run(GOOD, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_defaults_are_safe_to_run():
    result = _run({"DATABASE_URL": "sqlite:///:memory:"}, "check")
    assert result.returncode == 0, result.stderr


def test_holidays_come_from_the_environment_and_a_bad_date_stops_the_start():
    dev = {"DATABASE_URL": "sqlite:///:memory:"}
    result = _run(
        {
            **dev,
            "MAATWERK_HOLIDAYS": "2026-12-31, 2026-12-24",
            "MAATWERK_LIBERATION_DAY": "lustrum",
        },
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print([str(d) for d in s.MAATWERK_HOLIDAYS], s.MAATWERK_LIBERATION_DAY)",
    )
    assert result.returncode == 0, result.stderr
    assert "['2026-12-24', '2026-12-31'] lustrum" in result.stdout
    result = _run({**dev, "MAATWERK_HOLIDAYS": "24-12-2026"}, "check")
    assert result.returncode != 0
    assert "MAATWERK_HOLIDAYS" in result.stderr and "24-12-2026" in result.stderr
    result = _run({**dev, "MAATWERK_LIBERATION_DAY": "sometimes"}, "check")
    assert result.returncode != 0
    assert "MAATWERK_LIBERATION_DAY" in result.stderr
