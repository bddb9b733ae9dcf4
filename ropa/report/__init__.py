"""The quarterly audit report: a plain report model first, then HTML, then PDF/A-3b.

In: a loaded register (its policy versions, its git history or the previous quarter's report).
Out: the report model (:func:`ropa.report.model.audit`, plain data), its HTML
(:func:`ropa.report.render.render_html`) and the PDF/A-3b with the findings and the model
attached (:func:`ropa.report.render.write_report`).

Modules, in the order they build on each other: ``period`` (the quarter), ``plain`` (JSON-ready
values), ``history`` (the register at an earlier git revision, or as an earlier report embedded
it), ``model`` (the report model, from the other stages), ``svg`` (the charts), ``render`` (HTML
and PDF). The command line (``ropa report``, its progress bar) is in :mod:`ropa.cli`.
"""
