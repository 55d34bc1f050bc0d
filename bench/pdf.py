"""Benchmark of proposal PDFs and the prospect's page; prints a markdown table (or --json).

    DATABASE_URL=postgres://... REDIS_URL=redis://... python bench/pdf.py [--runs 7]
        [--clients 20] [--seconds 30] [--workers N] [--json]

What it measures, on a throw-away database (created, migrated and dropped again):

1. The demo proposal: the demo MSP's 25-user prospect analysed for the three default tiers
   (the tier comparison), Standard recommended, created through the real services.
2. Our render: the PDF HTML from the templates (charts included) plus WeasyPrint with the
   restricted fetcher, median of --runs runs; next to WeasyPrint alone rendering the same final
   HTML with its own fetcher (stylesheet links pointed at the files on disk). The difference is
   our overhead.
3. The second request for the same PDF: POST /api/v1/proposals/<id>/render/ (answers 200 with
   the stored document) and GET .../pdf/ (the file), over HTTP against gunicorn on loopback.
4. The public share page /p/<token>/ served by gunicorn: --clients concurrent keep-busy clients
   for --seconds seconds (an asyncio load generator in this script, loopback only), p50/p95/p99.
   Every request is a real view: it is recorded in the database like a prospect's.
5. Peak memory of a real Celery worker's pool process while it renders the demo proposal
   (psutil, sampled every 5 ms), three renders of three versions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

TARGETS = {
    "overhead_pct": 10.0,
    "second_request_ms": 20.0,
    "public_p95_ms": 50.0,
    "worker_peak_mb": 400.0,
}


# --- set-up: a throw-away database through the test settings -----------------------------------


def _setup_django(run_id: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["BREAKEVEN_TEST_RUN"] = run_id
    import django

    django.setup()


def _demo_proposal():
    """The demo MSP's prospect, analysed for every default tier; Standard recommended."""
    from apps.assessments.models import Assessment
    from apps.demo.services import demo_seed
    from apps.proposals.services import proposal_create, share_link_create
    from apps.tco.models import Analysis
    from apps.tco.services import analysis_request, analysis_run
    from apps.tenancy.context import tenant_context

    logins = demo_seed()
    org_id = logins.organization.id
    with tenant_context(org_id):
        assessment = Assessment.objects.order_by("id").first()
        analyses = analysis_request(assessment=assessment, user=logins.salesperson)
    for analysis in analyses:
        analysis_run(analysis_id=analysis.id, organization_id=org_id, progress=lambda *a: None)
    with tenant_context(org_id):
        standard = next(
            a
            for a in Analysis.objects.select_related("pricing_tier_version", "client").filter(
                id__in=[a.id for a in analyses]
            )
            if a.pricing_tier_version.name == "Standard"
        )
        proposal = proposal_create(analysis=standard, user=logins.salesperson)
        _, token = share_link_create(
            proposal=proposal, user=logins.salesperson, acknowledge_warning=True
        )
        proposal.refresh_from_db()
    return logins, proposal, token


# --- 2. render: ours vs WeasyPrint alone --------------------------------------------------------


def _plain_html(html: str, allowed_media: set[str]) -> str:
    """The same HTML with its internal URLs pointed at files, for WeasyPrint's own fetcher."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    from apps.proposals.fetcher import INTERNAL_ORIGIN

    def static(match: re.Match) -> str:
        return f'"{Path(finders.find(match.group(1))).as_uri()}"'

    html = re.sub(r'"/static/([^"]+)"', static, html)
    for name in allowed_media:
        html = html.replace(f'"/media/{name}"', f'"{(Path(settings.MEDIA_ROOT) / name).as_uri()}"')
    assert INTERNAL_ORIGIN not in html
    return html


def bench_render(proposal, org_id: int, runs: int) -> dict[str, Any]:
    """Our render against WeasyPrint alone, interleaved A-B-B-A so drift hits both alike.

    Wall time and the process's CPU time are both recorded. On a machine shared with other
    work the wall times swing by ±30%, while the CPU time of this single-threaded render is
    what the two paths actually cost; the overhead is computed from the CPU-time medians.
    """
    import weasyprint

    from apps.proposals.documents import pdf_fetcher, pdf_html
    from apps.proposals.rendering import html_to_pdf
    from apps.tenancy.context import tenant_context

    def ours() -> tuple[int, str, set[str]]:
        with tenant_context(org_id):
            html, media = pdf_html(proposal)
        pdf = html_to_pdf(html, fetcher=pdf_fetcher(media), identifier="bench")
        return pdf.pages, html, media

    pages, html, media = ours()  # warm-up (imports, fonts, caches)
    plain = _plain_html(html, media)

    def alone() -> int:
        document = weasyprint.HTML(string=plain).render()
        document.write_pdf()
        return len(document.pages)

    alone_pages = alone()  # warm-up

    def timed(fn) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        return time.perf_counter() - wall, time.process_time() - cpu

    samples: dict[str, list[tuple[float, float]]] = {"ours": [], "alone": []}
    for n in range(runs):
        order = ("ours", "alone") if n % 2 == 0 else ("alone", "ours")
        for name in order:
            samples[name].append(timed(ours if name == "ours" else alone))
    html_cpu = []
    for _ in range(runs):
        start = time.process_time()
        with tenant_context(org_id):
            pdf_html(proposal)
        html_cpu.append(time.process_time() - start)

    def med(name: str, index: int) -> float:
        return statistics.median(s[index] for s in samples[name])

    return {
        "pages": pages,
        "pages_weasyprint_alone": alone_pages,
        "html_bytes": len(html.encode()),
        "runs": runs,
        "ours_wall_median_s": med("ours", 0),
        "alone_wall_median_s": med("alone", 0),
        "ours_cpu_median_s": med("ours", 1),
        "alone_cpu_median_s": med("alone", 1),
        "html_from_templates_cpu_median_s": statistics.median(html_cpu),
        "overhead_pct": 100 * (med("ours", 1) - med("alone", 1)) / med("alone", 1),
        "overhead_wall_pct": 100 * (med("ours", 0) - med("alone", 0)) / med("alone", 0),
        "samples": samples,
    }


# --- gunicorn -------------------------------------------------------------------------------


BENCH_SETTINGS = """
from config.settings.test import *  # noqa
DATABASES["default"]["CONN_MAX_AGE"] = 60  # as in production (the test settings use 0)
DATABASES["owner"]["CONN_MAX_AGE"] = 60
# The load test comes from one address; the limiter still runs on every request.
PROPOSALS_PUBLIC_RATE_PER_MINUTE = 10**9
"""


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(workers: int, settings_dir: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    env["PYTHONPATH"] = os.pathsep.join([str(settings_dir), str(REPO_ROOT)])
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=REPO_ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _, _ = http_get(port, "/healthz/")
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start: " + (process.stderr.read() or ""))


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def http_get(port: int, path: str, headers: dict[str, str] | None = None, method: str = "GET"):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


def bench_second_request(
    port: int, proposal_id: int, api_token: str, session_cookie: str, runs: int
) -> dict:
    """The PDF asked for again once stored: through the API (token) and the page (session)."""
    api = {"Authorization": f"Token {api_token}", "Content-Length": "0"}
    browser = {"Cookie": session_cookie}
    status, _, body = http_get(port, f"/api/v1/proposals/{proposal_id}/render/", api, "POST")
    assert status == 200, (status, body[:300])  # already stored: no job
    timings: dict[str, list[float]] = {"api_render": [], "api_download": [], "page_download": []}
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        status, _, body = http_get(port, f"/api/v1/proposals/{proposal_id}/render/", api, "POST")
        timings["api_render"].append(1000 * (time.perf_counter() - start))
        assert status == 200 and json.loads(body)["job"] is None
        for name, path, headers in (
            ("api_download", f"/api/v1/proposals/{proposal_id}/pdf/", api),
            ("page_download", f"/proposals/{proposal_id}/pdf/", browser),
        ):
            start = time.perf_counter()
            status, _, body = http_get(port, path, headers)
            timings[name].append(1000 * (time.perf_counter() - start))
            assert status == 200 and body.startswith(b"%PDF-"), (name, status)
            size = len(body)
    result: dict[str, Any] = {"pdf_bytes": size, "runs": runs}
    for name, values in timings.items():
        result[f"{name}_median_ms"] = statistics.median(values)
        result[f"{name}_p95_ms"] = _pct(values, 95)
    return result


def _session_cookie(user, organization_id: int) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="apps.accounts.backends.EmailBackend")
    session = client.session
    session["organization_id"] = organization_id
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# --- 4. load generator --------------------------------------------------------------------------


async def _client(port: int, path: str, stop_at: float, latencies: list, errors: list) -> None:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "User-Agent: breakeven-bench\r\nConnection: close\r\n\r\n"
    ).encode()
    while time.monotonic() < stop_at:
        start = time.perf_counter()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            await writer.drain()
            data = await reader.read()
            writer.close()
        except OSError as exc:
            errors.append(repr(exc))
            continue
        elapsed = time.perf_counter() - start
        status = data[9:12]
        if status != b"200":
            errors.append(status.decode(errors="replace"))
        else:
            latencies.append(elapsed * 1000)


def load_test(port: int, path: str, clients: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []

    async def main() -> None:
        stop_at = time.monotonic() + seconds
        await asyncio.gather(
            *(_client(port, path, stop_at, latencies, errors) for _ in range(clients))
        )

    started = time.monotonic()
    asyncio.run(main())
    elapsed = time.monotonic() - started
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "rps": len(latencies) / elapsed,
        "p50_ms": _pct(latencies, 50),
        "p95_ms": _pct(latencies, 95),
        "p99_ms": _pct(latencies, 99),
        "max_ms": max(latencies) if latencies else None,
    }


def _tree_cpu(pid: int) -> float:
    import psutil

    total = 0.0
    root = psutil.Process(pid)
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def _postgres_cpu() -> float:
    """CPU seconds of the local PostgreSQL processes (all of them: the server is shared)."""
    import psutil

    total = 0.0
    for process in psutil.process_iter(["name"]):
        try:
            if process.info["name"] and process.info["name"].startswith("postgres"):
                times = process.cpu_times()
                total += times.user + times.system
        except psutil.Error:
            pass
    return total


# --- 5. worker memory ---------------------------------------------------------------------------


def bench_worker_memory(logins, proposal, renders: int = 3) -> dict[str, Any]:
    import psutil

    from apps.jobs.models import Job
    from apps.proposals.services import proposal_create, proposal_pdf_request
    from apps.tenancy.context import tenant_context
    from conftest import start_worker, stop_worker

    org_id = logins.organization.id
    worker = start_worker()
    peaks: list[float] = []
    main_peak = 0.0
    seconds: list[float] = []
    try:
        time.sleep(2)
        for n in range(renders):
            with tenant_context(org_id):
                # A new draft of the same analysis: a new content hash, a new render.
                draft = proposal_create(
                    analysis=proposal.analysis, user=logins.salesperson, note=f"Run {n}"
                )
                job = proposal_pdf_request(proposal=draft, user=logins.salesperson).job
            peak = 0.0
            started = time.monotonic()
            while True:
                try:
                    main = psutil.Process(worker.pid)
                    main_peak = max(main_peak, main.memory_info().rss / 2**20)
                    for child in main.children(recursive=True):
                        peak = max(peak, child.memory_info().rss / 2**20)
                except psutil.Error:
                    pass
                with tenant_context(org_id):
                    row = Job.objects.get(id=job.id)
                if row.is_finished:
                    break
                if time.monotonic() - started > 120:
                    raise RuntimeError("render did not finish")
                time.sleep(0.005)
            assert row.status == "succeeded", row.error
            seconds.append((row.finished_at - row.started_at).total_seconds())
            peaks.append(peak)
    finally:
        stop_worker(worker)
    return {
        "renders": renders,
        "pool_process_peak_rss_mb": max(peaks),
        "per_render_peak_mb": peaks,
        "main_process_peak_rss_mb": main_peak,
        "job_seconds": seconds,
    }


# --- report -----------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    run_id = f"bench{uuid.uuid4().hex[:8]}"
    _setup_django(run_id)
    from django.conf import settings

    from apps.tenancy.testdb import test_database_create, test_database_drop

    test_database_create()
    settings_dir = Path(tempfile.mkdtemp(prefix="breakeven-bench-"))
    (settings_dir / "bench_settings.py").write_text(BENCH_SETTINGS)
    report: dict[str, Any] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    gunicorn = None
    try:
        import weasyprint

        from apps.accounts.services import api_token_create
        from apps.proposals.services import proposal_pdf_request
        from apps.proposals.tasks import render_pdf
        from apps.proposals.worker import harfbuzz_subset_check
        from apps.tenancy.context import tenant_context

        report["weasyprint"] = weasyprint.__version__
        report["harfbuzz_subset"] = harfbuzz_subset_check(require=False)
        logins, proposal, token = _demo_proposal()
        org_id = logins.organization.id
        report["proposal"] = {
            "client": proposal.client_name,
            "tiers": [o["tier"]["name"] for o in proposal.snapshot["options"]],
            "trials": proposal.snapshot["options"][0]["result"]["simulation"]["trials"],
        }
        report["render"] = bench_render(proposal, org_id, args.runs)

        # Store the PDF once through the real job path, for the second-request measurement.
        with tenant_context(org_id):
            job = proposal_pdf_request(proposal=proposal, user=logins.salesperson).job
            _, api_token = api_token_create(user=logins.salesperson, name="bench")
        render_pdf(job_id=job.id, organization_id=org_id, **job.params)

        port = _free_port()
        gunicorn = start_gunicorn(args.workers, settings_dir, port)
        report["gunicorn_workers"] = args.workers
        cookie = _session_cookie(logins.salesperson, org_id)
        report["second_request"] = bench_second_request(
            port, proposal.id, api_token, cookie, args.second_runs
        )
        status, _, body = http_get(port, f"/p/{token}/")
        assert status == 200 and b"Accept proposal" in body, status
        report["public_page_bytes"] = len(body)
        load_test(port, f"/p/{token}/", args.clients, 3)  # warm-up
        before = (_tree_cpu(gunicorn.pid), _postgres_cpu(), time.process_time())
        report["load_average_before"] = os.getloadavg()
        report["public_page"] = load_test(port, f"/p/{token}/", args.clients, args.seconds)
        after = (_tree_cpu(gunicorn.pid), _postgres_cpu(), time.process_time())
        n = max(1, report["public_page"]["requests"])
        report["public_page"]["cpu_ms_per_request"] = {
            "gunicorn": 1000 * (after[0] - before[0]) / n,
            "postgres": 1000 * (after[1] - before[1]) / n,
            "load_generator": 1000 * (after[2] - before[2]) / n,
        }
        stop(gunicorn)
        gunicorn = None
        report["worker"] = bench_worker_memory(logins, proposal)
    finally:
        if gunicorn is not None:
            stop(gunicorn)
        test_database_drop()
        del settings
    return report


def markdown(report: dict[str, Any]) -> str:
    r, s, p, w = report["render"], report["second_request"], report["public_page"], report["worker"]

    tiers = ", ".join(report["proposal"]["tiers"])

    def ok(value: float, target: float) -> str:
        return "yes" if value <= target else "NO"

    rows = [
        (
            f"Render the demo proposal ({r['pages']} pages, {tiers} compared): templates, "
            f"charts and WeasyPrint with the restricted fetcher; median of {r['runs']}, "
            "CPU time (wall time)",
            f"{r['ours_cpu_median_s'] * 1000:.0f} ms ({r['ours_wall_median_s'] * 1000:.0f})",
            "",
            "",
        ),
        (
            f"WeasyPrint alone on the same final HTML ({r['pages_weasyprint_alone']} pages); "
            "median, CPU time (wall time)",
            f"{r['alone_cpu_median_s'] * 1000:.0f} ms ({r['alone_wall_median_s'] * 1000:.0f})",
            "",
            "",
        ),
        (
            "Our overhead, CPU-time medians (wall-time medians); of which HTML from the "
            f"templates {r['html_from_templates_cpu_median_s'] * 1000:.0f} ms",
            f"{r['overhead_pct']:+.1f}% ({r['overhead_wall_pct']:+.1f}%)",
            "≤ 10%",
            ok(r["overhead_pct"], TARGETS["overhead_pct"]),
        ),
        (
            "Second request for the same PDF, API: POST render → 200 stored (no job), median / p95",
            f"{s['api_render_median_ms']:.1f} / {s['api_render_p95_ms']:.1f} ms",
            "≤ 20 ms",
            ok(s["api_render_median_ms"], TARGETS["second_request_ms"]),
        ),
        (
            f"Second request for the same PDF, API: GET the file ({s['pdf_bytes'] // 1024} KB), "
            "median / p95",
            f"{s['api_download_median_ms']:.1f} / {s['api_download_p95_ms']:.1f} ms",
            "≤ 20 ms",
            ok(s["api_download_median_ms"], TARGETS["second_request_ms"]),
        ),
        (
            "Second request for the same PDF, page: GET /proposals/<id>/pdf/ (session), "
            "median / p95",
            f"{s['page_download_median_ms']:.1f} / {s['page_download_p95_ms']:.1f} ms",
            "≤ 20 ms",
            ok(s["page_download_median_ms"], TARGETS["second_request_ms"]),
        ),
        (
            f"Public share page, gunicorn {report['gunicorn_workers']} workers, "
            f"{p['clients']} clients × {p['seconds']:.0f} s: p50 / p95 / p99 "
            f"({p['requests']} requests, {p['rps']:.0f}/s, {p['errors']} errors)",
            f"{p['p50_ms']:.1f} / {p['p95_ms']:.1f} / {p['p99_ms']:.1f} ms",
            "p95 ≤ 50 ms",
            ok(p["p95_ms"], TARGETS["public_p95_ms"]),
        ),
        (
            f"Peak RSS of the worker's pool process while rendering ({w['renders']} renders)",
            f"{w['pool_process_peak_rss_mb']:.0f} MB",
            "≤ 400 MB",
            ok(w["pool_process_peak_rss_mb"], TARGETS["worker_peak_mb"]),
        ),
    ]
    cpu = p["cpu_ms_per_request"]
    load = ", ".join(f"{x:.1f}" for x in report["load_average_before"])
    lines = [
        f"PDF benchmark — {report['cpus']} CPUs, Python {report['python']}, WeasyPrint "
        f"{report['weasyprint']}, libharfbuzz-subset "
        f"{'present' if report['harfbuzz_subset'] else 'MISSING'}; load average before the "
        f"load test {load}",
        "",
        "| measurement | result | target | ok |",
        "|---|---:|---:|:-:|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        "",
        f"Share page CPU per request: gunicorn {cpu['gunicorn']:.2f} ms, PostgreSQL "
        f"{cpu['postgres']:.2f} ms, load generator {cpu['load_generator']:.2f} ms.",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--second-runs", type=int, default=100)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = run(args)
    print(json.dumps(report, indent=2, default=str) if args.json else markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
