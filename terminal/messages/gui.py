"""Messages of the desktop till's own parts (the camera scan): code -> (zh_CN, en).

The camera lives in ``devices/``, which cannot import the catalogue; its
events carry a kind, and the GUI names the code for the status bar and the
camera dialog from it. See :mod:`terminal.messages`.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "camera_ready": ("摄像头已连接", "camera connected"),
    "camera_back": ("摄像头已恢复", "camera back"),
    "camera_cannot_open": ("无法打开摄像头，正在重试…", "cannot open the camera; retrying…"),
    "camera_lost": ("摄像头已断开，正在重试…", "camera disconnected; retrying…"),
    "camera_closed": ("摄像头已关闭", "camera off"),
    "camera_unavailable": ("摄像头不可用", "camera not available"),
    "camera_disabled": ("摄像头已在设置中关闭", "the camera is turned off in the settings"),
    "camera_settings_bad": ("摄像头设置有误", "the camera settings are wrong"),
}
