"""`posterm demo`: a demo that fails part way leaves nothing behind (issue 8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from terminal.errors import StoreError
from ui.cli import demo_cmds, main


@pytest.mark.parametrize("existed", [False, True], ids=["new folder", "empty folder"])
def test_a_demo_that_fails_part_way_leaves_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    existed: bool,
) -> None:
    data = tmp_path / "data"
    if existed:
        data.mkdir()
    real = demo_cmds.build_demo

    def half_built(db: Any, **kwargs: Any) -> Any:
        real(db, **kwargs)  # everything is written, then the disk fills up
        raise StoreError("store_disk_full", folder=str(data))

    monkeypatch.setattr(demo_cmds, "build_demo", half_built)
    assert main(["demo", "--data-dir", str(data), "--members", "5"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "full" in err[0], err
    if existed:  # only the log of why it failed (posterm logs into a folder it finds)
        assert [p.name for p in data.iterdir()] == ["logs"]
    else:
        assert not data.exists()
    # and the folder takes a demo afterwards, as if nothing had happened
    monkeypatch.setattr(demo_cmds, "build_demo", real)
    assert main(["demo", "--data-dir", str(data), "--members", "5"]) == 0
