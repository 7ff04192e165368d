package dev.mpjava.schema;

import java.util.List;

/**
 * One .capnp file of a schema: loaded explicitly, or reached through an import.
 *
 * @param id the file's id (its {@code @0x...;} line)
 * @param path the path the parser knows it by (an import's as written, e.g. "/mp/proxy.capnp")
 * @param loaded true for a file passed to {@link dev.mpjava.Schema#load}, false for one only imported
 * @param declarations its top-level declarations, in declaration order
 */
public record SchemaFile(long id, String path, boolean loaded, List<Declaration> declarations) {
    /** Immutable components. */
    public SchemaFile {
        declarations = List.copyOf(declarations);
    }
}
