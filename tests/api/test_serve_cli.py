"""`pressurepoint serve` as a user runs it: two forked workers on one port over a resolved
fixture store; it answers /readyz and /match, a second start reads the cached index, and
SIGTERM stops every process. Bad options are one-line usage errors."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from pressurepoint.config import Settings
from pressurepoint.outputs.cli.main import cli
from pressurepoint.store import Store
from tests.fixture_store import fixture_settings, load_fixtures


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = fixture_settings(tmp_path_factory.mktemp("serve"))
    store = Store(settings.db_url)
    load_fixtures(store, settings)
    store.close()
    return settings


def _start(settings: Settings, port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pressurepoint", "--db", settings.db_url, "--data-dir",
         str(settings.data_dir), "serve", "--port", str(port), "--workers", "2"],
        stderr=subprocess.PIPE, text=True, env=dict(os.environ, PRESSUREPOINT_API_TOKEN=""))


def _wait(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz").json()["status"] == "ready":
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("server not ready")


def test_serve_with_two_workers(loaded: Settings) -> None:
    for attempt in ("builds", "reads the cache"):
        port = _free_port()
        process = _start(loaded, port)
        try:
            _wait(port, process)
            for _ in range(20):  # new connections land on either worker
                with httpx.Client() as client:
                    response = client.post(f"http://127.0.0.1:{port}/match/default", json={
                        "queries": {"q": {"schema": "Person",
                                          "properties": {"name": ["Sergey Lavrov"]}}}})
                    assert response.status_code == 200, attempt
                    assert response.json()["responses"]["q"]["results"][0]["match"]
        finally:
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert "ready in" in err
    cached = list((loaded.data_dir / "screening").glob("index-*.pickle"))
    assert len(cached) == 1
    dates = list((loaded.data_dir / "screening").glob("dates-*.pickle"))
    assert [p.name.removeprefix("dates-") for p in dates] == [
        cached[0].name.removeprefix("index-")]


def test_bad_options_are_usage_errors(loaded: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    for args, needle in ((["--workers", "0"], "--workers"), (["--port", "70000"], "--port"),
                         (["--refresh", "-1"], "--refresh")):
        result = runner.invoke(cli, ["--db", loaded.db_url, "serve", *args])
        assert result.exit_code == 2 and needle in result.output, result.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = runner.invoke(cli, ["--db", loaded.db_url, "--data-dir", str(tmp_path),
                                     "serve", "--port", str(port)])
        assert result.exit_code == 2 and "cannot listen" in result.output, result.output
