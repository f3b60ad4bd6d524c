"""Why a file cannot be read: :class:`ReadError` (English and Chinese, one line) and its common cases."""

from __future__ import annotations

MESSAGE_LIMIT = 1000  # characters of a ReadError's message: one line, however long what it quotes


def one_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` on one line (line breaks and runs of spaces as one space), cut to ``limit`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class ReadError(Exception):
    """The file cannot be read as this kind: unreadable, no header, or a required column missing.

    ``str(exc)`` is the English message; ``exc.zh`` its Chinese rendering for the upload page (the
    English one when there is none). Both are one line of at most :data:`MESSAGE_LIMIT` characters,
    whatever a file puts into them."""

    def __init__(self, message: str, zh: str | None = None) -> None:
        super().__init__(one_line(message))
        self.zh = one_line(zh or message)
        # For a missing required column: the header texts found and the columns missing, so that the
        # upload page can offer to map one of the file's columns to each missing one.
        self.file_headers: tuple[str, ...] = ()
        self.missing: tuple[str, ...] = ()


def too_large_error(name: str, what: str, zh: str) -> ReadError:
    """The refusal of a file past a reading limit: 'too large to read: NAME: what was found, the limit'."""
    return ReadError(f"too large to read: {name}: {what}", zh=f"文件过大，无法读取：{name}：{zh}")
