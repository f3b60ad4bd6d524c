"""bash scripts/run.sh --port N: a port already taken stops the start with one line in Chinese and English
naming the port and how to choose another (Streamlit would move to the next port silently)."""

import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import check_port  # noqa: E402


@contextmanager
def _listening() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        yield s.getsockname()[1]


def test_a_taken_port_is_seen_and_a_free_one_is_not() -> None:
    with _listening() as port:
        assert not check_port.is_free("127.0.0.1", port)
        assert not check_port.is_free("0.0.0.0", port)  # every interface includes the taken one
        other = check_port.free_port_after("127.0.0.1", port)
        assert other is not None and other > port and check_port.is_free("127.0.0.1", other)
    assert check_port.is_free("127.0.0.1", port)


def test_the_message_names_the_port_and_how_to_choose_another() -> None:
    text = check_port.taken_message("127.0.0.1", 8501, 8502)
    assert "\n" not in text
    assert "端口 8501 已被占用" in text and "Port 8501 is already in use" in text
    assert "bash scripts/run.sh --port 8502" in text and "SAFETY_PORT=8502" in text


def test_run_sh_stops_on_a_taken_port_before_starting_anything(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SAFETY_DB": str(tmp_path / "safety.duckdb")}
    with _listening() as port:
        done = subprocess.run(
            ["bash", "scripts/run.sh", "--port", str(port)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        by_env = subprocess.run(
            ["bash", "scripts/run.sh"],
            cwd=ROOT,
            env={**env, "SAFETY_PORT": str(port)},
            capture_output=True,
            text=True,
            timeout=300,
        )
    for run in (done, by_env):
        assert run.returncode == 1, run.stderr
        line = run.stderr.strip().splitlines()[-1]
        assert f"端口 {port} 已被占用" in line and f"Port {port} is already in use" in line
        assert "bash scripts/run.sh --port" in line
    assert not (tmp_path / "safety.duckdb").exists()  # stopped before the store was built


def test_run_sh_refuses_a_bad_port_and_has_a_help() -> None:
    bad = subprocess.run(
        ["bash", "scripts/run.sh", "--port", "eighty"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert bad.returncode == 2 and "'eighty' is not a port" in bad.stderr
    usage = subprocess.run(["bash", "scripts/run.sh", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert usage.returncode == 0 and "--port N" in usage.stdout and "--address A" in usage.stdout
