import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import read_env

ROOT = Path(__file__).resolve().parents[3]


def test_production_settings_pass_the_deploy_check():
    env = {k: v for k, v in os.environ.items()
           if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY="x" * 20 + "-k8Qz!" + "y" * 40,
               ALLOWED_HOSTS="kezdesu.gov.kz")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_env_values_are_typed(monkeypatch):
    monkeypatch.setenv("TENSION_DEADLINE_DAYS", "21")
    monkeypatch.setenv("ACTING_HEAD_COUNTS", "no")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env = read_env()
    assert env.tension_deadline_days == 21 and env.acting_head_counts is False
    assert env.database_url.startswith("sqlite:///") and env.time_zone == "Asia/Almaty"
    monkeypatch.setenv("DEBUG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        read_env()


def test_nul_characters_are_refused_before_the_database(client, db):
    assert client.get("/api/v1/bodies/a%00b/").status_code == 400
    assert client.get("/api/v1/bodies/", {"search": "x\x00"}).json()["code"] == "invalid"
    assert client.get("/meetings/", {"region": "\x00"}).status_code == 400
