"""Replica benchmark: `python -m bench.replicas --size 1000` (not part of `make bench`: it runs
a Chroma server and app processes for several minutes).

On a synthetic knowledge base of `--size` documents (bench.scale's generator), with a real
`chroma run` server on this machine:

1. one `python -m ingest` in server mode (time);
2. replica cold start: `python app.py` with an empty data folder, from spawn to its first
   answer (reading the served version, the chunk table and rebuilding the keyword index from
   the server included), and its peak RSS;
3. throughput: `--requests` questions, `--concurrency` in flight, against one replica, then
   spread over two (round robin from the client: no proxy in between), counting answers
   without 911 and the hotline as errors.

Both replicas run on the same machine as the server and the client, so two replicas share its
cores: the figure shows what a second process adds here, not what a second machine would.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import yaml

from assistant.config import ROOT
from bench.page import free_port
from bench.scale import write_corpus

CHROMA = Path(sys.executable).parent / "chroma"
HOTLINE = "18883737888"


def wait_for(check: object, seconds: float) -> float:
    """Seconds until `check()` is true (raises after `seconds`)."""
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        try:
            if check():  # type: ignore[operator]
                return time.perf_counter() - start
        except Exception:  # noqa: BLE001, S110 - not up yet
            pass
        time.sleep(0.2)
    raise TimeoutError(f"not ready after {seconds} s")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Replica:
    def __init__(self, env: dict[str, str], data: Path) -> None:
        self.port = free_port()
        data.mkdir(parents=True)
        self.log = (data / "app.log").open("w")
        env = {**env, "ASSISTANT_PORT": str(self.port), "ASSISTANT_DATA_DIR": str(data)}
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")], env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.url = f"http://127.0.0.1:{self.port}"

    def client(self) -> object:
        from gradio_client import Client

        return Client(self.url, verbose=False)

    def cold_start(self, question: str) -> float:
        """Seconds from spawn to the first answer."""
        wait_for(lambda: httpx.get(self.url + "/", timeout=2).status_code == 200, 900)
        self.client().predict(question, api_name="/ask")  # type: ignore[attr-defined]
        return time.perf_counter() - self.started

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def throughput(replicas: list[Replica], questions: list[str], requests: int, concurrency: int) -> dict[str, float]:
    clients = [r.client() for r in replicas]

    def one(i: int) -> bool:
        client = clients[i % len(clients)]
        result = client.predict(questions[i % len(questions)], api_name="/ask")  # type: ignore[attr-defined]
        answer = result["answer"] if isinstance(result, dict) else str(result)
        return "911" in answer and HOTLINE in re.sub(r"\D", "", answer)

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        outcomes = list(pool.map(lambda i: _safe(one, i), range(requests)))
    seconds = time.perf_counter() - start
    return {"requests": requests, "seconds": seconds, "per_second": requests / seconds, "errors": outcomes.count(False)}


def _safe(call: object, i: int) -> bool:
    try:
        return bool(call(i))  # type: ignore[operator]
    except Exception:  # noqa: BLE001 - an error is counted, not raised
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.replicas", description=__doc__)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args(argv)
    golden = yaml.safe_load((ROOT / "knowledge" / "eval" / "dev" / "golden.yaml").read_text("utf-8"))["questions"]
    questions = [str(q["q"]) for q in golden if q.get("language", "en") == "en" and q.get("kind", "answer") == "answer"]
    row: dict[str, float] = {"documents": args.size}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        write_corpus(base / "knowledge", args.size)
        port = free_port()
        server = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(base / "server"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        replicas: list[Replica] = []
        try:
            wait_for(lambda: httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200, 60)
            env = {
                **os.environ, "CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(port),
                "ASSISTANT_KNOWLEDGE_DIR": str(base / "knowledge"), "ASSISTANT_CACHE_DIR": str(ROOT / ".cache"),
            }  # fmt: skip
            start = time.perf_counter()
            ingest_env = {**env, "ASSISTANT_DATA_DIR": str(base / "i")}
            subprocess.run([sys.executable, "-m", "ingest", "--quiet"], env=ingest_env,
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
            row["ingest_s"] = time.perf_counter() - start
            for name in ("a", "b"):
                replica = Replica(env, base / name)
                replicas.append(replica)
                row[f"cold_start_{name}_s"] = replica.cold_start(questions[0])
                row[f"rss_{name}_mb"] = peak_rss_mb(replica.process.pid)
                if name == "a":
                    for key, value in throughput(replicas, questions, args.requests, args.concurrency).items():
                        row[f"one_{key}"] = value
            for key, value in throughput(replicas, questions, args.requests, args.concurrency).items():
                row[f"two_{key}"] = value
            row["server_rss_mb"] = peak_rss_mb(server.pid)
        finally:
            for replica in replicas:
                replica.stop()
            server.terminate()
            server.wait(timeout=15)
    sys.stdout.write(json.dumps({k: round(v, 2) for k, v in row.items()}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
