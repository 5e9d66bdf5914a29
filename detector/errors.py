"""Exceptions raised by :mod:`detector`.

Every error the library raises on purpose is a :class:`DetectorError`; catch
that one class to handle them all. The hierarchy::

    DetectorError            anything detector raises on purpose
    ├── ConfigError          settings out of range, bad rules, phrase or lexicon file
    ├── IndexFileError       an index file is missing, not an index, of another
    │                        format or built with other settings
    ├── SparkUnavailableError  pyspark or a Java runtime missing, Spark cannot start
    ├── UnknownDocumentError   no document with this id in a corpus (also a KeyError)
    └── SourceError          a document could not be read (has ``.path``)
        ├── EmptyDocumentError   nothing left to match after normalisation
        └── UnsupportedFileError not a document type detector reads

The command line maps every :class:`DetectorError` to exit code 2 and prints
its message on one line.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DetectorError",
    "EmptyDocumentError",
    "IndexFileError",
    "SourceError",
    "SparkUnavailableError",
    "UnknownDocumentError",
    "UnsupportedFileError",
]


class DetectorError(Exception):
    """Base class of every error detector raises on purpose."""


class ConfigError(DetectorError, ValueError):
    """A setting is out of range or a rules file is malformed."""


class IndexFileError(DetectorError):
    """An index file is missing, not an index, of another format or built with other settings."""


class SparkUnavailableError(DetectorError):
    """PySpark or a Java runtime is missing, or Spark could not start."""


class UnknownDocumentError(DetectorError, KeyError):
    """No document with this id is in the corpus."""


class SourceError(DetectorError):
    """A document could not be read; ``path`` names it and ``reason`` says why."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, str]]:
        return type(self), (self.path, self.reason)


class EmptyDocumentError(SourceError):
    """A document holds no text to match once normalised."""


class UnsupportedFileError(SourceError):
    """A file is not of a type detector reads (.txt, .md, .docx)."""
