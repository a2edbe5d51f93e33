"""QtCharts views of report tables: bars by hour, the daily trend, the tender mix, categories.

Charts plot yuan as Qt reals: drawing only, every figure stays integer fen in
the tables beside them. Titles and labels come from the caller (translated
there); category and tender names from the rows themselves.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QDateTime, QMargins, Qt, QTime
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from terminal.messages import language, render
from terminal.reports import Table


def _yuan(fen: int) -> float:  # float ok: a chart coordinate, never added up or shown as money
    return fen / 100


def _view(chart: QChart, parent: QWidget | None) -> QChartView:
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    view = QChartView(chart, parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(360, 240)
    return view


def _span(values: list[float]) -> tuple[float, float]:
    """The value axis's range: from 0 (or the lowest value, a day with more refunded than
    sold) to the highest, with a tenth to spare each way."""
    low, high = min([0.0, *values]), max([1.0, *values])
    return low * 1.1, high * 1.1


def _bars(title: str, labels: list[str], values: list[int], parent: QWidget | None) -> QChartView:
    chart = QChart()
    chart.setTitle(title)
    bars = QBarSet(title)
    for v in values:
        bars.append(_yuan(v))
    series = QBarSeries()
    series.append(bars)
    chart.addSeries(series)
    chart.legend().hide()
    x = QBarCategoryAxis()
    x.append(labels)
    x.setLabelsAngle(-60 if max(map(len, labels), default=0) > 3 and len(labels) > 8 else 0)
    y = QValueAxis()
    y.setLabelFormat("%.0f")
    y.setRange(*_span([_yuan(v) for v in values]))
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    return _view(chart, parent)


def hourly_bars(table: Table, title: str, parent: QWidget | None = None) -> QChartView:
    """Net sales per hour of the day (the hours that had any)."""
    rows = [r for r in table.rows if r["sales"] or r["refunds"]] or table.rows
    return _bars(title, [r["hour"][:2] for r in rows], [r["net"] for r in rows], parent)


def category_bars(table: Table, title: str, parent: QWidget | None = None) -> QChartView:
    """Paid per category, largest on top; names beside the bars, where they fit."""
    rows = list(reversed(table.rows[:12]))
    chart = QChart()
    chart.setTitle(title)
    bars = QBarSet(title)
    for r in rows:
        bars.append(_yuan(r["paid"]))
    series = QHorizontalBarSeries()
    series.append(bars)
    chart.addSeries(series)
    chart.legend().hide()
    y = QBarCategoryAxis()
    y.append([r["category"] for r in rows])
    y.setTruncateLabels(False)  # category names are short: show them whole
    x = QValueAxis()
    x.setLabelFormat("%.0f")
    x.setRange(0, max([_yuan(r["paid"]) for r in rows] + [1]) * 1.1)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(x)
    series.attachAxis(y)
    return _view(chart, parent)


def daily_line(table: Table, title: str, parent: QWidget | None = None) -> QChartView:
    """Net sales per day: the trend over the period."""
    chart = QChart()
    chart.setTitle(title)
    series = QLineSeries()
    series.setPointsVisible(len(table.rows) <= 31)
    for row in table.rows:
        day = date.fromisoformat(row["period"])
        at = QDateTime(QDate(day.year, day.month, day.day), QTime(12, 0))
        series.append(float(at.toMSecsSinceEpoch()), _yuan(row["net"]))
    chart.addSeries(series)
    chart.legend().hide()
    x = QDateTimeAxis()
    x.setFormat("MM-dd")
    x.setTickCount(min(8, max(2, len(table.rows))))
    y = QValueAxis()
    y.setLabelFormat("%.0f")
    y.setRange(*_span([_yuan(row["net"]) for row in table.rows]))
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    return _view(chart, parent)


def tender_pie(table: Table, title: str, parent: QWidget | None = None) -> QChartView:
    """Each tender's part of the money taken on sales."""
    chart = QChart()
    chart.setTitle(title)
    series = QPieSeries()
    total = sum(r["taken"] for r in table.rows) or 1
    for row in table.rows:
        if row["taken"] > 0:
            name = render(row["tender"], lang=language())
            share = row["taken"] * 100 // total
            series.append(f"{name} {share}%", _yuan(row["taken"]))
    series.setLabelsVisible(True)
    chart.addSeries(series)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    return _view(chart, parent)
