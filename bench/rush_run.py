"""One rush: wrk with bench/rush.lua against the stack, then what it left behind.

wrk's main thread sleeps for its whole -d even when every answer is in, so this
module watches the script's files and sends SIGINT (wrk then prints its summary and
calls done()) once every thread has written its .done marker, or when no answer has
come for --idle-stop seconds. wrk's own "timeout" count also ticks for connections
that sit idle after their share is sent, so the figure reported as "no answer" is
computed instead: attempts sent minus answers.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

LUA = Path(__file__).resolve().parent / "rush.lua"


@dataclass
class WrkResult:
    started_ms: float  # epoch ms when wrk was started
    wall_s: float
    cpu_s: float  # user + system of wrk, from wait4()
    max_rss_mib: float
    summary: dict
    answers: list  # (epoch ms, status)
    stdout: str
    stopped_by: str
    notes: list = field(default_factory=list)


def run_wrk(
    url: str,
    plan: Path,
    out: Path,
    *,
    connections: int,
    threads: int,
    timeout: int,
    max_seconds: int,
    idle_stop: float,
) -> WrkResult:
    command = ["wrk", "-t", str(threads), "-c", str(connections)]
    command += ["-d", f"{max_seconds}s", "--timeout", f"{timeout}s", "--latency"]
    command += ["-s", str(LUA), url, "--", str(plan), str(out)]
    started_ms = time.time() * 1000
    started = time.monotonic()
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    stopped_by, last_size, last_change = "wrk's -d", -1, time.monotonic()
    while proc.poll() is None:
        time.sleep(0.25)
        done = list(out.parent.glob(out.name + ".*.done"))
        if len(done) >= threads:
            stopped_by = "every answer in"
            break
        size = sum(p.stat().st_size for p in out.parent.glob(out.name + ".*.log"))
        if size != last_size:
            last_size, last_change = size, time.monotonic()
        elif size > 0 and time.monotonic() - last_change > idle_stop:
            stopped_by = f"no answer for {idle_stop:.0f} s"
            break
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    stdout = proc.stdout.read()
    wall = time.monotonic() - started
    summary = parse_summary(Path(str(out) + ".summary"))
    answers = []
    for log in sorted(out.parent.glob(out.name + ".*.log")):
        for line in log.read_text().splitlines():
            at, _, code = line.partition(" ")
            if code:
                answers.append((float(at), int(code)))
    answers.sort()
    return WrkResult(
        started_ms=started_ms,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        max_rss_mib=usage.ru_maxrss / 1024,
        summary=summary,
        answers=answers,
        stdout=stdout,
        stopped_by=stopped_by,
    )


def parse_summary(path: Path) -> dict:
    found = {}
    if path.exists():
        for line in path.read_text().splitlines():
            name, _, value = line.partition(" ")
            found[name] = int(float(value))
    return found


def access_log(path: Path) -> list[tuple[float, int, float]]:
    """nginx's log (config/nginx): (epoch ms at the answer, status, seconds taken)."""
    rows = []
    if not path.exists():
        return rows
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 6 and parts[4] == "POST":
            try:
                rows.append((float(parts[0]) * 1000, int(parts[1]), float(parts[2])))
            except (ValueError, IndexError):
                continue
    return rows


def broker_queue_length(url: str) -> int | None:
    import redis

    try:
        return int(redis.Redis.from_url(url).llen("celery"))
    except redis.RedisError:
        return None


def purge_broker(url: str) -> int:
    import redis

    conn = redis.Redis.from_url(url)
    removed = conn.llen("celery")
    conn.delete("celery", "unacked", "unacked_index")
    return removed


def drain(url: str, seconds: float) -> tuple[float | None, int | None]:
    """Wait up to `seconds` for the worker to empty the broker's queue."""
    started = time.monotonic()
    left = broker_queue_length(url)
    while left and time.monotonic() - started < seconds:
        time.sleep(0.5)
        left = broker_queue_length(url)
    return (time.monotonic() - started if not left else None), left


def warm_up(base_url: str, requests_count: int, key: str) -> None:
    """Let every worker thread import and connect: bookings refused as invalid (422)."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    def one(i):
        with contextlib.suppress(requests.RequestException):
            requests.post(
                f"{base_url}/api/v1/bookings/",
                json={"rate_plan": 0},
                headers={"X-Api-Key": key, "Idempotency-Key": f"warm-{i}"},
                timeout=30,
            )

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(one, range(requests_count)))


# -- checks ------------------------------------------------------------------------


def checks(
    room_type_ids: list[int],
    night,
    successes: int,
    success_status: int,
    statuses: dict,
) -> list:
    """The invariants after the rush, and that it sold out: (name, ok, detail) each."""
    from io import StringIO

    from django.core.management import CommandError, call_command
    from django.db.models import Count, F, Sum

    from booking.models import Booking, BookingStatus
    from inventory.models import Inventory

    rows = Inventory.objects.filter(room_type_id__in=room_type_ids)
    over = rows.filter(booked__gt=F("rooms") + F("overbooking")).count()
    on_sale = rows.filter(date=night)
    sold = rows.aggregate(s=Sum("booked"))["s"] or 0
    found = []
    found.append(
        (
            "0 oversold: booked <= rooms + overbooking on every row",
            over == 0,
            f"{over} rows oversold",
        )
    )
    out = StringIO()
    try:
        call_command("check_inventory", stdout=out)
        clean, detail = True, out.getvalue().strip().splitlines()[-1]
    except CommandError as error:
        clean, detail = False, f"{error}; {out.getvalue()[-300:]}"
    found.append(("manage.py check_inventory is clean", clean, detail))
    live = Booking.objects.filter(
        room_type_id__in=room_type_ids,
        status__in=[BookingStatus.HELD, BookingStatus.CONFIRMED],
    )
    booked_rooms = live.aggregate(s=Sum("rooms"))["s"] or 0
    count = live.count()
    found.append(
        (
            "every sold unit matched by exactly one booking (sum booked == rooms "
            "of live bookings)",
            booked_rooms == sold,
            f"booked {sold}, bookings' rooms {booked_rooms}",
        )
    )
    found.append(
        (
            f"every {success_status} answer is one booking, and no booking without one",
            count == successes,
            f"{success_status} answers {successes}, bookings {count}",
        )
    )
    dupes = (
        live.exclude(idempotency_key=None)
        .values("idempotency_scope", "idempotency_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    found.append(("no idempotency key made two bookings", dupes == 0, f"{dupes}"))
    capacity = on_sale.aggregate(s=Sum(F("rooms") + F("overbooking")))["s"] or 0
    sold_night = on_sale.aggregate(s=Sum("booked"))["s"] or 0
    found.append(
        ("every room sold", sold_night == capacity, f"{sold_night} of {capacity}")
    )
    fivexx = {code: n for code, n in statuses.items() if int(code) >= 500}
    found.append(("no 5xx answer", not fivexx, str(fivexx)))
    return found


def database_window(room_type_ids: list[int]) -> dict:
    """First and last booking created_at of the rush, as the rows say (UTC)."""
    from django.db.models import Max, Min

    from booking.models import Booking

    window = Booking.objects.filter(room_type_id__in=room_type_ids).aggregate(
        first=Min("created_at"), last=Max("created_at")
    )
    if window["first"] is None:
        return {"first": None, "last": None, "span_s": None}
    return {
        "first": window["first"].timestamp() * 1000,
        "last": window["last"].timestamp() * 1000,
        "span_s": (window["last"] - window["first"]).total_seconds(),
    }


def socket_errors(stdout: str) -> dict:
    found = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", stdout
    )
    if not found:
        return {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    return dict(
        zip(
            ("connect", "read", "write", "timeout"),
            map(int, found.groups()),
            strict=True,
        )
    )


def limits() -> dict:
    """What bounds how many connections the front can take, on this machine."""
    import resource

    def read(path):
        try:
            return Path(path).read_text().strip()
        except OSError:
            return "?"

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return {
        "net.core.somaxconn": read("/proc/sys/net/core/somaxconn"),
        "net.ipv4.tcp_max_syn_backlog": read("/proc/sys/net/ipv4/tcp_max_syn_backlog"),
        "net.ipv4.ip_local_port_range": read("/proc/sys/net/ipv4/ip_local_port_range"),
        "ulimit -n (soft/hard)": f"{soft}/{hard}",
    }
