"""Each worker its own Redis user: `sessionlens worker id`, `worker approve ID --public-key`, `worker redis-acl`.

The ACL file `redis-acl` prints is loaded by a private redis-server (its own port, no persistence) exactly as
the deployment loads it: the shipped base (default off, the web, `sessionlens-acl`) and one line per approved
worker; `ACL LOAD` as `sessionlens-acl` adds a newly approved worker and drops a revoked one.
"""

from __future__ import annotations

import hashlib
import json
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from sessionlens.cli import run
from sessionlens.errors import InputError
from sessionlens.jobs.worker_identity import load_or_create
from sessionlens.services.keyring import RedisKeyring
from sessionlens.services import workers
from sessionlens.vault import anchor, worker_approvals

from .conftest import REDIS

BASE = Path(__file__).resolve().parents[2] / "deploy" / "redis" / "users.acl"
WEB_PASSWORD, ACL_PASSWORD = "web-password-0123456789", "acl-password-0123456789"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def anchor_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "anchor"
    anchor.signing_key(directory, create=True)
    monkeypatch.setenv("SESSIONLENS_AUDIT_ANCHOR_DIR", str(directory))
    monkeypatch.delenv("SESSIONLENS_QUEUE", raising=False)  # the shipped queue name, sessionlens.<id>
    return directory


@pytest.fixture
def admin_ctx(anchored_admin):  # type: ignore[no-untyped-def]
    return anchored_admin


def _base(tmp_path: Path) -> Path:
    """The shipped file with the web's and the loader's hashes filled in (as docs/deployment.md does)."""
    base = tmp_path / "users.acl.base"
    filled = BASE.read_text().replace("#REPLACE_WITH_SHA256", "#" + _sha(WEB_PASSWORD), 1)
    base.write_text(filled.replace("#REPLACE_WITH_SHA256", "#" + _sha(ACL_PASSWORD), 1))
    return base


def _acl_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> Path:
    base = _base(tmp_path)
    capsys.readouterr()
    assert run(["worker", "redis-acl", "--base", str(base), "--password-dir", str(tmp_path / "pw"), *args]) == 0
    out = tmp_path / "users.acl"
    out.write_text(capsys.readouterr().out)  # in place, as the mounted file is rewritten
    return out


@contextmanager
def _redis_server(acl: Path) -> Iterator[int]:
    """A private redis-server (its own port, no persistence) started from ``acl``; yields its port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--aclfile", str(acl), "--dir", str(acl.parent)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()[-1500:] if proc.stdout else ""
                assert time.monotonic() < deadline
                time.sleep(0.05)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[int]:
    first = [line for line in _base(tmp_path).read_text().splitlines() if not line.startswith("#")]
    (tmp_path / "users.acl").write_text("\n".join(first) + "\n")  # the first start (grep -v '^#'): no worker yet
    with _redis_server(tmp_path / "users.acl") as port:
        yield port


def test_worker_id_prints_its_key_without_redis(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SESSIONLENS_BROKER_URL", "redis://127.0.0.1:1/0")  # nothing listens: not needed
    assert run(["worker", "id", "--state-dir", str(tmp_path / "w"), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    me = load_or_create(tmp_path / "w")
    assert shown == {"id": me.id, "fingerprint": me.fingerprint, "public_key": me.public.hex()}
    assert run(["worker", "id", "--state-dir", str(tmp_path / "w")]) == 0  # the same key the next time
    assert me.id in capsys.readouterr().out
    (tmp_path / "file").write_text("x")
    for bad in (tmp_path / "file", Path("/proc/1/no/such/dir")):  # not a directory; cannot be made
        assert run(["worker", "id", "--state-dir", str(bad)]) == 2
        err = capsys.readouterr().err
        assert "worker state directory" in err and len(err.strip().splitlines()) == 1


def test_the_admin_approves_a_key_given_to_it_not_running(server, admin_ctx, redis_prefix, tmp_path) -> None:
    keyring = RedisKeyring(REDIS, prefix=redis_prefix)
    me, other = load_or_create(tmp_path / "a"), load_or_create(tmp_path / "b")
    with pytest.raises(InputError, match="not worker"):
        workers.approve_worker(admin_ctx, me.id, keyring=keyring, public=other.public)
    shown = workers.approve_worker(admin_ctx, me.id, keyring=keyring, public=me.public, name="worker-1")
    assert shown["approved"] and not shown["live"] and shown["fingerprint"] == me.fingerprint
    assert worker_approvals.approved_keys(tmp_path / "anchor") == {me.id: me.public}


def test_redis_acl_file_loads_and_each_worker_is_its_own_user(tmp_path, anchor_dir, private_redis, capsys) -> None:
    port = private_redis
    a, b = load_or_create(tmp_path / "a"), load_or_create(tmp_path / "b")
    worker_approvals.approve(anchor_dir, a.public, "worker-a", "admin")
    acl = _acl_file(tmp_path, capsys)
    assert (tmp_path / "pw" / a.id).stat().st_mode & 0o777 == 0o600  # made for it, readable by its owner only
    text = acl.read_text()
    assert text.startswith("user default off\n") and f"user sessionlens-{a.id} on #" in text
    assert all(line.startswith("user ") for line in text.splitlines())  # Redis refuses comment lines
    assert (tmp_path / "pw" / a.id).read_text().strip() not in text  # the hash only
    loader = redis.Redis(port=port, username="sessionlens-acl", password=ACL_PASSWORD)
    loader.execute_command("ACL", "LOAD")
    with pytest.raises(redis.exceptions.AuthenticationError):
        redis.Redis(port=port).ping()  # default off
    as_a = redis.Redis(port=port, username=f"sessionlens-{a.id}", password=(tmp_path / "pw" / a.id).read_text().strip())
    as_a.set(f"sessionlens:w:{a.id}:presence", "{}", ex=5)
    as_a.lpush(f"sessionlens.{a.id}", "x")
    with pytest.raises(redis.exceptions.NoPermissionError):
        as_a.set("sessionlens:jobroute:j-1", a.id)
    for command in (("GET", "sessionlens:jobroute:j-1"), ("CONFIG", "GET", "dir"), ("ACL", "LIST")):
        with pytest.raises(redis.exceptions.NoPermissionError):
            loader.execute_command(*command)  # the loader loads, and does nothing else

    worker_approvals.approve(anchor_dir, b.public, "worker-b", "admin")  # a new worker: its user, no restart
    worker_approvals.revoke(anchor_dir, a.id)  # a revoked one: its user goes
    _acl_file(tmp_path, capsys)
    loader.execute_command("ACL", "LOAD")
    redis.Redis(port=port, username=f"sessionlens-{b.id}", password=(tmp_path / "pw" / b.id).read_text().strip()).ping()
    with pytest.raises(redis.exceptions.AuthenticationError):
        redis.Redis(port=port, username=f"sessionlens-{a.id}",
                    password=(tmp_path / "pw" / a.id).read_text().strip()).ping()
    with pytest.raises((redis.exceptions.AuthenticationError, redis.exceptions.ConnectionError)):
        as_a.ping()  # the revoked worker's open connection is cut off by the ACL LOAD too


def test_redis_acl_refuses_bad_input_in_one_line(tmp_path, anchor_dir, capsys) -> None:
    me = load_or_create(tmp_path / "a")
    worker_approvals.approve(anchor_dir, me.public, "worker-a", "admin")
    loose = tmp_path / "loose"
    loose.write_text("a-password-of-enough-length\n")
    loose.chmod(0o644)
    cases = [(["--password", f"{me.id}={loose}"], "chmod 600"),
             (["--password", "w-0000000000000000=/nonexistent"], "not on the approved list"),
             (["--password", "no-equals-sign"], "ID=FILE"),
             (["--password", f"{me.id}=/proc/1/no/such/dir/pw"], "password file"),
             (["--password", f"{me.id}={tmp_path / 'pw-ok'}", "--base", "/bin/ls"], "not a text file"),
             (["--password", f"{me.id}={tmp_path / 'pw-ok'}", "--base", str(tmp_path / "none")], "ACL base file"),
             ([], "no password file")]
    for args, said in cases:
        capsys.readouterr()
        assert run(["worker", "redis-acl", *args]) == 2, args
        out = capsys.readouterr()
        assert said in out.err and "user sessionlens-" not in out.out and len(out.err.strip().splitlines()) == 1
    doc = json.loads((anchor_dir / worker_approvals.FILE).read_text())
    doc["workers"]["w-0000000000000000"] = doc["workers"][me.id]  # edited without the anchor key
    (anchor_dir / worker_approvals.FILE).write_text(json.dumps(doc))
    capsys.readouterr()
    assert run(["worker", "redis-acl", "--password-dir", str(tmp_path / "pw")]) != 0
    assert "user sessionlens-" not in capsys.readouterr().out  # no user from a list that fails its signature
    assert run(["worker", "approve", me.id, "--public-key", "zz"]) == 2


def test_a_worker_without_its_redis_user_stops_in_one_line(server, tmp_path) -> None:
    """Approved or not, a worker whose user is not in Redis's ACL file yet says so and exits (no traceback)."""
    import os
    import sys

    (tmp_path / "pw").write_text("a-password-nobody-loaded-0123\n")
    (tmp_path / "pw").chmod(0o600)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SESSIONLENS_")}
    env.update(SESSIONLENS_DATABASE_URL=server.url, SESSIONLENS_BROKER_PASSWORD_FILE=str(tmp_path / "pw"),
               SESSIONLENS_BROKER_URL="redis://sessionlens-{worker}-nobody@127.0.0.1:6379/0")
    done = subprocess.run([sys.executable, "-m", "sessionlens", "worker", "--pool", "solo", "--state-dir",
                           str(tmp_path / "state")], env=env, capture_output=True, text=True, timeout=120)
    me = load_or_create(tmp_path / "state")
    assert done.returncode == 2, done.stderr[-2000:]
    assert f"Redis refused worker {me.id}" in done.stderr and "Traceback" not in done.stderr


def test_the_documented_compose_steps_make_an_acl_file_redis_starts_with(tmp_path) -> None:
    """docs/deployment.md's own commands (passwords, the base with the web's and the loader's hashes) run
    here, and a private redis-server starts from their file: the web and the loader sign in, nobody else."""
    import sys

    doc = (BASE.parents[2] / "docs" / "deployment.md").read_text()
    steps = doc[doc.index("for u in web acl"):doc.index("chmod 600 secrets/*")]
    (tmp_path / "secrets").mkdir()
    (tmp_path / "redis").mkdir()
    (tmp_path / "redis" / "users.acl").write_text(BASE.read_text())
    python = Path(sys.executable).parent  # the commands call `python`
    subprocess.run(["bash", "-euo", "pipefail", "-c", steps], cwd=tmp_path, check=True, timeout=60,
                   env={"PATH": f"{python}:/usr/bin:/bin"})
    with _redis_server(tmp_path / "secrets" / "users.acl") as port:
        secret = {u: (tmp_path / "secrets" / f"redis_{u}_password").read_text().strip() for u in ("web", "acl")}
        assert redis.Redis(port=port, username="sessionlens-web", password=secret["web"]).ping()
        redis.Redis(port=port, username="sessionlens-acl", password=secret["acl"]).execute_command("ACL", "LOAD")
        with pytest.raises(redis.exceptions.AuthenticationError):
            redis.Redis(port=port, username="sessionlens-web", password=secret["acl"]).ping()
        with pytest.raises(redis.exceptions.AuthenticationError):
            redis.Redis(port=port).ping()
