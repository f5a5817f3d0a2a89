"""From a new source to published events: ingest an article or an ACLED export into a draft,
which a person reviews; `publish` then writes the accepted candidates into the data.

Functional core (pure functions over text and plain data): `dates` (date phrases -> date
ranges), `places` (passage -> gazetteer ids), `passages` (article text -> candidates),
`draft` (the draft file's shape). The shell: `cli` (the commands of `python -m dashboard`).
"""
