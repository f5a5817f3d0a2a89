"""The GeoNames name cross-check (a review aid): matching, confirmations, candidates."""

from __future__ import annotations

from dashboard.build.names_check import cross_check

PLACE = {"id": "agdam", "name": "Agdam", "alt_names": ["Ağdam", "Akna"], "lat": 39.99, "lon": 46.93}


def _city(name, lat, lon, alternates):
    return {"name": name, "latitude": lat, "longitude": lon, "alternatenames": alternates}


def test_names_are_confirmed_and_script_forms_offered():
    cities = [_city("Aghdam", 39.991, 46.927, ["Agdam", "Akna", "Ակնա", "Agtam"])]
    [check] = cross_check([PLACE], cities)
    assert check.geonames == "Aghdam"
    assert check.confirmed == ["Akna"]
    assert check.candidates == ["Ակնա"]  # Armenian script; plain Latin 'Agtam' is not offered


def test_a_namesake_far_away_is_not_a_match():
    cities = [_city("Agdam", 40.84, 45.16, ["Akna"])]  # about 160 km away
    [check] = cross_check([PLACE], cities)
    assert check.geonames is None


def test_a_nearby_place_with_other_names_is_not_a_match():
    cities = [_city("Quzanli", 39.99, 46.93, ["Guzanly"])]
    [check] = cross_check([PLACE], cities)
    assert check.geonames is None
