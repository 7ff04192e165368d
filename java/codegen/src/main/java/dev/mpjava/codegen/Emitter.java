package dev.mpjava.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.mpjava.codegen.Codecs.Generics;
import dev.mpjava.schema.ConstDecl;
import dev.mpjava.schema.Declaration;
import dev.mpjava.schema.Declarations;
import dev.mpjava.schema.EnumDecl;
import dev.mpjava.schema.FieldDecl;
import dev.mpjava.schema.InterfaceDecl;
import dev.mpjava.schema.MethodDecl;
import dev.mpjava.schema.SchemaFile;
import dev.mpjava.schema.StructDecl;
import dev.mpjava.schema.TypeRef;
import java.util.HashSet;
import java.util.Set;
import javax.lang.model.element.Modifier;

/** Builds the Java type of one declaration with everything nested in it (types, groups, consts). */
final class Emitter {
    private static final ClassName REMOTE_EXCEPTION = ClassName.get("dev.mpjava", "RemoteException");

    private final SchemaModel model;
    private final Codecs codecs;
    private final StructWriter structs;
    private final InterfaceWriter interfaces;
    /** Structs some method raises with {@code $Proxy.exception}: they get a {@code Raised} exception. */
    private final Set<Long> raisedStructs = new HashSet<>();

    Emitter(SchemaModel model) {
        this.model = model;
        this.codecs = new Codecs(model);
        this.structs = new StructWriter(model, codecs);
        this.interfaces = new InterfaceWriter(model, codecs, structs);
        for (SchemaFile file : model.generatedFiles()) {
            for (Declaration d : Declarations.walk(file.declarations())) {
                if (!(d instanceof InterfaceDecl i)) continue;
                for (MethodDecl m : i.methods()) {
                    for (FieldDecl f : model.declarations.struct(m.results().id()).fields()) {
                        if (MethodShape.isException(f) && f.type().kind() == TypeRef.Kind.STRUCT) {
                            raisedStructs.add(f.type().id());
                        }
                    }
                }
            }
        }
    }

    /** The type of a struct, enum or interface, nested declarations included. */
    TypeSpec type(Declaration d) {
        return type(d, false);
    }

    private TypeSpec type(Declaration d, boolean nested) {
        ClassName name = model.classOf(d);
        CodeBlock doc = Docs.of(d, model.declarations.fileOf(d));
        TypeSpec.Builder type;
        if (d instanceof StructDecl s) {
            type = struct(name, s, doc);
        } else if (d instanceof EnumDecl e) {
            type = EnumWriter.write(name, e, doc);
        } else {
            type = interfaces.write(name, (InterfaceDecl) d, doc);
        }
        if (nested) type.addModifiers(Modifier.STATIC);
        // On the builder: TypeSpec.toBuilder() drops a record's components.
        else if (!model.shadowedJavaLang().isEmpty()) type.alwaysQualify(model.shadowedJavaLang().toArray(String[]::new));
        boolean isInterface = d instanceof InterfaceDecl;
        for (Declaration inner : d.common().nested()) {
            if (SchemaModel.isType(inner)) type.addType(type(inner, true));
            else if (inner instanceof ConstDecl c) constField(c, isInterface).ifPresent(type::addField);
        }
        return type.build();
    }

    private TypeSpec.Builder struct(ClassName name, StructDecl s, CodeBlock doc) {
        TypeSpec.Builder type = structs.record(name, s, Members.of(s.fields(), Members.hasUnion(s), Set.of()),
                Members.hasUnion(s), doc);
        for (FieldDecl f : s.fields()) {
            if (f.group()) type.addType(type(model.declarations.struct(f.type().id()), true));
        }
        if (raisedStructs.contains(s.id())) type.addType(raised(name));
        return type;
    }

    /** The exception a server throws, and a client catches, for a {@code $Proxy.exception} field of this struct. */
    private TypeSpec raised(ClassName struct) {
        ClassName name = struct.nestedClass("Raised");
        return TypeSpec.classBuilder(name).addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .superclass(REMOTE_EXCEPTION)
                .addJavadoc("A {@code $$Proxy.exception} error carrying a {@link $T}: servers throw it to set the "
                        + "result field, clients catch it.\n", struct)
                .addField(FieldSpec.builder(long.class, "serialVersionUID", Modifier.PRIVATE, Modifier.STATIC,
                        Modifier.FINAL).initializer("1L").build())
                .addField(struct, "error", Modifier.PRIVATE, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC).addParameter(struct, "error")
                        .addJavadoc("An error to raise.\n\n@param error the value the caller receives\n")
                        .addStatement("super($T.Type.FAILED, $S + error)", REMOTE_EXCEPTION, "raised ")
                        .addStatement("this.error = error").build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC).addParameter(struct, "error")
                        .addParameter(Throwable.class, "cause")
                        .addJavadoc("An error received.\n\n@param error the value the peer raised\n"
                                + "@param cause the dynamic API's exception\n")
                        .addStatement("this(error)").addStatement("initCause(cause)").build())
                .addMethod(MethodSpec.methodBuilder("error").addModifiers(Modifier.PUBLIC).returns(struct)
                        .addJavadoc("The error value.\n\n@return it\n").addStatement("return error").build())
                .build();
    }

    /** A const as a static final field; struct and list consts (given as Cap'n Proto text) are left out. */
    java.util.Optional<FieldSpec> constField(ConstDecl c, boolean inInterface) {
        TypeRef t = c.type();
        boolean literal = t.isPrimitive() || t.kind() == TypeRef.Kind.TEXT || t.kind() == TypeRef.Kind.DATA;
        if (!literal || t.kind() == TypeRef.Kind.VOID) return java.util.Optional.empty();
        TypeName type = codecs.javaType(t, Generics.NONE);
        return java.util.Optional.of(FieldSpec.builder(type, Names.constant(c.name()), Modifier.PUBLIC, Modifier.STATIC,
                        Modifier.FINAL)
                .addJavadoc("Cap'n Proto const <code>$L</code>, id <code>0x$L</code>.\n", Docs.escape(c.qualifiedName()),
                        Long.toHexString(c.id()))
                .initializer(codecs.literal(t, c.value(), Generics.NONE)).build());
    }
}
