"""cpomdocs: CPOM contracts as data, rendered to PDF/A and DOCX, compared version to version."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cpomdocs")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
