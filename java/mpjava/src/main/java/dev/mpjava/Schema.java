package dev.mpjava;

import dev.mpjava.internal.Dispatcher;
import dev.mpjava.internal.NativeApi;
import dev.mpjava.internal.SchemaResources;
import dev.mpjava.schema.Declarations;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * .capnp files loaded at run time with Cap'n Proto's own parser, so a JVM process uses
 * the schemas its C++ peers were built from. The bundled {@code /mp/proxy.capnp} and
 * {@code /capnp/c++.capnp} are always importable. Files loaded together share one
 * parser, so their IDs must be unique.
 *
 * <p>{@link #close()} releases the parsed files and every interface looked up here:
 * the {@link InterfaceType}s keep their names and methods, but serving or connecting
 * with them throws {@link ClosedException}. Listeners and clients already made keep
 * what they use alive natively until they close. A schema that becomes unreachable
 * without close() is released by a {@link Cleaner}.
 */
public final class Schema implements AutoCloseable {
    /** What close releases, without a reference to the Schema (so a Cleaner can run it). */
    private static final class State implements Runnable {
        final NativeHandle handle;
        final Map<String, InterfaceType> interfaces = new HashMap<>();  // guarded by this
        final List<NativeHandle> interfaceHandles = new ArrayList<>();  // guarded by this
        final List<String> loadedPaths = new ArrayList<>();  // in load order; guarded by this
        dev.mpjava.schema.Declarations declarations;  // read on first use; guarded by this
        ClassPathSchemas copies;  // class-path schemas' files, read lazily by the parser until close

        State(long id) {
            handle = new NativeHandle("schema", id, NativeApi::schema_free);
        }

        @Override
        public synchronized void run() {
            for (NativeHandle h : interfaceHandles) h.release("closed: its schema was closed");
            interfaceHandles.clear();
            interfaces.clear();
            handle.release("closed");
            if (copies != null) copies.close();
        }
    }

    private final State state;
    private final Cleaner.Cleanable cleanable;

    private Schema(long id) {
        this.state = new State(id);
        this.cleanable = NativeHandle.CLEANER.register(this, state);
    }

    /**
     * Parses one .capnp file.
     *
     * @param file the file
     * @param importPath directories searched for its absolute imports ({@code import "/x/y.capnp"}),
     *     before the bundled schemas
     * @return the open schema
     * @throws SchemaException if the file or one it imports does not parse
     */
    public static Schema load(Path file, Path... importPath) {
        return load(List.of(file), List.of(importPath));
    }

    /**
     * Parses several .capnp files with one parser.
     *
     * @param files the files
     * @param importPath directories searched for absolute imports, before the bundled schemas
     * @return the open schema
     * @throws SchemaException if a file or one it imports does not parse
     */
    public static Schema load(List<Path> files, List<Path> importPath) {
        Dispatcher.ensureInstalled();
        List<String> imports = new ArrayList<>();
        for (Path p : importPath) imports.add(p.toAbsolutePath().toString());
        imports.add(SchemaResources.directory().toString());
        long id;
        try {
            id = NativeApi.schema_new(String.join("\n", imports));
        } catch (RuntimeException e) {
            throw new SchemaException(e.getMessage());
        }
        Schema schema = new Schema(id);
        try {
            for (Path file : files) {
                String path = file.toAbsolutePath().toString();
                NativeApi.schema_load(id, path);
                schema.state.loadedPaths.add(path);
            }
        } catch (RuntimeException e) {
            schema.close();
            throw new SchemaException(e.getMessage());
        }
        return schema;
    }

    /**
     * Parses .capnp files from the class path, as generated code does. Imports and embeds
     * resolve on the class path too: {@code import "/a/b.capnp"} is the resource
     * {@code a/b.capnp}, a relative import is relative to the importing resource, and the
     * bundled {@code /mp/proxy.capnp} and {@code /capnp/c++.capnp} are always found. Errors
     * name files as {@code classpath:/a/b.capnp:line:column}. The files are copied to a
     * private directory (Cap'n Proto's parser reads files, some only when a name first
     * reaches them), deleted when the schema is closed.
     *
     * @param loader the class loader to read resources with (null for the system loader)
     * @param resourcePaths resource names, e.g. "com/example/calculator.capnp" (a leading '/' is allowed)
     * @return the open schema
     * @throws SchemaException if a resource is missing or a file does not parse
     */
    public static Schema loadResources(ClassLoader loader, String... resourcePaths) {
        ClassPathSchemas copies = new ClassPathSchemas(loader);
        try {
            List<Path> files = new ArrayList<>();
            for (String resource : resourcePaths) files.add(copies.add(resource));
            return loadCopies(copies, files);
        } catch (RuntimeException e) {
            copies.close();
            throw e;
        }
    }

    /**
     * Parses one .capnp file read from a stream; its imports resolve on the class path as
     * for {@link #loadResources}, relative ones relative to {@code name}.
     *
     * @param schema the file's content (read to its end, not closed)
     * @param name the file's class-path name, e.g. "com/example/calculator.capnp"
     * @param loader the class loader imports are read with (null for the system loader)
     * @return the open schema
     * @throws SchemaException if an import is missing or a file does not parse
     */
    public static Schema load(InputStream schema, String name, ClassLoader loader) {
        ClassPathSchemas copies = new ClassPathSchemas(loader);
        try {
            return loadCopies(copies, List.of(copies.add(schema, name)));
        } catch (RuntimeException e) {
            copies.close();
            throw e;
        }
    }

    /** The parser reads an import when a name first reaches it, so the copies live as long as the schema. */
    private static Schema loadCopies(ClassPathSchemas copies, List<Path> files) {
        Schema schema;
        try {
            schema = load(files, List.of(copies.root()));
        } catch (SchemaException e) {
            throw new SchemaException(copies.describe(e.getMessage()));
        }
        synchronized (schema.state) {
            schema.state.copies = copies;
        }
        return schema;
    }

    /**
     * The interface with this (optionally dotted, e.g. "Outer.Inner") name.
     *
     * @param name the interface's name in a loaded file
     * @return the type, the same object for the same name
     * @throws SchemaException if no loaded file declares it
     */
    public InterfaceType interfaceType(String name) {
        synchronized (state) {
            long id = state.handle.get();
            InterfaceType cached = state.interfaces.get(name);
            if (cached != null) return cached;
            long iface;
            try {
                iface = NativeApi.schema_interface(id, name);
            } catch (RuntimeException e) {
                throw new SchemaException(e.getMessage());
            }
            NativeHandle handle = new NativeHandle("interface " + name, iface, NativeApi::interface_free);
            String[] description = NativeApi.interface_describe(iface).split("\n");
            InterfaceType type = InterfaceType.ofSchema(description[0],
                    Arrays.asList(description).subList(1, description.length), handle);
            state.interfaceHandles.add(handle);
            state.interfaces.put(name, type);
            return type;
        }
    }

    /**
     * Everything the loaded files and their imports declare, for tools (code generators,
     * {@code mpjava schema}). Read once per schema and cached; it stays readable after close.
     *
     * @return the declarations
     * @throws ClosedException if the schema was closed before they were first read
     */
    public Declarations declarations() {
        synchronized (state) {
            if (state.declarations == null) {
                String text = NativeApi.schema_declarations(state.handle.get());
                state.declarations = DeclarationsReader.read(text, state.loadedPaths);
            }
            return state.declarations;
        }
    }

    /**
     * False once closed.
     *
     * @return whether the schema is open
     */
    public boolean isOpen() {
        return state.handle.isOpen();
    }

    @Override
    public void close() {
        cleanable.clean();
    }
}
