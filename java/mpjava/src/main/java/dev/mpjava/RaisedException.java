package dev.mpjava;

/**
 * The peer returned normally but set a result field marked {@code $Proxy.exception(...)}:
 * libmultiprocess's way of sending a typed C++ exception (wire-protocol.md §7).
 * {@link #error()} is that field's value; {@link #results()} all the results.
 */
public class RaisedException extends RemoteException {
    private final String field;
    private final StructValue results;

    public RaisedException(String field, StructValue results) {
        super(Type.FAILED, "raised in result field '" + field + "': " + results.get(field));
        this.field = field;
        this.results = results;
    }

    public String field() {
        return field;
    }

    public Object error() {
        return results.get(field);
    }

    public StructValue results() {
        return results;
    }
}
