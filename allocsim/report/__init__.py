"""A self-contained report folder: ``index.html`` (works offline), static charts, tables, manifest.

Compute, then render: :func:`~allocsim.report.model.build` computes everything the report shows
into a :class:`~allocsim.report.model.ReportModel`; :func:`~allocsim.report.rendering.render` turns
it into files (bytes, in memory); :func:`~allocsim.report.write.write_report` puts them on disk
through a temporary folder, so an existing report is replaced only by a complete one (and only
with ``force``).
"""

from __future__ import annotations

from allocsim.report.inputs import CheckedInputs, ReportInputs, check_inputs
from allocsim.report.model import ReportModel, build
from allocsim.report.rendering import Drawer, render
from allocsim.report.write import check_output_folder, write_report


def assemble_report(inputs: ReportInputs, checked: CheckedInputs | None = None) -> dict[str, bytes]:
    """Every file of the report, by relative path; ``checked`` is what :func:`check_inputs`
    returned for these inputs (checked now if not given)."""
    drawer = Drawer()  # draws each chart while the rest of the report is computed
    try:
        return render(build(inputs, checked, drawer), drawer=drawer)
    finally:
        drawer.close()


__all__ = ["CheckedInputs", "ReportInputs", "ReportModel", "assemble_report", "build", "check_inputs",
           "check_output_folder", "render", "write_report"]
