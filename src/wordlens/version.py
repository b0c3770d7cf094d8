"""The installed wordlens version (one home, imported by results and the package)."""

__version__ = "0.1.0"
