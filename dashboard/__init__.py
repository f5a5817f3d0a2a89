"""Karabakh Protectorate Map: an offline, sourced Dash map of the 2020-2023 peacekeeping area."""
