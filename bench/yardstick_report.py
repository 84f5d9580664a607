"""The report and the profile of `bench/yardstick.py`: the markdown table, and cProfile of one page in process."""

import statistics
import sys
import sysconfig
import time

from participation_common import BASE_DIR
from yardstick_load import HEADERS

# --- report ----------------------------------------------------------------------------------------


def spread(values, fmt="{:.0f}"):
    middle = statistics.median(values)
    if len(values) == 1:
        return fmt.format(middle)
    return f"{fmt.format(middle)} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def report(args, chosen, results, anchors, *, header):
    anchor_rate = {number: statistics.fmean(a["rate"] for a in found) for number, found in enumerate(anchors, 1)}
    all_anchors = [a for found in anchors for a in found]
    print(header)
    print(
        f"\n| page (c{args.connections}) | req/s | share of the anchor | p50 ms | p99 ms | non-2xx | load avg |\n"
        "|---|---|---|---|---|---|---|"
    )
    print(
        f"| **anchor: bare Django view** ({len(all_anchors)} runs) | {spread([a['rate'] for a in all_anchors])} | 100 % | "
        f"{spread([a['p50'] for a in all_anchors], '{:.1f}')} | {spread([a['p99'] for a in all_anchors], '{:.1f}')} | "
        f"{sum(a['errors'] for a in all_anchors)} | {spread([a['load'] for a in all_anchors], '{:.1f}')} |"
    )
    for page in chosen:
        runs = results[page.name]
        shares = [100 * result["rate"] / anchor_rate[number] for number, result in runs]
        label = page.label + (f" ({page.note})" if page.note else "")
        if page.moderating:
            label += f"; {sum(result['decisions'] for _, result in runs)} decisions in all"
        print(
            f"| {label} | {spread([r['rate'] for _, r in runs])} | {spread(shares, '{:.1f} %')} | "
            f"{spread([r['p50'] for _, r in runs])} | {spread([r['p99'] for _, r in runs])} | "
            f"{sum(r['errors'] for _, r in runs)} | {spread([r['load'] for _, r in runs], '{:.1f}')} |"
        )
    print(
        "\nMedians of the rounds, (lowest–highest) in brackets. A page's share is its req/s over the mean "
        "of the anchor runs of the same round."
    )


# --- profile ---------------------------------------------------------------------------------------


def profile(args, chosen: list, session: str):
    """cProfile of N in-process requests of one page (django.test.Client, the production settings)."""
    import cProfile
    import io
    import pstats

    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    (page,) = chosen
    client = Client(headers=HEADERS)  # SECURE_PROXY_SSL_HEADER: only the proxy's header makes a request secure
    if page.signed_in:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    for path in page.paths[:20]:
        client.get(path)  # imports, pools, reference caches
    profiler = cProfile.Profile()
    queries = []
    started = time.perf_counter()
    for index in range(args.profile_requests):
        path = page.paths[index % len(page.paths)]
        if page.cold or page.moderating:
            cache.clear()  # outside the profile: each request renders as after a moderation decision
        with CaptureQueriesContext(connection) as captured:
            profiler.enable()
            response = client.get(path)
            profiler.disable()
        queries.append(len(captured.captured_queries))
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}: not profiled")
    elapsed = time.perf_counter() - started
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative").print_stats(args.profile_top)
    print(
        f"## Profile of {page.label}: {args.profile_requests} requests in process "
        f"({'cache emptied before each' if page.cold or page.moderating else 'warm cache'}), "
        f"{1000 * elapsed / args.profile_requests:.1f} ms a request with the profiler, "
        f"queries per request {min(queries)}–{max(queries)}\n"
    )
    text = stream.getvalue().strip()
    for prefix in (sysconfig.get_paths()["purelib"], str(BASE_DIR)):
        text = text.replace(prefix + "/", "")
    print("```\n" + text + "\n```")
