"""Render a report model: chart specs, static SVG and PNG copies, and the HTML page.

The static copies take most of the time. Each chart is drawn once, as SVG, and its PNG is
rasterised from that SVG (:mod:`allocsim.static_images`). vl-convert draws one SVG at a time in a
process, so the charts are drawn in a few worker processes, started as the report is begun so
that their start overlaps the computing; where none can start, on two threads of this process.
"""

from __future__ import annotations

from concurrent.futures import Future

from allocsim import static_images
from allocsim.charts.spec import chart_spec
from allocsim.cpus import available_cpus
from allocsim.outputs import to_json
from allocsim.report.html import VL_VERSION, render_html
from allocsim.report.model import ReportModel
from allocsim.report.sections import ReportChart

PNG_SCALE = 2


class Drawer:
    """Makes each section's spec and starts drawing its static copies as soon as the section is made
    (pass it to :func:`allocsim.report.model.build` as ``on_section``), so drawing overlaps the rest
    of the computing; :func:`render` takes the specs and images from it.

    The images are drawn by :func:`chart_images` in worker processes (one per CPU this process may
    use, at most :data:`~allocsim.static_images.MAX_WORKERS` and at most ``charts``, where the
    number of charts is known), started now. Where :func:`chart_images` has been replaced (tests' placeholder
    images), the replacement is called here, as each section is made.

    Specs are not validated here: every chart function's output is validated by the tests (and
    ``validate=True`` checks a report's every spec, as the report tests do)."""

    def __init__(self, images: bool = True, validate: bool = False, charts: int | None = None):
        self.specs: dict[str, dict] = {}
        self.validate = validate
        self._drawn: dict[str, Future] = {}
        self._draw = chart_images if images else None  # looked up now: tests replace it
        self._workers = None
        if self._draw is DRAWN_BY_VL_CONVERT:
            processes = min(available_cpus(), static_images.MAX_WORKERS, charts or 1000)
            self._workers = static_images.ImageWorkers(VL_VERSION, PNG_SCALE, processes)

    def __call__(self, section: ReportChart) -> None:
        """Make ``section``'s spec and start drawing it (once per section name)."""
        if section.name in self.specs:
            return
        self.specs[section.name] = spec = chart_spec(section.chart, validate=self.validate)
        if self._workers is not None:
            self._drawn[section.name] = self._workers.submit(spec)
        elif self._draw is not None:
            self._drawn[section.name] = drawn = Future()
            drawn.set_result(self._draw(spec))

    def images(self, names: set[str]) -> dict[str, bytes]:
        """Each drawn chart's of ``names``: ``charts/<name>.svg`` and ``.png``, waiting for those not yet
        done."""
        files = {}
        for name, future in self._drawn.items():
            if name in names:
                files[f"charts/{name}.svg"], files[f"charts/{name}.png"] = future.result()
        return files

    def close(self) -> None:
        """Stop the drawing (at once, if charts are still being drawn: the command failed)."""
        if self._workers is not None:
            self._workers.close()


def render(model: ReportModel, images: bool = True, drawer: Drawer | None = None) -> dict[str, bytes]:
    """Every file of the report, by relative path; ``images`` False leaves out the static chart
    copies (``charts/*.svg``, ``*.png``), which take most of the time. ``drawer``: the
    :class:`Drawer` that was given each section while the model was built (one is made here if not)."""
    own = drawer is None
    drawer = Drawer(images, charts=len(model.sections)) if own else drawer
    try:
        for section in model.sections:
            drawer(section)
        files: dict[str, bytes] = {f"tables/{name}": text.encode("utf-8") for name, text in model.tables.items()}
        files["manifest.json"] = to_json(model.manifest).encode("utf-8")
        listed = sorted([*files, *[f"charts/{s.name}.{kind}" for s in model.sections for kind in ("png", "svg")]])
        html = render_html(model, drawer.specs, listed)
        if images:
            files |= drawer.images({s.name for s in model.sections})
    finally:
        if own:
            drawer.close()
    files["index.html"] = html.encode("utf-8")
    return files


def chart_images(spec: dict) -> tuple[bytes, bytes]:
    """The static SVG and PNG of one chart spec, drawn in this process (the PNG rasterised from the SVG)."""
    return static_images.draw(spec, VL_VERSION, PNG_SCALE)


DRAWN_BY_VL_CONVERT = chart_images  # the :class:`Drawer` sends only this one to worker processes
