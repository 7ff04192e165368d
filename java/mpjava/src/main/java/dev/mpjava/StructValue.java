package dev.mpjava;

import java.math.BigInteger;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of a struct received from the wire (call results, or params in a
 * server handler). Signed integers read as {@code Long}; unsigned ones as {@code Long}
 * when they fit, else {@link BigInteger}, so nothing wraps silently. Floats read as
 * {@code Double}, Text as {@code String}, Data as {@code byte[]}, enums as their
 * enumerant name, structs and groups as {@code StructValue}, lists as {@code List},
 * absent pointer fields as {@code null}. Only the active member of a union is present.
 */
public final class StructValue {
    private final String typeName;
    private final String which;
    private final Map<String, Object> fields;

    StructValue(String typeName, String which, Map<String, Object> fields) {
        this.typeName = typeName;
        this.which = which;
        this.fields = Collections.unmodifiableMap(fields);
    }

    /** The active member of this struct's union, or null if it has no union. */
    public String which() {
        return which;
    }

    /** True if the field is present and not null. */
    public boolean has(String field) {
        return fields.get(field) != null;
    }

    public Object get(String field) {
        if (!fields.containsKey(field)) {
            throw new IllegalArgumentException("no field '" + field + "' in " + typeName + " (fields: "
                    + String.join(", ", fields.keySet()) + ")");
        }
        return fields.get(field);
    }

    public boolean getBoolean(String field) {
        return as(field, Boolean.class, "Bool");
    }

    /** A signed long; fails (never wraps) for an unsigned value above Long.MAX_VALUE. */
    public long getLong(String field) {
        Object value = get(field);
        if (value instanceof Long) return (Long) value;
        if (value instanceof BigInteger) {
            throw new ArithmeticException(typeName + "." + field + " = " + value
                    + " does not fit in a long; use getUnsignedLong or getBigInteger");
        }
        throw wrongType(field, "integer", value);
    }

    public int getInt(String field) {
        long value = getLong(field);
        if (value != (int) value) {
            throw new ArithmeticException(typeName + "." + field + " = " + value + " does not fit in an int");
        }
        return (int) value;
    }

    /** The bits of a UInt64 value as a long (compare with Long.compareUnsigned). */
    public long getUnsignedLong(String field) {
        Object value = get(field);
        if (value instanceof Long) return (Long) value;
        if (value instanceof BigInteger) return ((BigInteger) value).longValue();
        throw wrongType(field, "integer", value);
    }

    public BigInteger getBigInteger(String field) {
        Object value = get(field);
        if (value instanceof Long) return BigInteger.valueOf((Long) value);
        if (value instanceof BigInteger) return (BigInteger) value;
        throw wrongType(field, "integer", value);
    }

    public double getDouble(String field) {
        return as(field, Double.class, "Float");
    }

    /** Text, or an enum's enumerant name. */
    public String getString(String field) {
        return as(field, String.class, "Text");
    }

    public byte[] getBytes(String field) {
        byte[] value = as(field, byte[].class, "Data");
        return value == null ? null : value.clone();
    }

    public StructValue getStruct(String field) {
        return as(field, StructValue.class, "struct");
    }

    /**
     * A capability received in this struct, as a client of its interface. The caller owns
     * it: close it when done (that calls {@code destroy} first if the interface has it).
     */
    public Client getClient(String field) {
        return as(field, Client.class, "capability");
    }

    @SuppressWarnings("unchecked")
    public List<Object> getList(String field) {
        return as(field, List.class, "List");
    }

    public Map<String, Object> toMap() {
        return fields;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("(");
        fields.forEach((name, value) -> {
            if (out.length() > 1) out.append(", ");
            out.append(name).append(" = ").append(value instanceof byte[] ? "<" + ((byte[]) value).length + " bytes>" : value);
        });
        return out.append(')').toString();
    }

    private <T> T as(String field, Class<T> type, String expected) {
        Object value = get(field);
        if (value == null || type.isInstance(value)) return type.cast(value);
        throw wrongType(field, expected, value);
    }

    private IllegalArgumentException wrongType(String field, String expected, Object value) {
        return new IllegalArgumentException(typeName + "." + field + " is not " + expected + ": "
                + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
    }
}
