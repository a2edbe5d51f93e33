"""The camera scan (F3): live preview, a box around the code found, a beep, the code to the sale.

The devices run their own threads (:mod:`devices.camera` captures, :mod:`devices.scanloop`
decodes); :class:`CameraFeed` builds them on a :data:`~ui.qt.ops.DEVICES` worker
(OpenCV and the decoders load there, not on the GUI thread) and adds a preview
thread that shrinks the newest frame into a ``QImage``. Frames, codes and camera
events reach the GUI thread only as Qt signals; no widget is touched from those
threads. At most one preview frame is ever waiting for the GUI, so a busy
screen drops frames instead of queueing them.

Each code read is handed to the checkout screen as if typed
(:meth:`~ui.qt.checkout_screen.CheckoutScreen.scan_text`): the core decides what
it is and attaches the member, adds the product or applies the coupon. The
dialog then shows what the checkout screen showed, draws the code's box green
(taken) or red (refused) and plays the matching sound.

The dialog is not modal: a handheld scanner or the keyboard keeps selling
while the camera watches (keys typed into the dialog go to the scan field).
A camera that is missing or unplugged is reported in the dialog and the
status bar while :class:`devices.camera.Camera` retries on its own; closing
the dialog stops the camera, and so does the sale going out of sight (the
idle lock), so nothing is scanned into a sale nobody is watching.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terminal import messages
from terminal.classifier import classify
from terminal.config import device_section
from ui.qt.checkout_screen import CheckoutScreen
from ui.qt.context import AppContext
from ui.qt.i18n import RESOURCES
from ui.qt.ops import DEVICES, Op, device_op
from ui.qt.widgets import TOUCH, MessageBar, error_text

if TYPE_CHECKING:
    from devices.camera import Camera, CameraEvent, CameraSettings
    from devices.scanloop import Accept, ScanEvent, ScanLoop

log = logging.getLogger(__name__)

SOUNDS = RESOURCES / "sounds"
SOUND_FILES = {"ok": SOUNDS / "scan-ok.wav", "refused": SOUNDS / "scan-refused.wav"}
PREVIEW_WIDTH = 640
"""Width of the preview before the dialog is laid out (decoding always uses the full frame)."""
BOX_MS = 1500
"""How long the box around a code stays on the preview."""

Box = tuple[tuple[tuple[int, int], ...], bool | None]
"""A code's corners in frame pixels, and whether the sale took it (None: not known yet)."""


# --- sounds -------------------------------------------------------------------------------


class Beeper(QObject):
    """The two scan sounds, through QtMultimedia when it loads, else the system beep.

    A machine without QtMultimedia's libraries or without an audio device
    still scans: nothing here raises. ``played`` lists the sounds asked for.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.played: list[str] = []
        self._effects: dict[str, Any] | None = None

    def _load(self) -> dict[str, Any]:
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except (ImportError, OSError) as exc:  # e.g. libpulse missing
            log.info("no QtMultimedia here (%s): the scan sounds use the system beep", exc)
            return {}
        effects = {}
        for kind, path in SOUND_FILES.items():
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            effects[kind] = effect
        return effects

    def play(self, kind: str) -> None:
        """``"ok"`` or ``"refused"``."""
        self.played.append(kind)
        try:
            if self._effects is None:
                self._effects = self._load()
            effect = self._effects.get(kind)
            if effect is not None and effect.status() != effect.Status.Error:
                effect.play()
                return
        except Exception:  # an audio back end that fails must not stop the scan
            log.warning("scan sound failed", exc_info=True)
        QApplication.beep()


# --- the devices, off the GUI thread ------------------------------------------------------


class CameraFeed(QObject):
    """Camera, scan loop and preview threads; their news as signals on the GUI thread.

    ``load_settings`` runs on a worker (it imports OpenCV and reads ``[camera]``);
    ``accept`` decides which codes the scan loop emits (default: the terminal's
    classifier through :func:`devices.scanloop.accept_from_classifier`); it runs on
    the decode thread.
    """

    frame = Signal(QImage, QSize)  # preview image, size of the camera frame
    code = Signal(object)  # devices.scanloop.ScanEvent
    status = Signal(object)  # devices.camera.CameraEvent
    opened = Signal(bool)  # False: the camera is turned off in the settings
    failed = Signal(object)  # the settings could not be read (ConfigError)
    stopped = Signal()

    def __init__(
        self,
        load_settings: Callable[[], CameraSettings],
        accept: Accept | None = None,
    ) -> None:
        super().__init__()
        self._load_settings = load_settings
        self._accept = accept
        self._preview_size = (PREVIEW_WIDTH, PREVIEW_WIDTH * 9 // 16)
        self._lock = threading.Lock()  # start and stop run on pool workers, maybe at once
        self._closing = False
        self._taken = threading.Event()  # the GUI took the last preview frame
        self._taken.set()
        self._halt = threading.Event()
        self.camera: Camera | None = None
        self.loop: ScanLoop | None = None
        self._preview: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self.camera is not None and self.camera.running

    def start(self) -> None:
        """Open the camera and start decoding, on a DEVICES worker; returns at once."""
        _live.add(self)
        device_op(self, self._open).success(self.opened.emit).failure(self.failed.emit).run(DEVICES)

    def _open(self) -> bool:
        from devices.camera import Camera
        from devices.scanloop import ScanLoop, accept_from_classifier

        settings = self._load_settings()
        if not settings.enabled:
            return False
        accept = self._accept or accept_from_classifier(classify)
        with self._lock:
            if self._closing:
                return True
            self.camera = Camera(settings, on_status=self.status.emit)
            self.loop = ScanLoop.from_settings(settings, self.camera, self.code.emit, accept)
            self._preview = threading.Thread(
                target=self._run_preview, args=(self.camera,), name="camera-preview", daemon=True
            )
            self.camera.start()
            self.loop.start()
            self._preview.start()
        return True

    def set_preview_size(self, width: int, height: int) -> None:
        """The preview's size on screen: frames are shrunk to it off the GUI thread, so
        painting one is a copy, not a scaling."""
        self._preview_size = (max(width, 1), max(height, 1))

    def frame_taken(self) -> None:
        """The GUI has the last preview frame: the preview thread may send the next."""
        self._taken.set()

    def _run_preview(self, camera: Camera) -> None:
        import cv2

        seq = 0
        while not self._halt.is_set():
            frame = camera.latest(seq, 0.2)
            if frame is None:
                continue
            seq = frame.seq
            if not self._taken.wait(0.2):
                continue  # the GUI is still on the last one: skip this frame
            height, width = frame.image.shape[:2]
            room_w, room_h = self._preview_size
            scale = min(room_w / width, room_h / height, 1.0)
            small_w, small_h = max(1, round(width * scale)), max(1, round(height * scale))
            small = cv2.resize(frame.image, (small_w, small_h), interpolation=cv2.INTER_AREA)
            rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
            image = QImage(rgb.data, small_w, small_h, 3 * small_w, QImage.Format.Format_RGB888)
            self._taken.clear()
            self.frame.emit(image.copy(), QSize(width, height))

    def stop(self) -> None:
        """Stop decoding, the preview and the camera, on a DEVICES worker; ``stopped`` after."""
        self._closing = True  # a start still running sees it (no lock: never wait on the GUI)
        device_op(self, self.stop_now).success(lambda _r: self._stopped()).run(DEVICES)

    def stop_now(self) -> None:
        """Stop everything on this thread (a worker, or the GUI thread when the app quits)."""
        with self._lock:
            self._closing = True
            self._halt.set()
            if self.loop is not None:
                self.loop.stop()
            if self._preview is not None:
                self._preview.join(5.0)
            if self.camera is not None:
                self.camera.stop()

    def _stopped(self) -> None:
        _live.discard(self)
        self.stopped.emit()


_live: set[CameraFeed] = set()  # feeds kept alive until their threads have stopped


def _stop_all_at_quit() -> None:
    for feed in list(_live):
        feed.stop_now()


_quit_hooked = False


def _hook_quit() -> None:
    """Stop every camera when the application quits (once per process)."""
    global _quit_hooked
    app = QApplication.instance()
    if app is not None and not _quit_hooked:
        app.aboutToQuit.connect(_stop_all_at_quit)
        _quit_hooked = True


# --- the preview ----------------------------------------------------------------------------


class CameraView(QWidget):
    """The newest frame, scaled to fit, with the box of the last code read on top."""

    COLOURS: ClassVar[dict[bool | None, str]] = {None: "#f79009", True: "#12b76a", False: "#f04438"}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraPreview")
        self.setAccessibleName("camera preview")
        self.setMinimumSize(480, 270)
        self.image: QImage | None = None
        self.source = QSize()
        self.box: Box | None = None
        self.frames_shown = 0
        self.boxes_drawn = 0
        self.placeholder = ""
        self._box_timer = QTimer(self)
        self._box_timer.setSingleShot(True)
        self._box_timer.setInterval(BOX_MS)
        self._box_timer.timeout.connect(self.clear_box)
        self.on_resize: Callable[[int, int], None] | None = None  # the feed sizes its frames

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.on_resize is not None:
            self.on_resize(self.width(), self.height())

    def sizeHint(self) -> QSize:
        return QSize(PREVIEW_WIDTH, PREVIEW_WIDTH * 9 // 16)

    def show_frame(self, image: QImage, source: QSize) -> None:
        self.image, self.source = image, source
        self.frames_shown += 1
        self.update()

    def show_box(self, polygon: tuple[tuple[int, int], ...], taken: bool | None) -> None:
        """Outline a code (frame pixels): amber while the sale decides, then green or red."""
        self.box = (polygon, taken)
        self.boxes_drawn += 1
        self._box_timer.start()
        self.update()

    def clear_box(self) -> None:
        self.box = None
        self.update()

    def show_placeholder(self, text: str) -> None:
        """Text on the preview when there is no picture (starting, camera missing)."""
        self.placeholder = text
        if text:
            self.image = None
        self.update()

    def _target(self) -> QRectF:
        assert self.image is not None
        w, h = self.width(), self.height()
        scale = min(w / self.image.width(), h / self.image.height())
        if 0.97 < scale < 1.03:  # made to fit already: a plain copy, no scaling
            scale = 1.0
        tw, th = round(self.image.width() * scale), round(self.image.height() * scale)
        return QRectF((w - tw) // 2, (h - th) // 2, tw, th)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#101828"))
        if self.image is None:
            painter.setPen(QColor("#f2f4f7"))
            painter.drawText(
                self.rect().adjusted(24, 24, -24, -24),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.placeholder,
            )
            return
        target = self._target()
        painter.drawImage(target, self.image)
        if self.box is not None and self.source.width() > 0:
            polygon, taken = self.box
            scale = target.width() / self.source.width()
            points = [QPointF(target.x() + x * scale, target.y() + y * scale) for x, y in polygon]
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(self.COLOURS[taken]), 4))
            painter.drawPolygon(QPolygonF(points))


# --- the dialog -----------------------------------------------------------------------------


class CameraDialog(QDialog):
    """The camera scan; see the module docstring."""

    def __init__(
        self,
        ctx: AppContext,
        screen: CheckoutScreen,
        parent: QWidget,
        *,
        accept: Accept | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.checkout_screen = screen
        self.reads: list[tuple[str, bool]] = []  # (code, taken by the sale)
        self._connected = False
        self._started = self._closed = False
        self.setObjectName("cameraDialog")
        self.setWindowTitle(self.tr("Camera scan"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "Hold the code in front of the camera. The scanner and the keyboard keep working."
            ),
            self,
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.view = CameraView(self)
        self.view.show_placeholder(self.tr("Starting the camera…"))
        layout.addWidget(self.view, 1)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = QPushButton(self.tr("Close (Esc)"), self)
        self.close_button.setObjectName("cameraClose")
        self.close_button.setAccessibleName("close the camera")
        self.close_button.setMinimumHeight(TOUCH)
        self.close_button.setAutoDefault(False)
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay for the scan field
        self.close_button.clicked.connect(self.reject)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.beeper = Beeper(self)

        home = ctx.home
        self.feed = CameraFeed(
            lambda: _camera_settings(home.config, home.data.config_path), accept=accept
        )
        self.view.on_resize = self.feed.set_preview_size
        self.feed.frame.connect(self._frame)
        self.feed.code.connect(self._code)
        self.feed.status.connect(self._camera_event)
        self.feed.opened.connect(self._opened)
        self.feed.failed.connect(self._failed)
        _hook_quit()
        screen.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The sale went out of sight (idle lock, log out): the camera stops with it."""
        if watched is self.checkout_screen and event.type() == QEvent.Type.Hide:
            self.reject()
        return False

    def start(self) -> None:
        self._started = True
        self.feed.start()

    def done(self, result: int) -> None:
        """Closing the dialog (Esc, the button, the window's X) stops the camera."""
        feed = self.feed
        if self._started and not self._closed:
            self._closed = True
            status = self.ctx.status
            offline = status.get("camera").state == "offline"
            feed.stopped.connect(
                lambda: status.set(
                    "camera",
                    "offline" if offline else "ok",
                    "camera_unavailable" if offline else "camera_closed",
                )
            )
            feed.stop()
        super().done(result)

    # --- what the devices report ---------------------------------------------------------

    @Slot(QImage, QSize)
    def _frame(self, image: QImage, source: QSize) -> None:
        self.view.show_frame(image, source)
        self.feed.frame_taken()

    @Slot(bool)
    def _opened(self, enabled: bool) -> None:
        if not enabled:
            self._say("not_configured", "camera_disabled")

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        self.ctx.status.set("camera", "offline", "camera_settings_bad")
        self.view.show_placeholder(messages.render("camera_settings_bad"))
        self.message.error(error_text(exc))

    @Slot(object)
    def _camera_event(self, event: CameraEvent) -> None:
        if event.kind in ("connected", "back"):
            self._connected = True
            self._say("ok", "camera_ready" if event.kind == "connected" else "camera_back")
        elif event.kind == "lost":
            self._say("offline", "camera_lost" if self._connected else "camera_cannot_open")

    def _say(self, state: Any, code: str) -> None:
        """The camera's state in the status bar and in the dialog."""
        self.ctx.status.set("camera", state, code)
        text = messages.render(code)
        if state == "ok":
            self.view.show_placeholder("")
            self.message.info(text)
        else:
            self.view.show_placeholder(text)
            self.message.error(text)

    # --- a code was read -------------------------------------------------------------------

    @Slot(object)
    def _code(self, event: ScanEvent) -> None:
        """Hand the code to the sale; the box and the sound follow the sale's answer."""
        self.view.show_box(event.polygon, None)
        screen = self.checkout_screen
        screen.message.clear_message()
        screen.scan_text(event.text)
        # The store thread runs one call at a time, in order: this empty call comes
        # back after the scan's own, when the checkout screen shows its answer.
        Op(self, lambda: None).success(lambda _r: self._answered(event)).run()

    def _answered(self, event: ScanEvent) -> None:
        if not shiboken6.isValid(self):
            return
        bar = self.checkout_screen.message
        refused = bar.property("kind") == "error" and bool(bar.text())
        self.reads.append((event.text, not refused))
        self.view.show_box(event.polygon, not refused)
        self.beeper.play("refused" if refused else "ok")
        what = self._what(event.text)
        if refused:
            self.message.error(f"{what} — {bar.text()}")
        else:
            self.message.info(what)

    def _what(self, text: str) -> str:
        kind = classify(text).kind
        if kind in ("member_static", "member_dynamic"):
            return self.tr("Member code read")
        if kind == "coupon":
            return self.tr("Coupon read: {code}").format(code=text.strip())
        if kind == "receipt":
            return self.tr("Receipt number read: {code}").format(code=text.strip())
        return self.tr("Product code read: {code}").format(code=text.strip())

    # --- keys: the scanner and the keyboard keep selling --------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        forward = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Backspace) or (
            event.text().isprintable() and bool(event.text())
        )
        if event.key() == Qt.Key.Key_Escape or not forward:
            super().keyPressEvent(event)
            return
        copy = QKeyEvent(event.type(), event.key(), event.modifiers(), event.text())
        QApplication.sendEvent(self.checkout_screen.scan, copy)


def _camera_settings(config: Any, path: Path) -> CameraSettings:
    from devices.camera import CameraSettings

    return device_section(config, path, "camera", CameraSettings)


def open_camera(
    parent: QWidget, ctx: AppContext, screen: CheckoutScreen, *, accept: Accept | None = None
) -> CameraDialog | None:
    """F3 at the checkout: the camera dialog (raised again when it is already open)."""
    if ctx.checkout is None:
        return None
    for child in parent.findChildren(CameraDialog):
        if child.isVisible():
            child.raise_()
            child.activateWindow()
            return child
    dialog = CameraDialog(ctx, screen, parent, accept=accept)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.resize(720, 560)
    dialog.show()
    dialog.start()
    return dialog
