"""One error type per kind of user mistake.  Each message says what is wrong and where."""

from __future__ import annotations


class ArchiveKGError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""

    exit_code = 1


class ConfigError(ArchiveKGError):
    """A setting is unknown or has a bad value."""

    exit_code = 2


class SourceError(ArchiveKGError):
    """A problem in an input file, located at a file, a line and (where known) a term."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 term: str | None = None):
        self.file, self.line, self.term, self.detail = file, line, term, message
        where = file or ""
        if file and line:
            where = f"{file}:{line}"
        prefix = f"{where}: " if where else ""
        suffix = f" [{term}]" if term else ""
        super().__init__(f"{prefix}{message}{suffix}")


class YamlSyntaxError(SourceError):
    """A YAML file cannot be parsed."""


class SchemaError(SourceError):
    """A YAML file parses but does not have the shape its JSON Schema requires."""


class QuoteNotFoundError(SourceError):
    """A statement quotes words that are not in the document text."""


class UnknownEntityError(SourceError):
    """A statement refers to an id that no registry or annotation file defines."""


class MalformedValueError(SourceError):
    """A value (a date, a number, an identifier) is not well formed."""


class UnexpectedFileError(SourceError):
    """data/ holds something the build does not read (a folder where a file belongs, a file
    of an unknown kind): it is refused rather than silently skipped."""


class DuplicateIdError(SourceError):
    """The same id is defined twice."""


class ValidationFailed(ArchiveKGError):
    """The graph does not conform to the SHACL shapes (violations were found)."""

    exit_code = 1
    # The validation.report.Report that found them (set where it is raised; this core module
    # cannot name a type of the validation layer).
    report: object = None


class BuildMissing(ArchiveKGError):
    """There is no built graph where one was expected."""

    exit_code = 2


class ImportRefused(ArchiveKGError):
    """A file cannot be imported as a document (binary, empty, too large, no body): nothing
    was written."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None):
        self.file, self.detail = file, message
        super().__init__(f"{file}: {message}" if file else message)


class ImportConflict(ArchiveKGError):
    """A document imported before has changed: it is reported, never overwritten silently."""

    exit_code = 1


class ReviewError(ArchiveKGError):
    """A proposal cannot be accepted or rejected as asked (unknown id, stale file, ...)."""

    exit_code = 2
