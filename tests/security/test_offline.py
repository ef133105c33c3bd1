"""The network guard blocks every outbound attempt while processing; an import attempts none."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

import pytest

from sessionlens.errors import NetworkRefusedError
from sessionlens.offline import is_offline, offline
from sessionlens.services import clients, consent, sessions

from ..vault.helpers import DEMO


@pytest.fixture
def listener():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    yield srv.getsockname()
    srv.close()


def test_guard_refuses_tcp_dns_udp_and_records_each_attempt(listener):
    with offline() as guard:
        assert is_offline()
        with socket.socket() as s, pytest.raises(NetworkRefusedError):
            s.connect(listener)
        with socket.socket() as s:
            with pytest.raises(NetworkRefusedError):
                s.connect_ex(listener)
        with pytest.raises(NetworkRefusedError):
            socket.getaddrinfo("example.org", 443)
        with pytest.raises(NetworkRefusedError):
            socket.gethostbyname("example.org")
        with pytest.raises(NetworkRefusedError):
            socket.create_connection(listener, timeout=1)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u, pytest.raises(NetworkRefusedError):
            u.sendto(b"dns?", ("127.0.0.1", 53))
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s6, pytest.raises(NetworkRefusedError):
            s6.connect(("::1", 9))
        with pytest.raises((NetworkRefusedError, urllib.error.URLError)):
            urllib.request.urlopen("http://example.org/", timeout=1)
    assert len(guard.attempts) >= 8
    assert not is_offline()


def test_local_unix_sockets_still_work_and_guard_comes_off(listener):
    with offline():
        a, b = socket.socketpair()
        a.sendall(b"x")
        assert b.recv(1) == b"x"
        a.close()
        b.close()
    with socket.create_connection(listener, timeout=2):
        pass  # reachable again once the guard is gone


def test_guards_nest_and_an_error_inside_still_uninstalls():
    original = socket.socket.connect
    with pytest.raises(RuntimeError):
        with offline():
            with offline():
                assert socket.socket.connect is not original
            assert is_offline()
            raise RuntimeError("boom")
    assert socket.socket.connect is original and socket.getaddrinfo.__module__ == "socket"


def test_a_full_import_and_analysis_attempts_nothing(world):
    client = clients.add_client(world.alice, "Offline Person")["id"]
    consent.record_consent(world.alice, client)
    with offline() as guard:  # SQLite only: storage is a local file
        result = sessions.import_session(world.alice, client, DEMO.read_bytes(), source="demo.vtt")
    assert result["utterances"] > 0
    assert guard.attempts == []


def test_processing_runs_under_the_guard(world, monkeypatch):
    """An analyser that tried the network would fail the import, and nothing would be stored."""
    client = clients.add_client(world.alice, "Guarded")["id"]
    consent.record_consent(world.alice, client)
    import sessionlens.services.analysis as mod  # what the pipeline calls to analyse

    def phoning_home(*args, **kwargs):
        socket.create_connection(("198.51.100.7", 443), timeout=1)

    monkeypatch.setattr(mod, "analyze_transcript", phoning_home)
    with pytest.raises(NetworkRefusedError):
        sessions.import_session(world.alice, client, DEMO.read_bytes(), source="demo.vtt")
    assert sessions.list_sessions(world.alice) == []


def test_allowed_hosts_stay_reachable_by_name_and_address(listener):
    """The database server stays reachable for other threads; everything else is still refused."""
    with offline(allow=["localhost"]) as guard:
        with socket.create_connection(("localhost", listener[1]), timeout=2):
            pass
        with pytest.raises(NetworkRefusedError):
            socket.getaddrinfo("example.org", 443)
        with socket.socket() as s, pytest.raises(NetworkRefusedError):
            s.connect(("192.0.2.1", 443))
    assert guard.attempts == ["getaddrinfo example.org", "connect 192.0.2.1"]


@pytest.mark.postgres
def test_the_guard_lets_the_postgres_store_work(template):
    from sessionlens.vault import store

    from ..vault.helpers import PG_BASE

    engine = store.make_engine(PG_BASE.replace("127.0.0.1", "localhost"))
    with offline(allow=store.network_hosts(engine)) as guard:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT 1").scalar() == 1
    engine.dispose()
    assert guard.attempts == []
