package dev.mpjava;

import dev.mpjava.internal.Dispatcher;
import dev.mpjava.internal.NativeApi;
import dev.mpjava.internal.SchemaResources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * .capnp files loaded at run time with Cap'n Proto's own parser, so a JVM process uses
 * the schemas its C++ peers were built from. The bundled {@code /mp/proxy.capnp} and
 * {@code /capnp/c++.capnp} are always importable. Files loaded together share one
 * parser, so their IDs must be unique. Closing a schema does not affect listeners,
 * clients and interface types already made from it (their schema stays loaded).
 */
public final class Schema implements AutoCloseable {
    private final Object lock = new Object();
    private final Map<String, InterfaceType> interfaces = new HashMap<>();  // guarded by lock
    private long handle;

    private Schema(long handle) {
        this.handle = handle;
    }

    public static Schema load(Path file, Path... importPath) {
        return load(List.of(file), List.of(importPath));
    }

    public static Schema load(List<Path> files, List<Path> importPath) {
        Dispatcher.ensureInstalled();
        List<String> imports = new ArrayList<>();
        for (Path p : importPath) imports.add(p.toAbsolutePath().toString());
        imports.add(SchemaResources.directory().toString());
        long handle;
        try {
            handle = NativeApi.schema_new(String.join("\n", imports));
        } catch (RuntimeException e) {
            throw new SchemaException(e.getMessage());
        }
        Schema schema = new Schema(handle);
        try {
            for (Path file : files) {
                NativeApi.schema_load(handle, file.toAbsolutePath().toString());
            }
        } catch (RuntimeException e) {
            schema.close();
            throw new SchemaException(e.getMessage());
        }
        return schema;
    }

    /** The interface with this (optionally dotted, e.g. "Outer.Inner") name. */
    public InterfaceType interfaceType(String name) {
        synchronized (lock) {
            if (handle == 0) throw new ClosedException("schema is closed");
            InterfaceType cached = interfaces.get(name);
            if (cached != null) return cached;
            long iface;
            try {
                iface = NativeApi.schema_interface(handle, name);
            } catch (RuntimeException e) {
                throw new SchemaException(e.getMessage());
            }
            InterfaceType type = InterfaceType.forHandle(iface);
            interfaces.put(name, type);
            return type;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (handle != 0) {
                NativeApi.schema_free(handle);
                handle = 0;
            }
        }
    }
}
