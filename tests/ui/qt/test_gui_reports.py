"""The reports screen: managers only (the core refuses others), tables and charts of a
period, the member dashboard, CSV and PDF exports, X and Z on the receipt printer."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtPdf import QPdfDocument

from terminal import messages
from terminal.demo_history import generate_history
from terminal.reports import Period, Scope, members, sales
from tests.ui.qt.conftest import receipt_bytes
from tests.ui.qt.test_gui_sale import log_in, modal
from tests.ui.qt.test_gui_shift import open_menu, wait_for
from ui.qt.reports.data import preset_period
from ui.qt.reports.screen import ReportsDialog
from ui.report_format import cell_text

TODAY = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()
FIRST = TODAY - timedelta(days=40)
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def traded(home):  # type: ignore[no-untyped-def]
    generate_history(home.db, first=FIRST, days=40, sales_per_day=30)
    return home


def open_reports(qtbot, win) -> ReportsDialog:  # type: ignore[no-untyped-def]
    log_in(qtbot, win, "3001", "3333")
    menu = open_menu(qtbot, win)
    assert menu.buttons["reports"].isVisible()
    qtbot.mouseClick(menu.buttons["reports"], Qt.MouseButton.LeftButton)
    dialog = wait_for(qtbot, ReportsDialog)
    assert isinstance(dialog, ReportsDialog)
    return dialog


def shown(qtbot, dialog: ReportsDialog, period: Period) -> None:  # type: ignore[no-untyped-def]
    dialog.set_period(period)  # while the first load (today) may still run
    qtbot.waitUntil(lambda: dialog.loading == 0, timeout=20000)
    assert dialog.reports is not None and dialog.reports.period == period  # never a stale one
    assert not dialog.busy.isVisible()


def test_presets_name_the_business_days() -> None:
    wed = date(2026, 12, 2)
    assert preset_period("today", wed) == Period.day(wed)
    assert preset_period("yesterday", wed) == Period.day(date(2026, 12, 1))
    assert preset_period("this_week", wed) == Period(date(2026, 11, 30), wed)
    assert preset_period("this_month", wed) == Period(date(2026, 12, 1), wed)
    assert preset_period("last_month", wed) == Period(date(2026, 11, 1), date(2026, 11, 30))


def test_a_manager_reads_tables_charts_and_the_member_dashboard(
    qtbot, window, traded, tmp_path: Path
) -> None:
    dialog = open_reports(qtbot, window)
    period = Period(FIRST, YESTERDAY)
    shown(qtbot, dialog, period)
    manager = dialog.actor
    with traded.db.sessions() as s:
        summary = sales.summary(s, manager, period).rows[0]
        scope = Scope.of_config(traded.config)
        measures = {r["key"]: r for r in members.member_measures(s, manager, period, scope).rows}
    table = dialog.tables["summary"]
    heads = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert table.cell(0, heads.index("net sales")) == cell_text(summary["net"], "fen", "en")
    assert dialog.tables["daily"].rowCount() == 40
    assert dialog.tables["hourly"].rowCount() == 24
    assert dialog.tables["categories"].rowCount() > 5
    share = measures["member_share"]
    assert dialog.tiles["member_share"].value.text() == cell_text(share["value"], "bp", "en")
    assert dialog.tiles["member_share"].name.text() == "member share of sales"
    assert all(slot.view is not None for slot in dialog.charts.values())
    assert [dialog.tabs.tabText(k) for k in range(dialog.tabs.count())] == [
        "Sales",
        "Products",
        "Tenders and tax",
        "Cashiers and promotions",
        "Members",
    ]

    csv_path = tmp_path / "r.csv"
    dialog.export_csv(csv_path)
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "member share of sales" in csv_path.read_text(encoding="utf-8-sig")
    pdf_path = tmp_path / "r.pdf"
    dialog.export_pdf(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    pdf = QPdfDocument()
    pdf.load(str(pdf_path))
    assert pdf.pageCount() >= 2
    text = "".join(pdf.getAllText(k).text() for k in range(pdf.pageCount()))
    assert "Store reports" in text and "sales summary" in text and "member measures" in text

    dialog.choose_preset("yesterday")
    qtbot.waitUntil(lambda: dialog.reports is not None and dialog.reports.period.days == 1)
    assert dialog.reports.period == Period.day(YESTERDAY)


def test_x_and_z_go_to_the_receipt_printer_and_a_z_is_taken_once(qtbot, window, traded) -> None:
    dialog = open_reports(qtbot, window)
    shown(qtbot, dialog, Period.day(YESTERDAY))
    # each slip reaches the receipt printer (the demo's printer writes each job to a file,
    # replacing the one before: so the X is read back before the Z is asked for)
    qtbot.mouseClick(dialog.x_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "X report queued" in dialog.message.text())
    slip = "班次报表 (X)".encode("gb18030")
    qtbot.waitUntil(lambda: slip in receipt_bytes(traded), timeout=60_000)
    qtbot.mouseClick(dialog.z_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Z1 report queued" in dialog.message.text())
    slip_z = "日结报表 Z1".encode("gb18030")
    qtbot.waitUntil(lambda: slip_z in receipt_bytes(traded), timeout=60_000)
    qtbot.mouseClick(dialog.z_button, Qt.MouseButton.LeftButton)
    twice = messages.render("z_taken", {"day": YESTERDAY.isoformat(), "z_no": 1}, "en")
    qtbot.waitUntil(lambda: dialog.message.text() == twice)


def test_a_cashier_is_refused_reports_by_the_core(qtbot, window, traded) -> None:
    log_in(qtbot, window)  # cashier 1001
    menu = open_menu(qtbot, window)
    assert not menu.buttons["reports"].isVisible()  # hidden: a convenience only
    menu.run("reports")
    assert menu.message.text() == messages.render("reports_need_manager")
    assert modal(ReportsDialog) is None
    # the screen itself, opened for a cashier anyway: every load is refused by the core
    dialog = ReportsDialog(window.ctx, window.ctx.cashier, window)
    qtbot.waitUntil(lambda: dialog.message.text() == messages.render("reports_need_manager"))
    assert dialog.reports is None
    dialog.close()


def test_an_export_to_a_folder_that_is_not_there_says_so(qtbot, window, traded, tmp_path) -> None:
    dialog = open_reports(qtbot, window)
    shown(qtbot, dialog, Period.day(YESTERDAY))
    for name, export in (("r.csv", dialog.export_csv), ("r.pdf", dialog.export_pdf)):
        path = tmp_path / "no-such-folder" / name
        export(path)
        assert dialog.message.text().startswith("Could not write"), name
        assert name in dialog.message.text() and not path.exists()


def test_an_export_is_named_after_the_period_shown(qtbot, window, traded, monkeypatch) -> None:
    dialog = open_reports(qtbot, window)
    shown(qtbot, dialog, Period.day(YESTERDAY))
    asked: list[str] = []

    def save_as(parent, caption, name, kinds):  # type: ignore[no-untyped-def]
        asked.append(name)
        return "", ""

    monkeypatch.setattr("ui.qt.reports.screen.QFileDialog.getSaveFileName", save_as)
    dialog.first.setDate(dialog.last.date().addDays(1))  # a range not shown (nor valid) yet
    dialog._ask_csv()
    dialog._ask_pdf()
    day = YESTERDAY.isoformat()
    assert asked == [f"posterm-reports-{day}-{day}.csv", f"posterm-reports-{day}-{day}.pdf"]


def test_the_charts_draw_the_tables_figures(qtbot, window, traded) -> None:
    from PySide6.QtCharts import QBarSeries, QHorizontalBarSeries, QLineSeries, QPieSeries

    dialog = open_reports(qtbot, window)
    period = Period(FIRST, YESTERDAY)
    shown(qtbot, dialog, period)
    reports = dialog.reports
    assert reports is not None

    def series(name: str):  # type: ignore[no-untyped-def]
        view = dialog.charts[name].view
        assert view is not None
        (only,) = view.chart().series()
        return only

    def yuan(fen: int) -> float:
        return fen / 100

    # bars by hour: net sales of each hour that had any
    hourly = series("hourly")
    assert isinstance(hourly, QBarSeries)
    (bars,) = hourly.barSets()
    sold = [r for r in reports.hourly.rows if r["sales"] or r["refunds"]]
    assert [bars.at(k) for k in range(bars.count())] == [yuan(r["net"]) for r in sold]
    # a line of the daily trend: a point a day
    daily = series("daily")
    assert isinstance(daily, QLineSeries)
    assert daily.count() == period.days == len(reports.daily.rows)
    assert [daily.at(k).y() for k in range(daily.count())] == [
        yuan(r["net"]) for r in reports.daily.rows
    ]
    # a pie of the tender mix: a slice per tender that took money
    pie = series("tenders")
    assert isinstance(pie, QPieSeries)
    taken = [r["taken"] for r in reports.tenders.rows if r["taken"] > 0]
    assert len(taken) >= 3
    assert sorted(s.value() for s in pie.slices()) == sorted(yuan(t) for t in taken)
    # bars by category, largest on top (the first bar drawn is at the bottom)
    cats = series("categories")
    assert isinstance(cats, QHorizontalBarSeries)
    (bars,) = cats.barSets()
    top = reports.categories.rows[:12]
    assert [bars.at(k) for k in range(bars.count())] == [yuan(r["paid"]) for r in reversed(top)]


def test_reports_are_added_up_off_the_gui_thread_under_a_busy_bar(
    qtbot, window, traded, monkeypatch
) -> None:
    import threading

    from ui.qt.reports import data

    started, release = threading.Event(), threading.Event()
    threads: list[int] = []

    def slow_load(*args):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        started.set()
        release.wait(20)
        return data.load(*args)

    monkeypatch.setattr("ui.qt.reports.screen.load", slow_load)
    dialog = open_reports(qtbot, window)
    qtbot.waitUntil(started.is_set, timeout=10000)
    try:
        qtbot.wait(50)  # the GUI thread keeps turning while the reports are added up
        assert dialog.busy.isVisible() and dialog.loading == 1
        assert dialog.busy.bar.maximum() == 0  # an endless progress bar
        assert dialog.reports is None
    finally:
        release.set()
    qtbot.waitUntil(lambda: dialog.loading == 0, timeout=20000)
    assert threads and threads[0] != threading.get_ident()
    assert dialog.reports is not None and not dialog.busy.isVisible()


def test_the_pdf_in_chinese_holds_the_charts_and_chinese_text(
    qtbot, window, traded, tmp_path: Path
) -> None:
    dialog = open_reports(qtbot, window)
    shown(qtbot, dialog, Period(FIRST, YESTERDAY))
    messages.set_language("zh_CN")
    try:
        pdf_path = tmp_path / "r.pdf"
        dialog.export_pdf(pdf_path)
    finally:
        messages.set_language("en")
    raw = pdf_path.read_bytes()
    assert raw.startswith(b"%PDF")
    assert raw.count(b"/Subtype /Image") >= 4  # the four charts, as images
    pdf = QPdfDocument()
    pdf.load(str(pdf_path))
    text = "".join(pdf.getAllText(k).text() for k in range(pdf.pageCount()))
    # the font maps some glyphs to Kangxi radicals (⽇ for 日) when the text is read back
    text = unicodedata.normalize("NFKC", text)
    for words in ("销售汇总", "按日销售", "会员指标", "收款方式", "客单价"):
        assert words in text, words  # drawn in a CJK font: the text is there, not boxes


def test_a_day_with_more_refunded_than_sold_is_drawn_below_zero(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The daily line and the hourly bars started their axis at 0, cutting such a day off."""
    from PySide6.QtCharts import QValueAxis

    from terminal.reports.base import Column, Table
    from ui.qt.reports.charts import daily_line, hourly_bars

    daily = Table(
        "daily",
        "daily",
        (Column("period", "day"), Column("net", "net")),
        [{"period": "2026-11-20", "net": 52_000}, {"period": "2026-11-21", "net": -8_800}],
    )
    hourly = Table(
        "hourly",
        "hourly",
        (Column("hour", "hour"), Column("net", "net")),
        [
            {"hour": "09:00", "net": 30_000, "sales": 3, "refunds": 0},
            {"hour": "10:00", "net": -12_000, "sales": 0, "refunds": 1},
        ],
    )
    for view, lowest, highest in (
        (daily_line(daily, "daily"), -88.0, 520.0),
        (hourly_bars(hourly, "hourly"), -120.0, 300.0),
    ):
        qtbot.addWidget(view)
        (axis,) = [a for a in view.chart().axes() if isinstance(a, QValueAxis)]
        assert axis.min() < lowest and axis.max() > highest  # every point inside the chart


def test_the_z_is_taken_for_the_day_on_screen_not_a_date_picked_since(
    qtbot, window, traded
) -> None:  # type: ignore[no-untyped-def]
    from terminal.store.models import ZReport

    dialog = open_reports(qtbot, window)
    shown(qtbot, dialog, Period.day(YESTERDAY))
    dialog.last.setDate(QDate(FIRST.year, FIRST.month, FIRST.day))  # picked, not shown
    qtbot.mouseClick(dialog.z_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Z1 report queued" in dialog.message.text())
    with traded.db.sessions() as session:
        (z,) = session.query(ZReport).all()
        assert z.business_day == YESTERDAY
