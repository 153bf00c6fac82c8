"""New data while `pressurepoint serve` is under load, as a user runs it: the real command
(a supervisor and 1 or 2 forked uvicorn workers on 127.0.0.1) over a resolved fixture
store, client threads sending /match without a pause (over keep-alive connections, and
over a new connection each time), and meanwhile a new run of a source is loaded into the
store. The supervisor builds the new index and replaces the workers:

- no request fails (no error status, no reset, no connection refused);
- the answers switch to the new data;
- every answer is either exactly the old data's or exactly the new data's, as its data
  version header says (never half of each), and a keep-alive client never goes back;
- the old workers are gone afterwards and the new index is cached."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from pressurepoint.config import Settings
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.store import Store
from tests.conftest import FIXTURES
from tests.fixture_store import fixture_settings, load_fixtures

#: Surkov is only in the UK OFSI file (loaded mid-test); Lavrov is in most lists.
QUERIES = {"queries": {
    "surkov": {"schema": "Person", "properties": {"name": ["Vladislav Surkov"]}},
    "lavrov": {"schema": "Person", "properties": {"name": ["Sergey Lavrov"]}}}}
DRAIN = 7.0  # a retiring worker's longest wait for its connections, and a margin


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    settings = fixture_settings(tmp_path_factory.mktemp("handover"))
    store = Store(settings.db_url)
    load_fixtures(store, settings, skip={"uk_ofsi"})
    store.close()
    return Path(settings.db_url.removeprefix("sqlite:///"))


@dataclass
class Server:
    process: subprocess.Popen[str]
    base: str
    log: list[str] = field(default_factory=list)

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]


@pytest.fixture
def serving(request: pytest.FixtureRequest, base_store: Path, tmp_path: Path
            ) -> Iterator[tuple[Settings, Server]]:
    settings = fixture_settings(tmp_path)
    shutil.copyfile(base_store, settings.db_url.removeprefix("sqlite:///"))
    process = subprocess.Popen(
        [sys.executable, "-m", "pressurepoint", "--db", settings.db_url, "--data-dir",
         str(settings.data_dir), "serve", "--port", "0", "--workers", str(request.param),
         "--refresh", "0.3"],
        stderr=subprocess.PIPE, text=True, env=dict(os.environ, PRESSUREPOINT_API_TOKEN=""))
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(iter(process.stderr.readline, "")),
                              daemon=True)  # type: ignore[union-attr]
    reader.start()
    deadline = time.monotonic() + 120
    while not any("ready in" in line for line in log):
        assert process.poll() is None and time.monotonic() < deadline, "".join(log)
        time.sleep(0.05)
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", "".join(log))
    assert found, "".join(log)
    server = Server(process, f"http://127.0.0.1:{found.group(1)}", log)
    while httpx.get(f"{server.base}/readyz").status_code != 200:
        time.sleep(0.05)
    try:
        yield settings, server
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        reader.join(timeout=10)
    assert process.returncode == 0, "".join(log)


@dataclass
class Answer:
    version: str
    content: str  # the responses, canonical JSON


def _answer(response: httpx.Response) -> Answer:
    assert response.status_code == 200, response.text[:300]
    content = json.dumps(response.json()["responses"], sort_keys=True)
    return Answer(response.headers["x-pp-data-version"], content)


def _send(base: str, keep_alive: bool, stop: threading.Event, answers: list[Answer],
          errors: list[str]) -> None:
    """POST /match until `stop`: over one keep-alive connection of the standard library's
    client, which does not check an idle connection before it reuses it (a connection the
    server closes after a `Connection: close` response is reopened), or over a new
    connection each time."""
    host, port = base.removeprefix("http://").split(":")
    body = json.dumps(QUERIES).encode()
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    while not stop.is_set():
        try:
            if keep_alive:
                connection.request("POST", "/match/default", body,
                                   {"Content-Type": "application/json"})
                raw = connection.getresponse()
                response = httpx.Response(raw.status, headers=raw.getheaders(),
                                          content=raw.read())
            else:
                response = httpx.post(f"{base}/match/default", json=QUERIES, timeout=30)
            answers.append(_answer(response))
        except (OSError, http.client.HTTPException, httpx.HTTPError, AssertionError,
                KeyError, ValueError) as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
            connection.close()
    connection.close()


def _load_new_run(settings: Settings) -> None:
    store = Store(settings.db_url)
    load(store, settings, LoadRequest("uk_ofsi", FIXTURES / "uk_ofsi" / "ConList.csv",
                                      published="2025-09-01"))
    store.close()


@pytest.mark.parametrize("serving", [2, 1], indirect=True, ids=["2 workers", "1 worker"])
def test_new_data_is_served_without_a_failed_request(
        serving: tuple[Settings, Server]) -> None:
    settings, server = serving
    workers = len(server.children())
    old = _answer(httpx.post(f"{server.base}/match/default", json=QUERIES))
    assert '"surkov": {"query"' in old.content and '"results": []' in old.content
    stop, errors = threading.Event(), []
    kinds = [True, True, True, True, False, False]
    answers: list[list[Answer]] = [[] for _ in kinds]
    clients = [threading.Thread(target=_send, args=(server.base, keep, stop, found, errors))
               for keep, found in zip(kinds, answers, strict=True)]
    for client in clients:
        client.start()
    try:
        time.sleep(1.0)
        _load_new_run(settings)
        deadline = time.monotonic() + 120
        while not any("serving data" in line for line in server.log):
            assert time.monotonic() < deadline, "no new generation: " + "".join(server.log)
            time.sleep(0.1)
        time.sleep(DRAIN)  # the old workers retire under load
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=60)

    assert errors == []
    new = _answer(httpx.post(f"{server.base}/match/default", json=QUERIES))
    assert new.version != old.version
    surkov = json.loads(new.content)["surkov"]["results"]
    assert surkov and surkov[0]["jurisdictions"] == {"UK": "listed"}
    for found in answers:
        assert found and found[-1].version == new.version
        for answer in found:  # all old or all new: never half of each
            assert (answer.version, answer.content) in {(old.version, old.content),
                                                        (new.version, new.content)}
    for keep_alive, found in zip(kinds, answers, strict=True):
        versions = [a.version for a in found]
        assert versions.count(old.version) >= 1  # the load spans the hand-over
        if keep_alive:  # once on a new worker, never back on an old one
            first_new = versions.index(new.version)
            assert set(versions[first_new:]) == {new.version}
    deadline = time.monotonic() + 60
    while len(server.children()) != workers:  # the old workers (and the cache writer) exit
        assert time.monotonic() < deadline, server.children()
        time.sleep(0.2)
    assert (settings.data_dir / "screening" / f"index-{new.version}.pickle").is_file()
    status = httpx.get(f"{server.base}/readyz").json()
    assert status["version"] == new.version and status["refreshes"] == 1


@pytest.mark.parametrize("serving", [2], indirect=True, ids=["2 workers"])
def test_a_killed_worker_is_replaced_in_its_slot(serving: tuple[Settings, Server]) -> None:
    """The listening sockets belong to the supervisor: while a killed worker's
    replacement starts, new connections to its slot wait in the queue, none is refused."""
    _, server = serving
    before = server.children()
    os.kill(before[0], signal.SIGKILL)
    for _ in range(30):  # new connections, spread over both slots
        _answer(httpx.post(f"{server.base}/match/default", json=QUERIES, timeout=30))
    deadline = time.monotonic() + 30
    while len(server.children()) != 2 or before[0] in server.children():
        assert time.monotonic() < deadline, server.children()
        time.sleep(0.1)
    assert any("starting another" in line for line in server.log)
