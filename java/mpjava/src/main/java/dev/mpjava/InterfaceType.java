package dev.mpjava;

import java.util.List;

/**
 * A Cap'n Proto interface: its name and methods (inherited ones included, in the index
 * order native code uses). One looked up in a {@link Schema} can be served and
 * connected to while that schema is open; the type of a received capability only
 * describes it. Name and methods stay readable at any time.
 */
public final class InterfaceType {
    private final String name;
    private final List<String> methods;
    private final NativeHandle handle;  // null for the type of a received capability

    private InterfaceType(String name, List<String> methods, NativeHandle handle) {
        this.name = name;
        this.methods = List.copyOf(methods);
        this.handle = handle;
    }

    /** A type looked up in a schema; {@code handle} is owned (and released) by that schema. */
    static InterfaceType ofSchema(String name, List<String> methods, NativeHandle handle) {
        return new InterfaceType(name, methods, handle);
    }

    /** The type of a received capability: a description only. */
    static InterfaceType described(String name, List<String> methods) {
        return new InterfaceType(name, methods, null);
    }

    /**
     * The interface's name in its schema.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Method names, in the index order native code uses.
     *
     * @return an immutable list
     */
    public List<String> methods() {
        return methods;
    }

    int methodIndex(String method) {
        int index = methods.indexOf(method);
        if (index < 0) {
            throw new IllegalArgumentException("no method '" + method + "' in interface " + name + " (methods: "
                    + String.join(", ", methods) + ")");
        }
        return index;
    }

    /** The native interface id, to serve or connect; throws ClosedException once its schema is closed. */
    long nativeHandle() {
        if (handle == null) {
            throw new IllegalArgumentException("interface " + name
                    + " is the type of a received capability; look it up in a Schema to serve or connect");
        }
        return handle.get();
    }

    boolean declares(String method) {
        return methods.contains(method);
    }

    @Override
    public String toString() {
        return "interface " + name;
    }
}
