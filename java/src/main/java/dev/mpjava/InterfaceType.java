package dev.mpjava;

import java.util.List;

/** A Cap'n Proto interface of a loaded {@link Schema}; methods include inherited ones. */
public final class InterfaceType {
    private final Schema schema;
    final long handle;
    private final String name;
    private final List<String> methods;

    InterfaceType(Schema schema, long handle, String name, List<String> methods) {
        this.schema = schema;
        this.handle = handle;
        this.name = name;
        this.methods = methods;
    }

    public String name() {
        return name;
    }

    /** Method names, in the index order native code uses. */
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

    long nativeHandle() {
        return schema.interfaceHandle(this);
    }

    @Override
    public String toString() {
        return "interface " + name;
    }
}
