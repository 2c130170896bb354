"""Settings read from the environment and refuse unsafe production configurations."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", DEBUG="0")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "ERROR: SECRET_KEY is not set. Production (DEBUG=0) refuses to start without it: "
        "export SECRET_KEY to a long random string."
    )
    assert "Traceback" not in result.stderr


def test_commands_that_only_read_the_code_need_no_secret():
    """makemigrations --check (CI hooks, a developer without .env) never signs anything: it runs
    without SECRET_KEY, with a throwaway key; serving or migrating still refuses."""
    result = run_manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout
    assert run_manage("migrate", "--plan", DEBUG="0").returncode == 1


def test_development_uses_a_dev_key_only_with_debug_on():
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("dev-only")


def test_production_settings_pass_check_deploy():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="shop.example.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_hashes_passwords_with_pbkdf2_and_only_the_suite_with_md5():
    """tests/conftest.py hashes with MD5 for speed; that must never reach a server."""
    from django.contrib.auth.hashers import get_hasher

    assert get_hasher().algorithm == "md5"
    result = run_manage("shell", "-c", "from django.contrib.auth.hashers import get_hasher; print(get_hasher().algorithm)",
                        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="shop.example.vn")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "pbkdf2_sha256"


def test_bad_database_url_is_one_clear_line():
    result = run_manage("migrate", DEBUG="1", DATABASE_URL="mysqlx://nowhere/db")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [lines[0]] and lines[0].startswith("ERROR: DATABASE_URL scheme is not supported")


def test_unreachable_database_is_one_clear_line():
    result = run_manage("preflight", DEBUG="1", DATABASE_URL="postgres://nobody@127.0.0.1:1/nothing")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ERROR: database unreachable (postgresql)")
    assert "Check DATABASE_URL" in lines[0]


def test_unreachable_broker_is_a_warning_not_a_failure(tmp_path):
    result = run_manage(
        "preflight", DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:1/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().startswith("WARNING: broker unreachable at redis://127.0.0.1:1/0")
    assert "broker: down" in result.stdout


def test_no_broker_means_tasks_run_inline(settings):
    from shop.celery import app

    if not os.environ.get("REDIS_URL") and not os.environ.get("CELERY_BROKER_URL"):
        assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True


def test_site_has_the_shop_name_not_example_com(db):
    """E-mails link to and sign with the Sites framework's site: it must be ours after migrate."""
    from django.conf import settings
    from django.contrib.sites.models import Site

    site = Site.objects.get_current()
    assert (site.name, site.domain) == ("OCOP Sơn La", settings.SITE_DOMAIN)
