package dev.mpjava.examples.mining;

import dev.mpjava.InterfaceType;
import dev.mpjava.Schema;
import dev.mpjava.examples.ClasspathSchemas;
import java.util.List;

/** Bitcoin Core's IPC schemas as restated in src/main/capnp (wire-identical), and the interfaces used here. */
final class MiningSchema implements AutoCloseable {
    // mining.capnp first: a name is looked up file by file, and init.capnp's import alias
    // "Mining" (the file) would hide the interface.
    final Schema schema = ClasspathSchemas.load("/dev/mpjava/examples/capnp",
            List.of("mining.capnp", "init.capnp", "common.capnp", "echo.capnp", "rpc.capnp"));
    final InterfaceType init = schema.interfaceType("Init");
    final InterfaceType mining = schema.interfaceType("Mining");
    final InterfaceType blockTemplate = schema.interfaceType("BlockTemplate");

    @Override
    public void close() {
        schema.close();
    }
}
