package dev.mpjava.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import dev.mpjava.codegen.Codecs.Generics;
import dev.mpjava.codegen.Members.Member;
import dev.mpjava.schema.StructDecl;
import dev.mpjava.schema.TypeRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * A struct (or group, or a method's results) as an immutable record: absent fields read as
 * their defaults, {@code fromWire}/{@code toWire} convert to and from the dynamic API, a
 * {@code Builder} starts from the defaults, a union adds a {@code which} component.
 */
final class StructWriter {
    private final SchemaModel model;
    private final Codecs codecs;

    StructWriter(SchemaModel model, Codecs codecs) {
        this.model = model;
        this.codecs = codecs;
    }

    /** The record of a struct or group, without nested declarations (the caller adds those). */
    TypeSpec.Builder record(ClassName name, StructDecl decl, List<Member> members, boolean union, CodeBlock doc) {
        Generics g = decl.common().typeParameters().isEmpty() ? Generics.NONE
                : new Generics(decl.id(), decl.common().typeParameters());
        List<TypeVariableName> vars = g.names().stream().map(TypeVariableName::get).toList();
        TypeName self = vars.isEmpty() ? name : ParameterizedTypeName.get(name, vars.toArray(TypeName[]::new));
        ClassName which = name.nestedClass("Which");

        TypeSpec.Builder type = TypeSpec.recordBuilder(name).addModifiers(Modifier.PUBLIC).addTypeVariables(vars)
                .addJavadoc(doc).addJavadoc(componentDocs(members, union, vars));
        MethodSpec.Builder ctor = MethodSpec.compactConstructorBuilder().addModifiers(Modifier.PUBLIC)
                .addJavadoc("Null arguments become the defaults; lists are copied.\n").addJavadoc(componentDocs(members, union, List.of()));
        if (union) {
            ctor.addParameter(which, "which");
            ctor.addStatement("which = which == null ? $T.$L : which", which, defaultMember(members));
        }
        for (Member m : members) {
            if (!m.isComponent()) continue;
            ctor.addParameter(componentType(m, g), m.name());
            CodeBlock normalized = normalize(m, g);
            if (normalized != null) ctor.addStatement("$N = $L", m.name(), normalized);
        }
        type.recordConstructor(ctor.build());
        if (union) type.addType(whichEnum(which, members));

        if (vars.isEmpty()) {
            type.addField(FieldSpec.builder(name, "DEFAULT", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("Every field at its default, as a reader sees an absent struct.\n")
                    .initializer("fromWire(null)").build());
        }
        type.addMethod(fromWire(self, members, union, g, vars, which));
        type.addMethod(toWire(self, members, union, g, vars));
        addBuilder(type, name, self, members, union, g, which);
        if (members.stream().anyMatch(m -> m.isComponent() && !m.isOptional() && m.field().type().kind() == TypeRef.Kind.DATA)) {
            addArrayEquality(type, name, members, union);
        }
        return type;
    }

    /** Data components are byte[]: compare and hash their contents, as the other components are. */
    private static void addArrayEquality(TypeSpec.Builder type, ClassName name, List<Member> members, boolean union) {
        CodeBlock.Builder equal = CodeBlock.builder();
        CodeBlock.Builder hash = CodeBlock.builder();
        if (union) {
            equal.add("which == other.which");
            hash.add("which");
        }
        for (Member m : members) {
            if (!m.isComponent()) continue;
            boolean array = !m.isOptional() && m.field().type().kind() == TypeRef.Kind.DATA;
            boolean primitive = m.field().type().isPrimitive() && !m.isOptional()
                    && m.field().type().kind() != TypeRef.Kind.ENUM;
            if (!equal.isEmpty()) equal.add("\n&& ");
            if (!hash.isEmpty()) hash.add(", ");
            if (array) {
                equal.add("$T.equals($N, other.$N)", java.util.Arrays.class, m.name(), m.name());
                hash.add("$T.hashCode($N)", java.util.Arrays.class, m.name());
            } else if (primitive) {
                equal.add("$T.equals($N, other.$N)", java.util.Objects.class, m.name(), m.name());
                hash.add("$N", m.name());
            } else {
                equal.add("$T.equals($N, other.$N)", java.util.Objects.class, m.name(), m.name());
                hash.add("$N", m.name());
            }
        }
        type.addMethod(MethodSpec.methodBuilder("equals").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(boolean.class).addParameter(Object.class, "o")
                .addStatement("if (!(o instanceof $T other)) return false", name)
                .addCode("return $[$L$];\n", equal.build()).build());
        type.addMethod(MethodSpec.methodBuilder("hashCode").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(int.class).addStatement("return $T.hash($L)", java.util.Objects.class, hash.build()).build());
    }

    private static CodeBlock componentDocs(List<Member> members, boolean union, List<TypeVariableName> vars) {
        CodeBlock.Builder doc = CodeBlock.builder().add("\n");
        for (TypeVariableName v : vars) doc.add("@param <$L> type parameter {@code $L}\n", v.name(), v.name());
        if (union) doc.add("@param which the union member that is set\n");
        for (Member m : members) {
            if (!m.isComponent()) continue;
            doc.add("@param $L field {@code $L}$L$L\n", m.name(), m.field().name(),
                    m.field().ordinal() >= 0 ? " @" + m.field().ordinal() : " (group)",
                    m.isOptional() ? ", empty unless {@code " + m.has().name() + "}" : "");
        }
        return doc.build();
    }

    TypeName componentType(Member m, Generics g) {
        TypeName t = m.field().group() ? model.classOf(m.field().type().id()).orElseThrow()
                : codecs.javaType(m.field().type(), g);
        return m.isOptional() ? ParameterizedTypeName.get(ClassName.get(Optional.class), t.box()) : t;
    }

    /** Null arguments become the defaults (collections copied), so a record never holds null but for a capability. */
    private CodeBlock normalize(Member m, Generics g) {
        String n = m.name();
        if (m.isOptional()) return CodeBlock.of("$N == null ? $T.empty() : $N", n, Optional.class, n);
        TypeRef t = m.field().type();
        switch (t.kind()) {
            case TEXT: case DATA: case ENUM:
                return CodeBlock.of("$N == null ? $L : $N", n, codecs.literal(t, m.field().defaultValue(), g), n);
            case STRUCT:
                if (codecs.isGeneric(model.declarations.struct(t.id()))) return null;
                return CodeBlock.of("$N == null ? $L : $N", n, codecs.decode(t, CodeBlock.of("null"), null, g), n);
            case LIST: return CodeBlock.of("$T.immutable($N)", model.holder, n);
            default: return null;
        }
    }

    private static String defaultMember(List<Member> members) {
        return members.stream().filter(m -> m.unionConstant() != null)
                .min((a, b) -> Integer.compare(a.field().discriminant(), b.field().discriminant()))
                .orElseThrow().unionConstant();
    }

    private TypeSpec whichEnum(ClassName which, List<Member> members) {
        TypeSpec.Builder e = TypeSpec.enumBuilder(which).addModifiers(Modifier.PUBLIC)
                .addJavadoc("The union's members; {@code which()} says which one is set.\n");
        List<Member> union = new ArrayList<>(members.stream().filter(m -> m.unionConstant() != null).toList());
        union.sort((a, b) -> Integer.compare(a.field().discriminant(), b.field().discriminant()));
        for (Member m : union) {
            e.addEnumConstant(m.unionConstant(), TypeSpec.anonymousClassBuilder("$S", m.field().name())
                    .addJavadoc("Field {@code $L}.\n", m.field().name()).build());
        }
        e.addField(String.class, "wireName", Modifier.PRIVATE, Modifier.FINAL);
        e.addMethod(MethodSpec.constructorBuilder().addParameter(String.class, "wireName")
                .addStatement("this.wireName = wireName").build());
        e.addMethod(MethodSpec.methodBuilder("fromWire").addModifiers(Modifier.STATIC)
                .addJavadoc("The member the dynamic API named; the first one for an absent struct.\n")
                .returns(which).addParameter(Object.class, "wire")
                .addStatement("$T name = $T.whichOf(wire)", String.class, model.holder)
                .addStatement("if (name == null) return $L", union.get(0).unionConstant())
                .beginControlFlow("for ($T member : values())", which)
                .addStatement("if (member.wireName.equals(name)) return member")
                .endControlFlow()
                .addStatement("throw new $T($S + name)", IllegalArgumentException.class, "unknown union member: ")
                .build());
        return e.build();
    }

    private MethodSpec fromWire(TypeName self, List<Member> members, boolean union, Generics g,
            List<TypeVariableName> vars, ClassName which) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("fromWire").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addTypeVariables(vars).returns(self).addParameter(Object.class, "wire")
                .addJavadoc("The value of a {@code StructValue} from the dynamic API; null gives the defaults.\n\n"
                        + "@param wire a {@code StructValue}, or null\n");
        for (String v : g.names()) {
            m.addParameter(ParameterizedTypeName.get(Codecs.FUNCTION, ClassName.OBJECT, TypeVariableName.get(v)),
                    Generics.decoder(v));
            m.addJavadoc("@param $L converts a {@code $L} value\n", Generics.decoder(v), v);
        }
        m.addJavadoc("@return the record\n");
        m.addStatement("$T<$T, Object> fields = $T.fieldsOf(wire)", Map.class, String.class, model.holder);
        CodeBlock.Builder args = CodeBlock.builder();
        if (union) args.add("$T.fromWire(wire)", which);
        for (Member member : members) {
            if (!member.isComponent()) continue;
            if (!args.isEmpty()) args.add(",\n");
            args.add(decodeMember(member, CodeBlock.of("fields"), g));
        }
        m.addCode("return new $T$L(\n$>$>$L$<$<);\n", self instanceof ParameterizedTypeName ? ((ParameterizedTypeName) self).rawType() : self,
                vars.isEmpty() ? "" : "<>", args.build());
        return m.build();
    }

    /** Reads one member from a map of dynamic fields. */
    CodeBlock decodeMember(Member m, CodeBlock fields, Generics g) {
        CodeBlock wire = CodeBlock.of("$L.get($S)", fields, m.field().name());
        CodeBlock value = codecs.decode(m.field().type(), wire, m.field().defaultValue(), g);
        if (!m.isOptional()) return value;
        return CodeBlock.of("$T.asBool($L.get($S), false)$W? $T.of($L)$W: $T.empty()", model.holder, fields,
                m.has().name(), Optional.class, value, Optional.class);
    }

    private MethodSpec toWire(TypeName self, List<Member> members, boolean union, Generics g,
            List<TypeVariableName> vars) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("toWire").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addTypeVariables(vars).returns(Codecs.STRUCT_BUILDER).addParameter(self, "value")
                .addJavadoc("The value as the dynamic API's params, for {@code StructBuilder.set}.\n\n"
                        + "@param value the record, or null for an absent struct\n");
        for (String v : g.names()) {
            m.addParameter(ParameterizedTypeName.get(Codecs.FUNCTION,
                    com.palantir.javapoet.WildcardTypeName.supertypeOf(TypeVariableName.get(v)), ClassName.OBJECT),
                    Generics.encoder(v));
            m.addJavadoc("@param $L converts a {@code $L} value\n", Generics.encoder(v), v);
        }
        m.addJavadoc("@return a new builder, or null\n");
        m.addStatement("if (value == null) return null");
        m.addStatement("$T wire = new $T()", Codecs.STRUCT_BUILDER, Codecs.STRUCT_BUILDER);
        for (Member member : members) {
            if (member.unionConstant() != null) m.beginControlFlow("if (value.which() == Which.$L)", member.unionConstant());
            CodeBlock get = CodeBlock.of("value.$N()", member.name());
            m.addCode(encodeMember(member, CodeBlock.of("wire"), get, g));
            if (member.unionConstant() != null) m.endControlFlow();
        }
        return m.addStatement("return wire").build();
    }

    /** Sets one member on a StructBuilder (plain lines: it also goes inside lambdas within statements). */
    CodeBlock encodeMember(Member m, CodeBlock builder, CodeBlock get, Generics g) {
        String field = m.field().name();
        TypeRef t = m.field().type();
        if (!m.isComponent()) return CodeBlock.of("$L.setVoid($S);\n", builder, field);
        if (m.isOptional()) {
            return CodeBlock.builder().add("if ($L.isPresent()) {\n$>", get)
                    .add("$L.set($S, true);\n", builder, m.has().name())
                    .add("$L.set($S, $L);\n", builder, field, codecs.encode(t, CodeBlock.of("$L.get()", get), g))
                    .add("$<}\n").build();
        }
        return CodeBlock.of("$L.set($S, $L);\n", builder, field, codecs.encode(t, get, g));
    }

    private void addBuilder(TypeSpec.Builder type, ClassName name, TypeName self, List<Member> members,
            boolean union, Generics g, ClassName which) {
        List<TypeVariableName> vars = g.names().stream().map(TypeVariableName::get).toList();
        ClassName builderName = name.nestedClass("Builder");
        TypeName builder = vars.isEmpty() ? builderName
                : ParameterizedTypeName.get(builderName, vars.toArray(TypeName[]::new));
        TypeSpec.Builder b = TypeSpec.classBuilder(builderName).addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addTypeVariables(vars)
                .addJavadoc("Builds a {@link $T}, starting from the defaults or a copy$L.\n", name,
                        union ? "; setting a union member selects it" : "");
        if (union) b.addField(which, "which", Modifier.PRIVATE);
        CodeBlock.Builder copy = CodeBlock.builder();
        CodeBlock.Builder args = CodeBlock.builder();
        if (union) {
            copy.addStatement("this.which = from.which()");
            args.add("which");
        }
        for (Member m : members) {
            if (!m.isComponent()) {
                b.addMethod(MethodSpec.methodBuilder(m.name()).addModifiers(Modifier.PUBLIC).returns(builder)
                        .addJavadoc("Selects the Void member {@code $L}.\n\n@return this builder\n", m.field().name())
                        .addStatement("this.which = $T.$L", which, m.unionConstant()).addStatement("return this").build());
                continue;
            }
            TypeName t = componentType(m, g);
            b.addField(t, m.name(), Modifier.PRIVATE);
            copy.addStatement("this.$N = from.$N()", m.name(), m.name());
            if (!args.isEmpty()) args.add(", ");
            args.add("$N", m.name());
            MethodSpec.Builder setter = MethodSpec.methodBuilder(m.name()).addModifiers(Modifier.PUBLIC).returns(builder)
                    .addParameter(ParameterSpec.builder(t, m.name()).build())
                    .addJavadoc("Sets {@code $L}$L.\n\n@param $L the value\n@return this builder\n", m.field().name(),
                            m.unionConstant() != null ? " and selects it" : "", m.name())
                    .addStatement("this.$N = $N", m.name(), m.name());
            if (m.unionConstant() != null) setter.addStatement("this.which = $T.$L", which, m.unionConstant());
            b.addMethod(setter.addStatement("return this").build());
        }
        b.addMethod(MethodSpec.constructorBuilder().addParameter(self, "from").addCode(copy.build()).build());
        b.addMethod(MethodSpec.methodBuilder("build").addModifiers(Modifier.PUBLIC).returns(self)
                .addJavadoc("The record.\n\n@return a new record\n")
                .addStatement("return new $T$L($L)", name, vars.isEmpty() ? "" : "<>", args.build()).build());
        type.addType(b.build());

        MethodSpec.Builder start = MethodSpec.methodBuilder("builder").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addTypeVariables(vars).returns(builder);
        if (vars.isEmpty()) {
            start.addJavadoc("A builder starting from {@link #DEFAULT}.\n\n@return a new builder\n")
                    .addStatement("return new $T(DEFAULT)", builderName);
        } else {
            start.addJavadoc("A builder starting from nulls for the type parameters' fields and defaults for the rest.\n\n");
            for (TypeVariableName v : vars) start.addJavadoc("@param <$L> a type argument\n", v.name());
            start.addJavadoc("@return a new builder\n")
                    .addStatement("return new $T<>(new $T<>($L))", builderName, name, nulls(members, union));
        }
        type.addMethod(start.build());
        type.addMethod(MethodSpec.methodBuilder("toBuilder").addModifiers(Modifier.PUBLIC).returns(builder)
                .addJavadoc("A builder starting from this record's values.\n\n@return a new builder\n")
                .addStatement("return new $T$L(this)", builderName, vars.isEmpty() ? "" : "<>").build());
    }

    private CodeBlock nulls(List<Member> members, boolean union) {
        CodeBlock.Builder args = CodeBlock.builder();
        if (union) args.add("null");
        for (Member m : members) {
            if (!m.isComponent()) continue;
            if (!args.isEmpty()) args.add(", ");
            args.add(m.field().type().isPrimitive() && !m.isOptional() ? codecs.literal(m.field().type(), m.field().defaultValue(), Generics.NONE) : CodeBlock.of("null"));
        }
        return args.build();
    }
}
