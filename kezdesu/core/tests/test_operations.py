"""Probes, metrics, request logs, the client's address behind the proxy, the shared rate-limit counter."""

import json
import logging

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from config.storage import StaticStorage
from kezdesu.core.network import client_ip
from kezdesu.core.operations import JsonFormatter
from kezdesu.questions.intake import throttle_allows

DB_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "kezdesu_cache_test"}}


def test_liveness_answers_without_touching_anything(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readiness_checks_database_cache_and_the_age_of_the_oldest_waiting_task(client):
    body = client.get("/readyz").json()
    assert body["status"] == "ok" and set(body["checks"]) == {"database", "cache", "queue"}
    assert body["checks"]["queue"]["oldest_waiting_s"] == 0
    # A task left waiting for longer than QUEUE_MAX_AGE_SECONDS: no worker is taking them.
    DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, priority=0, task_path="x.y",
                                queue_name="default", backend_name="default",
                                run_after=timezone.now(), worker_ids=[])
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timezone.timedelta(hours=1))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"]["ok"] is False and response.json()["checks"]["database"]["ok"]


@pytest.mark.django_db
def test_metrics_only_for_the_configured_addresses(client):
    client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    text = response.content.decode()
    assert response.status_code == 200 and "kezdesu_http_requests_total" in text and "kezdesu_tasks_waiting" in text
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.7").status_code == 404
    # Through the local proxy the client is the forwarded address, which is not allowed either.
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 404


def test_client_address_comes_from_the_trusted_proxy_only():
    rf = RequestFactory()
    assert client_ip(rf.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.1")) == "203.0.113.5"
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")) == "198.51.100.1"
    # What a client writes itself comes first; the proxy appends the address it saw.
    spoofed = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.1")
    assert client_ip(spoofed) == "198.51.100.1"
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
    with override_settings(KEZDESU={**settings.KEZDESU, "TRUSTED_PROXIES": ("10.0.0.2",)}):
        assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")) == "127.0.0.1"
        assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")) == "198.51.100.1"


@pytest.mark.django_db
def test_request_log_is_one_json_line_with_id_user_path_status_and_duration(client, caplog):
    with caplog.at_level(logging.INFO, logger="kezdesu.request"):
        response = client.get("/healthz?contact=citizen@example.kz", HTTP_X_REQUEST_ID="abc12345-req")
    assert response["X-Request-ID"] == "abc12345-req"
    record = next(r for r in caplog.records if r.name == "kezdesu.request")
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/healthz" and line["status"] == 200 and line["user_id"] is None
    assert line["duration_ms"] >= 0 and line["level"] == "INFO"
    assert "citizen@example.kz" not in json.dumps(line)
    generated = client.get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces")["X-Request-ID"]
    assert generated != "bad id with spaces" and len(generated) == 32


@pytest.mark.django_db(transaction=True)
def test_the_rate_limit_counts_exactly_in_the_shared_database_cache():
    with override_settings(CACHES=DB_CACHE):
        call_command("createcachetable", verbosity=0)
        results = [throttle_allows(scope="t", client_ip="198.51.100.9", limit=5) for _ in range(8)]
        assert results == [True] * 5 + [False] * 3
        assert throttle_allows(scope="t", client_ip="198.51.100.10", limit=5)
        cache.clear()


def test_a_name_missing_from_the_static_manifest_is_served_plain_not_a_500(tmp_path):
    storage = StaticStorage(location=tmp_path, base_url="/static/")
    assert storage.url("kezdesu/kezdesu.css") == "/static/kezdesu/kezdesu.css"
