package dev.mpjava.cli;

import dev.mpjava.InterfaceType;
import dev.mpjava.Schema;
import dev.mpjava.SchemaException;
import dev.mpjava.cli.Main.CliException;
import dev.mpjava.schema.Declaration;
import dev.mpjava.schema.Declarations;
import dev.mpjava.schema.FieldDecl;
import dev.mpjava.schema.InterfaceDecl;
import dev.mpjava.schema.MethodDecl;
import dev.mpjava.schema.StructDecl;
import dev.mpjava.schema.TypeRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A .capnp file given on the command line, loaded by the library's {@link Schema}
 * (Cap'n Proto's parser): its interfaces, method signatures and types come from
 * {@link Schema#declarations()}.
 */
final class SchemaFile implements AutoCloseable {
    /** The libmultiprocess types mpjava fills itself in every call: Proxy.Context and Proxy.ThreadMap. */
    private static final List<Long> PROTOCOL_TYPES = List.of(0x9c44e6645d0b22c6L, 0xee5e37179ad9dc9dL);

    private final Path path;
    private final Schema schema;
    private final Declarations declarations;

    private SchemaFile(Path path, Schema schema) {
        this.path = path;
        this.schema = schema;
        this.declarations = schema.declarations();
    }

    /** Loads {@code file}; usage errors for a missing file or import directory, SchemaException if it does not parse. */
    static SchemaFile load(Path file, List<Path> importPath) {
        if (!Files.isRegularFile(file)) throw new CliException(Main.USAGE, "no schema file " + file);
        for (Path dir : importPath) {
            if (!Files.isDirectory(dir)) throw new CliException(Main.USAGE, "no import directory " + dir);
        }
        return new SchemaFile(file, Schema.load(List.of(file), importPath));
    }

    Declarations declarations() {
        return declarations;
    }

    /** What the file itself declares, nested declarations included, in declaration order. */
    List<Declaration> declared() {
        return Declarations.walk(declarations.loadedFiles().get(0).declarations());
    }

    List<InterfaceDecl> interfaces() {
        return declared().stream().filter(InterfaceDecl.class::isInstance).map(InterfaceDecl.class::cast).toList();
    }

    /** The interface {@code name}; a usage error naming the file's interfaces if there is none. */
    InterfaceType interfaceType(String name) {
        try {
            return schema.interfaceType(name);
        } catch (SchemaException e) {
            throw new CliException(Main.USAGE, "no interface '" + name + "' in " + path + " (interfaces: "
                    + String.join(", ", interfaces().stream().map(Declaration::qualifiedName).toList()) + ")", e);
        }
    }

    /** The params struct of {@code method} of the interface named {@code name} (or of a superclass). */
    Optional<StructDecl> params(String name, String method) {
        Optional<Declaration> declared = declarations.find(name)
                .or(() -> declared().stream().filter(d -> d.name().equals(name)).findFirst());
        return declared.filter(InterfaceDecl.class::isInstance)
                .flatMap(d -> method((InterfaceDecl) d, method))
                .map(m -> declarations.struct(m.params().id()));
    }

    /** The method declared by {@code iface} or the interfaces it extends. */
    Optional<MethodDecl> method(InterfaceDecl iface, String name) {
        for (MethodDecl m : iface.methods()) {
            if (m.name().equals(name)) return Optional.of(m);
        }
        for (TypeRef parent : iface.superclasses()) {
            Optional<MethodDecl> found = method(declarations.interfaceDecl(parent.id()), name);
            if (found.isPresent()) return found;
        }
        return Optional.empty();
    }

    /** The struct a STRUCT type names, if it is in this schema. */
    Optional<StructDecl> struct(TypeRef type) {
        if (type == null || type.kind() != TypeRef.Kind.STRUCT) return Optional.empty();
        return declarations.byId(type.id()).filter(StructDecl.class::isInstance).map(StructDecl.class::cast);
    }

    static boolean filledByMpjava(FieldDecl field) {
        return PROTOCOL_TYPES.contains(field.type().id());
    }

    /**
     * A type as a schema writes it: primitives by name, List(T), declarations by their
     * qualified name, prefixed by their file's name when another file declares them
     * ("Proxy.Context" for proxy.capnp's Context).
     */
    String typeName(TypeRef type) {
        switch (type.kind()) {
            case LIST: return "List(" + typeName(type.element()) + ")";
            case ANY_POINTER: return "AnyPointer";
            case PARAMETER: return declarations.byId(type.id()).map(d -> d.common().typeParameters())
                    .filter(p -> type.parameterIndex() < p.size()).map(p -> p.get(type.parameterIndex())).orElse("T");
            case STRUCT: case ENUM: case INTERFACE: return declarationName(type);
            default: return primitiveName(type.kind());
        }
    }

    private String declarationName(TypeRef type) {
        Optional<Declaration> d = declarations.byId(type.id());
        if (d.isEmpty()) return "0x" + Long.toHexString(type.id());
        String name = d.get().qualifiedName();
        var file = declarations.fileOf(d.get());
        if (!file.loaded()) name = fileAlias(file.path()) + "." + name;
        if (!type.arguments().isEmpty()) {
            name += "(" + String.join(", ", type.arguments().stream().map(this::typeName).toList()) + ")";
        }
        return name;
    }

    /** "mp/proxy.capnp" -> "Proxy": the alias schemas conventionally import a file under. */
    private static String fileAlias(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1).replaceFirst("\\.capnp$", "");
        return base.isEmpty() ? path : Character.toUpperCase(base.charAt(0)) + base.substring(1);
    }

    private static String primitiveName(TypeRef.Kind kind) {
        String name = kind.name();
        if (name.startsWith("UINT")) return "UInt" + name.substring(4);
        if (name.startsWith("INT")) return "Int" + name.substring(3);
        if (name.startsWith("FLOAT")) return "Float" + name.substring(5);
        return name.charAt(0) + name.substring(1).toLowerCase();
    }

    @Override
    public void close() {
        schema.close();
    }
}
