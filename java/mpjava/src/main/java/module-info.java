/**
 * mpjava: Cap'n Proto RPC with libmultiprocess processes, from Java. The API is the
 * {@code dev.mpjava} package, schema introspection {@code dev.mpjava.schema}; {@code dev.mpjava.internal} (the JavaCPP binding) is not exported.
 */
module dev.mpjava {
    requires org.bytedeco.javacpp;

    exports dev.mpjava;
    exports dev.mpjava.schema;
}
