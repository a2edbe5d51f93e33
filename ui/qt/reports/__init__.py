"""The store manager's reports screen: date range, tables, charts, member dashboard, exports."""
