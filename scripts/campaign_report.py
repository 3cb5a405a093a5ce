#!/usr/bin/env python3
"""The morning report of one fuzzing campaign: build/campaigns/<time>/report.html.

Reads what scripts/campaign.sh leaves in the campaign folder, per target:
  fuzz.log      libFuzzer's status lines ("#<execs> ... cov: C ft: F corp: N ...")
  summary.txt   key=value lines: executions, exec_per_s, seconds, corpus_before, corpus_after
  crashes.txt   one crash per line: <artifact path><TAB><signature>
  <artifact>.trace   vt_replay's numbered trace of that artifact
and coverage/index.html (llvm-cov of the runtime over the merged corpus) when present.
Standard library only: the plots are inline SVG.

  scripts/campaign_report.py CAMPAIGN_DIR
"""
import html
import os
import re
import sys

STATUS = re.compile(r"^#(\d+).*?\bcov: (\d+) ft: (\d+)(?: corp: (\d+))?")
ELAPSED = re.compile(r"\btime: (\d+)s\b")


def read_status(log_path):
    """(seconds or executions, coverage, features, corpus) per status line, and the x unit."""
    points, timed = [], False
    if not os.path.exists(log_path):
        return points, "executions"
    with open(log_path, errors="replace") as log:
        for line in log:
            m = STATUS.match(line)
            if not m:
                continue
            t = ELAPSED.search(line)
            timed = timed or t is not None
            x = int(t.group(1)) if t else int(m.group(1))
            points.append((x, int(m.group(2)), int(m.group(3)), int(m.group(4) or 0)))
    return points, "seconds" if timed else "executions"


def read_pairs(path):
    values = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                key, _, value = line.strip().partition("=")
                if key:
                    values[key] = value
    return values


def plot(points, unit, series, colors, width=360, height=200):
    """An SVG line plot of the chosen series (indexes into each point) against x."""
    left, bottom, top, right = 56, 30, 14, 14
    if len(points) < 2:
        return "<p class=note>too few status lines to plot</p>"
    xs = [p[0] for p in points]
    x0, x1 = min(xs), max(xs) or 1
    y1 = max(max(p[i] for p in points) for i in series) or 1
    sx = lambda x: left + (x - x0) * (width - left - right) / max(x1 - x0, 1)
    sy = lambda y: height - bottom - y * (height - bottom - top) / y1
    out = [f'<svg width="{width}" height="{height}" role="img">',
           f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#888"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#888"/>',
           f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11">{y1}</text>',
           f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" font-size="11">0</text>',
           f'<text x="{left}" y="{height - 10}" font-size="11">{x0}</text>',
           f'<text x="{width - right}" y="{height - 10}" text-anchor="end" font-size="11">{x1} {unit}</text>']
    for i, color in zip(series, colors):
        path = " ".join(f"{sx(p[0]):.1f},{sy(p[i]):.1f}" for p in points)
        out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{path}"/>')
    out.append("</svg>")
    return "".join(out)


def verdict(unexpected, expected):
    head = (f"<b style='color:#d62728'>{unexpected} unexpected unique crash{'es' if unexpected != 1 else ''}</b>"
            if unexpected else "<b style='color:#2ca02c'>No unexpected crash.</b>")
    if expected:
        head += f" {expected} expected (the 16-bit ABA hazard, which the token16 target exists to find)."
    return head


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print("usage: scripts/campaign_report.py CAMPAIGN_DIR", file=sys.stderr)
        return 2
    campaign = sys.argv[1]
    targets = sorted(d for d in os.listdir(campaign)
                     if os.path.isdir(os.path.join(campaign, d)) and os.path.exists(os.path.join(campaign, d, "summary.txt")))
    if not targets:
        print(f"campaign_report: no target results in {campaign}", file=sys.stderr)
        return 1
    rows, sections, total_crashes, expected_crashes = [], [], 0, 0
    for target in targets:
        folder = os.path.join(campaign, target)
        summary = read_pairs(os.path.join(folder, "summary.txt"))
        points, unit = read_status(os.path.join(folder, "fuzz.log"))
        crashes = []
        crash_list = os.path.join(folder, "crashes.txt")
        if os.path.exists(crash_list):
            with open(crash_list) as f:
                crashes = [line.rstrip("\n").split("\t", 1) for line in f if line.strip()]
        expected_crashes += sum(1 for _, signature in crashes if signature.endswith("(token wraparound, expected)"))
        total_crashes += len(crashes)
        last = points[-1] if points else (0, "?", "?", "?")
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in (
            target, summary.get("executions", "?"), summary.get("exec_per_s", "?"), last[1], last[2],
            f'{summary.get("corpus_before", "?")} \u2192 {summary.get("corpus_after", "?")}', len(crashes),
            summary.get("note", ""))) + "</tr>")
        crash_html = []
        for artifact, signature in crashes:
            expected = signature.endswith("(token wraparound, expected)")
            trace_path = artifact + ".trace"
            trace = open(trace_path, errors="replace").read() if os.path.exists(trace_path) else "(no trace)"
            crash_html.append(
                f"<div class={'expected' if expected else 'crash'}><b>{html.escape(signature)}</b><br>replay: <code>scripts/replay.sh --target {target} "
                f"{html.escape(artifact)}</code><pre>{html.escape(trace[:6000])}</pre></div>")
        sections.append(
            f"<section><h2>{html.escape(target)}</h2><div class=plots>"
            f"<figure>{plot(points, unit, [1], ['#1f77b4'])}<figcaption>coverage (edges) against {unit}</figcaption></figure>"
            f"<figure>{plot(points, unit, [2], ['#d62728'])}<figcaption>features against {unit}</figcaption></figure>"
            f"<figure>{plot(points, unit, [3], ['#2ca02c'])}<figcaption>corpus size against {unit}</figcaption></figure></div>"
            + ("".join(crash_html) if crash_html else "<p>no crashes</p>") + "</section>")
    coverage = os.path.join(campaign, "coverage", "index.html")
    coverage_line = (f'<p>Runtime coverage over the merged corpus: <a href="coverage/index.html">llvm-cov report</a>'
                     f' ({html.escape(read_pairs(os.path.join(campaign, "coverage.txt")).get("lines", "?"))} of lines)</p>'
                     if os.path.exists(coverage) else "<p>No coverage report in this campaign (--no-coverage).</p>")
    name = os.path.basename(os.path.normpath(campaign))
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>vtlab campaign {html.escape(name)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1150px}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 10px;text-align:right}}td:first-child,th:first-child{{text-align:left}}
.plots{{display:flex;gap:2em}}figure{{margin:0}}figcaption{{font-size:12px;color:#444}}
.crash{{border-left:4px solid #d62728;padding-left:1em;margin:1em 0}}.expected{{border-left:4px solid #999;padding-left:1em;margin:1em 0}}pre{{background:#f6f6f6;padding:.5em;overflow-x:auto;font-size:12px}}
.verdict{{font-size:1.2em}}</style></head><body>
<h1>vtlab fuzzing campaign {html.escape(name)}</h1>
<p class=verdict>{verdict(total_crashes - expected_crashes, expected_crashes)}</p>
<table><tr><th>target</th><th>executions</th><th>exec/s</th><th>coverage</th><th>features</th><th>corpus</th><th>crashes</th><th>note</th></tr>
{''.join(rows)}</table>
{coverage_line}
{''.join(sections)}
</body></html>"""
    out = os.path.join(campaign, "report.html")
    with open(out, "w") as f:
        f.write(page)
    print(f"report: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
