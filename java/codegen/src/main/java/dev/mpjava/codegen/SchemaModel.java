package dev.mpjava.codegen;

import com.palantir.javapoet.ClassName;
import dev.mpjava.schema.Declaration;
import dev.mpjava.schema.Declarations;
import dev.mpjava.schema.EnumDecl;
import dev.mpjava.schema.FieldDecl;
import dev.mpjava.schema.InterfaceDecl;
import dev.mpjava.schema.MethodDecl;
import dev.mpjava.schema.SchemaFile;
import dev.mpjava.schema.StructDecl;
import dev.mpjava.schema.TypeRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Java names of a schema's declarations: one top-level class per top-level struct,
 * enum and interface of every generated file, nested ones nested, groups as records in
 * their struct, plus the schema holder. Answers the libmultiprocess questions too (which
 * fields are Proxy.Context, which methods exchange ThreadMaps).
 */
final class SchemaModel {
    /** Names the generator itself puts into generated classes, so nested capnp types avoid them. */
    static final Set<String> GENERATED_NESTED = Set.of("Client", "Builder", "Which", "Raised");

    final Declarations declarations;
    final String javaPackage;
    final ClassName holder;
    private final Map<Long, ClassName> classes = new HashMap<>();
    private final Map<Long, ClassName> constHolders = new HashMap<>();
    private final Set<Long> generatedFiles = new HashSet<>();
    private final Set<String> topLevel = new HashSet<>();

    SchemaModel(Declarations declarations, String javaPackage) {
        this.declarations = declarations;
        this.javaPackage = javaPackage;
        for (SchemaFile file : declarations.files()) {
            if (!isBundled(file)) generatedFiles.add(file.id());
        }
        for (SchemaFile file : generatedFiles()) {
            for (Declaration d : file.declarations()) topLevel.add(d.name());
        }
        this.holder = ClassName.get(javaPackage, Names.type("CapnpSchema", topLevel));
        topLevel.add(holder.simpleName());
        for (SchemaFile file : generatedFiles()) {
            Set<String> taken = new HashSet<>(Set.of(holder.simpleName()));
            for (Declaration d : file.declarations()) {
                if (!isType(d)) continue;
                ClassName name = ClassName.get(javaPackage, Names.type(d.name(), taken));
                taken.add(name.simpleName());
                name(d, name);
            }
        }
    }

    /**
     * Generated simple names that are also java.lang classes (a struct named String): every
     * generated file spells those java.lang classes out in full, as JavaPoet does not see
     * same-package classes.
     */
    Set<String> shadowedJavaLang() {
        Set<String> out = new java.util.TreeSet<>();
        for (ClassName c : classes.values()) {
            for (String simple : c.simpleNames()) {
                try {
                    Class.forName("java.lang." + simple, false, SchemaModel.class.getClassLoader());
                    out.add(simple);
                } catch (ClassNotFoundException notJavaLang) {
                    // not shadowing anything
                }
            }
        }
        return out;
    }

    /** The files whose types are generated: every loaded or imported file but the library's bundled ones. */
    List<SchemaFile> generatedFiles() {
        return declarations.files().stream().filter(f -> generatedFiles.contains(f.id())).toList();
    }

    /**
     * The library carries /mp/proxy.capnp and /capnp/*.capnp; their types are the library's
     * business. A file's path is its import path for a file found through an import
     * directory ("mp/proxy.capnp"), else its absolute path without the leading '/'.
     */
    static boolean isBundled(SchemaFile file) {
        String path = file.path().replace('\\', '/');
        return path.equals("mp/proxy.capnp") || path.startsWith("capnp/");
    }

    static boolean isType(Declaration d) {
        return d instanceof StructDecl || d instanceof EnumDecl || d instanceof InterfaceDecl;
    }

    private void name(Declaration d, ClassName name) {
        classes.put(d.id(), name);
        Set<String> taken = new HashSet<>(GENERATED_NESTED);
        for (String outer : name.simpleNames()) taken.add(outer);
        for (Declaration inner : d.common().nested()) {
            if (!isType(inner)) continue;
            ClassName nested = name.nestedClass(Names.type(inner.name(), taken));
            taken.add(nested.simpleName());
            name(inner, nested);
        }
        if (d instanceof StructDecl s) {
            for (FieldDecl f : s.fields()) {
                if (!f.group()) continue;
                ClassName group = name.nestedClass(Names.type(f.name(), taken));
                taken.add(group.simpleName());
                name(declarations.struct(f.type().id()), group);
            }
        }
        if (d instanceof InterfaceDecl i) {
            for (MethodDecl m : i.methods()) {
                StructDecl results = declarations.struct(m.results().id());
                if (MethodShape.needsRecord(this, results)) {
                    ClassName record = name.nestedClass(Names.type(m.name() + "Results", taken));
                    taken.add(record.simpleName());
                    classes.put(results.id(), record);
                }
            }
        }
    }

    /**
     * The class generated for a declaration.
     *
     * @return its name, or empty for a type of a bundled file (used dynamically)
     */
    Optional<ClassName> classOf(long id) {
        return Optional.ofNullable(classes.get(id));
    }

    ClassName classOf(Declaration d) {
        ClassName name = classes.get(d.id());
        if (name == null) throw new IllegalStateException("no class for " + d.qualifiedName());
        return name;
    }

    /** Where a file's top-level consts go: a class named after the file ("calculator.capnp" → CalculatorConsts). */
    ClassName constHolder(SchemaFile file) {
        return constHolders.computeIfAbsent(file.id(), id -> {
            String base = file.path().replaceAll(".*/", "").replaceAll("\\.capnp$", "");
            StringBuilder camel = new StringBuilder();
            for (String part : base.split("[^A-Za-z0-9]+")) camel.append(Names.capitalize(part));
            String name = Names.type(camel + "Consts", topLevel);
            topLevel.add(name);
            return ClassName.get(javaPackage, name);
        });
    }

    /** True for a field of type Proxy.Context: mpjava fills it, generated signatures leave it out. */
    boolean isContext(TypeRef type) {
        return isProxyStruct(type, "Context");
    }

    /** True for Proxy.ThreadMap, exchanged by construct-like methods that the library calls itself. */
    boolean isThreadMap(TypeRef type) {
        return type.kind() == TypeRef.Kind.INTERFACE && declarations.byId(type.id())
                .filter(d -> d.name().equals("ThreadMap") && isBundled(declarations.fileOf(d))).isPresent();
    }

    private boolean isProxyStruct(TypeRef type, String name) {
        return type.kind() == TypeRef.Kind.STRUCT && declarations.byId(type.id())
                .filter(d -> d.name().equals(name) && isBundled(declarations.fileOf(d))).isPresent();
    }

    /** Methods the typed API leaves to the library: ThreadMap exchange and destroy (close / onClose). */
    boolean isHidden(MethodDecl method) {
        if (method.name().equals("destroy")) return true;
        StructDecl params = declarations.struct(method.params().id());
        return params.fields().stream().anyMatch(f -> isThreadMap(f.type()));
    }

    /** Own and inherited methods, superclasses' first, each once (diamonds). */
    List<Inherited> allMethods(InterfaceDecl decl) {
        List<Inherited> out = new ArrayList<>();
        collect(decl, out, new HashSet<>());
        return out;
    }

    /** A method and the interface that declares it. */
    record Inherited(InterfaceDecl owner, MethodDecl method) {}

    private void collect(InterfaceDecl decl, List<Inherited> out, Set<Long> seen) {
        if (!seen.add(decl.id())) return;
        for (TypeRef sup : decl.superclasses()) collect(declarations.interfaceDecl(sup.id()), out, seen);
        for (MethodDecl m : decl.methods()) out.add(new Inherited(decl, m));
    }

    /** Fields that carry data: Proxy.Context and ThreadMap fields are the library's. */
    List<FieldDecl> dataFields(StructDecl struct) {
        return struct.fields().stream().filter(f -> !isContext(f.type()) && !isThreadMap(f.type())).toList();
    }
}
