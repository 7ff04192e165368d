package dev.mpjava.codegen;

import dev.mpjava.schema.Declaration;
import dev.mpjava.schema.Declarations;
import dev.mpjava.schema.FieldDecl;
import dev.mpjava.schema.InterfaceDecl;
import dev.mpjava.schema.MethodDecl;
import dev.mpjava.schema.SchemaFile;
import dev.mpjava.schema.StructDecl;
import dev.mpjava.schema.TypeRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The order generated code loads its schema files in: every file after the files whose
 * types it uses (so after what it imports), otherwise as given. The run-time loader
 * resolves an import when a lookup first needs it, which must not come after the
 * loader has let go of its copies.
 */
final class LoadOrder {
    private LoadOrder() {}

    static List<SchemaFile> of(Declarations declarations, List<SchemaFile> files) {
        Set<Long> ids = new HashSet<>();
        for (SchemaFile f : files) ids.add(f.id());
        Set<SchemaFile> out = new LinkedHashSet<>();
        for (SchemaFile f : files) visit(declarations, f, ids, out, new HashSet<>());
        return new ArrayList<>(out);
    }

    private static void visit(Declarations declarations, SchemaFile file, Set<Long> ids, Set<SchemaFile> out,
            Set<Long> visiting) {
        if (out.contains(file) || !visiting.add(file.id())) return;  // done, or an import cycle
        for (long used : usedFiles(declarations, file)) {
            if (used == file.id() || !ids.contains(used)) continue;
            for (SchemaFile f : declarations.files()) {
                if (f.id() == used) visit(declarations, f, ids, out, visiting);
            }
        }
        out.add(file);
    }

    /** The files of every type a file's declarations mention (fields, params, results, superclasses). */
    private static Set<Long> usedFiles(Declarations declarations, SchemaFile file) {
        Set<Long> out = new HashSet<>();
        for (Declaration d : Declarations.walk(file.declarations())) {
            if (d instanceof StructDecl s) addFields(declarations, s, out);
            if (d instanceof InterfaceDecl i) {
                for (TypeRef sup : i.superclasses()) add(declarations, sup, out);
                for (MethodDecl m : i.methods()) {
                    addFields(declarations, declarations.struct(m.params().id()), out);
                    addFields(declarations, declarations.struct(m.results().id()), out);
                }
            }
        }
        return out;
    }

    private static void addFields(Declarations declarations, StructDecl struct, Set<Long> out) {
        for (FieldDecl f : struct.fields()) {
            if (f.group()) addFields(declarations, declarations.struct(f.type().id()), out);
            else add(declarations, f.type(), out);
        }
    }

    private static void add(Declarations declarations, TypeRef t, Set<Long> out) {
        if (t == null) return;
        if (t.kind() == TypeRef.Kind.STRUCT || t.kind() == TypeRef.Kind.ENUM || t.kind() == TypeRef.Kind.INTERFACE) {
            declarations.byId(t.id()).ifPresent(d -> out.add(d.common().fileId()));
        }
        add(declarations, t.element(), out);
        for (TypeRef arg : t.arguments()) add(declarations, arg, out);
    }
}
