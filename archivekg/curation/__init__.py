"""Curation: a document in minutes.

The machine does the tedious part and a person decides:

* ``importer``: a text file or a saved web page → ``data/documents/<id>.txt`` (the text) and
  its record, every catalog field it can read with the words it read it from, and the segments
  of the text found by layout and wording;
* ``proposals``: the statements a document's words suggest (mentions of known entities, new
  names, dates, figures, document numbers, meetings, posts), each with its quote, its offsets
  and a confidence, written beside the annotations (``<doc-id>.proposals.yaml``);
* ``review``: a person accepts a proposal (it moves into the annotations with the reviewer
  and the date) or rejects it (it is remembered and not proposed again).

Nothing here is read by the build; the build reads what review wrote, as it reads any
curator's annotations.
"""
