"""Retries under contention: many HTTP clients on a few hot actions, as separate processes would.

Starts ``actiontrail serve`` (a real process) on a fresh database, adds a governance user with
the CLI, assigns ``--hot`` actions, then runs ``--clients`` threads for ``--seconds``. Each
client notes progress on a random hot action with an ``Idempotency-Key`` of its own; one request
in ``--pair-every`` is sent twice at once (the same key and body, with ``expected_version``), as
a client that retries before its first attempt answered. Afterwards it reads every action's
history and counts:

- lost: acknowledged commands whose note is not in the history;
- duplicated: notes written more than once;
- pairs answered differently: one of the two copies 200, the other 409 (the loser's conflict
  was with its own first attempt), or two different answers;
- retries of acknowledged keys that did not answer the first answer;
- latency (p50, p95) and throughput of all requests.

Usage: ``.venv/bin/python -m benchmarks.contention [--stores sqlite postgres] [--clients 12]``.
"""

import argparse
import random
import statistics
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from benchmarks.harness import Store, fresh_store
from tests.e2e.processes import add_user, process_env, serving


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    #: note -> (action id, answer) of every acknowledged command.
    acknowledged: dict[str, tuple[str, Any]] = field(default_factory=dict)
    pairs: int = 0
    pairs_split: int = 0
    retries: int = 0
    retries_wrong: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, client: httpx.Client, path: str, body: Any, key: str) -> httpx.Response:
        started = time.perf_counter()
        response = client.post(path, json=body, headers={"Idempotency-Key": key})
        with self.lock:
            self.latencies.append(time.perf_counter() - started)
            self.statuses[response.status_code] += 1
        return response


def send_twice(
    tally: Tally, client: httpx.Client, path: str, body: Any, key: str
) -> list[httpx.Response]:
    """The same request twice at once, as a client retrying before the first answered."""
    answers: list[httpx.Response] = []

    def send() -> None:
        answers.append(tally.timed(client, path, body, key))

    twins = [threading.Thread(target=send) for _ in range(2)]
    for twin in twins:
        twin.start()
    for twin in twins:
        twin.join()
    return answers


def run_client(
    url: str, token: str, actions: list[str], deadline: float, pair_every: int, tally: Tally
) -> None:
    rng = random.Random()
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        sent = 0
        while time.monotonic() < deadline:
            sent += 1
            action = rng.choice(actions)
            key = uuid.uuid4().hex
            note = f"note {key}"
            path = f"/actions/{action}/progress"
            if sent % pair_every:
                response = tally.timed(client, path, {"note": note}, key)
                if response.status_code == 200:
                    with tally.lock:
                        tally.acknowledged[note] = (action, response.json())
                continue
            version = client.get(f"/actions/{action}").json()["version"]
            body = {"note": note, "expected_version": version}
            answers = send_twice(tally, client, path, body, key)
            codes = sorted(r.status_code for r in answers)
            split = codes == [200, 409] or (
                codes == [200, 200] and answers[0].json() != answers[1].json()
            )
            with tally.lock:
                tally.pairs += 1
                tally.pairs_split += split
            ok = [r for r in answers if r.status_code == 200]
            if ok:
                with tally.lock:
                    tally.acknowledged[note] = (action, ok[0].json())
                again = tally.timed(client, path, body, key)
                with tally.lock:
                    tally.retries += 1
                    if again.status_code != 200 or again.json() != ok[0].json():
                        tally.retries_wrong += 1


def check_log(url: str, token: str, actions: list[str], tally: Tally) -> tuple[int, int]:
    """(lost, duplicated) acknowledged notes, read back from every action's history."""
    written: Counter[str] = Counter()
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as client:
        for action in actions:
            for event in client.get(f"/actions/{action}/history").json()["events"]:
                note = event["data"].get("note")
                if note:
                    written[note] += 1
    lost = sum(1 for note in tally.acknowledged if written[note] == 0)
    duplicated = sum(1 for count in written.values() if count > 1)
    return lost, duplicated


def measure(store: Store, clients: int, seconds: float, hot: int, pair_every: int) -> None:
    with tempfile.TemporaryDirectory() as folder, fresh_store(store) as settings:
        env = process_env(settings)
        token = add_user(env, "Bench Governance", "governance")
        with serving(env, Path(folder) / "serve.log") as server, server.client(token) as gov:
            actions = [
                gov.post(
                    "/actions",
                    json={
                        "source": {"kind": "other", "ref": f"HOT-{i}"},
                        "agency": "police",
                        "description": "Hot action",
                        "due_on": "2030-01-01",
                    },
                ).json()["id"]
                for i in range(hot)
            ]
            tally = Tally()
            deadline = time.monotonic() + seconds
            started = time.perf_counter()
            threads = [
                threading.Thread(
                    target=run_client,
                    args=(server.url, token, actions, deadline, pair_every, tally),
                )
                for _ in range(clients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            lost, duplicated = check_log(server.url, token, actions, tally)
    quantiles = statistics.quantiles(tally.latencies, n=20)
    print(
        f"{store:10} clients {clients:3}  requests {len(tally.latencies):6}  "
        f"acknowledged {len(tally.acknowledged):6}  lost {lost}  duplicated {duplicated}  "
        f"pairs {tally.pairs} answered differently {tally.pairs_split}  "
        f"retries {tally.retries} wrong {tally.retries_wrong}  "
        f"p50 {statistics.median(tally.latencies) * 1000:.0f} ms  "
        f"p95 {quantiles[18] * 1000:.0f} ms  {len(tally.latencies) / elapsed:.0f} req/s  "
        f"statuses {dict(sorted(tally.statuses.items()))}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--stores", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--hot", type=int, default=3, help="number of hot actions")
    parser.add_argument("--pair-every", type=int, default=5, help="send every Nth request twice")
    args = parser.parse_args()
    for store in args.stores:
        measure(store, args.clients, args.seconds, args.hot, args.pair_every)


if __name__ == "__main__":
    main()
