"""palermo: legislative gap assessment against UNTOC and its Protocols."""

__version__ = "0.1.0"
