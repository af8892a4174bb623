"""Tests of helpers.ais.files: format detection, errors that name the file, compressed inputs."""

from __future__ import annotations

import pytest

from helpers import ais
from helpers.errors import InputError
from tests.factories import (
    AIS_FIXTURES,
    ANGARA,
    MARIA,
    MC_HEADER,
    REAL_AIS,
    T0_UNIX,
    tag_block,
    type1,
    write_text_lines,
)


def test_auto_detection_and_errors(tmp_path):
    nm = write_text_lines(tmp_path, "a.log", ["# header comment", "", tag_block(type1(), s="R", c=T0_UNIX)])
    mc = write_text_lines(tmp_path, "b.txt", [MC_HEADER])
    assert ais.detect_format(nm) == "nmea" and ais.detect_format(mc) == "marinecadastre"
    assert len(ais.read(mc).positions) == 0
    other = write_text_lines(tmp_path, "c.csv", ["lat,lon,time", "1,2,3"])
    with pytest.raises(InputError) as exc:
        ais.read(other)
    assert "c.csv" in str(exc.value) and "nmea" in str(exc.value) \
        and "marinecadastre" in str(exc.value)
    with pytest.raises(InputError, match="missing.nmea"):
        ais.read(tmp_path / "missing.nmea")
    with pytest.raises(InputError, match="marinecadastre"):
        ais.read(nm, fmt="gpx")


def test_compressed_inputs(tmp_path):
    import gzip
    import zipfile
    lines = [tag_block(type1(), s="R", c=T0_UNIX), tag_block(type1(mmsi=MARIA), s="R", c=T0_UNIX + 1)]
    text = "\n".join(lines) + "\n"
    (tmp_path / "log.nmea.gz").write_bytes(gzip.compress(text.encode()))
    d = ais.read(tmp_path / "log.nmea.gz")
    assert d.positions["mmsi"].tolist() == [ANGARA, MARIA] and d.qa["lines"] == 2
    real = REAL_AIS / "dma_aisdk_ferry_20221015_head.csv"          # a real DMA export, zipped
    with zipfile.ZipFile(tmp_path / "dma.zip", "w") as zf:
        zf.write(real, "aisdk-2022-10-15.csv")
    z = ais.read(tmp_path / "dma.zip")
    plain = ais.read(real, source="dma.zip")
    assert z.positions.equals(plain.positions) and z.vessels.equals(plain.vessels)
    assert z.qa == plain.qa and z.qa["layout"] == "dma" and z.qa["rows_read"] == 21
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as zf:    # locators name the archive
        zf.write(AIS_FIXTURES / "synthetic_dma_sample.csv", "aisdk-2023-08-01.csv")
    assert ais.read(tmp_path / "bad.zip").rejects["locator"].tolist() == \
        ["bad.zip:row 4", "bad.zip:row 5", "bad.zip:row 7"]
    with zipfile.ZipFile(tmp_path / "two.zip", "w") as zf:
        zf.writestr("a.nmea", text)
        zf.writestr("b.nmea", text)
    with pytest.raises(InputError, match="holds 2 files"):
        ais.read(tmp_path / "two.zip")
    (tmp_path / "bad.gz").write_bytes(b"not gzip")
    with pytest.raises(InputError, match="decompress"):
        ais.read(tmp_path / "bad.gz", fmt="nmea")
