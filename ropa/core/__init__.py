"""Core: what every stage shares; it imports no other stage.

In: bytes and text a user wrote (YAML files, text files), ropa's own data files
(``ropa/taxonomy/*.yml``, ``ropa/codes/*.yml``) and the limits in force. Out: plain Python
values and DataFrames the stages above build on: the :class:`~ropa.Taxonomy`, finding rows
and the catalogue, the exceptions, and small shared readers.

- ``errors``: the exceptions (raised only when ropa cannot proceed; problems in data are findings);
- ``limits``, ``paths``: what a file may cost to read, and which folders a path in it may name;
- ``yamlio``: YAML read safely, within limits, with line numbers; ropa's own data files;
- ``text``: a user's text file decoded; ``words``: folding and the small word tables;
- ``durations``: ISO 8601 periods read, compared and written as words;
- ``names``, ``countries``: organisation names compared, countries named in words;
- ``taxonomy``: the terms and their hierarchy; ``findings``: the finding rows and catalogue,
  ``docs``: docs/findings.md generated from it;
- ``safety``: untrusted cells in spreadsheets and HTML; ``version``: ropa's version.
"""
