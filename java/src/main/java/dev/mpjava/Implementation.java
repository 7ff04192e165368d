package dev.mpjava;

import dev.mpjava.internal.Dispatcher;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Java implementation of a Cap'n Proto interface: one {@link MethodHandler} per
 * method. Unknown method names fail when registering; a method without a handler
 * fails the call with "not implemented".
 *
 * <pre>{@code
 * Implementation calc = Implementation.of(schema.interfaceType("CalcInit"))
 *     .on("add", (p, r) -> r.set("result", p.getInt("a") + p.getInt("b")));
 * }</pre>
 */
public final class Implementation {
    private final InterfaceType type;
    private final MethodHandler[] handlers;
    private final Map<Integer, String> paramTypeNames = new ConcurrentHashMap<>();

    private Implementation(InterfaceType type) {
        this.type = type;
        this.handlers = new MethodHandler[type.methods().size()];
    }

    public static Implementation of(InterfaceType type) {
        return new Implementation(Objects.requireNonNull(type, "type"));
    }

    public Implementation on(String method, MethodHandler handler) {
        handlers[type.methodIndex(method)] = Objects.requireNonNull(handler, "handler");
        return this;
    }

    public InterfaceType type() {
        return type;
    }

    /** The dispatcher's view: decode params, run the handler, encode results. */
    Dispatcher.CallTarget callTarget() {
        return (method, params) -> {
            String name = type.methods().get(method);
            MethodHandler handler = handlers[method];
            if (handler == null) {
                throw new UnsupportedOperationException("method " + type.name() + "." + name + " is not implemented");
            }
            String paramsName = paramTypeNames.computeIfAbsent(method, m -> type.name() + "." + name + "$Params");
            StructBuilder results = new StructBuilder();
            handler.handle(ValueCodec.decode(params, paramsName), results);
            return ValueCodec.encode(results, type.name() + "." + name + "$Results");
        };
    }
}
