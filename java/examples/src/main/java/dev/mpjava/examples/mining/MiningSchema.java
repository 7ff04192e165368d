package dev.mpjava.examples.mining;

import dev.mpjava.InterfaceType;
import dev.mpjava.Schema;

/** Bitcoin Core's IPC schemas as restated in src/main/capnp (wire-identical), and the interfaces used here. */
final class MiningSchema implements AutoCloseable {
    // mining.capnp loaded itself, and first: Mining and BlockTemplate are then found in it
    // (through init.capnp's import alias the file is read later, when the copies are gone).
    final Schema schema = Schema.loadResources(MiningSchema.class.getClassLoader(),
            "mining/mining.capnp", "mining/init.capnp");
    final InterfaceType init = schema.interfaceType("Init");
    final InterfaceType mining = schema.interfaceType("Mining");
    final InterfaceType blockTemplate = schema.interfaceType("BlockTemplate");

    @Override
    public void close() {
        schema.close();
    }
}
