"""Karabakh Protectorate Map: an offline, sourced Dash map of the 2020-2024 peacekeeping area."""

__version__ = "0.1.0"  # also fingerprints the vendored files Dash serves from this package
