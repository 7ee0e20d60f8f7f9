"""Text and JSON rendering shared by every subcommand: values, field lists, tables, units.

Imports nothing of the CLI; every subcommand module imports it.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Mapping, Sequence
from typing import IO, Any


def _say(stream: IO[str], line: str) -> None:
    stream.write(line + "\n")
    stream.flush()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _jsonable(value: Any) -> Any:
    """A JSON-safe copy of *value*: tuples to lists, inf and nan to strings.

    >>> _jsonable({1: (2, float("inf")), "s": {3, 1}})
    {'1': [2, 'inf'], 's': [1, 3]}
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return "nan"
        if math.isinf(number):
            return "inf" if number > 0 else "-inf"
        return number
    if isinstance(value, Mapping):
        return {_key(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        items = [_jsonable(v) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return sorted(items, key=repr)
    tolist = getattr(value, "tolist", None)
    if callable(tolist) and type(value).__module__ == "numpy":
        return _jsonable(tolist())
    if isinstance(value, (list, tuple)) or (
        isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray))
    ):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    return json.dumps(_jsonable(key)) if not isinstance(key, numbers.Number) else str(key)


def _dumps(value: Any, **options: Any) -> str:
    return json.dumps(_jsonable(value), ensure_ascii=False, **options)


def _text(value: Any) -> str:
    """A value as a person reads it: ``inf`` rather than ``math.inf``, lists as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
        return str(value)
    if isinstance(value, (list, tuple)) and all(isinstance(v, tuple) for v in value):
        return repr(list(value))
    return repr(_plain(value))


def _plain(value: Any) -> Any:
    """numpy scalars and arrays as plain Python, for repr."""
    if type(value).__module__ == "numpy":
        tolist = getattr(value, "tolist", None)
        if callable(tolist):
            return tolist()
    return value


def _field_lines(
    items: Sequence[tuple[str, Any]],
    *,
    captions: Mapping[str, str] | None = None,
    rendered: Mapping[str, Sequence[str]] | None = None,
) -> list[str]:
    """``name  value`` lines; a caption says what a field's numbers are, *rendered*
    replaces a field's repr by lines of its own (the edit script in letters)."""
    captions = captions or {}
    rendered = rendered or {}
    width = max((len(name) for name, _ in items), default=0)
    lines = []
    for name, value in items:
        note = captions.get(name)
        matrix = _matrix(value)
        if matrix is not None:
            lines.append(f"{name:<{width}}  (row: from, column: to)")
            lines.extend(f"{'':<{width}}  {row}" for row in matrix.splitlines())
            continue
        own = rendered.get(name)
        text = _text(value)
        if own is not None or (len(text) > 72 and isinstance(value, (list, tuple)) and value):
            rows = list(own) if own is not None else [_text(v) for v in value]
            head = f"({len(rows)}; {note})" if note else f"({len(rows)})"
            lines.append(f"{name:<{width}}  {head}")
            lines.extend(f"{'':<{width}}  {row}" for row in rows)
        else:
            lines.append(f"{name:<{width}}  {text}" + (f"  ({note})" if note else ""))
    return lines


def _matrix(value: Any) -> str | None:
    """A mapping of mappings (``value[u][v]``) as a text matrix, or None."""
    if not isinstance(value, Mapping) or not value or len(value) > 30:
        return None
    rows = list(value)
    if not all(isinstance(value[r], Mapping) for r in rows):
        return None
    columns: list[Any] = []
    for r in rows:
        columns.extend(c for c in value[r] if c not in columns)
    cells = [
        [_text(r), *(_text(value[r][c]) if c in value[r] else "" for c in columns)] for r in rows
    ]
    return _table(["", *(_text(c) for c in columns)], cells, right=[False] + [True] * len(columns))


def _table(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[bool] = ()
) -> str:
    widths = [len(h) for h in header]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=False)]

    def line(cells: Sequence[str]) -> str:
        parts = []
        for i, (cell, width) in enumerate(zip(cells, widths, strict=False)):
            flush_right = i < len(right) and right[i]
            parts.append(cell.rjust(width) if flush_right else cell.ljust(width))
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def _is_terminal(stream: IO[str]) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(callable(isatty) and isatty())


def _rich_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: Sequence[bool] = (),
    width: int | None = None,
    wrap: Sequence[int] = (),
) -> str | None:
    """The table drawn by rich for a terminal, or None when rich (the ``cli`` extra)
    is not installed; the columns in *wrap* wrap to fit *width*, the others stay whole."""
    try:
        import rich  # noqa: F401  (None in sys.modules: rich is disabled)
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        return None
    import io

    table = Table(box=None, header_style="bold", pad_edge=False)
    for i, name in enumerate(header):
        table.add_column(
            name,
            justify="right" if i < len(right) and right[i] else "left",
            no_wrap=i not in wrap,
        )
    for row in rows:
        table.add_row(*row)
    buffer = io.StringIO()
    Console(file=buffer, force_terminal=True, width=width).print(table)
    return buffer.getvalue().rstrip("\n")


def _fmt_seconds(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def _fmt_bytes(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024**2:
        return f"{size / 1024:.1f} KiB"
    return f"{size / 1024**2:.1f} MiB"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 3, 1)] + "..."


def _indent(text: str) -> list[str]:
    return ["  " + line if line else "" for line in text.splitlines()]


def _shell_word(value: Any) -> str:
    text = value if isinstance(value, str) else _dumps(value, separators=(",", ":"))
    safe = text and all(c.isalnum() or c in "_-.,:/+=" for c in text)
    return text if safe else "'" + text.replace("'", "'\\''") + "'"
