"""The deployment files are checked here, since containers do not run on this machine: structure of the
compose file, that every setting they use exists, that the commands they run exist, and the few properties
the security model relies on (Redis without persistence, the app on loopback, workers without internet)."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from sessionlens.cli import app
from sessionlens.config import SETTINGS

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
WORKERS = ("worker-1", "worker-2")  # one service per worker: each its own state volume, so its own key pair
KNOWN = {f"SESSIONLENS_{s.name.upper()}" for s in SETTINGS}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def _env(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    return dict(env) if isinstance(env, dict) else dict(e.split("=", 1) for e in env)


def test_compose_has_the_five_services_wired_together(compose) -> None:
    services = compose["services"]
    assert set(services) == {"web", *WORKERS, "db", "redis", "proxy"}
    for name, svc in services.items():
        assert "image" in svc and not svc["image"].endswith(":latest") and ":" in svc["image"], name
        for dep, cond in (svc.get("depends_on") or {}).items():
            assert dep in services and "healthcheck" in services[dep], (name, dep)
            assert cond["condition"] == "service_healthy"
        for secret in svc.get("secrets", []):
            assert secret in compose["secrets"], (name, secret)
        for net in svc.get("networks", []):
            assert net in compose["networks"], (name, net)
        for vol in svc.get("volumes", []):
            source = vol.split(":")[0]
            assert source.startswith(".") or source in compose["volumes"], (name, vol)


def test_sessionlens_services_use_real_settings_and_no_inline_secrets(compose) -> None:
    for name in ("web", *WORKERS):
        env = _env(compose["services"][name])
        assert set(env) <= KNOWN, set(env) - KNOWN
        assert env["SESSIONLENS_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert "@db:5432/" in env["SESSIONLENS_DATABASE_URL"] and ":" not in env["SESSIONLENS_DATABASE_URL"]\
            .split("://")[1].split("@")[0]  # no password in the URL
        assert env["SESSIONLENS_JOB_RUNNER"] == "celery"
        # its own Redis ACL user; the password only in a secret file
        role = "web" if name == "web" else "{worker}"  # each worker its own user: sessionlens-<its id>
        assert env["SESSIONLENS_BROKER_URL"] == f"redis://sessionlens-{role}@redis:6379/0"
        assert Path(env["SESSIONLENS_BROKER_PASSWORD_FILE"]).name in compose["services"][name]["secrets"]
    # each systemd worker instance its own Redis user and password file
    unit = (DEPLOY / "systemd" / "sessionlens-worker@.service").read_text()
    assert "Environment=SESSIONLENS_BROKER_URL=redis://sessionlens-{worker}@" in unit
    assert "Environment=SESSIONLENS_BROKER_PASSWORD_FILE=/etc/sessionlens/redis-workers/%i" in unit
    # no worker's container holds another's Redis password (or the web's)
    secrets_of = {n: set(compose["services"][n]["secrets"]) - {"pgpass"} for n in ("web", *WORKERS)}
    assert all(len(v) == 1 for v in secrets_of.values()) and len(set.union(*secrets_of.values())) == len(secrets_of)
    # no shared keyring key at all: each worker makes its own key pair in its own state volume
    for name in ("web", *WORKERS):
        assert not {k for k in _env(compose["services"][name]) if k.startswith("SESSIONLENS_KEYRING_")}, name
    states = [v.split(":")[0] for n in WORKERS for v in compose["services"][n]["volumes"]
              if v.split(":")[1] == _state_dir(compose["services"][n])]
    assert len(states) == len(set(states)) == len(WORKERS) and all(s in compose["volumes"] for s in states)
    db_env = _env(compose["services"]["db"])
    assert "POSTGRES_PASSWORD" not in db_env and db_env["POSTGRES_PASSWORD_FILE"].startswith("/run/secrets/")


def _state_dir(service: dict) -> str:
    command = service["command"]
    return str(command[command.index("--state-dir") + 1])


def test_the_anchor_key_that_approves_workers_is_out_of_the_workers_reach(compose) -> None:
    """The approved-workers list is signed with the anchor key: its volume is mounted in the web only."""
    s = compose["services"]
    anchor_dir = _env(s["web"])["SESSIONLENS_AUDIT_ANCHOR_DIR"]
    assert any(v.split(":")[1] == anchor_dir for v in s["web"]["volumes"])
    for name in WORKERS:
        assert all(v.split(":")[1] != anchor_dir and not anchor_dir.startswith(v.split(":")[1] + "/")
                   for v in s[name]["volumes"]), name
    worker_unit = (DEPLOY / "systemd" / "sessionlens-worker@.service").read_text()
    env = dict(line.split("=", 1) for line in (DEPLOY / "sessionlens.env.example").read_text().splitlines()
               if line and not line.startswith("#"))
    assert f"InaccessiblePaths=-{env['SESSIONLENS_AUDIT_ANCHOR_DIR']}" in worker_unit


def test_the_properties_the_security_model_needs(compose) -> None:
    s = compose["services"]
    redis_cmd = s["redis"]["command"]
    assert redis_cmd[redis_cmd.index("--save") + 1] == "" and redis_cmd[redis_cmd.index("--appendonly") + 1] == "no"
    acl = redis_cmd[redis_cmd.index("--aclfile") + 1]  # users and passwords, no anonymous access
    assert Path(acl).name in s["redis"]["secrets"] and "user default off" in (DEPLOY / "redis" / "users.acl").read_text()
    assert compose["networks"]["backend"].get("internal") is True
    assert all(s[w]["networks"] == ["backend"] and "ports" not in s[w] for w in WORKERS)
    assert s["db"]["networks"] == ["backend"] and "ports" not in s["db"] and "ports" not in s["redis"]
    web_cmd = s["web"]["command"]
    assert web_cmd[web_cmd.index("--host") + 1] == "127.0.0.1"  # only the proxy (same namespace) reaches it
    assert s["proxy"]["network_mode"] == "service:web"
    for name in ("web", *WORKERS):
        assert s[name]["read_only"] is True and s[name]["user"] != "0"
        assert s[name]["ulimits"]["core"] == 0  # no core dump holds keys
    caddy = (DEPLOY / "Caddyfile").read_text()
    assert "reverse_proxy 127.0.0.1:8765" in caddy and "Strict-Transport-Security" in caddy


def test_settings_saved_in_the_browser_reach_the_workers(compose) -> None:
    """The web's root file system is read-only: the settings page and the sign-in throttle write to a volume
    at SESSIONLENS_HOME, which the workers mount read-only at the same place (jobs.runner.job_settings)."""
    s = compose["services"]
    home = _env(s["web"])["SESSIONLENS_HOME"]
    web_vol = next(v for v in s["web"]["volumes"] if v.split(":")[1] == home)
    assert not web_vol.endswith(":ro")
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert f"-o 10001 -g 10001 {home} " in dockerfile  # a new volume takes the image directory's owner
    for name in WORKERS:
        assert _env(s[name])["SESSIONLENS_HOME"] == home
        worker_vol = next(v for v in s[name]["volumes"] if v.split(":")[1] == home)
        assert web_vol.split(":")[0] == worker_vol.split(":")[0] in compose["volumes"] and worker_vol.endswith(":ro")
        assert f"-o 10001 -g 10001 {_state_dir(s[name])} " in dockerfile


def _help(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def _check_command(argv: list[str]) -> None:
    assert Path(argv[0]).name == "sessionlens"
    text = _help(argv[1])
    for arg in argv[2:]:
        if arg.startswith("--"):
            assert arg.split("=")[0] in text, (argv, arg)


def test_commands_in_compose_and_systemd_exist(compose) -> None:
    for name in ("web", *WORKERS):
        _check_command(compose["services"][name]["command"])
    for unit in (DEPLOY / "systemd").glob("*.service"):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read_string(unit.read_text())
        assert set(parser.sections()) == {"Unit", "Service", "Install"}, unit
        service = parser["Service"]
        assert service["User"] in ("sessionlens", "sessionlens-worker-%i"), unit  # a user per worker instance
        assert service["NoNewPrivileges"] == "yes", unit
        assert service["LimitCORE"] == "0", unit  # no core dump holds keys or PHI
        assert service["EnvironmentFile"] == "/etc/sessionlens/sessionlens.env"
        _check_command(shlex.split(service["ExecStart"].replace("%i", "1")))
    example = dict(line.split("=", 1) for line in (DEPLOY / "sessionlens.env.example").read_text().splitlines()
                   if line and not line.startswith("#"))
    assert set(example) <= KNOWN, set(example) - KNOWN


def _unit(name: str) -> dict[str, list[str]]:
    """A systemd unit's [Service] settings (repeated keys kept in order)."""
    found: dict[str, list[str]] = {}
    for line in (DEPLOY / "systemd" / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key, []).append(value)
    return found


def test_each_systemd_worker_instance_is_its_own_unix_user_with_its_own_secrets() -> None:
    """One instance must not read another's key pair, passwords or memory: a Unix user per instance, every
    secret path per instance, and the web's secrets readable by the web's user only."""
    worker, web = _unit("sessionlens-worker@.service"), _unit("sessionlens-web.service")
    assert worker["User"] == ["sessionlens-worker-%i"] and worker["Group"] == ["sessionlens-worker-%i"]
    assert web["User"] == ["sessionlens"]
    env = dict(v.split("=", 1) for v in worker["Environment"])
    for name in ("SESSIONLENS_BROKER_PASSWORD_FILE", "PGPASSFILE"):
        assert env[name].endswith("/%i"), name
    assert worker["StateDirectory"] == ["sessionlens-worker/%i"] and worker["StateDirectoryMode"] == ["0700"]
    assert dict(v.split("=", 1) for v in web["Environment"])["PGPASSFILE"] == "/etc/sessionlens/pgpass"
    # no secret reaches a unit through the shared environment file
    shared = (DEPLOY / "sessionlens.env.example").read_text()
    assert "passfile=" not in shared and "PASSWORD=" not in shared
    assert worker["UMask"] == ["0077"] and worker["LimitCORE"] == ["0"]
