#!/usr/bin/env python3
"""Collects the `BENCH {json}` lines of a `make bench` log into one Markdown table, with the
machine it ran on. Usage: python3 scripts/bench_report.py target/bench/bench.log"""
import datetime
import json
import os
import platform
import subprocess
import sys


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{cpu}, {os.cpu_count()} cores; {platform.system()} {platform.release()}; "
            f"{rustc}; {chromium or 'no chromium'}; Python {platform.python_version()}")


def fmt(v):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.2f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def main() -> int:
    rows = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            if line.startswith("BENCH "):
                rows.append(json.loads(line[len("BENCH "):]))
    print(f"## make bench, {datetime.date.today().isoformat()}")
    print()
    print(f"Machine: {machine()}")
    print()
    print("| figure | value | budget | peer | peer's figure | ratio | within budget |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = f"{r['ratio']:.1f}×" if r.get("ratio") else "–"
        # A figure without a budget (`ok` is null) is information: a peer's rate, a limit.
        verdict = "–" if r.get("ok") is None else ("yes" if r["ok"] else "**no**")
        print(f"| {r['figure']} | {fmt(r['value'])} {r['unit']} | {fmt(r.get('budget'))} | "
              f"{fmt(r.get('peer'))} | {fmt(r.get('peer_value'))} | {ratio} | {verdict} |")
    budgeted = [r for r in rows if r.get("ok") is not None]
    over = [r["figure"] for r in budgeted if not r["ok"]]
    print()
    print(f"{len(budgeted) - len(over)} of {len(budgeted)} figures within budget"
          + (": over budget: " + "; ".join(over) if over else "."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
