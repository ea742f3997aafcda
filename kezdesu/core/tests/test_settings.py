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
               AUDIT_HMAC_KEY="a" * 20 + "-Zq81" + "b" * 20, ALLOWED_HOSTS="kezdesu.gov.kz")
    # The deploy checks are Django's security checks; the model, URL and template checks do not depend on
    # the production layer and would only add seconds of imports.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--tag", "security", "--fail-level", "WARNING"],
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


def test_production_refuses_to_start_without_its_own_audit_key():
    env = {k: v for k, v in os.environ.items() if k != "AUDIT_HMAC_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY="s" * 60)
    missing = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=120, check=False)
    assert missing.returncode != 0 and "AUDIT_HMAC_KEY" in missing.stderr
    env["AUDIT_HMAC_KEY"] = env["SECRET_KEY"]  # the same secret for both is refused too
    reused = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert reused.returncode != 0 and "AUDIT_HMAC_KEY" in reused.stderr


def test_security_settings_by_environment():
    code = ("from django.conf import settings as s; "
            "print(s.STAFF_2FA_REQUIRED, s.SESSION_IDLE_MINUTES, s.AXES_FAILURE_LIMIT)")
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "STAFF_2FA_REQUIRED"}}
    production = {**base, "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": "s" * 60,
                  "AUDIT_HMAC_KEY": "k" * 40}
    demo = {**base, "DJANGO_SETTINGS_MODULE": "config.settings.development", "SESSION_IDLE_MINUTES": "15"}
    outputs = [subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code],  # noqa: S603
                              cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120, check=True).stdout.split()
               for env in (production, demo, {**production, "STAFF_2FA_REQUIRED": "no"})]
    assert outputs == [["True", "30", "5"], ["False", "15", "5"], ["False", "30", "5"]]


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
    assert client.get("/kk/meetings/", {"region": "\x00"}).status_code == 400
