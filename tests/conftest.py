import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


# Print the per-page readability and citation figures after the run.
def pytest_terminal_summary(terminalreporter):
    try:
        from content.test_content import REPORTS
    except ImportError:
        return
    if not REPORTS:
        return
    terminalreporter.section("content report (Flesch-Kincaid grade, citations)")
    for report in sorted(REPORTS.values(), key=lambda r: r.path):
        terminalreporter.write_line(
            f"{report.path:<42} {report.audience:<12} grade {report.grade:4.1f}  "
            f"citations {report.citations:3d}  sources {report.distinct:2d}  words {report.words:5d}"
        )
