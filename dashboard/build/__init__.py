"""Reproducible builds of the generated data in geodata/ from the inputs in geodata/sources/.

    python -m dashboard.build            # everything
    python -m dashboard.build.layers     # geodata/layers/ (one builder per registered layer)
    python -m dashboard.build.events     # documents, places, citations, events

Shared by every builder: the one error type of the build, and the check that raises it.
The shared reading of the kit (CSV, JSON, slugs, alternative names, places) is
`dashboard.build.kit`; geometry and byte-stable output is `dashboard.build.geo`.
"""


class BuildError(RuntimeError):
    """An input is missing something or contradicts another, or a built layer contradicts a
    check; the message names the file and the record."""


def check(condition: bool, message: str) -> None:
    """Raise BuildError(message) unless `condition` holds."""
    if not condition:
        raise BuildError(message)
