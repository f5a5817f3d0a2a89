"""The one shape of a plotly point trace on the map, shared by reference points and ACLED events.

Both are drawn as plotly `scattermap` markers whose columns come from their own module; the
browser contract reads `meta.layer` and `meta.role` to find them.
"""

from __future__ import annotations

from typing import Any


def marker_trace(
    *, name: str, layer: str, role: str, columns: dict[str, list[Any]], color: str, visible: bool
) -> dict[str, Any]:
    """A `scattermap` markers trace from prepared columns (lon, lat, customdata, text, sizes)."""
    return {
        "type": "scattermap",
        "mode": "markers",
        "name": name,
        "meta": {"layer": layer, "role": role},
        "lon": columns["lon"],
        "lat": columns["lat"],
        "customdata": columns["customdata"],
        "text": columns["text"],
        "marker": {
            "size": columns["marker.size"],
            "opacity": columns["marker.opacity"],
            "color": color,
        },
        "hovertemplate": "%{text}<extra></extra>",
        "visible": visible,
        "showlegend": False,
    }
