"""No network at run time: the analysis runs with outbound connections blocked.

Outbound connections are refused and recorded by a guard on socket.socket.connect /
connect_ex and socket.create_connection; loopback and Unix sockets stay allowed (the Jupyter
kernel talks to papermill over loopback). The guard is installed in this process for the
helper calls, and through a `sitecustomize` module on PYTHONPATH in the kernel process that
papermill starts for the whole pipeline (a monkeypatch here would not reach that process).
"""

from __future__ import annotations

import os

import pytest

from tests.netguard import guard_module


def test_guard_blocks_outbound_and_allows_loopback(tmp_path, monkeypatch):
    import socket
    log = tmp_path / "net.log"
    monkeypatch.setenv("RAJIN_NET_LOG", str(log))
    _d, guard = guard_module(tmp_path)
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
    from helpers import ais, geo, imagery, params, reference, steps
    from helpers.analysis import gaps, port_calls
    log = tmp_path / "net.log"
    _d, guard = guard_module(tmp_path)
    guard["_LOG"] = str(log)
    guard["install"]()
    try:
        P = params.load()
        data = [ais.read(i["path"], fmt=i.get("format", "auto"),
                         **i.get("options", {})) for i in P.ais_inputs()]
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
def test_pipeline_runs_with_sockets_blocked(run):
    """The session's whole pipeline run (papermill, every notebook) ran with the guard in its
    kernel (tests/conftest.py): it installed there, and nothing was blocked."""
    lines = run.net_log.read_text(encoding="utf-8").splitlines()
    kernels = {ln.split("pid ")[1] for ln in lines if ln.startswith("guard installed")}
    # the run's notebooks share one kernel (helpers.pipeline), a process of its own
    assert str(os.getpid()) not in kernels and len(kernels) == 1
    assert [ln for ln in lines if ln.startswith("blocked")] == []
    assert len(run.read("port_calls")) == 1_401 and len(run.read("dark_periods")) == 113
    assert (run.out / "build" / "report.html").is_file()
