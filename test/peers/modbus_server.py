#!/usr/bin/python3
"""An independent Modbus TCP peer for the tests, built on pymodbus (Debian's python3-pymodbus).

Register values are encoded here with Python's struct from a JSON description, so the tests check
our decoder against an encoding written separately from it.

    modbus_server.py --port 5020 --spec spec.json

spec.json: {"units": [1], "size": {"input": 400, "holding": 100},
            "registers": [{"table": "input", "address": 0, "type": "float32",
                           "wordOrder": "big", "value": 230.1}]}
Addresses outside `size` answer with Modbus exception 2; units not listed get no answer at all,
as a device on RS485 behind a gateway would behave.
"""
import argparse
import asyncio
import json
import logging
import struct

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartAsyncTcpServer

FORMATS = {"uint16": ">H", "int16": ">h", "uint32": ">I", "int32": ">i", "float32": ">f", "uint64": ">Q"}


def encode(register):
    fmt = FORMATS[register["type"]]
    value = register["value"]
    packed = struct.pack(fmt, value if register["type"] == "float32" else int(round(value)))
    words = [int.from_bytes(packed[i:i + 2], "big") for i in range(0, len(packed), 2)]
    return words if register.get("wordOrder", "big") == "big" else list(reversed(words))


def build_context(spec):
    tables = {name: [0] * spec["size"].get(name, 0) for name in ("input", "holding")}
    for register in spec["registers"]:
        for offset, word in enumerate(encode(register)):
            tables[register["table"]][register["address"] + offset] = word
    slaves = {
        unit: ModbusSlaveContext(
            ir=ModbusSequentialDataBlock(0, tables["input"] or [0]),
            hr=ModbusSequentialDataBlock(0, tables["holding"] or [0]),
            zero_mode=True,
        )
        for unit in spec["units"]
    }
    return ModbusServerContext(slaves=slaves, single=False)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--spec", required=True)
    args = parser.parse_args()
    with open(args.spec, encoding="utf8") as f:
        spec = json.load(f)
    logging.basicConfig(level=logging.CRITICAL)
    print(f"modbus peer on {args.host}:{args.port} units {spec['units']}", flush=True)
    # Reuse the address: a test restarts a device on the port it had, while old connections linger in TIME_WAIT.
    asyncio.run(StartAsyncTcpServer(
        context=build_context(spec),
        address=(args.host, args.port),
        ignore_missing_slaves=True,
        allow_reuse_address=True,
    ))


if __name__ == "__main__":
    main()
