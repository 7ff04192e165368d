package dev.mpjava.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import dev.mpjava.schema.Declaration;
import dev.mpjava.schema.EnumDecl;
import dev.mpjava.schema.StructDecl;
import dev.mpjava.schema.TypeRef;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Java type of each Cap'n Proto type and the code that converts between it and the
 * dynamic API's values (what {@code StructValue.get} returns, what {@code StructBuilder.set}
 * accepts). Decoding null gives the type's default, as a Cap'n Proto reader does for an
 * absent field.
 */
final class Codecs {
    static final ClassName STRUCT_VALUE = ClassName.get("dev.mpjava", "StructValue");
    static final ClassName STRUCT_BUILDER = ClassName.get("dev.mpjava", "StructBuilder");
    static final ClassName DYNAMIC_CLIENT = ClassName.get("dev.mpjava", "Client");
    static final ClassName FUNCTION = ClassName.get("java.util.function", "Function");

    /** A generic struct's own type parameters: where a PARAMETER type resolves to a type variable. */
    record Generics(long declarationId, List<String> names) {
        static final Generics NONE = new Generics(0, List.of());

        TypeVariableName variable(int index) {
            return TypeVariableName.get(names.get(index));
        }

        boolean binds(TypeRef t) {
            return t.kind() == TypeRef.Kind.PARAMETER && t.id() == declarationId && declarationId != 0;
        }

        static String decoder(String name) {
            return "decode" + name;
        }

        static String encoder(String name) {
            return "encode" + name;
        }
    }

    private final SchemaModel model;
    private int depth;

    Codecs(SchemaModel model) {
        this.model = model;
    }

    /** The Java type of a field or param of this type. */
    TypeName javaType(TypeRef t, Generics g) {
        switch (t.kind()) {
            case VOID: return TypeName.VOID;
            case BOOL: return TypeName.BOOLEAN;
            case INT8: return TypeName.BYTE;
            case INT16: return TypeName.SHORT;
            case INT32: case UINT8: case UINT16: return TypeName.INT;
            case INT64: case UINT32: case UINT64: return TypeName.LONG;
            case FLOAT32: return TypeName.FLOAT;
            case FLOAT64: return TypeName.DOUBLE;
            case TEXT: return ClassName.get(String.class);
            case DATA: return ArrayTypeName.of(TypeName.BYTE);
            case LIST: return ParameterizedTypeName.get(ClassName.get(List.class), javaType(t.element(), g).box());
            case ENUM: return model.classOf(t.id()).<TypeName>map(c -> c).orElse(ClassName.get(String.class));
            case STRUCT: {
                Optional<ClassName> c = model.classOf(t.id());
                if (c.isEmpty()) return STRUCT_VALUE;
                List<String> params = model.declarations.struct(t.id()).common().typeParameters();
                if (params.isEmpty()) return c.get();
                TypeName[] args = new TypeName[params.size()];
                for (int i = 0; i < args.length; i++) {
                    args[i] = i < t.arguments().size() ? javaType(t.arguments().get(i), g).box() : ClassName.OBJECT;
                }
                return ParameterizedTypeName.get(c.get(), args);
            }
            case INTERFACE: return model.classOf(t.id()).<TypeName>map(c -> c).orElse(DYNAMIC_CLIENT);
            case PARAMETER: return g.binds(t) ? g.variable(t.parameterIndex()) : ClassName.OBJECT;
            default: return ClassName.OBJECT;
        }
    }

    /** The type a client receives: the typed client class for an interface, else {@link #javaType}. */
    TypeName receivedType(TypeRef t, Generics g) {
        if (t.kind() == TypeRef.Kind.INTERFACE && model.classOf(t.id()).isPresent()) {
            return model.classOf(t.id()).get().nestedClass("Client");
        }
        return javaType(t, g);
    }

    /** Converts the dynamic value {@code wire} (maybe null) to the Java type; {@code dflt} is the field's default. */
    CodeBlock decode(TypeRef t, CodeBlock wire, Object dflt, Generics g) {
        ClassName h = model.holder;
        switch (t.kind()) {
            case BOOL: return CodeBlock.of("$T.asBool($L, $L)", h, wire, dflt != null && (Boolean) dflt);
            case INT8: return CodeBlock.of("(byte) $T.asLong($L, $L)", h, wire, longLiteral(dflt));
            case INT16: return CodeBlock.of("(short) $T.asLong($L, $L)", h, wire, longLiteral(dflt));
            case INT32: case UINT8: case UINT16:
                return CodeBlock.of("(int) $T.asLong($L, $L)", h, wire, longLiteral(dflt));
            case INT64: case UINT32: case UINT64: return CodeBlock.of("$T.asLong($L, $L)", h, wire, longLiteral(dflt));
            case FLOAT32: return CodeBlock.of("(float) $T.asDouble($L, $L)", h, wire, doubleLiteral(dflt));
            case FLOAT64: return CodeBlock.of("$T.asDouble($L, $L)", h, wire, doubleLiteral(dflt));
            case TEXT: return CodeBlock.of("$T.asText($L, $S)", h, wire, dflt instanceof String s ? s : "");
            case DATA:
                if (dflt instanceof byte[] bytes && bytes.length > 0) return CodeBlock.of("$T.asData($L, $L)", h, wire, bytes(bytes));
                return CodeBlock.of("$T.asData($L, null)", h, wire);
            case LIST: return CodeBlock.of("$T.asList($L, $L)", h, wire, decoder(t.element(), g));
            case ENUM: {
                Optional<ClassName> c = model.classOf(t.id());
                if (c.isEmpty()) return CodeBlock.of("($T) $L", String.class, wire);
                if (dflt instanceof String name) {
                    return CodeBlock.of("$T.fromWire($L, $T.$L)", c.get(), wire, c.get(), enumConstant(t, name));
                }
                return CodeBlock.of("$T.fromWire($L)", c.get(), wire);
            }
            case STRUCT: {
                Optional<ClassName> c = model.classOf(t.id());
                if (c.isEmpty()) return CodeBlock.of("($T) $L", STRUCT_VALUE, wire);
                CodeBlock.Builder call = CodeBlock.builder().add("$T.fromWire($L", c.get(), wire);
                for (CodeBlock arg : typeArguments(t, g, true)) call.add(",$W$L", arg);
                return call.add(")").build();
            }
            case INTERFACE: {
                Optional<ClassName> c = model.classOf(t.id());
                if (c.isEmpty()) return CodeBlock.of("($T) $L", DYNAMIC_CLIENT, wire);
                return CodeBlock.of("$T.fromWire($L)", c.get().nestedClass("Client"), wire);
            }
            case PARAMETER:
                if (g.binds(t)) return CodeBlock.of("$L.apply($L)", Generics.decoder(g.names().get(t.parameterIndex())), wire);
                return wire;
            default: return wire;
        }
    }

    /** Converts the Java value {@code value} to what StructBuilder.set accepts. */
    CodeBlock encode(TypeRef t, CodeBlock value, Generics g) {
        switch (t.kind()) {
            case UINT64: return CodeBlock.of("$T.unsigned($L)", model.holder, value);
            case LIST: return CodeBlock.of("$T.toWire($L, $L)", model.holder, value, encoder(t.element(), g));
            case ENUM:
                if (model.classOf(t.id()).isEmpty()) return value;
                return CodeBlock.of("$L.wireName()", value);
            case STRUCT: {
                if (model.classOf(t.id()).isEmpty()) return value;
                List<CodeBlock> args = typeArguments(t, g, false);
                CodeBlock.Builder call = CodeBlock.builder().add("$T.toWire($L", model.classOf(t.id()).get(), value);
                for (CodeBlock arg : args) call.add(",$W$L", arg);
                return call.add(")").build();
            }
            case INTERFACE:
                if (model.classOf(t.id()).isEmpty()) return value;
                return CodeBlock.of("$T.toWire($L)", model.classOf(t.id()).get(), value);
            case PARAMETER:
                if (g.binds(t)) return CodeBlock.of("$L.apply($L)", Generics.encoder(g.names().get(t.parameterIndex())), value);
                return value;
            default: return value;
        }
    }

    /** A lambda decoding one element (or type argument) of type {@code t}. */
    CodeBlock decoder(TypeRef t, Generics g) {
        String w = "w" + depth++;
        try {
            return CodeBlock.of("$L -> $L", w, decode(t, CodeBlock.of("$L", w), null, g));
        } finally {
            depth--;
        }
    }

    /** A lambda encoding one element (or type argument) of type {@code t}. */
    CodeBlock encoder(TypeRef t, Generics g) {
        String v = "v" + depth++;
        try {
            return CodeBlock.of("$L -> $L", v, encode(t, CodeBlock.of("$L", v), g));
        } finally {
            depth--;
        }
    }

    private List<CodeBlock> typeArguments(TypeRef t, Generics g, boolean decode) {
        StructDecl decl = model.declarations.struct(t.id());
        List<CodeBlock> out = new ArrayList<>();
        for (int i = 0; i < decl.common().typeParameters().size(); i++) {
            if (i < t.arguments().size()) {
                out.add(decode ? decoder(t.arguments().get(i), g) : encoder(t.arguments().get(i), g));
            } else {
                out.add(CodeBlock.of("$T.identity()", FUNCTION));
            }
        }
        return out;
    }

    /** The Java literal of a default (or zero) value, for builders' initial values and consts. */
    CodeBlock literal(TypeRef t, Object value, Generics g) {
        switch (t.kind()) {
            case BOOL: return CodeBlock.of("$L", value != null && (Boolean) value);
            case INT8: return CodeBlock.of("(byte) $L", longValue(value));
            case INT16: return CodeBlock.of("(short) $L", longValue(value));
            case INT32: case UINT8: case UINT16: return CodeBlock.of("$L", (int) longValue(value));
            case INT64: case UINT32: case UINT64: return longLiteral(value);
            case FLOAT32: return floatLiteral(value);
            case FLOAT64: return doubleLiteral(value);
            case TEXT: return CodeBlock.of("$S", value instanceof String s ? s : "");
            case ENUM:
                if (value instanceof String s && model.classOf(t.id()).isPresent()) {
                    return CodeBlock.of("$T.$L", model.classOf(t.id()).get(), enumConstant(t, s));
                }
                return decode(t, CodeBlock.of("null"), null, g);
            default: return decode(t, CodeBlock.of("null"), value, g);
        }
    }

    private static CodeBlock bytes(byte[] value) {
        CodeBlock.Builder b = CodeBlock.builder().add("new byte[] {");
        for (int i = 0; i < value.length; i++) b.add(i == 0 ? "$L" : ", $L", value[i]);
        return b.add("}").build();
    }

    /** The name of an enumerant's Java constant, for a const or a default of an enum type. */
    String enumConstant(TypeRef t, String enumerant) {
        EnumDecl decl = model.declarations.enumDecl(t.id());
        return decl.enumerants().stream().filter(e -> e.name().equals(enumerant)).findFirst()
                .map(e -> Names.constant(e.name())).orElseThrow();
    }

    private static long longValue(Object value) {
        if (value instanceof BigInteger b) return b.longValue();
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static CodeBlock longLiteral(Object value) {
        long v = longValue(value);
        if (v == Long.MIN_VALUE) return CodeBlock.of("$T.MIN_VALUE", Long.class);
        if (value instanceof BigInteger b) return CodeBlock.of("$LL /* $L */", v, b);
        return CodeBlock.of("$LL", v);
    }

    private static CodeBlock floatLiteral(Object value) {
        float f = value == null ? 0f : ((Number) value).floatValue();
        if (Float.isNaN(f)) return CodeBlock.of("$T.NaN", Float.class);
        if (Float.isInfinite(f)) return CodeBlock.of(f > 0 ? "$T.POSITIVE_INFINITY" : "$T.NEGATIVE_INFINITY", Float.class);
        return CodeBlock.of("$Lf", Float.toString(f));
    }

    private static CodeBlock doubleLiteral(Object value) {
        double d = value == null ? 0.0 : ((Number) value).doubleValue();
        if (Double.isNaN(d)) return CodeBlock.of("$T.NaN", Double.class);
        if (Double.isInfinite(d)) return CodeBlock.of(d > 0 ? "$T.POSITIVE_INFINITY" : "$T.NEGATIVE_INFINITY", Double.class);
        return CodeBlock.of("$L", Double.toString(d));
    }

    /** True when the declaration a STRUCT type names is generic. */
    boolean isGeneric(Declaration d) {
        return !d.common().typeParameters().isEmpty();
    }
}
