"""The registers of a SunSpec device, laid out from the SunSpec model definitions (JSON, as
published in github.com/sunspec/models; copies in test/fixtures/sunspec-models), independently of
our TypeScript point tables.

    {"base": 40000, "modelsDir": ".../sunspec-models",
     "models": [{"id": 1, "points": {"Mn": "Fronius", "Md": "Symo 10.0-3-M", "SN": "123"}},
                {"id": 103, "points": {"W": 2950, "W_SF": 0, "Hz": 50.01, "Hz_SF": -2}}]}

Values are engineering values: a point with a scale factor is stored as round(value / 10**sf)
with the sf given among the points. Points not given hold SunSpec's "not implemented" value.
"""
import json
import math
import os
import struct

MARKER = [0x5375, 0x6E53]
FORMATS = {
    "uint16": ">H", "int16": ">h", "sunssf": ">h", "enum16": ">H", "bitfield16": ">H", "count": ">H", "pad": ">H",
    "uint32": ">I", "acc32": ">I", "bitfield32": ">I", "enum32": ">I", "int32": ">i",
    "acc64": ">Q", "uint64": ">Q", "int64": ">q", "float32": ">f",
}
NOT_IMPLEMENTED = {
    "uint16": 0xFFFF, "enum16": 0xFFFF, "bitfield16": 0xFFFF, "count": 0xFFFF,
    "int16": -0x8000, "sunssf": -0x8000, "pad": 0x8000,
    "uint32": 0xFFFFFFFF, "bitfield32": 0xFFFFFFFF, "enum32": 0xFFFFFFFF, "int32": -0x80000000,
    "acc32": 0, "acc64": 0, "uint64": 0xFFFFFFFFFFFFFFFF, "int64": -0x8000000000000000,
    "float32": math.nan,
}


def words_of(packed):
    return [int.from_bytes(packed[i:i + 2], "big") for i in range(0, len(packed), 2)]


def encode_point(point, value, scale_factors):
    kind, size = point["type"], point["size"]
    if kind == "string":
        raw = (value or "").encode("latin1")[: size * 2]
        return words_of(raw.ljust(size * 2, b"\0"))
    if value is None:
        value = NOT_IMPLEMENTED[kind]
    elif point.get("sf"):
        value = value / 10 ** scale_factors[point["sf"]]
    packed = struct.pack(FORMATS[kind], value if kind == "float32" else int(round(value)))
    assert len(packed) == size * 2, point["name"]
    return words_of(packed)


def model_words(definition, points):
    group = definition["group"]
    assert not group.get("groups"), f"model {definition['id']}: repeating groups are not supported here"
    unknown = set(points) - {p["name"] for p in group["points"]}
    assert not unknown, f"model {definition['id']} has no points {unknown}"
    length = sum(p["size"] for p in group["points"]) - 2
    scale_factors = {name: value for name, value in points.items()}
    words = []
    for point in group["points"]:
        if point["name"] == "ID":
            words += [definition["id"]]
        elif point["name"] == "L":
            words += [length]
        else:
            words += encode_point(point, points.get(point["name"]), scale_factors)
    return words


def sunspec_words(spec):
    """The words from the base address on: marker, models, end marker."""
    words = list(MARKER)
    for model in spec["models"]:
        with open(os.path.join(spec["modelsDir"], f"model_{model['id']}.json"), encoding="utf8") as f:
            words += model_words(json.load(f), model.get("points", {}))
    return words + [0xFFFF, 0]
