package dev.mpjava;

import dev.mpjava.internal.NativeApi;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A Cap'n Proto interface of a loaded {@link Schema}; methods include inherited ones. */
public final class InterfaceType {
    // Native interface records are interned for the life of the process, so their
    // handles are stable keys; capabilities received in values are typed through here.
    private static final Map<Long, InterfaceType> BY_HANDLE = new ConcurrentHashMap<>();

    final long handle;
    private final String name;
    private final List<String> methods;

    private InterfaceType(long handle, String name, List<String> methods) {
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
        return handle;
    }

    static InterfaceType forHandle(long handle) {
        return BY_HANDLE.computeIfAbsent(handle, h -> new InterfaceType(h, NativeApi.interface_name(h),
                List.of(NativeApi.interface_methods(h).split("\n"))));
    }

    boolean declares(String method) {
        return methods.contains(method);
    }

    @Override
    public String toString() {
        return "interface " + name;
    }
}
