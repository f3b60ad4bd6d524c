"""Whether the server can listen on ADDRESS:PORT, before ``bash scripts/run.sh`` starts it:
``python scripts/check_port.py ADDRESS PORT``. Exit 0 free; 1 taken (one line in Chinese and English naming
the port, a free one and how to choose it); 2 not a port. Streamlit itself would silently move to the next
port when it is not given one, and with one fail with a traceback."""

from __future__ import annotations

import socket
import sys

HOW = "bash scripts/run.sh --port {port}"
ENV = "SAFETY_PORT={port} bash scripts/run.sh"


def port_number(text: str) -> int | None:
    try:
        port = int(text)
    except ValueError:
        return None
    return port if 1 <= port <= 65535 else None


def is_free(address: str, port: int) -> bool:
    """Whether a server could listen on ``address:port`` now: a test socket binds and listens there
    (SO_REUSEADDR, as the server sets it, so that connections of a server just stopped do not count)."""
    try:
        infos = socket.getaddrinfo(address or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        return True  # an address that does not resolve: the server says so itself
    family, kind, proto, _, where = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(where)
            s.listen(1)
        except OSError:
            return False
    return True


def free_port_after(address: str, port: int, tries: int = 50) -> int | None:
    for other in range(port + 1, min(port + 1 + tries, 65536)):
        if is_free(address, other):
            return other
    return None


def taken_message(address: str, port: int, suggestion: int | None) -> str:
    other = suggestion or port + 1
    return (
        f"端口 {port} 已被占用（{address}:{port}，可能是另一个看板或程序）：请换一个端口，例如 "
        f"{HOW.format(port=other)} 或 {ENV.format(port=other)} / Port {port} is already in use ({address}:{port}, "
        f"another dashboard or program?): choose another, e.g. {HOW.format(port=other)} or "
        f"{ENV.format(port=other)}"
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python scripts/check_port.py ADDRESS PORT", file=sys.stderr)
        return 2
    address, text = argv
    port = port_number(text)
    if port is None:
        print(
            f"端口“{text}”无效（应为 1–65535 的整数，例如 --port 8600） / '{text}' is not a port (expected a whole "
            "number from 1 to 65535, e.g. --port 8600)",
            file=sys.stderr,
        )
        return 2
    if is_free(address, port):
        return 0
    print(taken_message(address, port, free_port_after(address, port)), file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
