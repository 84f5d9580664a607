"""Load generators of `bench/yardstick.py`: wrk with a Lua script rotating URLs, or a threaded Python client.

Both return {"rate": req/s, "p50": ms, "p99": ms, "errors": non-2xx/3xx responses and socket errors,
"requests": count}. Loopback only, bounded in time.
"""

import os
import re
import subprocess
import tempfile
import threading
import time
from http.client import HTTPConnection

HEADERS = {"X-Forwarded-Proto": "https"}  # as the HTTPS proxy in front sends it (SECURE_SSL_REDIRECT)
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS_MS[unit]


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def load_wrk(options, paths, *, start=0):
    """wrk -t2 -c<connections>: each thread walks the URLs from its own offset, the headers on every request."""
    headers = "".join(f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}\n" for k, v in options.headers.items())
    script_text = (
        f"paths = {{{', '.join(_lua_string(path) for path in paths)}}}\n"
        f"{headers}"
        f"counter = {start}\n"
        "thread_count = 0\n"
        "setup = function(thread)\n  thread:set('counter', counter + thread_count * 7919)\n"
        "  thread_count = thread_count + 1\nend\n"
        "request = function()\n  counter = counter + 1\n"
        "  return wrk.format('GET', paths[(counter % #paths) + 1])\nend\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(script_text)
    try:
        completed = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{options.connections}",
                f"-d{options.duration}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                script.name,
                f"http://127.0.0.1:{options.port}",
            ],
            capture_output=True,
            text=True,
            timeout=options.duration + 60,
            check=False,
        )
    finally:
        os.unlink(script.name)
    output = completed.stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rate is None:
        raise RuntimeError(f"wrk printed no rate:\n{output}\n{completed.stderr}")
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    requests = re.search(r"(\d+) requests in", output)
    return {
        "rate": float(rate.group(1)),
        "p50": _milliseconds(latency["50"]) if "50" in latency else float("nan"),
        "p99": _milliseconds(latency["99"]) if "99" in latency else float("nan"),
        "errors": (int(non_2xx.group(1)) if non_2xx else 0)
        + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
        "requests": int(requests.group(1)) if requests else 0,
    }


def _percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def load_python(options, paths, *, start=0):
    """One thread and one keep-alive connection per simulated client; slower than wrk, so rates are lower."""
    stop = time.time() + options.duration
    lock = threading.Lock()
    latencies, errors = [], [0]

    def worker(offset):
        connection = HTTPConnection("127.0.0.1", options.port, timeout=10)
        counter = offset
        while time.time() < stop and len(latencies) < options.max_requests:
            path = paths[counter % len(paths)]
            counter += 1
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=options.headers)
                response = connection.getresponse()
                response.read()
                ok = response.status < 400
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except OSError:
                connection.close()
                connection = HTTPConnection("127.0.0.1", options.port, timeout=10)
                ok = False
            with lock:
                latencies.append((time.perf_counter() - began) * 1000)
                errors[0] += not ok
        connection.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(start + index * 7919,)) for index in range(options.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return {
        "rate": len(latencies) / elapsed,
        "p50": _percentile(latencies, 0.5),
        "p99": _percentile(latencies, 0.99),
        "errors": errors[0],
        "requests": len(latencies),
    }
