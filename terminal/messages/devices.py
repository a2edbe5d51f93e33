"""Messages of the devices area: code -> (zh_CN, en). See :mod:`terminal.messages`.

``devices/`` cannot import the catalogue: a device result carries one of these
codes (``devices.printer.FAILURES``, ``DRAWER_FAILURES``, ``PAPER_NEAR_END``,
``devices.camera.MESSAGE_CODES``) and the front end renders it. A test checks
that every device code is here.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # reading an image file to scan (devices/decoding.py)
    "image_cannot_read": ("无法读取该文件", "the file cannot be read"),
    "image_not_an_image": ("该文件不是可识别的图片", "not an image that can be read"),
    # the camera (devices/camera.py)
    "camera_ready": ("摄像头已连接", "camera connected"),
    "camera_back": ("摄像头已恢复", "camera back"),
    "camera_cannot_open": ("无法打开摄像头，正在重试…", "cannot open the camera; retrying…"),
    "camera_lost": ("摄像头已断开，正在重试…", "camera disconnected; retrying…"),
    "camera_closed": ("摄像头已关闭", "camera off"),
    # the receipt printer (devices/printer/service.py)
    "printer_not_connected": (
        "打印机未连接，请检查电源和数据线，小票已保存可重打",
        "the printer is not connected: check its power and cable; the receipt is kept for reprint",
    ),
    "printer_timeout": (
        "打印机无响应，请检查打印机是否开机、网线是否接好，小票已保存可重打",
        "the printer does not answer: check that it is on and its cable is in; "
        "the receipt is kept for reprint",
    ),
    "printer_paper_out": (
        "打印机缺纸，请装入新纸卷后重打小票",
        "the printer is out of paper: load a new roll, then reprint the receipt",
    ),
    "printer_cover_open": (
        "打印机纸仓盖未关好，请关好后重打小票",
        "the printer cover is open: close it, then reprint the receipt",
    ),
    "printer_offline": (
        "打印机离线，请检查打印机（缺纸、开盖或故障）后重打小票",
        "the printer is off line (paper, cover or a fault): check it, then reprint the receipt",
    ),
    "printer_send_failed": (
        "打印中断，请检查打印机和数据线后重打小票",
        "printing was cut off: check the printer and its cable, then reprint the receipt",
    ),
    "printer_no_font": (
        "未找到中文字体，无法打印图片小票，请联系管理员（小票已保存）",
        "no Chinese font for image receipts: call the administrator (the receipt is kept)",
    ),
    "printer_driver_missing": (
        "本机缺少打印机驱动组件，请联系管理员（小票已保存）",
        "this till lacks the printer's driver component: call the administrator "
        "(the receipt is kept)",
    ),
    "printer_bad_document": (
        "小票内容有误，无法打印，请联系管理员（小票已保存）",
        "the receipt cannot be printed as it is: call the administrator (the receipt is kept)",
    ),
    "printer_paper_near_end": (
        "打印机纸将用完，请准备新纸卷",
        "the paper roll is nearly used up: have a new one ready",
    ),
    # the cash drawer, pulsed through the printer
    "drawer_not_connected": (
        "钱箱未能打开：打印机未连接，请用钥匙开箱",
        "the cash drawer did not open: the printer is not connected; open it with the key",
    ),
    "drawer_timeout": (
        "钱箱未能打开：打印机无响应，请用钥匙开箱",
        "the cash drawer did not open: the printer does not answer; open it with the key",
    ),
    "drawer_send_failed": (
        "钱箱未能打开：与打印机的连接中断，请用钥匙开箱",
        "the cash drawer did not open: the printer connection broke; open it with the key",
    ),
    "drawer_driver_missing": (
        "钱箱未能打开：本机缺少打印机驱动组件，请用钥匙开箱并联系管理员",
        "the cash drawer did not open: this till lacks the printer's driver component; "
        "open it with the key and call the administrator",
    ),
}
