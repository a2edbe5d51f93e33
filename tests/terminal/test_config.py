"""config.toml: defaults, error messages with file/line/key, business day, atomic save."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from devices.camera import CameraSettings
from devices.printer.settings import PrinterSettings
from terminal.checkout_settings import CheckoutSettings
from terminal.config import (
    CONFIG_VERSION,
    ConfigError,
    DataDir,
    TerminalConfig,
    default_data_dir,
    device_section,
    load_config,
    local_tz,
)
from terminal.config_render import ensure_config, render_config, save_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults() -> None:
    config = TerminalConfig()
    assert config.store.timezone == "Asia/Shanghai"
    assert config.store.business_day_start == "00:00"
    assert config.pricing.points_per_yuan == 100
    assert config.pricing.redeem_cap_bp == 5000
    assert config.pricing.rounding == "none"
    assert config.points.expiry == "end_of_next_year"
    assert config.points.expiry_days is None
    assert config.points.offline_redeem_limit == 20_000
    assert config.security.lockout_attempts == 5
    assert config.security.lockout_minutes == 5
    assert config.backup.keep == 14
    assert config.backup.auto is True
    assert config.hq.url is None
    # device tables are raw data here; their fields belong to devices/
    assert config.printer == {}
    assert config.camera == {}


def test_empty_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "")) == TerminalConfig()


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "config.toml")


def test_ensure_config_writes_commented_file_once(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "data")
    config = ensure_config(data, code="S042", name="人民路店", timezone="Asia/Urumqi")
    text = data.config_path.read_text(encoding="utf-8")
    assert "# " in text and 'code = "S042"' in text
    assert load_config(data.config_path) == config
    assert config.store.timezone == "Asia/Urumqi"
    assert data.backups_dir.is_dir() and data.keys_dir.is_dir()
    # an existing file is read, not rewritten with the new defaults
    assert ensure_config(data, code="S999").store.code == "S042"


def test_ensure_config_rejects_bad_store_defaults(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"store\.timezone"):
        ensure_config(DataDir(tmp_path), timezone="Nowhere/Land")
    assert not (tmp_path / "config.toml").exists()


def test_out_of_range_names_file_line_key_and_bounds(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "# till settings\n"
        "[store]\n"
        'code = "S001"\n'
        "\n"
        "[pricing]\n"
        "points_per_yuan = 100\n"
        "redeem_cap_bp = 12000\n",
    )
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert "config.toml line 7: pricing.redeem_cap_bp = 12000: must be between 0 and 10000" in (
        message
    )
    assert err.value.line == 7
    assert err.value.key == "pricing.redeem_cap_bp"
    assert err.value.path == path


def test_unknown_key_with_line_and_suggestion(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[store]\ncode = "S001"\n\n[pricing]\npoints_per_yuan = 100\n\nroundng = "drop_fen"\n',
    )
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert 'line 7: unknown key "pricing.roundng"' in str(err.value)
    assert 'did you mean "pricing.rounding"' in str(err.value)
    assert err.value.line == 7


def test_unknown_section(tmp_path: Path) -> None:
    path = write(tmp_path, '[store]\ncode = "S1"\n[printr]\nkind = "usb"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert 'line 3: unknown key "printr" (did you mean "printer"?)' in str(err.value)


# --- device tables: [printer] and [camera] --------------------------------------------------


def test_device_table_bad_value_names_file_line_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[store]\ncode = "S001"\n\n[printer]\nconnection = "network"\nhost = "10.0.0.9"\n'
        'port = "abc"\n',
    )
    config = load_config(path)  # terminal/ does not know the printer's fields
    with pytest.raises(ConfigError) as err:
        device_section(config, path, "printer", PrinterSettings)
    assert err.value.line == 7
    assert err.value.key == "printer.port"
    assert err.value.path == path
    assert 'config.toml line 7: printer.port = "abc": must be a whole number' in str(err.value)


def test_device_table_out_of_range_shows_the_model_bounds(tmp_path: Path) -> None:
    path = write(tmp_path, "[camera]\nsource = 0\n\nfps = 500\n")
    with pytest.raises(ConfigError) as err:
        device_section(load_config(path), path, "camera", CameraSettings)
    assert err.value.line == 4
    assert "line 4: camera.fps = 500: must be between 0 and 240" in str(err.value)


def test_device_table_unknown_key_with_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, '[printer]\nconnection = "network"\nhost = "h"\nprot = 9100\n')
    with pytest.raises(ConfigError) as err:
        device_section(load_config(path), path, "printer", PrinterSettings)
    assert 'line 4: unknown key "printer.prot" (did you mean "printer.port"?)' in str(err.value)
    assert err.value.key == "printer.prot"
    assert err.value.line == 4


def test_device_table_whole_table_problem_points_at_the_table(tmp_path: Path) -> None:
    path = write(tmp_path, '[store]\ncode = "S1"\n[printer]\nconnection = "network"\n')
    with pytest.raises(ConfigError) as err:
        device_section(load_config(path), path, "printer", PrinterSettings)
    assert err.value.line == 3
    assert err.value.key == "printer"
    assert "line 3: printer: network needs host" in str(err.value)


def test_device_table_valid_camera(tmp_path: Path) -> None:
    path = write(tmp_path, '[camera]\nsource = "rtsp://127.0.0.1/stream"\nfps = 15\n')
    camera = device_section(load_config(path), path, "camera", CameraSettings)
    assert isinstance(camera, CameraSettings)
    assert camera.source == "rtsp://127.0.0.1/stream"
    assert camera.fps == 15
    assert camera.width == 1280


def test_device_table_empty_or_missing_gives_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, "[printer]\n\n[camera]\n")
    config = load_config(path)
    assert device_section(config, path, "printer", PrinterSettings) == PrinterSettings()
    assert device_section(config, path, "camera", CameraSettings) == CameraSettings()
    path = write(tmp_path, "")
    assert device_section(load_config(path), path, "camera", CameraSettings) == CameraSettings()


def test_device_table_edited_since_load_has_no_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[camera]\nfps = 500\n")
    config = load_config(path)
    write(tmp_path, "\n\n[camera]\nfps = 30\n")
    with pytest.raises(ConfigError) as err:
        device_section(config, path, "camera", CameraSettings)
    assert err.value.line is None
    assert err.value.key == "camera.fps"
    assert "config.toml: camera.fps = 500: must be between 0 and 240" in str(err.value)


def test_device_table_must_be_a_table(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, '\nprinter = "usb"\n'))
    assert err.value.line == 2
    assert "line 2: printer" in str(err.value)
    assert "must be a table" in str(err.value)


def test_device_section_refuses_other_tables(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        device_section(TerminalConfig(), tmp_path / "config.toml", "store", CameraSettings)  # type: ignore[arg-type]


def test_new_config_shows_commented_device_examples(tmp_path: Path) -> None:
    data = DataDir(tmp_path)
    config = ensure_config(data)
    text = data.config_path.read_text(encoding="utf-8")
    for line in (
        "# [printer]",
        '# connection = "file"',
        '# file_path = "/dev/usb/lp0"',
        '# paper = "80mm"',
        '# text_mode = "gb18030"',
        "# [camera]",
        "# source = 0",
        "# width = 1280",
        "# height = 720",
        "# fps = 30",
    ):
        assert line in text
    for key in ("usb_vendor_id", "usb_product_id", "serial_port", "baudrate", "host", "port"):
        assert f"# {key} = " in text
    for key in ("cups_printer", "profile", "cash_drawer_pin"):
        assert f"# {key} = " in text
    assert config.printer == {} and config.camera == {}
    # uncommented, the examples are valid for the devices' models
    uncomment = re.compile(r"^# (?=\[|\w+ = )", re.MULTILINE)
    path = write(tmp_path, uncomment.sub("", text))
    uncommented = load_config(path)
    printer = device_section(uncommented, path, "printer", PrinterSettings)
    assert printer.connection == "file" and printer.file_path == "/dev/usb/lp0"
    camera = device_section(uncommented, path, "camera", CameraSettings)
    assert (camera.source, camera.width, camera.height, camera.fps) == (0, 1280, 720, 30)


def test_save_round_trips_device_tables(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config = TerminalConfig.model_validate(
        {
            "receipt": {"paper": "58mm"},
            "printer": {"connection": "usb", "usb_vendor_id": 0x0416, "usb_product_id": 0x5011},
            "camera": {"source": "rtsp://127.0.0.1/stream", "fps": 15},
        }
    )
    save_config(path, config)
    assert load_config(path) == config
    assert device_section(load_config(path), path, "printer", PrinterSettings).usb_vendor_id == (
        0x0416
    )
    only_camera = TerminalConfig.model_validate({"camera": {"source": 1}})
    save_config(path, only_camera)
    assert load_config(path) == only_camera
    assert "# [printer]" in path.read_text(encoding="utf-8")
    assert "printer" not in render_config(only_camera, comments=False)


def test_bad_timezone(tmp_path: Path) -> None:
    path = write(tmp_path, '[store]\nname = "x"\ntimezone = "Asia/Beijing"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert 'line 3: store.timezone = "Asia/Beijing": must be an IANA time zone' in str(err.value)


@pytest.mark.parametrize(
    ("text", "line", "key", "expected"),
    [
        ('[pricing]\nrounding = "up"\n', 2, "pricing.rounding", "must be one of"),
        ('[backup]\nkeep = "14"\n', 2, "backup.keep", "whole number"),
        ("[backup]\nkeep = 14\nauto = 1\n", 3, "backup.auto", "true or false"),
        ("[pricing]\nredeem_cap_bp = 50.5\n", 2, "pricing.redeem_cap_bp", "whole number"),
        ('[store]\nbusiness_day_start = "4:00"\n', 2, "store.business_day_start", "HH:MM"),
        ('[points]\n\nexpiry = "days:0"\n', 3, "points.expiry", "days:N"),
        ('[receipt]\npaper = "76mm"\n', 2, "receipt.paper", "'58mm'"),
        ("pricing.points_per_yuan = 0\n", 1, "pricing.points_per_yuan", "between 1 and"),
        ("\npricing = 3\n", 2, "pricing", "must be a table"),
    ],
)
def test_each_error_kind_has_line_and_key(
    tmp_path: Path, text: str, line: int, key: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    assert err.value.line == line
    assert err.value.key == key
    assert f"line {line}: {key}" in str(err.value)
    assert expected in str(err.value)


def test_corrupt_toml_reports_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[store]\ncode = "S001"\nname = \n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "config.toml line 3" in str(err.value)
    assert "not valid TOML" in str(err.value)
    assert err.value.line == 3


def test_a_value_nested_100000_deep_is_not_toml_not_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, '[store]\ncode = "S001"\nx = ' + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(ConfigError) as err:  # was a RecursionError in every command
        load_config(path)
    assert err.value.code == "config_not_toml"
    assert "nested too deeply" in str(err.value)


def test_several_problems_are_all_listed_first_line_first(tmp_path: Path) -> None:
    path = write(tmp_path, "[security]\nlockout_minutes = 0\nlockout_attempts = 0\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert len(err.value.problems) == 2
    assert err.value.line == 2
    assert "line 3: security.lockout_attempts" in str(err.value)


def business_day(at: datetime, config: TerminalConfig) -> date:
    """The business day the checkout uses for this config (the one rule)."""
    return CheckoutSettings.from_config(config, "t").business_day(at)


def test_business_day_midnight_default() -> None:
    config = TerminalConfig()
    # 2026-11-23 23:59 in Shanghai is 15:59 UTC; 00:01 the next day is 16:01 UTC
    assert business_day(datetime(2026, 11, 23, 15, 59, tzinfo=UTC), config) == date(2026, 11, 23)
    assert business_day(datetime(2026, 11, 23, 16, 1, tzinfo=UTC), config) == date(2026, 11, 24)
    assert str(local_tz(config)) == "Asia/Shanghai"


def test_business_day_with_4am_start() -> None:
    config = TerminalConfig.model_validate({"store": {"business_day_start": "04:00"}})
    # 02:30 local on the 24th still belongs to the 23rd
    assert business_day(datetime(2026, 11, 23, 18, 30, tzinfo=UTC), config) == date(2026, 11, 23)
    # 03:59 local -> 23rd, 04:00 local -> 24th
    assert business_day(datetime(2026, 11, 23, 19, 59, tzinfo=UTC), config) == date(2026, 11, 23)
    assert business_day(datetime(2026, 11, 23, 20, 0, tzinfo=UTC), config) == date(2026, 11, 24)


def test_business_day_refuses_naive() -> None:
    with pytest.raises(ValueError):
        business_day(datetime(2026, 11, 23, 12, 0), TerminalConfig())


def test_save_round_trip_is_atomic(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config = TerminalConfig.model_validate(
        {
            "store": {"code": "S7", "name": "测试店", "business_day_start": "04:30"},
            "pricing": {"rounding": "drop_fen", "redeem_cap_bp": 3000},
            "points": {"expiry": "days:365"},
            "hq": {"url": "https://hq.example.com"},
        }
    )
    save_config(path, config)
    assert load_config(path) == config
    assert load_config(path).points.expiry_days == 365
    save_config(path, TerminalConfig())
    assert load_config(path) == TerminalConfig()
    # only the config file is left: the temp file was renamed, not copied
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


def test_data_dir_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POSTERM_DATA_DIR", raising=False)
    assert DataDir.locate(None).root == default_data_dir()
    monkeypatch.setenv("POSTERM_DATA_DIR", str(tmp_path / "env"))
    assert DataDir.locate(None).root == tmp_path / "env"
    data = DataDir.locate(tmp_path / "cli")
    assert data.root == tmp_path / "cli"
    assert data.config_path == tmp_path / "cli" / "config.toml"
    assert data.store_path == tmp_path / "cli" / "store.sqlite3"
    assert data.backups_dir == tmp_path / "cli" / "backups"
    assert data.keys_dir == tmp_path / "cli" / "keys"


# --- versions and upgrades (issue 9) -----------------------------------------------------


def test_a_file_without_a_version_is_read_as_the_first_format(tmp_path: Path) -> None:
    path = write(tmp_path, '[store]\ncode = "S009"\n')
    config = load_config(path)
    assert config.version == CONFIG_VERSION and config.store.code == "S009"


def test_a_file_from_a_newer_posterm_is_refused_in_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'version = 99\n[store]\ncode = "S009"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "newer posterm" in str(err.value) and "\n" not in str(err.value)


def test_written_files_carry_their_version(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    save_config(path, TerminalConfig())
    assert f"version = {CONFIG_VERSION}" in path.read_text(encoding="utf-8")
    assert load_config(path) == TerminalConfig()


def test_a_renamed_setting_is_carried_over_by_its_upgrade_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a later version does when it renames a key: old files keep working."""
    import terminal.config as config_module

    def rename_footer(data: dict) -> dict:
        receipt = dict(data.get("receipt", {}))
        if "bottom_line" in receipt:
            receipt["footer"] = receipt.pop("bottom_line")
        return {**data, "receipt": receipt}

    monkeypatch.setattr(config_module, "CONFIG_VERSION", CONFIG_VERSION + 1)
    monkeypatch.setitem(config_module.UPGRADES, CONFIG_VERSION, rename_footer)
    path = write(tmp_path, f'version = {CONFIG_VERSION}\n[receipt]\nbottom_line = "再会"\n')
    assert load_config(path).receipt.footer == "再会"


def test_a_version_1_file_with_the_old_hq_token_file_still_loads(tmp_path: Path) -> None:
    """``[hq] token_file`` was dropped in version 2 (the credential is sealed in the store)."""
    path = write(
        tmp_path,
        'version = 1\n[hq]\nurl = "https://hq.example.com"\ntoken_file = "hq-token"\n',
    )
    config = load_config(path)
    assert config.hq.url == "https://hq.example.com" and config.version == CONFIG_VERSION
    assert (
        "token_file" not in TerminalConfig.model_json_schema()["$defs"]["HqSection"]["properties"]
    )
