package dev.mpjava.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * The schema holder: loads the generated files' schemas from the class path once, on
 * first use, and hands out their interface types; plus the small conversions every
 * generated type shares (kept here so each generated file stays short).
 */
final class HolderWriter {
    private static final ClassName SCHEMA = ClassName.get("dev.mpjava", "Schema");
    private static final ClassName INTERFACE_TYPE = ClassName.get("dev.mpjava", "InterfaceType");

    private HolderWriter() {}

    static TypeSpec write(ClassName name, List<String> resources) {
        TypeSpec.Builder t = TypeSpec.classBuilder(name).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("The schema of the generated types, loaded from the class path on first use:\n")
                .addJavadoc("$L.\n", String.join(",\n", resources.stream().map(r -> "{@code " + r + "}").toList()));
        CodeBlock.Builder list = CodeBlock.builder();
        for (String r : resources) list.add(list.isEmpty() ? "\n$S" : ",\n$S", r);
        t.addField(FieldSpec.builder(String[].class, "RESOURCES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("{$>$>$L$<$<}", list.build()).build());
        t.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        // The holder idiom: the JVM loads Lazy (and the schema) once, on the first schema() call.
        t.addType(TypeSpec.classBuilder("Lazy").addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addField(FieldSpec.builder(SCHEMA, "SCHEMA", Modifier.STATIC, Modifier.FINAL)
                        .initializer("$T.loadResources($T.class.getClassLoader(), RESOURCES)", SCHEMA, name).build())
                .build());
        t.addMethod(MethodSpec.methodBuilder("schema").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(SCHEMA)
                .addJavadoc("The schema, for the dynamic API; loaded once and never closed.\n\n@return the schema\n")
                .addStatement("return Lazy.SCHEMA").build());
        t.addMethod(MethodSpec.methodBuilder("interfaceType").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(INTERFACE_TYPE).addParameter(String.class, "qualifiedName")
                .addJavadoc("An interface of the schema.\n\n@param qualifiedName its dotted name in its file\n"
                        + "@return the type\n")
                .addStatement("return Lazy.SCHEMA.interfaceType(qualifiedName)").build());
        t.addType(TypeSpec.interfaceBuilder("TypedClient").addModifiers(Modifier.PUBLIC)
                .addJavadoc("What every generated {@code Client} is: a wrapper of a dynamic client.\n")
                .addMethod(MethodSpec.methodBuilder("dynamic").addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
                        .returns(Codecs.DYNAMIC_CLIENT)
                        .addJavadoc("The dynamic client this one calls through: the escape hatch to the dynamic API.\n\n"
                                + "@return the client\n").build())
                .build());
        t.addMethod(MethodSpec.methodBuilder("closeServer").addModifiers(Modifier.STATIC)
                .addParameter(AutoCloseable.class, "server")
                .addJavadoc("Closes a server object whose capability ended; runs on a native thread, so it only logs.\n")
                .beginControlFlow("try").addStatement("server.close()")
                .nextControlFlow("catch ($T e)", Exception.class)
                .addStatement("$T.getLogger($S)$W.log($T.Level.WARNING,$W$S + server,$We)", System.class, "dev.mpjava.server",
                        System.Logger.class, "closing a server object failed: ")
                .endControlFlow().build());
        addConversions(t);
        return t.build();
    }

    private static void addConversions(TypeSpec.Builder t) {
        TypeVariableName e = TypeVariableName.get("T");
        ClassName function = Codecs.FUNCTION;
        t.addMethod(helper("fieldsOf", ParameterizedTypeName.get(Map.class, String.class, Object.class))
                .addParameter(Object.class, "wire")
                .addStatement("return wire == null ? $T.of() : (($T) wire).toMap()", Map.class, Codecs.STRUCT_VALUE).build());
        t.addMethod(helper("whichOf", ClassName.get(String.class)).addParameter(Object.class, "wire")
                .addStatement("return wire == null ? null : (($T) wire).which()", Codecs.STRUCT_VALUE).build());
        t.addMethod(helper("asBool", TypeName.BOOLEAN).addParameter(Object.class, "wire").addParameter(boolean.class, "dflt")
                .addStatement("return wire == null ? dflt : ($T) wire", Boolean.class).build());
        t.addMethod(helper("asLong", TypeName.LONG).addParameter(Object.class, "wire").addParameter(long.class, "dflt")
                .addComment("A UInt64 above Long.MAX_VALUE arrives as a BigInteger: longValue() keeps its 64 bits")
                .addStatement("return wire == null ? dflt : (($T) wire).longValue()", Number.class).build());
        t.addMethod(helper("asDouble", TypeName.DOUBLE).addParameter(Object.class, "wire").addParameter(double.class, "dflt")
                .addStatement("return wire == null ? dflt : (($T) wire).doubleValue()", Number.class).build());
        t.addMethod(helper("asText", ClassName.get(String.class)).addParameter(Object.class, "wire")
                .addParameter(String.class, "dflt").addStatement("return wire == null ? dflt : ($T) wire", String.class).build());
        t.addMethod(helper("asData", TypeName.get(byte[].class)).addParameter(Object.class, "wire")
                .addParameter(byte[].class, "dflt")
                .addStatement("return wire != null ? (byte[]) wire : dflt != null ? dflt : new byte[0]").build());
        t.addMethod(helper("asList", ParameterizedTypeName.get(ClassName.get(List.class), e)).addTypeVariable(e)
                .addParameter(Object.class, "wire")
                .addParameter(ParameterizedTypeName.get(function, ClassName.OBJECT, e), "element")
                .addStatement("if (wire == null) return $T.of()", List.class)
                .addStatement("$T<$T> out = new $T<>()", List.class, e, ArrayList.class)
                .addStatement("for (Object item : ($T<?>) wire) out.add(element.apply(item))", List.class)
                .addStatement("return $T.unmodifiableList(out)", Collections.class).build());
        t.addMethod(helper("toWire", ParameterizedTypeName.get(List.class, Object.class)).addTypeVariable(e)
                .addParameter(ParameterizedTypeName.get(ClassName.get(List.class), e), "list")
                .addParameter(ParameterizedTypeName.get(function, WildcardTypeName.supertypeOf(e), ClassName.OBJECT), "element")
                .addStatement("if (list == null) return null")
                .addStatement("$T<Object> out = new $T<>(list.size())", List.class, ArrayList.class)
                .addStatement("for ($T item : list) out.add(element.apply(item))", e)
                .addStatement("return out").build());
        t.addMethod(helper("immutable", ParameterizedTypeName.get(ClassName.get(List.class), e)).addTypeVariable(e)
                .addParameter(ParameterizedTypeName.get(ClassName.get(List.class), e), "list")
                .addStatement("return list == null ? $T.of() : $T.unmodifiableList(new $T<>(list))", List.class,
                        Collections.class, ArrayList.class).build());
        t.addMethod(helper("unsigned", ClassName.OBJECT).addParameter(long.class, "bits")
                .addComment("UInt64 in Java: the long's 64 bits, as Long.toUnsignedString reads them")
                .addStatement("return bits >= 0 ? (Object) bits : new $T($T.toUnsignedString(bits))", BigInteger.class,
                        Long.class).build());
    }

    private static MethodSpec.Builder helper(String name, TypeName returns) {
        return MethodSpec.methodBuilder(name).addModifiers(Modifier.STATIC).returns(returns);
    }
}
