package dev.mpjava.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.mpjava.Client;
import dev.mpjava.StructBuilder;
import dev.mpjava.StructValue;
import dev.mpjava.cli.Main.CliException;
import dev.mpjava.schema.FieldDecl;
import dev.mpjava.schema.StructDecl;
import dev.mpjava.schema.TypeRef;
import dev.mpjava.schema.TypeRef.Kind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Command-line text and JSON to params, results to JSON and text. Numbers keep their
 * exact value (64-bit and unsigned included), Data is base64, enums are enumerant names,
 * a capability is shown as a handle {@code {"$capability": "Echo"}}.
 */
final class Values {
    static final String CAPABILITY = "$capability";

    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeNulls().serializeSpecialFloatingPointValues().create();
    private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping()
            .serializeNulls().serializeSpecialFloatingPointValues().create();

    private final SchemaFile schema;

    /** Converts with the field types {@code schema} declares. */
    Values(SchemaFile schema) {
        this.schema = schema;
    }

    // ---- params ----

    /**
     * Params from the command line: an optional JSON object first, then {@code name=value}
     * arguments (which win). A value is taken as JSON (number, true, [..], {..}, "..."), or
     * as text when it is not JSON or the field is Text. The values are those StructBuilder
     * takes, in order (StructBuilder has no public way to read or copy its fields).
     */
    Map<String, Object> params(List<String> args, Optional<StructDecl> method) {
        JsonObject fields = new JsonObject();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (i == 0 && arg.trim().startsWith("{")) {
                fields = parseObject(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new CliException(Main.USAGE, "bad param '" + arg + "': expected name=value or a JSON object first");
            }
            String name = arg.substring(0, eq);
            String text = arg.substring(eq + 1);
            FieldDecl field = field(method, name);
            fields.add(name, is(field, Kind.TEXT) ? new JsonPrimitive(text) : jsonOrText(text));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : fields.entrySet()) {
            FieldDecl field = field(method, entry.getKey());
            if (field != null && SchemaFile.filledByMpjava(field)) {
                throw new CliException(Main.USAGE, "param '" + entry.getKey() + "' is a " + schema.typeName(field.type())
                        + ": mpjava fills it itself");
            }
            params.put(entry.getKey(), toJava(entry.getValue(), field == null ? null : field.type()));
        }
        return params;
    }

    private static JsonObject parseObject(String json) {
        try {
            return JsonParser.parseString(json).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new CliException(Main.USAGE, "bad JSON params " + json + ": " + e.getMessage(), e);
        }
    }

    private static JsonElement jsonOrText(String text) {
        try {
            JsonElement value = JsonParser.parseString(text);
            // Gson reads a bare word as a string; the empty text is no JSON at all.
            return value.isJsonNull() && !text.trim().equals("null") ? new JsonPrimitive(text) : value;
        } catch (JsonParseException e) {
            return new JsonPrimitive(text);
        }
    }

    private static FieldDecl field(Optional<StructDecl> struct, String name) {
        return struct.flatMap(s -> s.fields().stream().filter(f -> f.name().equals(name)).findFirst()).orElse(null);
    }

    private static boolean is(FieldDecl field, Kind kind) {
        return field != null && field.type().kind() == kind;
    }

    /** A JSON value as the Java value StructBuilder takes for a field of {@code type} (null: unknown). */
    private Object toJava(JsonElement value, TypeRef type) {
        Kind kind = type == null ? null : type.kind();
        if (value.isJsonNull()) return kind == Kind.VOID ? StructBuilder.VOID : null;
        if (value.isJsonArray()) {
            TypeRef element = kind == Kind.LIST ? type.element() : null;
            List<Object> list = new ArrayList<>();
            for (JsonElement e : value.getAsJsonArray()) list.add(toJava(e, element));
            return list;
        }
        if (value.isJsonObject()) {
            Optional<StructDecl> struct = schema.struct(type);
            StructBuilder nested = new StructBuilder();
            for (Map.Entry<String, JsonElement> f : value.getAsJsonObject().entrySet()) {
                FieldDecl field = field(struct, f.getKey());
                nested.set(f.getKey(), toJava(f.getValue(), field == null ? null : field.type()));
            }
            return nested;
        }
        JsonPrimitive p = value.getAsJsonPrimitive();
        if (kind == Kind.TEXT) return p.getAsString();  // {"text": 7} means "7"
        if (p.isBoolean()) return p.getAsBoolean();
        if (p.isNumber()) return number(new BigDecimal(p.getAsString()), kind);
        String text = p.getAsString();
        if (kind == Kind.DATA) {
            try {
                return Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new CliException(Main.USAGE, "Data is given in base64: " + e.getMessage(), e);
            }
        }
        if (kind != null && kind.name().contains("INT") && text.matches("-?\\d+")) {
            return number(new BigDecimal(text), kind);
        }
        return text;
    }

    private static Object number(BigDecimal value, Kind kind) {
        boolean floatField = kind == Kind.FLOAT32 || kind == Kind.FLOAT64;
        if (!floatField) {
            try {
                BigInteger integer = value.toBigIntegerExact();
                return integer.bitLength() < 64 ? (Object) integer.longValue() : integer;
            } catch (ArithmeticException notIntegral) {
                // a fraction: only a float field takes it, and the library says so
            }
        }
        return value.doubleValue();
    }

    // ---- results ----

    /** A struct as a JSON object; capabilities become handles. */
    static JsonObject toJson(StructValue struct) {
        JsonObject out = new JsonObject();
        struct.toMap().forEach((name, value) -> out.add(name, toJson(value)));
        return out;
    }

    private static JsonElement toJson(Object value) {
        if (value == null) return JsonNull.INSTANCE;
        if (value instanceof StructValue s) return toJson(s);
        if (value instanceof Boolean b) return new JsonPrimitive(b);
        if (value instanceof Number n) return new JsonPrimitive(n);
        if (value instanceof String s) return new JsonPrimitive(s);
        if (value instanceof byte[] bytes) return new JsonPrimitive(Base64.getEncoder().encodeToString(bytes));
        if (value instanceof Client c) {
            JsonObject handle = new JsonObject();
            handle.addProperty(CAPABILITY, c.type().name());
            return handle;
        }
        if (value instanceof List<?> list) {
            JsonArray out = new JsonArray();
            for (Object e : list) out.add(toJson(e));
            return out;
        }
        return new JsonPrimitive(String.valueOf(value));  // Void members and anything new
    }

    /** One-line JSON. */
    static String compact(JsonElement value) {
        return COMPACT.toJson(value);
    }

    /** Pretty-printed JSON. */
    static String json(JsonElement value) {
        return PRETTY.toJson(value);
    }

    /** The readable form: one "name = value" line per field, values in Cap'n Proto's text style. */
    static String text(JsonObject results) {
        if (results.size() == 0) return "(no results)";
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, JsonElement> field : results.entrySet()) {
            if (out.length() > 0) out.append('\n');
            out.append(field.getKey()).append(" = ");
            inline(field.getValue(), out);
        }
        return out.toString();
    }

    private static void inline(JsonElement value, StringBuilder out) {
        if (value.isJsonObject()) {
            JsonObject object = value.getAsJsonObject();
            if (object.size() == 1 && object.has(CAPABILITY) && object.get(CAPABILITY).isJsonPrimitive()) {
                out.append("<capability ").append(object.get(CAPABILITY).getAsString()).append('>');
                return;
            }
            out.append('(');
            String sep = "";
            for (Map.Entry<String, JsonElement> f : object.entrySet()) {
                out.append(sep).append(f.getKey()).append(" = ");
                inline(f.getValue(), out);
                sep = ", ";
            }
            out.append(')');
        } else if (value.isJsonArray()) {
            out.append('[');
            String sep = "";
            for (JsonElement e : value.getAsJsonArray()) {
                out.append(sep);
                inline(e, out);
                sep = ", ";
            }
            out.append(']');
        } else {
            out.append(COMPACT.toJson(value));
        }
    }
}
