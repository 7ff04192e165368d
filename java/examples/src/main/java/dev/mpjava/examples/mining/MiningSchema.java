package dev.mpjava.examples.mining;

import dev.mpjava.InterfaceType;
import dev.mpjava.Schema;

/** Bitcoin Core's IPC schemas as restated in src/main/capnp (wire-identical), and the interfaces used here. */
final class MiningSchema implements AutoCloseable {
    // init.capnp imports the others; their types are named through its import aliases.
    final Schema schema = Schema.loadResources(MiningSchema.class.getClassLoader(),
            "dev/mpjava/examples/capnp/init.capnp");
    final InterfaceType init = schema.interfaceType("Init");
    final InterfaceType mining = schema.interfaceType("Mining.Mining");
    final InterfaceType blockTemplate = schema.interfaceType("Mining.BlockTemplate");

    @Override
    public void close() {
        schema.close();
    }
}
