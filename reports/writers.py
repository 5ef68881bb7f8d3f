"""Writing a case report to a file, the format chosen by the file's suffix (a registry).

The file is written to a temporary file beside it and renamed, so a failed write leaves
no half report.

>>> sorted(FORMATS)
['.html', '.xlsx']
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO

from graph.atomic import atomic_write
from loaders.errors import ExportError, UnknownKey
from reports.case_data import CaseReport
from reports.case_html import case_html
from reports.case_xlsx import case_xlsx

#: Report bytes per file suffix.
FORMATS: dict[str, Callable[[CaseReport], bytes]] = {
    ".html": lambda report: case_html(report).encode("utf-8"),
    ".xlsx": case_xlsx,
}


def write_report(report: CaseReport, path: Path) -> Path:
    """Write ``report`` to ``path`` (``.html`` or ``.xlsx``); returns ``path``.

    Raises
    ------
    UnknownKey
        The suffix is neither (the message lists the formats).
    ExportError
        The file cannot be written (nothing is left behind).
    """
    render = FORMATS.get(path.suffix.lower())
    if render is None:
        raise UnknownKey("report format", path.suffix or path.name, FORMATS)
    data = render(report)

    def write(handle: IO[bytes]) -> None:
        handle.write(data)

    try:
        atomic_write(path, write)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write the report ({exc.strerror or exc})") from exc
    return path
