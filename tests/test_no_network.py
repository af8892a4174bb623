"""No network at run time: the analysis runs with outbound connections blocked.

Outbound connections are refused and recorded by a guard on socket.socket.connect /
connect_ex and socket.create_connection; loopback and Unix sockets stay allowed (the Jupyter
kernel talks to papermill over loopback). The guard is installed in this process for the
helper calls, and through a `sitecustomize` module on PYTHONPATH in the kernel process that
papermill starts for the whole pipeline (a monkeypatch here would not reach that process).
"""

from __future__ import annotations

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


def _guard_module(tmp_path: Path):
    d = tmp_path / "guard"
    d.mkdir(exist_ok=True)
    (d / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    ns: dict = {}
    exec(compile(GUARD, str(d / "sitecustomize.py"), "exec"), ns)
    return d, ns


def test_guard_blocks_outbound_and_allows_loopback(tmp_path, monkeypatch):
    import socket
    log = tmp_path / "net.log"
    monkeypatch.setenv("RAJIN_NET_LOG", str(log))
    _d, guard = _guard_module(tmp_path)
    guard["_LOG"] = str(log)
    guard["install"]()
    try:
        with pytest.raises(OSError, match="blocked"):
            socket.create_connection(("192.0.2.1", 80), timeout=0.1)   # TEST-NET-1, never routed
        with pytest.raises(OSError, match="blocked"):
            socket.socket().connect(("example.org", 443))
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        client = socket.create_connection(server.getsockname(), timeout=1)
        client.close()
        server.close()
    finally:
        guard["uninstall"]()
    lines = log.read_text(encoding="utf-8").splitlines()
    assert [ln.split(" (")[0] for ln in lines] == ["blocked create_connection", "blocked connect"]


def test_helpers_read_clean_and_detect_offline(tmp_path, monkeypatch):
    """The notebooks' helper calls on the bundled data, in this process, sockets blocked."""
    from helpers import ais, geo, imagery, params, paths, reference, steps
    from helpers.analysis import gaps, port_calls
    log = tmp_path / "net.log"
    _d, guard = _guard_module(tmp_path)
    guard["_LOG"] = str(log)
    guard["install"]()
    try:
        P = params.load()
        data = [ais.read(paths.resolve(i["path"]), fmt=i.get("format", "auto"),
                         **i.get("options", {})) for i in P["inputs"]["ais"]]
        clean = ais.clean(data, P.start, P.end, max_implied_speed_kn=P.t["max_implied_speed_kn"],
                          jump_policy=P.t["jump_policy"])
        fences = geo.load_ports(P.input("ports"))
        names = reference.names(reference.vessels_of_interest(P.input("vessels"),
                                                              P["vessels_of_interest"]))
        calls = port_calls.port_calls(clean.positions, fences, max_sog_kn=P.t["port_max_sog_kn"],
                                      min_dwell_hours=P.t["port_min_dwell_hours"], names=names)
        dark = gaps.dark_periods(clean.positions, **steps.common.dark_options(P, fences, steps.common.load_land(P)),
                                 names=names)
        acq = imagery.read_acquisitions(P.input("acquisitions"))
        sightings = imagery.read_sightings(P.input("sightings"))
    finally:
        guard["uninstall"]()
    assert not log.exists(), log.read_text(encoding="utf-8")
    qa = clean.qa.set_index("source").loc["total"]
    # the default-run numbers (README): 91,887 rows read = 69,835 kept + 241 rejected + 9,064 dup.
    assert int(qa["rows_read"]) == 91_887
    assert (len(clean.positions), int(qa["rejected"]), int(qa["duplicates"])) == \
        (69_835, 241, 9_064)
    assert len(calls) == 1_401 and len(dark) == 113
    assert len(acq) > 0 and len(sightings) > 0


@pytest.mark.slow
def test_pipeline_runs_with_sockets_blocked(tmp_path, monkeypatch):
    """The whole pipeline (papermill, every notebook) with the guard in the kernel process."""
    from helpers import params, pipeline, steps
    guard_dir, _ = _guard_module(tmp_path)
    log = tmp_path / "net.log"
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(guard_dir)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    monkeypatch.setenv("RAJIN_NET_GUARD", "1")
    monkeypatch.setenv("RAJIN_NET_LOG", str(log))
    out = tmp_path / "run"
    overrides = {"outputs": {"processed": str(out / "processed"), "figures": str(out / "figures"),
                             "build": str(out / "build")}}
    pipeline.run(overrides=overrides)
    lines = log.read_text(encoding="utf-8").splitlines()
    kernels = {ln.split("pid ")[1] for ln in lines if ln.startswith("guard installed")}
    assert str(os.getpid()) not in kernels and len(kernels) >= 1   # the guard ran in the kernel
    assert [ln for ln in lines if ln.startswith("blocked")] == []
    P = params.load(overrides=overrides)
    assert len(steps.common.load(P, "port_calls")) == 1_401 and len(steps.common.load(P, "dark_periods")) == 113
    assert (out / "build" / "report.html").is_file()
