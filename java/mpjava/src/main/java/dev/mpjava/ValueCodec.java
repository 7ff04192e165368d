package dev.mpjava;

import dev.mpjava.internal.NativeApi;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Java side of the value tree exchanged with native code; the encoding and its tags
 * are defined once, in native/include/mpjava/values/codec.h and api.h.
 */
final class ValueCodec {
    private static final int VOID = NativeApi.TAG_VOID();
    private static final int BOOL = NativeApi.TAG_BOOL();
    private static final int INT = NativeApi.TAG_INT();
    private static final int UINT = NativeApi.TAG_UINT();
    private static final int FLOAT = NativeApi.TAG_FLOAT();
    private static final int TEXT = NativeApi.TAG_TEXT();
    private static final int DATA = NativeApi.TAG_DATA();
    private static final int LIST = NativeApi.TAG_LIST();
    private static final int STRUCT = NativeApi.TAG_STRUCT();
    private static final int ENUM = NativeApi.TAG_ENUM();
    private static final int NULL = NativeApi.TAG_NULL();
    private static final int CAP = NativeApi.TAG_CAP();
    private static final int CAP_HELD = NativeApi.CAP_HELD();
    private static final int CAP_EXPORT = NativeApi.CAP_EXPORT();
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private ValueCodec() {}

    /** Encodes params or results; Implementations in them are exported through {@code values}. */
    static byte[] encode(StructBuilder builder, String path, CallValues values) {
        Out out = new Out();
        writeStruct(out, builder.fields(), path, values);
        return out.toByteArray();
    }

    /** Decodes results or params; capabilities in them become Clients owned as {@code values} says. */
    static StructValue decode(byte[] data, String typeName, CallValues values) {
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int tag = in.get() & 0xff;
        if (tag != STRUCT) throw new IllegalStateException("native value tree does not start with a struct");
        return readStruct(in, typeName, values);
    }

    // ---- encoding ----

    // A received StructValue holds its union's active member only (after the other fields),
    // so writing its fields back sets the same member; received capabilities stay held ones.
    private static void writeStruct(Out out, Map<String, Object> fields, String path, CallValues values) {
        out.u8(STRUCT);
        out.u16(0);  // which: chosen natively by the union member that is set
        out.u32(fields.size());
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            out.name(field.getKey());
            writeValue(out, field.getValue(), path + "." + field.getKey(), values);
        }
    }

    private static void writeValue(Out out, Object value, String path, CallValues values) {
        if (value == null) {
            out.u8(NULL);
        } else if (value == StructBuilder.VOID) {
            out.u8(VOID);
        } else if (value instanceof Boolean) {
            out.u8(BOOL);
            out.u8((Boolean) value ? 1 : 0);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            out.u8(INT);
            out.u64(((Number) value).longValue());
        } else if (value instanceof BigInteger) {
            writeBig(out, (BigInteger) value, path);
        } else if (value instanceof Double || value instanceof Float) {
            out.u8(FLOAT);
            out.f64(((Number) value).doubleValue());
        } else if (value instanceof String) {
            out.u8(TEXT);
            out.blob(((String) value).getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof byte[]) {
            out.u8(DATA);
            out.blob((byte[]) value);
        } else if (value instanceof Enum<?>) {
            out.u8(TEXT);
            out.blob(((Enum<?>) value).name().getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof StructBuilder) {
            writeStruct(out, ((StructBuilder) value).fields(), path, values);
        } else if (value instanceof StructValue) {
            writeStruct(out, ((StructValue) value).toMap(), path, values);
        } else if (value instanceof Client) {
            out.u8(CAP);
            out.u8(CAP_HELD);
            out.u64(((Client) value).handleForValue());
        } else if (value instanceof Implementation) {
            out.u8(CAP);
            out.u8(CAP_EXPORT);
            out.u64(values.export((Implementation) value));
        } else if (value instanceof Collection<?>) {
            Collection<?> list = (Collection<?>) value;
            out.u8(LIST);
            out.u32(list.size());
            int i = 0;
            for (Object element : list) writeValue(out, element, path + "[" + i++ + "]", values);
        } else if (value.getClass().isArray()) {
            int n = Array.getLength(value);
            out.u8(LIST);
            out.u32(n);
            for (int i = 0; i < n; i++) writeValue(out, Array.get(value, i), path + "[" + i + "]", values);
        } else {
            throw new IllegalArgumentException(path + ": unsupported Java type " + value.getClass().getName());
        }
    }

    private static void writeBig(Out out, BigInteger value, String path) {
        if (value.bitLength() <= 63) {
            out.u8(INT);
            out.u64(value.longValue());
        } else if (value.signum() > 0 && value.compareTo(TWO_TO_64) < 0) {
            out.u8(UINT);
            out.u64(value.longValue());
        } else {
            throw new IllegalArgumentException(path + ": value " + value + " is outside the 64-bit range");
        }
    }

    // ---- decoding ----

    private static StructValue readStruct(ByteBuffer in, String typeName, CallValues values) {
        String which = readName(in);
        int count = in.getInt();
        Map<String, Object> fields = new LinkedHashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            String name = readName(in);
            fields.put(name, readValue(in, typeName + "." + name, values));
        }
        return new StructValue(typeName, which.isEmpty() ? null : which, fields);
    }

    private static Object readValue(ByteBuffer in, String path, CallValues values) {
        int tag = in.get() & 0xff;
        if (tag == INT) return in.getLong();
        if (tag == UINT) {
            long bits = in.getLong();
            return bits >= 0 ? (Object) bits : new BigInteger(Long.toUnsignedString(bits));
        }
        if (tag == TEXT) return new String(readBlob(in), StandardCharsets.UTF_8);
        if (tag == BOOL) return in.get() != 0;
        if (tag == FLOAT) return in.getDouble();
        if (tag == STRUCT) return readStruct(in, path, values);
        if (tag == NULL) return null;
        if (tag == DATA) return readBlob(in);
        if (tag == LIST) {
            int n = in.getInt();
            List<Object> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) list.add(readValue(in, path, values));
            return Collections.unmodifiableList(list);
        }
        if (tag == ENUM) {
            int ordinal = in.getShort() & 0xffff;
            String name = readName(in);
            return name.isEmpty() ? "#" + ordinal : name;
        }
        if (tag == VOID) return StructBuilder.VOID;
        if (tag == CAP) {
            in.get();  // kind: always a held capability in this direction
            return Client.received(in.getLong(), values);
        }
        throw new IllegalStateException("unknown value tag " + tag + " at " + path);
    }

    private static String readName(ByteBuffer in) {
        int n = in.getShort() & 0xffff;
        byte[] bytes = new byte[n];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] readBlob(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return bytes;
    }

    /** A little-endian growable byte buffer. */
    private static final class Out {
        private ByteBuffer buf = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);

        private void ensure(int n) {
            if (buf.remaining() >= n) return;
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n))
                    .order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }

        void u8(int v) {
            ensure(1);
            buf.put((byte) v);
        }

        void u16(int v) {
            ensure(2);
            buf.putShort((short) v);
        }

        void u32(int v) {
            ensure(4);
            buf.putInt(v);
        }

        void u64(long v) {
            ensure(8);
            buf.putLong(v);
        }

        void f64(double v) {
            ensure(8);
            buf.putDouble(v);
        }

        void name(String name) {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > 0xffff) throw new IllegalArgumentException("field name too long: " + name);
            u16(bytes.length);
            ensure(bytes.length);
            buf.put(bytes);
        }

        void blob(byte[] bytes) {
            u32(bytes.length);
            ensure(bytes.length);
            buf.put(bytes);
        }

        byte[] toByteArray() {
            byte[] out = new byte[buf.position()];
            buf.flip();
            buf.get(out);
            return out;
        }
    }
}
