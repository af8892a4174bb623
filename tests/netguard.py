"""A network guard for the tests: outbound connections refused and logged, loopback allowed.

Installed in the test process directly, and in the Jupyter kernels that papermill starts through
a `sitecustomize` module put on PYTHONPATH (a monkeypatch in the test process would not reach
them). The session's pipeline run (tests/conftest.py) runs under it; tests/test_no_network.py
checks its log.
"""

from __future__ import annotations

import contextlib
import os
import textwrap
from pathlib import Path

import pytest

GUARD = textwrap.dedent('''
    """Network guard for tests/test_no_network.py: refuse and log non-loopback connections."""
    import ipaddress
    import os
    import socket

    _LOG = os.environ.get("RAJIN_NET_LOG")
    _connect, _connect_ex, _create = (socket.socket.connect, socket.socket.connect_ex,
                                      socket.create_connection)


    def _loopback(address):
        if not isinstance(address, tuple):          # AF_UNIX path
            return True
        host = str(address[0])
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:                           # a host name: would need DNS, so outbound
            return False


    def _record(what, address):
        if _LOG:
            with open(_LOG, "a", encoding="utf-8") as fh:
                fh.write(f"blocked {what} {address!r} pid {os.getpid()}\\n")


    def connect(self, address):
        if not _loopback(address):
            _record("connect", address)
            raise OSError("network access blocked by tests/test_no_network.py")
        return _connect(self, address)


    def connect_ex(self, address):
        if not _loopback(address):
            _record("connect_ex", address)
            raise OSError("network access blocked by tests/test_no_network.py")
        return _connect_ex(self, address)


    def create_connection(address, *args, **kwargs):
        if not _loopback(address):
            _record("create_connection", address)
            raise OSError("network access blocked by tests/test_no_network.py")
        return _create(address, *args, **kwargs)


    def install():
        socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
        socket.create_connection = create_connection


    def uninstall():
        socket.socket.connect, socket.socket.connect_ex = _connect, _connect_ex
        socket.create_connection = _create


    if os.environ.get("RAJIN_NET_GUARD") == "1":
        install()
        if _LOG:
            with open(_LOG, "a", encoding="utf-8") as fh:
                fh.write(f"guard installed pid {os.getpid()}\\n")
''')


def guard_module(tmp_path: Path):
    d = tmp_path / "guard"
    d.mkdir(exist_ok=True)
    (d / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    ns: dict = {}
    exec(compile(GUARD, str(d / "sitecustomize.py"), "exec"), ns)
    return d, ns


@contextlib.contextmanager
def kernels_guarded(tmp_path: Path):
    """Within the block, kernels started by papermill install the guard and log to the file
    this yields (a missing file: nothing was logged)."""
    guard_dir, _ = guard_module(tmp_path)
    log = tmp_path / "net.log"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTHONPATH", os.pathsep.join(
            [str(guard_dir)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
        mp.setenv("RAJIN_NET_GUARD", "1")
        mp.setenv("RAJIN_NET_LOG", str(log))
        yield log
