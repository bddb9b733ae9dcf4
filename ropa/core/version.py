"""ropa's version, in one place below every stage (the package root re-exports it).

Example:
    >>> from ropa.core.version import __version__
    >>> __version__.count(".")
    2
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
