"""No Docker engine runs here, so the compose file is checked by reading it and by running the very
commands its services run (in check mode), with the environment it gives them."""
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
APP_SERVICES = ("migrate", "web", "worker", "beat")


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
    assert {"db", "redis", "migrate", "web", "worker", "beat", "proxy", "backup"} <= set(services)
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    declared = set(compose["volumes"])
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("./"):  # a file or folder of this repository, mounted read-only
                assert (ROOT / source).exists() and volume.endswith(":ro"), f"{name} mounts {volume}"
            else:
                assert source in declared, f"{name} uses undeclared volume {source}"
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown {dependency}"
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["DEBUG"] == "0"
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        assert "${SECRET_KEY:?" in env["SECRET_KEY"], "the secret must come from the environment"
        assert "media:/app/media" in services[name]["volumes"], f"{name} must share the media volume"


def test_web_and_worker_run_two_replicas_and_beat_migrate_proxy_run_one(compose):
    services = compose["services"]
    assert services["web"]["deploy"]["replicas"] == 2
    assert services["worker"]["deploy"]["replicas"] == 2
    for name in ("migrate", "beat", "proxy", "backup", "db", "redis"):
        assert services[name].get("deploy", {}).get("replicas", 1) == 1, f"{name} must stay single"
    # Replicas cannot each publish the same host port: only the proxy publishes one.
    published = [name for name, service in services.items() if service.get("ports")]
    assert published == ["proxy"]
    assert services["web"]["expose"] == ["8000"]


def test_migrations_run_once_in_the_migrate_service_before_web_worker_and_beat(compose, tmp_path):
    services = compose["services"]
    migrate = services["migrate"]
    assert command_of(migrate) == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no", "a finished migrate restarted would never count as completed"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name
        assert "migrate" not in " ".join(command_of(services[name])), f"{name} must not migrate (replicas would race)"
    # The service's own command and environment, asked for its plan: every migration from an empty
    # database, in order. Applying them all is what every test session does to make its database
    # (SQLite and PostgreSQL alike), so it is not done a second time here (30-60 s).
    env = service_env(compose, "migrate", tmp_path)
    done = subprocess.run([sys.executable, *command_of(migrate)[1:], "--plan"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "contenttypes.0001_initial" in done.stdout and "catalog_ext.0001_initial" in done.stdout, done.stdout[-2000:]


def test_web_serves_the_project_wsgi_app_with_workers_from_web_concurrency(compose, tmp_path):
    command = command_of(compose["services"]["web"])
    assert command[:2] == ["gunicorn", "shop.wsgi:application"]
    assert "--workers" not in command and "-w" not in command, "the worker count comes from WEB_CONCURRENCY"
    env = {**service_env(compose, "web", tmp_path), "WEB_CONCURRENCY": "5"}
    checked = subprocess.run([str(BIN / "gunicorn"), *command[1:], "--check-config"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr
    printed = subprocess.run([str(BIN / "gunicorn"), *command[1:], "--print-config"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    config = {k.strip(): v.strip() for k, v in (line.split("=", 1) for line in printed.stdout.splitlines() if "=" in line)}
    assert config["workers"] == "5" and config["bind"] == "['0.0.0.0:8000']"


def test_web_healthcheck_probes_healthz(compose):
    probe = " ".join(compose["services"]["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in probe
    assert resolve("/healthz").url_name == "healthz"


def test_each_worker_replica_answers_its_own_ping(compose):
    test = compose["services"]["worker"]["healthcheck"]["test"]
    assert test[0] == "CMD-SHELL"
    # $$ is compose's escape for a literal $: the container's shell expands its own HOSTNAME.
    assert "celery -A shop inspect ping -d celery@$$HOSTNAME" in test[1]


def test_the_proxy_publishes_the_port_and_probes_healthz_through_itself(compose):
    proxy = compose["services"]["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert proxy["ports"] == ["${PORT:-8000}:80"]
    assert "http://127.0.0.1/healthz" in " ".join(proxy["healthcheck"]["test"])
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]


NGINX_CONF = ROOT / "deploy" / "nginx.conf"


def nginx_directives(name):
    """Arguments of every `name …;` directive of deploy/nginx.conf (comments left out)."""
    text = "\n".join(line.split("#", 1)[0] for line in NGINX_CONF.read_text().splitlines())
    return [match.split() for match in re.findall(rf"(?:^|[;{{}}\s]){name}\s+([^;{{]+);", text)]


def test_the_proxy_config_sends_to_the_web_service_port_with_forwarded_headers_and_serves_media(compose):
    services = compose["services"]
    targets = [args[0] for args in nginx_directives("set") if args[0] == "$web_upstream"]
    assert targets, "proxy_pass goes through a variable, so Docker DNS is asked at request time"
    upstreams = [urlsplit(args[1]) for args in nginx_directives("set") if args[0] == "$web_upstream"]
    for upstream in upstreams:
        assert upstream.hostname in services, f"{upstream.hostname} is not a compose service"
        assert upstream.hostname == "web" and str(upstream.port) in services["web"]["expose"]
        bind = command_of(services["web"])[command_of(services["web"]).index("--bind") + 1]
        assert bind.endswith(f":{upstream.port}")
    assert nginx_directives("proxy_pass") == [["$web_upstream"]]
    assert nginx_directives("resolver")[0][0] == "127.0.0.11", "Docker's embedded DNS"
    headers = {args[0]: args[1] for args in nginx_directives("proxy_set_header")}
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
    assert headers["X-Forwarded-Proto"] in ("$scheme", "$forwarded_proto")
    assert headers["Host"] == "$host"
    # One proxy appends one X-Forwarded-For hop: web trusts exactly one.
    assert services["web"]["environment"]["TRUSTED_PROXIES"] == "${TRUSTED_PROXIES:-1}"
    # /media/ comes from the shared volume, mounted where the alias points; Django does not serve it.
    assert ["/srv/media/"] in nginx_directives("alias")
    assert "media:/srv/media:ro" in services["proxy"]["volumes"]
    assert services["web"]["environment"]["SERVE_MEDIA"] == "0"


def nginx_binary():
    return os.environ.get("NGINX") or shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", str(ROOT / "var" / "nginx" / "usr" / "sbin" / "nginx")) if Path(p).exists()), None)


def test_nginx_accepts_the_proxy_config(tmp_path):
    nginx = nginx_binary()
    if nginx is None:
        pytest.skip("nginx is not installed (apt-get install nginx, or NGINX=/path/to/nginx); .ci/run unpacks "
                    "Debian's package into var/nginx")
    # The official image includes conf.d/*.conf inside http {}: the same here, with paths of our own.
    temp = " ".join(f"{kind}_temp_path {tmp_path / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = tmp_path / "nginx.conf"
    main.write_text(f"events {{}}\nhttp {{\n access_log off;\n {temp}\n include {NGINX_CONF};\n}}\n")
    done = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(main), "-g",
                           f"pid {tmp_path / 'nginx.pid'}; error_log stderr;"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr


# Read by shop/settings.py but not set by compose, each for its reason; every other one must be passed.
NOT_PASSED_IN_PRODUCTION = {
    "STATIC_ROOT": "baked into the image by collectstatic (the Dockerfile's default path)",
    "STATIC_MANIFEST": "on whenever DEBUG=0",
    "STRIPE_API_BASE": "tests only: points the Stripe library at a local fake",
}


def settings_variables():
    text = (ROOT / "shop" / "settings.py").read_text()
    return set(re.findall(r"env\.\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", text)) | set(re.findall(r'"([A-Z][A-Z0-9_]*)" in env\.ENVIRON', text))


def test_every_setting_production_needs_is_passed_to_every_app_service(compose):
    wanted = settings_variables() - set(NOT_PASSED_IN_PRODUCTION)
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "TRUSTED_PROXIES", "SITE_DOMAIN"} <= wanted  # the parse works
    for name in APP_SERVICES:
        missing = wanted - set(compose["services"][name]["environment"])
        assert not missing, f"{name} does not pass {sorted(missing)} (or list them in NOT_PASSED_IN_PRODUCTION)"
    for variable in NOT_PASSED_IN_PRODUCTION:
        assert variable in settings_variables(), f"{variable} is no longer read: drop it from the list"


def test_the_backup_service_runs_the_repository_script_in_a_loop_into_its_volume(compose):
    backup = compose["services"]["backup"]
    assert backup["image"].startswith("postgres:16"), "pg_dump of the server's major version"
    assert command_of(backup) == ["sh", "/deploy/backup.sh", "--loop"]
    assert "./deploy:/deploy:ro" in backup["volumes"] and "backups:/backups" in backup["volumes"]
    env = backup["environment"]
    assert "@db:5432/ocop" in env["DATABASE_URL"] and env["BACKUP_DIR"] == "/backups"
    assert env["BACKUP_KEEP"].startswith("${BACKUP_KEEP:-") and env["BACKUP_INTERVAL"].startswith("${BACKUP_INTERVAL:-")


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
    cmd = next(line for line in text.splitlines() if line.startswith("CMD"))
    assert '"gunicorn", "shop.wsgi:application"' in cmd and "--workers" not in cmd
    assert "WEB_CONCURRENCY=3" in text, "the image's default worker count, which compose and -e override"
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
