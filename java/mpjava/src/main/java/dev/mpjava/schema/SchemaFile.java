package dev.mpjava.schema;

import java.util.List;

/**
 * One .capnp file of a schema: loaded explicitly, or reached through an import (imported
 * files are parsed whole, so all their declarations are listed).
 *
 * @param id the file's id (its {@code @0x...;} line)
 * @param path the path the parser knows it by: for a file opened by its path (a loaded one, or
 *     one imported relative to it) the absolute path without its leading '/'; for a file
 *     found in an import directory its path below that directory (e.g. "mp/proxy.capnp")
 * @param loaded true for a file passed to {@link dev.mpjava.Schema#load}, false for one only imported
 * @param declarations its top-level declarations, in declaration order
 */
public record SchemaFile(long id, String path, boolean loaded, List<Declaration> declarations) {
    /**
     * Copies the lists, so the record is immutable.
     *
     * @param id see the record
     * @param path see the record
     * @param loaded see the record
     * @param declarations see the record
     */
    public SchemaFile {
        declarations = List.copyOf(declarations);
    }
}
