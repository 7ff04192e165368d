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

    /**
     * The active member of this struct's union.
     *
     * @return its name, or null if the struct has no union
     */
    public String which() {
        return which;
    }

    /**
     * True if the field is present and not null.
     *
     * @param field the field name
     * @return whether it has a value
     */
    public boolean has(String field) {
        return fields.get(field) != null;
    }

    /**
     * A field's value, of the Java type the class comment lists.
     *
     * @param field the field name
     * @return the value, null for an absent pointer field
     * @throws IllegalArgumentException if there is no such field
     */
    public Object get(String field) {
        if (!fields.containsKey(field)) {
            throw new IllegalArgumentException("no field '" + field + "' in " + typeName + " (fields: "
                    + String.join(", ", fields.keySet()) + ")");
        }
        return fields.get(field);
    }

    /**
     * A Bool field.
     *
     * @param field the field name
     * @return the value
     * @throws IllegalArgumentException if there is no such field or it holds another type
     */
    public boolean getBoolean(String field) {
        return as(field, Boolean.class, "Bool");
    }

    /**
     * An integer field as a signed long; fails (never wraps) for an unsigned value above Long.MAX_VALUE.
     *
     * @param field the field name
     * @return the value
     * @throws IllegalArgumentException if there is no such field or it holds another type
     * @throws ArithmeticException if the value does not fit
     */
    public long getLong(String field) {
        Object value = get(field);
        if (value instanceof Long) return (Long) value;
        if (value instanceof BigInteger) {
            throw new ArithmeticException(typeName + "." + field + " = " + value
                    + " does not fit in a long; use getUnsignedLong or getBigInteger");
        }
        throw wrongType(field, "integer", value);
    }

    /**
     * An integer field as an int.
     *
     * @param field the field name
     * @return the value
     * @throws IllegalArgumentException if there is no such field or it holds another type
     * @throws ArithmeticException if the value does not fit
     */
    public int getInt(String field) {
        long value = getLong(field);
        if (value != (int) value) {
            throw new ArithmeticException(typeName + "." + field + " = " + value + " does not fit in an int");
        }
        return (int) value;
    }

    /**
     * The bits of a UInt64 value as a long (compare with Long.compareUnsigned).
     *
     * @param field the field name
     * @return the value's 64 bits
     * @throws IllegalArgumentException if there is no such field or it holds another type
     */
    public long getUnsignedLong(String field) {
        Object value = get(field);
        if (value instanceof Long) return (Long) value;
        if (value instanceof BigInteger) return ((BigInteger) value).longValue();
        throw wrongType(field, "integer", value);
    }

    /**
     * An integer field of any size.
     *
     * @param field the field name
     * @return the value
     * @throws IllegalArgumentException if there is no such field or it holds another type
     */
    public BigInteger getBigInteger(String field) {
        Object value = get(field);
        if (value instanceof Long) return BigInteger.valueOf((Long) value);
        if (value instanceof BigInteger) return (BigInteger) value;
        throw wrongType(field, "integer", value);
    }

    /**
     * A Float32 or Float64 field.
     *
     * @param field the field name
     * @return the value
     * @throws IllegalArgumentException if there is no such field or it holds another type
     */
    public double getDouble(String field) {
        return as(field, Double.class, "Float");
    }

    /**
     * A Text field, or an enum's enumerant name.
     *
     * @param field the field name
     * @return the text, null if absent
     * @throws IllegalArgumentException if there is no such field or it holds another type
     */
    public String getString(String field) {
        return as(field, String.class, "Text");
    }

    /**
     * A Data field.
     *
     * @param field the field name
     * @return a copy of the bytes, null if absent
     * @throws IllegalArgumentException if there is no such field or it holds another type
     */
    public byte[] getBytes(String field) {
        byte[] value = as(field, byte[].class, "Data");
        return value == null ? null : value.clone();
    }

    /**
     * A struct or group field.
     *
     * @param field the field name
     * @return the nested struct, null if absent
     * @throws IllegalArgumentException if there is no such field or it holds another type
     */
    public StructValue getStruct(String field) {
        return as(field, StructValue.class, "struct");
    }

    /**
     * A capability received in this struct, as a client of its interface. The caller owns
     * it: close it when done (that calls {@code destroy} first if the interface has it).
     *
     * @param field the field name
     * @return the client, null if absent
     * @throws IllegalArgumentException if there is no such field or it holds another type
     */
    public Client getClient(String field) {
        return as(field, Client.class, "capability");
    }

    /**
     * A List field.
     *
     * @param field the field name
     * @return the elements, each of the Java type the class comment lists; null if absent
     * @throws IllegalArgumentException if there is no such field or it holds another type
     */
    @SuppressWarnings("unchecked")
    public List<Object> getList(String field) {
        return as(field, List.class, "List");
    }

    /**
     * All present fields.
     *
     * @return an unmodifiable map from field name to value
     */
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
