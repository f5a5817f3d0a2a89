"""`python -m dashboard [serve|check|ingest|publish|import-acled|draft-csv]`: serve the map,
validate the data, or bring in new sources (see dashboard/ingest/cli.py)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dashboard.loading import DataError, load_dataset

SOURCE_COMMANDS = ("ingest", "publish", "import-acled", "draft-csv")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in SOURCE_COMMANDS:
        from dashboard.ingest.cli import main as source_main

        return source_main(argv)

    from dashboard.app import DATA_DIR_ENV, DEFAULT_DATA_DIR

    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    parser.add_argument("command", nargs="?", default="serve", choices=["serve", "check"])
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--debug", action="store_true", help="Dash debug mode (off by default)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        # the same default as gunicorn's dashboard.app:server: $KARABAKH_DATA_DIR, else geodata/
        default=Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR),
        help=f"the geodata/ directory to load (seeds/ beside it; default ${DATA_DIR_ENV} "
        "or the project's geodata/)",
    )
    args = parser.parse_args(argv)

    if args.command == "check":
        try:
            dataset = load_dataset(args.data_dir)
        except DataError as exc:
            print(exc.report(), file=sys.stderr)
            return 1
        if dataset.store is not None:  # large data: the browser's events file too, once
            from dashboard.scrub_data import event_columns

            event_columns(dataset).gzipped()
        layers = sum(len(f) for f in dataset.layers.values())
        print(
            f"OK: {len(dataset.documents)} document{'s' if len(dataset.documents) != 1 else ''}, "
            f"{len(dataset.events)} events, "
            f"{len(dataset.citations)} citations, {len(dataset.places)} places, "
            f"{layers} layer features, {len(dataset.acled)} ACLED events, data version "
            f"{dataset.history.data_version} in {args.data_dir}"
        )
        return 0

    from dashboard.app import create_app

    try:
        app = create_app(args.data_dir)
    except DataError as exc:
        print(f"The app cannot start: the data has problems.\n{exc.report()}", file=sys.stderr)
        return 2
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
