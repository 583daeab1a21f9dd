"""The benchmark's tables, printed from its report (bench/run.py)."""


def print_table(report, sizes):
    small, large = sizes[0], sizes[-1]
    header = f"{'endpoint':<18}" + "".join(
        f" | {size:>7,}: req/s  p50   p95   p99  err  q  cold" for size in sizes
    )
    if len(sizes) > 1:
        header += " | p95 growth"
    print("\n" + header)
    for name in report["endpoints"]:
        row = f"{name:<18}"
        for size in sizes:
            r = report["sizes"][str(size)]["endpoints"][name]
            row += (
                f" | {r['requests_per_second']:>13} {r['p50_ms']:>5} {r['p95_ms']:>5}"
                f" {r['p99_ms']:>5} {r['errors']:>4} {r['queries'] or '-':>2} {r['cold_ms']:>5}"
            )
        if len(sizes) > 1:
            growth = report["growth_p95"][name]
            row += f" | {growth}x"
        print(row)
    for size in sizes:
        entry = report["sizes"][str(size)]
        print(
            f"{size:>7,} case studies: worker peak memory {entry['worker_peak_mb']} MB after a "
            f"full CSV export ({entry['full_export_ms']} ms)"
        )
    for size in sizes:
        saves = report["sizes"][str(size)]["endpoints"].get("list_draft_edits", {})
        if "saves" in saves:
            print(f"{size:>7,} case studies: {saves['saves']} draft saves during the edit run")
    for size in sizes:
        endpoints = report["sizes"][str(size)]["endpoints"]
        for name, kind in (("csv_10k", "CSV"), ("json_10k", "JSON")):
            rows = endpoints.get(name, {}).get("rows")
            if rows:
                print(f"{size:>7,} case studies: the measured {kind} export has {rows:,} rows")
    if len(sizes) > 1:
        print(f"(growth = p95 at {large:,} / p95 at {small:,}; per row for the exports)")
    print_cold_table(report, sizes)


def print_cold_table(report, sizes):
    names = list(report["sizes"][str(sizes[0])]["cold"])
    if not names:
        return
    header = f"{'first visits':<18}" + "".join(
        f" | {size:>7,}: req/s    p50    p95    p99 err" for size in sizes
    )
    print("\n" + header + (" | p95 growth" if len(sizes) > 1 else ""))
    for name in names:
        row = f"{name:<18}"
        for size in sizes:
            r = report["sizes"][str(size)]["cold"][name]
            row += (
                f" | {r['requests_per_second']:>13} {r['p50_ms']:>6} {r['p95_ms']:>6}"
                f" {r['p99_ms']:>6} {r['errors']:>3}"
            )
        if len(sizes) > 1:
            row += f" | {report['cold_growth_p95'][name]}x"
        print(row)
    for size in sizes:
        entry = report["sizes"][str(size)]
        print(
            f"{size:>7,} case studies: first unfiltered list after a publication "
            f"{entry['after_publication_ms']} ms"
        )
