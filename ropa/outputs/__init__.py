"""Outputs: the Article 30 record and the files a DPO hands over.

In: a loaded register (:class:`ropa.Register`). Out: the record as DataFrames
(:func:`ropa.outputs.record.article30`, :func:`ropa.outputs.completeness.completeness`), and as
files (:func:`ropa.outputs.formats.write_record`: CSV, XLSX, JSON, HTML, PDF); and
:mod:`ropa.outputs.pdf`, the one place finished HTML becomes PDF/A-3b (the diff and the report
use it too).

Modules, in the order they build on each other: ``cells`` (a cell's text, a key's label),
``parties`` (controller, representative, DPO, joint controllers), ``transfers`` (recipients and
third-country transfers), ``record`` (the record's columns and frames), ``completeness`` (how
complete each entry is), ``formats`` (the files), ``pdf`` (HTML to PDF).
"""
