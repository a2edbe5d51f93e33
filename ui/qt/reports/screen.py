"""The reports screen: a date range, tables and charts, the member dashboard, exports, X/Z.

Opened from the manager menu (managers and admins; the core refuses anyone
else on every load). All figures come from :mod:`terminal.reports`, loaded in
one background op (:func:`ui.qt.reports.data.load`) with a busy line, so a
year of a busy store never freezes the till. Exports: CSV (UTF-8 with BOM,
for Excel) and PDF (Qt's writer, Chinese text, charts included). The X and Z
reports print on the receipt printer through the print queue.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCharts import QChartView
from PySide6.QtCore import QDate, QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from terminal import auth
from terminal.messages import language, render
from terminal.reports import Period, Scope, Table
from terminal.reports.zreport import print_x, print_z, take_z
from ui.qt.context import AppContext
from ui.qt.manager.parts import BusyLine, Retranslating
from ui.qt.members.parts import button, while_open
from ui.qt.ops import DEVICES, Op
from ui.qt.reports import charts
from ui.qt.reports.data import PRESETS, Reports, load, preset_period
from ui.qt.reports.pdf import pdf_bytes
from ui.qt.widgets import MessageBar, error_text
from ui.report_format import cell_text, header, kind_of, to_csv

DASHBOARD = (
    "member_sales",
    "member_share",
    "member_avg_ticket",
    "guest_avg_ticket",
    "members",
    "new_members",
    "new_members_growth",
    "active_30",
    "active_90",
    "repeat_rate",
    "retention",
    "buyers",
)
LOYALTY = (
    "points_issued",
    "points_redeemed",
    "points_expired",
    "points_outstanding",
    "points_liability",
    "sv_topped_up",
    "sv_spent_principal",
    "sv_outstanding_principal",
    "sv_outstanding_bonus",
    "coupons_issued",
    "coupons_returned",
    "rewards_redeemed",
)


RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ReportTable(QTableWidget):
    """A report table as the core made it, cells as :mod:`ui.report_format` writes them."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"table_{name}")
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.setAlternatingRowColors(True)
        self.table: Table | None = None

    def show_table(self, table: Table) -> None:
        self.table = table
        lang = language()
        self.clear()
        self.setColumnCount(len(table.columns))
        self.setRowCount(len(table.rows))
        self.setHorizontalHeaderLabels(header(table, lang))
        for r, row in enumerate(table.rows):
            for c, column in enumerate(table.columns):
                kind = kind_of(column, row)
                item = QTableWidgetItem(cell_text(row.get(column.key), kind, lang))
                if kind not in ("text", "code"):
                    item.setTextAlignment(RIGHT)
                self.setItem(r, c, item)

        rows_high = self.verticalHeader().defaultSectionSize() * max(1, len(table.rows))
        self.setFixedHeight(min(360, self.horizontalHeader().height() + rows_high + 8))

    def cell(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""


class Tile(QFrame):
    """One member measure on the dashboard: its name above, its value large."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"tile_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.name = QLabel(self)
        self.value = QLabel(self)
        self.value.setObjectName("tileValue")
        font = self.value.font()
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.value.setFont(font)
        layout.addWidget(self.name)
        layout.addWidget(self.value)


class ChartSlot(QWidget):
    """Where a chart goes; each load replaces the chart in it."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"chart_{name}")
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.view: QChartView | None = None
        self.setMinimumHeight(260)

    def put(self, view: QChartView) -> None:
        if self.view is not None:
            self.box.removeWidget(self.view)
            self.view.deleteLater()
        self.view = view
        self.box.addWidget(view)


def _page(parent: QWidget) -> tuple[QScrollArea, QVBoxLayout]:
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    inner = QWidget(scroll)
    scroll.setWidget(inner)
    return scroll, QVBoxLayout(inner)


class ReportsDialog(Retranslating, QDialog):
    """The reports of a period for a manager or admin."""

    def __init__(
        self,
        ctx: AppContext,
        actor: auth.Actor,
        parent: QWidget | None = None,
        *,
        print_queue: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.print_queue = print_queue
        self.scope = Scope.of_config(ctx.home.config)
        self.reports: Reports | None = None
        self.wanted: Period | None = None
        self.loading = 0  # loads under way (the busy line shows while any runs)
        self.setObjectName("reportsDialog")
        self.resize(1100, 760)
        layout = QVBoxLayout(self)

        bar = QHBoxLayout()
        self.range_label = QLabel(self)
        self.preset = QComboBox(self)
        self.preset.setObjectName("reportPreset")
        self.preset.addItems(["", "", "", "", "", ""])
        self.first = QDateEdit(self)
        self.first.setObjectName("reportFrom")
        self.last = QDateEdit(self)
        self.last.setObjectName("reportTo")
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.show_button = button("", "reportShow", self)
        bar.addWidget(self.range_label)
        bar.addWidget(self.preset)
        bar.addWidget(self.first)
        bar.addWidget(QLabel("–", self))
        bar.addWidget(self.last)
        bar.addWidget(self.show_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.busy = BusyLine("reportsBusy", self)
        layout.addWidget(self.busy)
        self.message = MessageBar(self)
        layout.addWidget(self.message)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("reportTabs")
        layout.addWidget(self.tabs, 1)
        self.tables: dict[str, ReportTable] = {}
        self.charts: dict[str, ChartSlot] = {}
        self.tiles: dict[str, Tile] = {}
        self.section_titles: list[tuple[QLabel, str]] = []
        self._build_tabs()

        actions = QHBoxLayout()
        self.csv_button = button("", "reportCsv", self)
        self.pdf_button = button("", "reportPdf", self)
        self.x_button = button("", "reportPrintX", self)
        self.z_button = button("", "reportTakeZ", self)
        self.close_button = button("", "reportClose", self)
        for b in (self.csv_button, self.pdf_button, self.x_button, self.z_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.close_button)
        layout.addLayout(actions)

        self.preset.activated.connect(self._preset_chosen)
        self.show_button.clicked.connect(self.refresh)
        self.csv_button.clicked.connect(self._ask_csv)
        self.pdf_button.clicked.connect(self._ask_pdf)
        self.x_button.clicked.connect(self.print_x_report)
        self.z_button.clicked.connect(self.take_z_report)
        self.close_button.clicked.connect(self.reject)
        self.retranslate()
        self.choose_preset("today")

    # --- layout -------------------------------------------------------------------------

    def _table(self, name: str, box: QVBoxLayout, title_code: str) -> None:
        label = QLabel(self)
        label.setObjectName("sectionTitle")
        self.section_titles.append((label, title_code))
        box.addWidget(label)
        table = ReportTable(name, self)
        self.tables[name] = table
        box.addWidget(table)

    def _chart_row(self, box: QVBoxLayout, *names: str) -> None:
        row = QHBoxLayout()
        for name in names:
            slot = ChartSlot(name, self)
            self.charts[name] = slot
            row.addWidget(slot, 1)
        box.addLayout(row)

    def _build_tabs(self) -> None:
        self.pages: dict[str, QWidget] = {}

        def page(key: str) -> QVBoxLayout:
            scroll, box = _page(self.tabs)
            self.pages[key] = scroll
            self.tabs.addTab(scroll, "")
            return box

        box = page("sales")
        self._table("summary", box, "rpt_title_summary")
        self._chart_row(box, "hourly", "daily")
        self._table("daily", box, "rpt_title_sales_day")
        self._table("hourly", box, "rpt_title_hourly")
        box = page("products")
        self._chart_row(box, "categories")
        self.charts["categories"].setMinimumHeight(420)  # a row per category
        self._table("categories", box, "rpt_title_categories")
        self._table("top", box, "rpt_title_top")
        self._table("bottom", box, "rpt_title_bottom")
        box = page("tenders")
        self._chart_row(box, "tenders")
        self._table("tenders", box, "rpt_title_tenders")
        self._table("tax", box, "rpt_title_tax")
        box = page("people")
        self._table("cashiers", box, "rpt_title_cashiers")
        self._table("refunds", box, "rpt_title_refunds")
        self._table("promotions", box, "rpt_title_promotions")
        box = page("members")
        self.dashboard = QWidget(self)
        self.dashboard.setObjectName("memberDashboard")
        grid = QGridLayout(self.dashboard)
        for k, key in enumerate(DASHBOARD + LOYALTY):
            tile = Tile(key, self.dashboard)
            self.tiles[key] = tile
            grid.addWidget(tile, k // 4, k % 4)
        box.addWidget(self.dashboard)
        self._table("tiers", box, "rpt_title_tiers")
        self._table("rfm", box, "rpt_title_rfm")
        self._table("callback", box, "rpt_title_callback")
        self._table("members", box, "rpt_title_members")
        self._table("points", box, "rpt_title_points")

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Reports"))
        self.range_label.setText(self.tr("Business days:"))
        names = [
            self.tr("Today"),
            self.tr("Yesterday"),
            self.tr("This week"),
            self.tr("This month"),
            self.tr("Last month"),
            self.tr("Custom"),
        ]
        for k, text in enumerate(names):
            self.preset.setItemText(k, text)
        self.show_button.setText(self.tr("Show"))
        tabs = {
            "sales": self.tr("Sales"),
            "products": self.tr("Products"),
            "tenders": self.tr("Tenders and tax"),
            "people": self.tr("Cashiers and promotions"),
            "members": self.tr("Members"),
        }
        for key, text in tabs.items():
            self.tabs.setTabText(self.tabs.indexOf(self.pages[key]), text)
        self.csv_button.setText(self.tr("Export CSV"))
        self.pdf_button.setText(self.tr("Export PDF"))
        self.x_button.setText(self.tr("Print X report"))
        self.z_button.setText(self.tr("Take Z report"))
        self.close_button.setText(self.tr("Close"))
        lang = language()
        for label, code in self.section_titles:
            label.setText(render(code, lang=lang))
        for key, tile in self.tiles.items():
            tile.name.setText(render(f"rpt_m_{key}", lang=lang))
        if self.reports is not None:
            self._show(self.reports)

    # --- the period ---------------------------------------------------------------------

    def today(self) -> date:
        return self.scope.day_of(self.ctx.clock())

    def choose_preset(self, key: str) -> None:
        """Set the range to a preset (today, yesterday, this_week, this_month, last_month)."""
        self.set_period(preset_period(key, self.today()))
        self.preset.setCurrentIndex(PRESETS.index(key))

    def _preset_chosen(self, index: int) -> None:
        if index < len(PRESETS):
            self.choose_preset(PRESETS[index])

    def set_period(self, period: Period) -> None:
        """Show the reports of ``period`` (loads them off the GUI thread)."""
        self.first.setDate(_qdate(period.first))
        self.last.setDate(_qdate(period.last))
        self.preset.setCurrentIndex(len(PRESETS))  # custom, unless a preset set it
        self.refresh()

    def period(self) -> Period:
        return Period(_day(self.first.date()), _day(self.last.date()))

    def refresh(self) -> None:
        self.message.clear_message()
        try:
            period = self.period()
        except Exception as exc:  # a range the core refuses (from after to)
            self.message.error(error_text(exc))
            return
        db, actor, scope, vault = self.ctx.home.db, self.actor, self.scope, self.ctx.vault
        self.wanted = period  # a load started before and finishing later is not shown
        self.loading += 1
        self.busy.start(self.tr("Adding up…"))
        Op(self, lambda: load(db, actor, period, scope, vault)).success(
            while_open(self, self._loaded)
        ).failure(while_open(self, self._refused)).finally_(while_open(self, self._idle)).run(
            DEVICES
        )

    def _loaded(self, reports: Reports) -> None:
        if reports.period == self.wanted:
            self._show(reports)

    def _idle(self) -> None:
        self.loading -= 1
        if not self.loading:
            self.busy.stop()

    def _refused(self, exc: BaseException) -> None:
        self.message.error(error_text(exc))

    # --- showing ------------------------------------------------------------------------

    def _show(self, reports: Reports) -> None:
        self.reports = reports
        for name, table in self.tables.items():
            table.show_table(getattr(reports, name))
        measures = {r["key"]: r for r in reports.members.rows + reports.points.rows}
        lang = language()
        for key, tile in self.tiles.items():
            row = measures[key]
            tile.value.setText(cell_text(row["value"], row["unit"], lang))
        for name, view in self._chart_views(reports).items():
            self.charts[name].put(view)

    def _chart_views(self, reports: Reports) -> dict[str, QChartView]:
        return {
            "hourly": charts.hourly_bars(reports.hourly, self.tr("Net sales by hour (yuan)")),
            "daily": charts.daily_line(reports.daily, self.tr("Daily net sales (yuan)")),
            "categories": charts.category_bars(
                reports.categories, self.tr("Paid by category (yuan)")
            ),
            "tenders": charts.tender_pie(reports.tenders, self.tr("Tender mix")),
        }

    # --- exports ------------------------------------------------------------------------

    def _ask_path(self, caption: str, suffix: str, kinds: str) -> Path | None:
        """Where to export the reports shown (named after their period, not the date edits)."""
        if self.reports is None:
            return None
        period = self.reports.period
        name = f"posterm-reports-{period.first.isoformat()}-{period.last.isoformat()}.{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, caption, name, kinds)
        return Path(path) if path else None

    def _ask_csv(self) -> None:
        path = self._ask_path(self.tr("Export CSV"), "csv", "CSV (*.csv)")
        if path is not None:
            self.export_csv(path)

    def _ask_pdf(self) -> None:
        path = self._ask_path(self.tr("Export PDF"), "pdf", "PDF (*.pdf)")
        if path is not None:
            self.export_pdf(path)

    def export_csv(self, path: Path) -> None:
        """Every table of the period, UTF-8 with a BOM (Excel reads the Chinese right)."""
        if self.reports is None:
            return
        self._write(path, to_csv(self.reports.all(), language()))

    def _write(self, path: Path, data: bytes) -> None:
        try:
            path.write_bytes(data)
        except OSError as exc:
            text = self.tr("Could not write {path}: {error}")
            self.message.error(text.format(path=path, error=exc.strerror))
            return
        self.message.info(self.tr("Exported {path}").format(path=path))

    def export_pdf(self, path: Path) -> None:
        """Charts and every table of the period in an A4 PDF."""
        if self.reports is None:
            return
        images = []
        for name, view in self._chart_views(self.reports).items():
            # the same size on paper whatever the screen; a row per category
            view.resize(QSize(960, 600 if name == "categories" else 420))
            images.append((name, view.grab().toImage()))
            view.deleteLater()
        words = self.tr("Store reports")
        heading = f"{words}  {self.reports.period.label()}"
        self._write(path, pdf_bytes(heading, self.reports.all(), images, language()))

    # --- X and Z --------------------------------------------------------------------------

    def print_x_report(self) -> None:
        """The open shift's X report, on the receipt printer."""
        db, actor, terminal = self.ctx.home.db, self.actor, self.ctx.settings.terminal_id
        tz, now = self.ctx.home.config.store.timezone, self.ctx.clock()

        def queue() -> None:
            with db.transaction() as s:
                print_x(s, terminal, actor, tz=tz, now=now)

        Op(self, queue).success(while_open(self, lambda _: self._printing("X"))).failure(
            while_open(self, self._refused)
        ).run()

    def take_z_report(self) -> None:
        """Take the Z report of the last day of the period shown (once; numbered) and print it.

        The period on screen, not the date pickers: a date picked but not yet shown is
        not the day the manager has been reading."""
        db, actor, terminal = self.ctx.home.db, self.actor, self.ctx.settings.terminal_id
        shown = self.reports.period if self.reports is not None else self.period()
        tz, now, scope, day = (
            self.ctx.home.config.store.timezone,
            self.ctx.clock(),
            self.scope,
            shown.last,
        )

        def take() -> int:
            with db.transaction() as s:
                z = take_z(s, terminal_id=terminal, actor=actor, day=day, now=now, scope=scope)
                print_z(s, z, tz=tz, now=now)
                return z.z_no

        Op(self, take).success(while_open(self, lambda n: self._printing(f"Z{n}"))).failure(
            while_open(self, self._refused)
        ).run()

    def _printing(self, what: str) -> None:
        text = self.tr("{report} report queued for the receipt printer.")
        self.message.info(text.format(report=what))
        if self.print_queue is not None:
            self.print_queue()
