"""The maximum length of every kind of stored text, in characters, in one place.

Models, forms, the API, the importer and `docs/security.md` read these names, so the limit a user meets
in a form is the limit the database enforces. The numbers are generous for honest use and small enough
that no stored text can make a mandatory document slow or unreadable.
"""

from __future__ import annotations

# One line: titles, names, venues, notes, reasons for rejection (the CharFields keep their own
# max_length, all at or below these).
LINE = 300
NAME = 200
URL = 500

# Multi-line text.
COMMENT = 2_000  # comments and reasons on status changes, coordinators' comments, batch errors
QUESTION = 2_000  # a citizen's question
ANSWER = 4_000  # the answer to a question
COMMITMENT = 1_000  # what was promised at a meeting
EVIDENCE = 2_000  # how a commitment was fulfilled
TOPICS = 2_000  # the topics of a meeting
RATIONALE = 4_000  # why this region (written from the evidence lines)
SUMMARY = 10_000  # the summary of a meeting's results
REPORT_COMMENT = 4_000  # a body's comment on its quarterly report
KEYWORDS = 4_000  # a sector's routing keywords
PROCEDURE = 200_000  # one language of the procedure (clause 3.2): about 60 pages
APPEAL_TEXT = 10_000  # the text of an imported appeal

# Counts and numbers.
MEDIA_LINKS = 20  # links in a meeting's results
SIGNATORIES_MAX = 10_000_000  # above half the country's adult population no appeal is credible
