"""Messages of the desktop till's own parts (the camera scan, the settings' device tests):
code -> (zh_CN, en).

The camera's own events carry codes of :mod:`terminal.messages.devices`; these
are what the GUI adds around them. See :mod:`terminal.messages`.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "camera_unavailable": ("摄像头不可用", "camera not available"),
    "camera_disabled": ("摄像头已在设置中关闭", "the camera is turned off in the settings"),
    "camera_settings_bad": ("摄像头设置有误", "the camera settings are wrong"),
    # --- the settings screen's device tests ----------------------------------------------
    "camera_test_cannot_open": (
        "打不开摄像头 {source}：请检查连接线和设置",
        "cannot open the camera {source}: check the cable and the setting",
    ),
    "camera_test_no_frame": (
        "摄像头 {source} 已打开，但没有画面",
        "the camera {source} opened but gave no picture",
    ),
    "camera_test_ok": ("摄像头 {source} 正常", "the camera {source} works"),
    "printer_test_printed": ("测试页已打印", "test page printed"),
}
