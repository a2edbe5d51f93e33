"""The PySide6 desktop till: screens over the same core calls as every front end.

Nothing here decides a business rule: the core validates, prices, authorises
and refuses; the screens show what it says, ask for an approval when it asks
for one, and run every store, device, network and report call off the GUI
thread through :mod:`ui.qt.ops`.
"""
