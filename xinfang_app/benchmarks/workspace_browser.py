"""A leader's 信访工作台 in a real browser: the time from opening the page until every number card shows its
figure and every chart is drawn. Prints figures; it is not a test.

Run it beside a running site (`bench serve`, or gunicorn as in production), with Playwright (PyPI) and a
Chromium. The script uses no Frappe, so any Python with Playwright will do:

    python -m xinfang_app.benchmarks.workspace_browser --url http://scalebench.localhost:8000 \\
        --user leader@example.com --password '…' [--sessions 3] [--loads 3] [--requests]

- Each session is a new browser context with an empty cache. It logs in once, then opens the workspace
  `--loads` times.
- A session's first load also fetches and compiles the desk's scripts; the later loads find them cached.
- It prints every load, the median of the first loads and of the later ones, and with `--requests` the
  slowest API requests of each session's last load.
"""

from __future__ import annotations

import argparse
import statistics
import time
from urllib.parse import quote, urlsplit

from xinfang_app.domain.access import WORKBENCH

# Frappe's charts (frappe-charts) draw a line or bar chart with zeros first and its real figures 700 ms
# later (`initTimeout`, not an option). The page counts those delayed redraws, so that a chart counts as
# drawn only once its real figures are.
COUNT_REDRAWS = """(() => {
	const setTimeout_ = window.setTimeout;
	window.__chartRedraws = {pending: 0, done: 0};
	window.setTimeout = function (callback, delay, ...rest) {
		if (delay !== 700 || typeof callback !== 'function') return setTimeout_(callback, delay, ...rest);
		window.__chartRedraws.pending += 1;
		return setTimeout_(function () {
			try { return callback.apply(this, arguments); }
			finally { window.__chartRedraws.pending -= 1; window.__chartRedraws.done += 1; }
		}, delay, ...rest);
	};
})();"""

# Every number card shows a figure; every chart has its svg (or its empty state) and none is loading; every
# line or bar chart (those with a y axis) has drawn its real figures.
READY = """() => {
	const cards = [...document.querySelectorAll('.widget.number-widget-box')];
	const charts = [...document.querySelectorAll('.widget.dashboard-widget-box')];
	if (!cards.length || !charts.length) return false;
	const shown = (el) => el && el.offsetParent !== null;
	const cardDone = (c) => {
		const n = c.querySelector('.number');
		return n && n.textContent.trim() !== '' && !shown(c.querySelector('.number-card-loading'));
	};
	const chartDone = (c) =>
		(c.querySelector('svg.frappe-chart') || shown(c.querySelector('.chart-empty-state')))
		&& ![...c.querySelectorAll('.chart-loading-state')].some(shown);
	if (!cards.every(cardDone) || !charts.every(chartDone)) return false;
	const axisCharts = charts.filter((c) => c.querySelector('svg.frappe-chart .y.axis')).length;
	const redraws = window.__chartRedraws;
	return redraws.pending === 0 && redraws.done >= axisCharts;
}"""


def main(argv: list[str] | None = None) -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--url", required=True, help="the site's address, e.g. http://site.localhost:8000")
	parser.add_argument("--user", required=True)
	parser.add_argument("--password", required=True)
	parser.add_argument("--sessions", type=int, default=3)
	parser.add_argument("--loads", type=int, default=3)
	parser.add_argument("--chromium", default="/usr/bin/chromium")
	parser.add_argument("--requests", action="store_true", help="print the slowest API requests")
	args = parser.parse_args(argv)

	from playwright.sync_api import sync_playwright

	base = args.url.rstrip("/")
	host = urlsplit(base).hostname
	page_url = f"{base}/app/{quote(WORKBENCH)}"
	first, later = [], []
	with sync_playwright() as playwright:
		browser = playwright.chromium.launch(
			executable_path=args.chromium,
			args=["--no-sandbox", f"--host-resolver-rules=MAP {host} 127.0.0.1"]
			if host.endswith(".localhost")
			else ["--no-sandbox"],
		)
		for session in range(1, args.sessions + 1):
			context = browser.new_context(viewport={"width": 1440, "height": 1000})
			context.add_init_script(COUNT_REDRAWS)
			page = context.new_page()
			page.goto(f"{base}/login")
			status = page.evaluate(
				"""async ([usr, pwd]) => (await fetch('/api/method/login', {method: 'POST',
					headers: {'Content-Type': 'application/json'}, body: JSON.stringify({usr, pwd})})).status""",
				[args.user, args.password],
			)
			if status != 200:
				raise SystemExit(f"login as {args.user} failed: HTTP {status}")
			times = []
			for load in range(args.loads):
				requests = []

				def finished(request, requests=requests):
					requests.append(request)

				page.on("requestfinished", finished)
				start = time.perf_counter()
				page.goto(page_url)
				page.wait_for_function(READY, timeout=120_000)
				times.append(time.perf_counter() - start)
				page.remove_listener("requestfinished", finished)
				(first if load == 0 else later).append(times[-1])
			print(f"session {session}: " + ", ".join(f"{t:.2f} s" for t in times))
			if args.requests:
				api = sorted(
					(
						(r.timing["responseEnd"], r.url.split("/api/method/")[1][:80])
						for r in requests
						if "/api/method/" in r.url
					),
					reverse=True,
				)
				for took, url in api[:8]:
					print(f"    {took:6.0f} ms  {url}")
			context.close()
		browser.close()
	print(f"first load of a session: median {statistics.median(first):.2f} s (n = {len(first)})")
	if later:
		print(
			f"later loads: median {statistics.median(later):.2f} s, {min(later):.2f}–{max(later):.2f} s (n = {len(later)})"
		)


if __name__ == "__main__":
	main()
