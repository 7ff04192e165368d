package dev.mpjava;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Params or results under construction. Field values are checked against the schema
 * when the message is built (at the call, or when the handler returns): an unknown
 * field, a wrong type or an out-of-range number fails with a message naming the field.
 *
 * <p>Accepted Java values: {@code Boolean}; {@code Byte/Short/Integer/Long} and
 * {@link BigInteger} for any integer field (unsigned fields reject negatives, nothing
 * wraps); {@code Float/Double} for float fields; {@code String} for Text and for enums
 * (by enumerant name); {@code byte[]} for Data (or a List(Int8/UInt8)); Java enums (by name); a nested
 * {@code StructBuilder} or a received {@link StructValue} (its fields, union member and
 * capabilities as received) for structs and groups; a {@code List}, array or primitive array
 * for lists; {@code null} for an absent pointer field.
 */
public final class StructBuilder {
    /** Marker that selects a Void union member. */
    public static final Object VOID = new Object() {
        @Override
        public String toString() {
            return "void";
        }
    };

    private final Map<String, Object> fields = new LinkedHashMap<>();

    /**
     * Sets a field to any accepted value (see the class comment).
     *
     * @param field the field name
     * @param value the value, or null for an absent pointer field
     * @return this builder
     */
    public StructBuilder set(String field, Object value) {
        if (field == null) throw new IllegalArgumentException("field name is null");
        fields.put(field, value);
        return this;
    }

    /**
     * Sets an integer field.
     *
     * @param field the field name
     * @param value the value, range-checked against the field's type
     * @return this builder
     */
    public StructBuilder set(String field, long value) {
        return set(field, (Object) value);
    }

    /**
     * Sets a Bool field.
     *
     * @param field the field name
     * @param value the value
     * @return this builder
     */
    public StructBuilder set(String field, boolean value) {
        return set(field, (Object) value);
    }

    /**
     * Sets a Float32 or Float64 field.
     *
     * @param field the field name
     * @param value the value
     * @return this builder
     */
    public StructBuilder set(String field, double value) {
        return set(field, (Object) value);
    }

    /**
     * Sets a UInt64 field from the bits of {@code value} (e.g. -1 means 2^64-1).
     *
     * @param field the field name
     * @param value the bits
     * @return this builder
     */
    public StructBuilder setUnsigned(String field, long value) {
        return set(field, new BigInteger(Long.toUnsignedString(value)));
    }

    /**
     * Sets a struct or group field, built by {@code init}.
     *
     * @param field the field name
     * @param init sets the nested struct's fields
     * @return this builder
     */
    public StructBuilder setStruct(String field, Consumer<StructBuilder> init) {
        StructBuilder nested = new StructBuilder();
        init.accept(nested);
        return set(field, nested);
    }

    /**
     * Sets a list field from the given elements.
     *
     * @param field the field name
     * @param elements the elements, each an accepted value for the element type
     * @return this builder
     */
    public StructBuilder setList(String field, Object... elements) {
        return set(field, Arrays.asList(elements));
    }

    /**
     * Selects a Void member of a union.
     *
     * @param field the member's name
     * @return this builder
     */
    public StructBuilder setVoid(String field) {
        return set(field, VOID);
    }

    Map<String, Object> fields() {
        return Collections.unmodifiableMap(fields);
    }

    @Override
    public String toString() {
        return fields.toString();
    }

}
