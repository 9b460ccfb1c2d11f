"""Time the shared PDF layer on the sample monthly report (PERF-FLOORS 6a/6b: ≈ 10 ms/page).

    uv run python bench/pdf_layer.py [--rows 260] [--runs 7]

Prints the one-time costs (import reportlab, register the fonts) and the median build time
(wall clock and CPU, the latter steadier on a busy machine) of a ~12-page report (title, headings, text, two charts, a long table), per page and in all.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=260, help="table rows (260 ≈ 13 pages)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    start = time.perf_counter()
    import reportlab.platypus  # noqa: F401 - timing the import itself

    imported = time.perf_counter()
    from wushe_desktop.infra.pdf import get_styles, register_fonts
    from wushe_desktop.infra.pdf.sample import build_sample

    get_styles(register_fonts())
    registered = time.perf_counter()
    try:
        import _rl_accel  # noqa: F401

        accel = "yes"
    except ImportError:
        accel = "no (pip install rl_accel: about 40 % faster)"

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.pdf"
        pages = build_sample(out, rows=args.rows)  # warm-up
        times, cpu = [], []
        for _ in range(args.runs):
            t, c = time.perf_counter(), time.process_time()
            build_sample(out, rows=args.rows)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        size = out.stat().st_size
    median = statistics.median(times)
    print(f"import reportlab      {1000 * (imported - start):7.0f} ms (once)")
    print(f"register fonts+styles {1000 * (registered - imported):7.0f} ms (once)")
    print(f"rl_accel              {accel}")
    print(f"report                {pages} pages, {size // 1024} KiB")
    print(
        f"build (median of {args.runs})  {1000 * median:7.0f} ms = {1000 * median / pages:.1f} ms/page"
    )
    print(f"build (best)          {1000 * min(times):7.0f} ms")
    cpu_median = statistics.median(cpu)
    print(
        f"build CPU (median)    {1000 * cpu_median:7.0f} ms = {1000 * cpu_median / pages:.1f} ms/page"
    )


if __name__ == "__main__":
    main()
