"""No Docker engine runs here, so the compose file is checked by reading it and by running the very
commands its services run (in check mode), with the environment it gives them."""
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_of(service):
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else command


def service_env(compose, name, tmp_path):
    """The service's environment as compose would give it, pointed at local stand-ins."""
    env = {k: str(v) for k, v in compose["services"][name].get("environment", {}).items()}
    env.update(
        SECRET_KEY="compose-check-secret-" + "x" * 40,
        DATABASE_URL=f"sqlite:///{tmp_path / 'compose.sqlite3'}",
        REDIS_URL="", CELERY_BROKER_URL="memory://",
        PATH=os.environ["PATH"], MEDIA_ROOT=str(tmp_path / "media"),
    )
    return {**{k: v for k, v in os.environ.items() if k.startswith(("LANG", "LC_", "HOME"))}, **env}


def test_services_images_volumes_and_dependencies(compose):
    services = compose["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    declared = set(compose["volumes"])
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            assert source in declared, f"{name} uses undeclared volume {source}"
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown {dependency}"
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DEBUG"] == "0"
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        assert "${SECRET_KEY:?" in env["SECRET_KEY"], "the secret must come from the environment"


def test_web_migrates_first_then_serves_the_project_wsgi_app(compose, tmp_path):
    script = command_of(compose["services"]["web"])[-1]
    migrate, serve = [part.strip() for part in script.split("&&")]
    assert migrate == "python manage.py migrate --noinput"
    assert serve.startswith("exec gunicorn shop.wsgi:application")
    env = service_env(compose, "web", tmp_path)
    done = subprocess.run(shlex.split(migrate.replace("python", sys.executable, 1)), cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    gunicorn = shlex.split(serve)[1:] + ["--check-config"]
    checked = subprocess.run([str(BIN / "gunicorn"), *gunicorn[1:]], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr


def test_web_healthcheck_probes_healthz(compose):
    probe = " ".join(compose["services"]["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in probe
    assert resolve("/healthz").url_name == "healthz"


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_celery_services_load_the_project_app(compose, name, tmp_path):
    command = command_of(compose["services"][name])
    assert command[:3] == ["celery", "-A", "shop"] and command[3] == name
    env = service_env(compose, name, tmp_path)
    # `celery -A shop report` loads the same app the service would, with its settings.
    done = subprocess.run([str(BIN / "celery"), "-A", "shop", "report"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "shop" in done.stdout


def test_dockerfile_installs_pinned_requirements_and_runs_gunicorn():
    text = (ROOT / "Dockerfile").read_text()
    assert text.startswith("#") and "FROM python:3.11" in text
    assert "pip install -r requirements.txt" in text
    assert "collectstatic" in text
    assert '"gunicorn", "shop.wsgi:application"' in text
    pins = [line for line in (ROOT / "requirements.txt").read_text().splitlines() if line and not line.startswith("#")]
    assert pins and all("==" in line for line in pins)


def test_dockerfile_collectstatic_builds_the_hashed_static_files(tmp_path):
    """The image's build step, run here: whitenoise's manifest must resolve every reference."""
    line = next(line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("RUN") and "collectstatic" in line)
    assert "DEBUG=0" in line
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "build-only-not-secret", "STATIC_ROOT": str(tmp_path / "static")}
    env.pop("STATIC_MANIFEST", None)
    done = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "ocop/ocop.css" in manifest
