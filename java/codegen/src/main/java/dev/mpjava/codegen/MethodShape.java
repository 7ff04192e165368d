package dev.mpjava.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.mpjava.codegen.Members.Member;
import dev.mpjava.schema.FieldDecl;
import dev.mpjava.schema.MethodDecl;
import dev.mpjava.schema.StructDecl;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How a method looks in Java: its params without Proxy.Context; its results as nothing
 * (void), one value (the only data field, whatever its name), or a record; its
 * {@code $Proxy.exception} fields as exceptions instead of results.
 */
final class MethodShape {
    /** Names of locals and fields in generated method bodies, which params must not shadow. */
    private static final Set<String> BODY_NAMES = Set.of("dynamic", "wire", "params", "results", "fields", "impl",
            "value", "implementation");

    final MethodDecl method;
    final StructDecl paramsDecl;
    final StructDecl resultsDecl;
    final List<Member> params;
    final List<Member> results;
    final List<FieldDecl> exceptions;

    MethodShape(SchemaModel model, MethodDecl method) {
        this.method = method;
        this.paramsDecl = model.declarations.struct(method.params().id());
        this.resultsDecl = model.declarations.struct(method.results().id());
        this.params = Members.of(model.dataFields(paramsDecl), false, BODY_NAMES, false);
        this.exceptions = model.dataFields(resultsDecl).stream().filter(MethodShape::isException).toList();
        this.results = resultMembers(model, resultsDecl);
    }

    private static List<Member> resultMembers(SchemaModel model, StructDecl results) {
        List<FieldDecl> data = model.dataFields(results).stream().filter(f -> !isException(f)).toList();
        return Members.of(data, false, Set.of());
    }

    /** A results struct that needs a generated record: two or more values. */
    static boolean needsRecord(SchemaModel model, StructDecl results) {
        return resultMembers(model, results).stream().filter(Member::isComponent).count() >= 2;
    }

    /** A result field marked {@code $Proxy.exception}: set by the server to raise a typed error. */
    static boolean isException(FieldDecl field) {
        return field.annotations().stream().anyMatch(a -> a.name().equals("exception"));
    }

    boolean isVoid() {
        return results.stream().noneMatch(Member::isComponent);
    }

    boolean isSingle() {
        return results.stream().filter(Member::isComponent).count() == 1;
    }

    Member single() {
        return results.stream().filter(Member::isComponent).findFirst().orElseThrow();
    }

    /** The Java exception class for an exception field: its struct's {@code Raised}, when generated. */
    static Optional<ClassName> raisedClass(SchemaModel model, FieldDecl field) {
        if (field.type().kind() != dev.mpjava.schema.TypeRef.Kind.STRUCT) return Optional.empty();
        return model.classOf(field.type().id()).map(c -> c.nestedClass("Raised"));
    }

    /** The server-side return type (the client narrows a capability to its Client). */
    TypeName returnType(SchemaModel model, StructWriter structs) {
        if (isVoid()) return TypeName.VOID;
        if (isSingle()) return structs.componentType(single(), Codecs.Generics.NONE);
        return model.classOf(resultsDecl.id()).orElseThrow();
    }
}
