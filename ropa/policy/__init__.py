"""The privacy policy as data: a version's sections and statements.

In: a policy text (Markdown, plain text or HTML) and optionally the register whose
recipients and organisation names guide extraction; or a reviewed ``VERSION.flows.yaml``.
Out: a :class:`~ropa.Policy` (sections and statements as DataFrames, policy-level facts in
``meta``, unmapped phrases), and the flows file written for a person to review.

Modules, in the order the data flows:

- ``model``: the data (:class:`Policy`, the statement and section columns); no reading or writing;
- ``files``: a version from its file name, where its reviewed flows file lies, reading the text;
- ``parse``: the text's outline (sections, blocks, sentences);
- ``vendors``, ``lexicon``, ``cues``: the built-in vendors as entities, the term matchers, the cue phrases;
- ``nonflow``: cue phrases that say a sentence states no flow of ours, or another one than its verb;
- ``sentences``: what one sentence, list item or table row says;
- ``facts``: facts of the whole policy (stated date, contacts, controller names);
- ``clauses``: a sentence cut into the clauses its negations hold in, and why a sentence about
  personal data is listed for review;
- ``extract``: statements from the text (:func:`extract`);
- ``agreement``: an extraction scored against a reviewed file;
- ``flows``: the reviewed flows file read and written;
- ``load``: :func:`load_policy`, the reviewed file when there is one, else extraction.
"""
