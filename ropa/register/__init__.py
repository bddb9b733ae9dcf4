"""The register stage: files in, a :class:`~ropa.register.model.Register` out (and back).

In: a register folder (organisation.yaml, activities as CSV/XLSX/YAML, recipients,
taxonomy.yaml), one activities file, one Excel workbook (the UK ICO's template, the CNIL's
register model or a plain table) or a folder of Fides manifests. Out: a ``Register`` (the
organisation, the activities and recipients as DataFrames with canonical columns, the
taxonomy, and ``load_findings`` for whatever could not be read as it stands), which the
checks, the outputs and the reports read; and the same register written back as a folder,
an ICO or CNIL workbook, Fides manifests or JSON-LD.

Modules, from the bottom up (each imports only those above it):

- ``columns``: the canonical columns, and the headings of other tables (``headings.yml``);
  ``phrases``: what people write in cells, mapped onto keys (``phrases.yml``);
- ``cells``: cells as text and lists; ``csvfile`` and ``xlsxfile``: reading a CSV file or a
  workbook safely; ``tables``: an activities or recipients table, headings mapped;
- ``model``: the ``Register``, ``assemble_register`` and ``write_register``;
  ``organisation``: organisation.yaml;
- the importers: ``freetext`` (free text onto taxonomy keys), ``importlog`` (where a cell came
  from, the findings an import collects), ``recipients`` (the recipient book), ``fields``
  (one activity's cells into a record), ``sheets`` (the sheets every workbook layout
  shares), ``export`` (what the workbook writers share), ``ico``, ``cnil`` and ``fides``
  (one layout each, read and written), ``workbook`` (which layout a workbook is in);
- ``load``: ``load_register``, the entry point; ``jsonld``: the record as JSON-LD (DPV).
"""
