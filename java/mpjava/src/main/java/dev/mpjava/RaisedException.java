package dev.mpjava;

/**
 * The peer returned normally but set a result field marked {@code $Proxy.exception(...)}:
 * libmultiprocess's way of sending a typed C++ exception (wire-protocol.md §7).
 * {@link #error()} is that field's value; {@link #results()} all the results.
 */
public class RaisedException extends RemoteException {
    /** The {@code $Proxy.exception} result field that was set. */
    private final String field;
    /** All results of the call. */
    private final StructValue results;

    /**
     * Creates the exception.
     *
     * @param field the name of the {@code $Proxy.exception} result field that was set
     * @param results all the call's results
     */
    public RaisedException(String field, StructValue results) {
        super(Type.FAILED, "raised in result field '" + field + "': " + results.get(field));
        this.field = field;
        this.results = results;
    }

    /**
     * The result field that carries the error.
     *
     * @return its name
     */
    public String field() {
        return field;
    }

    /**
     * The error the peer raised.
     *
     * @return the value of {@link #field()}, as {@link StructValue#get(String)} returns it
     */
    public Object error() {
        return results.get(field);
    }

    /**
     * All results of the call.
     *
     * @return the results, {@link #field()} included
     */
    public StructValue results() {
        return results;
    }
}
