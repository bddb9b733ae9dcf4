"""What changed: two policy versions compared by substance, two register versions field by field.

In: two :class:`~ropa.Policy` objects (and optionally the :class:`~ropa.Register` whose
recipients resolve names and whose activities a change touches), or two registers; for the
command line, two paths.
Out: DataFrames (:func:`ropa.diff_policies`, :func:`ropa.diff_registers`, sections, findings),
a plain model of the diff, its JSON document, HTML text and PDF files. Nothing here prints:
``ropa diff`` (:mod:`ropa.cli`) prints the table.

Modules, in the order the data flows:

- ``frames``: the result tables' columns (a stable contract) and the words of their columns;
- ``entities``: a recipient however it is written resolved to one entity (:class:`EntityResolver`);
- ``statements``: statements reduced to substance and facts, and old and new paired;
- ``passages``: sentences paired across the two texts (moved, reworded), which pairs the statements on them first;
- ``tables``: recipient tables read row by row, rows paired by the recipient they name;
- ``policies``: the changes described and classified (:func:`diff_policies`);
- ``sections``: the text-level diff of sections and the word diff of two sentences;
- ``impact``: findings on the new version and its impact on the register;
- ``registers``: the register diff and applying it (:func:`diff_registers`, :func:`apply_register_diff`);
- ``render``: the diff as a plain model, JSON, HTML and PDF;
- ``files``: two paths told apart, loaded and diffed, as ``ropa diff`` does.
"""
