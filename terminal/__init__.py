"""posterm's core: the domain and the local store, usable without any front end."""

__version__ = "0.1.0"
