"""The partner API's rate limit counts in Django's cache (CACHE_URL), so every worker process
shares one counter per client: here a second process spends the client's requests and this
process is refused (issue 15, item 3: 429 beyond the rate)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from maatwerk.conf import settings as project_settings
from maatwerk.partners.api import count_in_window

from .conftest import rent_signal

ROOT = Path(__file__).resolve().parents[2]
DAY = 86400


def _in_another_process(cache_dir: Path, key: str, times: int) -> list[int]:
    code = (
        "import django; django.setup()\n"
        "from maatwerk.partners.api import count_in_window\n"
        f"print(*[count_in_window({key!r}, {DAY}) for _ in range({times})])\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "maatwerk.conf.settings",
        "CACHE_URL": f"file://{cache_dir}",
        "PYTHONPATH": str(ROOT / "src"),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    return [int(n) for n in done.stdout.split()]


@pytest.fixture
def shared_cache(settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    return tmp_path


def test_cache_url_chooses_the_backend():
    parse = project_settings._cache_from_url
    assert parse("redis://cache:6379/0")["BACKEND"].endswith("RedisCache")
    assert parse("db://maatwerk_cache")["LOCATION"] == "maatwerk_cache"
    assert parse("locmem://")["BACKEND"].endswith("LocMemCache")
    with pytest.raises(Exception, match="CACHE_URL"):
        parse("memcached://x")


def test_two_processes_share_one_counter(shared_cache):
    assert _in_another_process(shared_cache, "throttle_test", 2) == [1, 2]
    assert count_in_window("throttle_test", DAY) == 3
    assert _in_another_process(shared_cache, "throttle_test", 1) == [4]


@pytest.mark.django_db
def test_requests_spent_in_another_process_count_here(shared_cache, api, partner, settings):
    settings.MAATWERK_PARTNER_RATE = "2/day"
    window = int(time.time() // DAY)
    key = f"throttle_partner_{partner.api_client_id}:{window}"
    assert _in_another_process(shared_cache, key, 2) == [1, 2]
    response = api.post("/api/v1/vroegsignalen", rent_signal(1), format="json")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 0 < int(response["Retry-After"]) <= DAY
