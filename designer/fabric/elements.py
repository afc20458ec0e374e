"""Design elements already validated, kept by their exact content, so a document sent again is checked in part.

The canvas sends its whole working document after every edit, and an edit changes one element or a few:
the devices, links and networks it did not touch are the same JSON as before, and validating them again
would give the same models. Each element of a list (a device, a link, a network, ...) is validated on
its own, exactly as inside the document, and kept by its JSON; the document's own fields are validated
as usual around them. A document with any problem is validated whole, so errors name their full path.
"""

from __future__ import annotations

import threading
from typing import Any

import orjson
from pydantic import BaseModel, ValidationError

from .spec import Design, Device, Egress, Jail, Link, Network, Rack, Vrf, WireguardMesh

# the document's lists of elements, and the model of each element
ELEMENT_MODELS: dict[str, type[BaseModel]] = {
    "racks": Rack, "devices": Device, "links": Link, "networks": Network, "vrfs": Vrf,
    "wireguard": WireguardMesh, "egress": Egress, "fail2ban": Jail,
}
KEPT = 200_000  # elements kept at most (a 10,000-node design has some 35,000); past it they are forgotten


class KnownElements:
    """Validated elements by their JSON. Safe to share between threads: models are never changed once made."""

    def __init__(self, kept: int = KEPT):
        self.kept = kept
        self._models: dict[str, dict[bytes, BaseModel]] = {field: {} for field in ELEMENT_MODELS}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return sum(map(len, self._models.values()))

    def design(self, data: dict[str, Any]) -> Design:
        """``Design.model_validate(data)``, validating only the elements not seen before."""
        shallow = dict(data)
        made: dict[str, dict[bytes, BaseModel]] = {}
        try:
            for field, model in ELEMENT_MODELS.items():
                items = data.get(field)
                if type(items) is list:
                    shallow[field] = self._elements(model, items, self._models[field], made.setdefault(field, {}))
            design = Design.model_validate(shallow)  # strict: the models above are taken as they are
        except ValidationError:
            return Design.model_validate(data)  # raises, naming each problem by its path in the document
        if any(made.values()):
            with self._lock:
                if len(self) + sum(map(len, made.values())) > self.kept:
                    for models in self._models.values():
                        models.clear()
                for field, models in made.items():
                    self._models[field].update(models)
        return design

    @staticmethod
    def _elements(model: type[BaseModel], items: list, known: dict[bytes, BaseModel],
                  made: dict[bytes, BaseModel]) -> list[BaseModel]:
        """The models of ``items``: those known by their JSON, the others validated (and put in ``made``)."""
        out = []
        append, dumps, validate = out.append, orjson.dumps, model.model_validate
        for item in items:
            try:
                key = dumps(item)
            except (orjson.JSONEncodeError, TypeError):  # not plain JSON: validated every time
                append(validate(item))
                continue
            found = known.get(key)
            if found is None:
                found = made.get(key)
                if found is None:
                    found = made[key] = validate(item)
            append(found)
        return out
