#!/usr/bin/python3
"""An independent Modbus peer for the tests, built on pymodbus (Debian's python3-pymodbus): Modbus
TCP on a port, or Modbus RTU on a serial device (a pty from socat in the tests).

Register values are encoded here with Python's struct from a JSON description, so the tests check
our decoder against an encoding written separately from it.

    modbus_server.py --port 5020 --spec spec.json
    modbus_server.py --serial /tmp/x/device --baud 9600 --parity N --data-bits 8 --stop-bits 1 --spec spec.json
    modbus_server.py --serial ... --spec spec.json --noise-seed 7

spec.json: {"units": [1], "size": {"input": 400, "holding": 100},
            "registers": [{"table": "input", "address": 0, "type": "float32",
                           "wordOrder": "big", "value": 230.1}]}
Addresses outside `size` answer with Modbus exception 2; units not listed get no answer at all,
as a device on RS485 behind a gateway would behave.

Relay boards: "size" may also give "coil" and "discrete" tables, "bits" sets their initial values
([{"table": "discrete", "address": 0, "value": true}]); "stuck": [{"table": "coil", "address": 1}]
makes writes to those coils be accepted and ignored (a welded or dead relay);
"relayBoard": "holding" makes holding registers 1..8 act as an Eletechsup-style board: a write of
0x0100 switches the channel on, 0x0200 off, and reading answers 1 or 0.

SunSpec devices: "sunspec" lays out a SunSpec model chain in the holding registers (see
sunspec_image.py). Several devices with their own registers: "devices": [{"units": [1], "size":
…, "registers": …, "sunspec": …}, …], each as a top-level spec.

Lines on stdin switch a unit off and on while the peer runs, as a device that loses power:
"silence 2" makes unit 2 stop answering, "answer 2" brings it back. "set 1 discrete 0 1" sets
discrete input 0 of unit 1 (or a coil: "set 1 coil 3 0"), as a contact that closes or opens.

--noise-seed (RTU only) wraps every answer in bytes that are no frame, from a seeded generator so
a failing run can be replayed: a burst before the answer that starts like an answer (the unit id
and function code, the hardest case for a receiver to resynchronise on) and a burst after it.
"""
import argparse
import asyncio
import json
import logging
import random
import struct
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.factory import ServerDecoder
from pymodbus.framer.rtu_framer import ModbusRtuFramer
from pymodbus.server import StartAsyncSerialServer, StartAsyncTcpServer

from sunspec_image import sunspec_words

FORMATS = {"uint16": ">H", "int16": ">h", "uint32": ">I", "int32": ">i", "float32": ">f", "uint64": ">Q"}
NOISE_BYTES = 9


def encode(register):
    fmt = FORMATS[register["type"]]
    value = register["value"]
    packed = struct.pack(fmt, value if register["type"] == "float32" else int(round(value)))
    words = [int.from_bytes(packed[i:i + 2], "big") for i in range(0, len(packed), 2)]
    return words if register.get("wordOrder", "big") == "big" else list(reversed(words))


class StuckBlock(ModbusSequentialDataBlock):
    """A data block whose listed addresses ignore writes, as a relay that no longer switches."""

    def __init__(self, address, values, stuck):
        super().__init__(address, values)
        self.stuck = stuck

    def setValues(self, address, values):
        for offset, value in enumerate(values):
            if address + offset not in self.stuck:
                super().setValues(address + offset, [value])


class CommandRegisterBoard(ModbusSequentialDataBlock):
    """Holding registers 1..8 of an Eletechsup-style board: written as commands, read as states."""

    COMMANDS = {0x0100: 1, 0x0200: 0}

    def setValues(self, address, values):
        for offset, value in enumerate(values):
            channel = address + offset
            if 1 <= channel <= 8 and value in self.COMMANDS:
                super().setValues(channel, [self.COMMANDS[value]])


def unit_contexts(spec):
    tables = {name: [0] * spec["size"].get(name, 0) for name in ("input", "holding", "coil", "discrete")}
    for register in spec.get("registers", []):
        for offset, word in enumerate(encode(register)):
            tables[register["table"]][register["address"] + offset] = word
    if "sunspec" in spec:
        base = spec["sunspec"]["base"]
        for offset, word in enumerate(sunspec_words(spec["sunspec"])):
            tables["holding"][base + offset] = word
    for bit in spec.get("bits", []):
        tables[bit["table"]][bit["address"]] = bool(bit["value"])
    stuck = {t: {s["address"] for s in spec.get("stuck", []) if s["table"] == t} for t in ("coil", "holding")}
    holding_block = CommandRegisterBoard if spec.get("relayBoard") == "holding" else ModbusSequentialDataBlock

    def block(table, cls=ModbusSequentialDataBlock):
        values = tables[table] or [0]
        return StuckBlock(0, values, stuck[table]) if stuck.get(table) else cls(0, values)

    return {
        unit: ModbusSlaveContext(
            ir=block("input"),
            hr=block("holding", holding_block),
            co=block("coil"),
            di=block("discrete"),
            zero_mode=True,
        )
        for unit in spec["units"]
    }


def build_context(spec):
    slaves = {}
    for device in spec.get("devices", [spec]):
        slaves.update(unit_contexts(device))
    return ModbusServerContext(slaves=slaves, single=False)


BIT_FUNCTION_CODES = {"coil": 1, "discrete": 2}


def follow_commands(silenced, context):
    """Applies "silence N" / "answer N" / "set N table address 0|1" lines from stdin to the running server."""
    def on_line():
        line = sys.stdin.readline()
        if not line:
            asyncio.get_running_loop().remove_reader(sys.stdin)
            return
        command, unit, *bit = line.split()
        if command == "silence":
            silenced.add(int(unit))
        elif command == "answer":
            silenced.discard(int(unit))
        elif command == "set":
            table, address, value = bit
            context[int(unit)].setValues(BIT_FUNCTION_CODES[table], int(address), [value == "1"])
        print(f"{line.strip()} done", flush=True)

    try:
        asyncio.get_running_loop().add_reader(sys.stdin, on_line)
    except PermissionError:
        pass  # stdin is a plain file such as /dev/null: nobody will send commands


def answers(silenced, noise_seed):
    """A response manipulator: silenced units do not answer; with a noise seed, RTU answers come between bursts of noise."""
    generator = random.Random(noise_seed)
    framer = ModbusRtuFramer(ServerDecoder())

    def manipulate(response):
        if response.unit_id in silenced:
            response.should_respond = False
            return response, False
        if noise_seed is None:
            return response, False
        false_start = bytes([response.unit_id, response.function_code])
        before = false_start + generator.randbytes(NOISE_BYTES)
        after = generator.randbytes(NOISE_BYTES)
        return before + framer.buildPacket(response) + after, True

    return manipulate


async def serve(args, spec):
    # A silenced unit stays in the context (the RTU server checks unit ids against a list taken
    # before each frame), it just does not send its answer.
    silenced = set()
    context = build_context(spec)
    follow_commands(silenced, context)
    common = {
        "context": context,
        "ignore_missing_slaves": True,
        "response_manipulator": answers(silenced, args.noise_seed),
    }
    if args.serial:
        server = await StartAsyncSerialServer(
            framer=ModbusRtuFramer,
            port=args.serial,
            baudrate=args.baud,
            parity=args.parity,
            bytesize=args.data_bits,
            stopbits=args.stop_bits,
            defer_start=True,
            **common,
        )
        # Ready only once the device is open: a request written before would be lost.
        await server.start()
        if server.transport is None:
            sys.exit(f"cannot open {args.serial} as {args.baud} {args.data_bits}{args.parity}{args.stop_bits}")
        print(f"modbus peer on {args.serial} units {all_units(spec)}", flush=True)
        await server.serve_forever()
    else:
        print(f"modbus peer on {args.host}:{args.port} units {all_units(spec)}", flush=True)
        # Reuse the address: a test restarts a device on the port it had, while old connections linger in TIME_WAIT.
        await StartAsyncTcpServer(address=(args.host, args.port), allow_reuse_address=True, **common)


def all_units(spec):
    return sorted(unit for device in spec.get("devices", [spec]) for unit in device["units"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int)
    parser.add_argument("--serial", help="serial device path: serve Modbus RTU on it instead of TCP")
    parser.add_argument("--baud", type=int, default=9600)
    parser.add_argument("--parity", choices=["N", "E", "O"], default="N")
    parser.add_argument("--data-bits", type=int, choices=[7, 8], default=8)
    parser.add_argument("--stop-bits", type=int, choices=[1, 2], default=1)
    parser.add_argument("--noise-seed", type=int)
    parser.add_argument("--spec", required=True)
    args = parser.parse_args()
    if (args.port is None) == (args.serial is None):
        parser.error("give either --port (Modbus TCP) or --serial (Modbus RTU)")
    with open(args.spec, encoding="utf8") as f:
        spec = json.load(f)
    logging.basicConfig(level=logging.CRITICAL)
    asyncio.run(serve(args, spec))


if __name__ == "__main__":
    main()
