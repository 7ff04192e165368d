package dev.mpjava.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a schema declares, indexed by id: its loaded files, the files they import,
 * and every declaration in them (groups and implicit param/result structs included).
 * Immutable; it stays readable after its schema is closed.
 */
public final class Declarations {
    private final List<SchemaFile> files;
    private final Map<Long, Declaration> byId;
    private final Map<Long, SchemaFile> fileById;

    /**
     * Indexes files and declarations (the schema builds this; tools only read it).
     *
     * @param files the files, loaded ones first
     * @param all every declaration, including groups and implicit structs
     */
    public Declarations(List<SchemaFile> files, List<Declaration> all) {
        this.files = List.copyOf(files);
        this.byId = new HashMap<>();
        for (Declaration d : all) byId.put(d.id(), d);
        this.fileById = new HashMap<>();
        for (SchemaFile f : files) fileById.put(f.id(), f);
    }

    /**
     * Every file, those loaded explicitly first (in load order), then imported ones.
     *
     * @return an immutable list
     */
    public List<SchemaFile> files() {
        return files;
    }

    /**
     * The files passed to {@code Schema.load}, in load order.
     *
     * @return an immutable list
     */
    public List<SchemaFile> loadedFiles() {
        return files.stream().filter(SchemaFile::loaded).toList();
    }

    /**
     * The declaration with this id.
     *
     * @param id a declaration's id
     * @return it, or empty
     */
    public Optional<Declaration> byId(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * The struct (or group) with this id.
     *
     * @param id a struct's id
     * @return the struct
     * @throws IllegalArgumentException if no struct has this id
     */
    public StructDecl struct(long id) {
        return as(id, StructDecl.class);
    }

    /**
     * The enum with this id.
     *
     * @param id an enum's id
     * @return the enum
     * @throws IllegalArgumentException if no enum has this id
     */
    public EnumDecl enumDecl(long id) {
        return as(id, EnumDecl.class);
    }

    /**
     * The interface with this id.
     *
     * @param id an interface's id
     * @return the interface
     * @throws IllegalArgumentException if no interface has this id
     */
    public InterfaceDecl interfaceDecl(long id) {
        return as(id, InterfaceDecl.class);
    }

    /**
     * The file a declaration belongs to.
     *
     * @param declaration a declaration of this schema
     * @return its file
     */
    public SchemaFile fileOf(Declaration declaration) {
        SchemaFile file = fileById.get(declaration.common().fileId());
        if (file == null) throw new IllegalArgumentException(declaration.qualifiedName() + " is not in this schema");
        return file;
    }

    /**
     * The declaration with this dotted name ("Outer.Inner"), searched in loaded files
     * first, then in imported ones.
     *
     * @param qualifiedName the name within its file
     * @return it, or empty
     */
    public Optional<Declaration> find(String qualifiedName) {
        for (SchemaFile file : files) {
            for (Declaration d : walk(file.declarations())) {
                if (d.qualifiedName().equals(qualifiedName)) return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * Every declaration reachable by nesting from these, depth first, parents before children.
     *
     * @param roots top-level or nested declarations
     * @return a new list
     */
    public static List<Declaration> walk(List<Declaration> roots) {
        List<Declaration> out = new ArrayList<>();
        for (Declaration d : roots) {
            out.add(d);
            out.addAll(walk(d.common().nested()));
        }
        return out;
    }

    private <T extends Declaration> T as(long id, Class<T> type) {
        Declaration d = byId.get(id);
        if (!type.isInstance(d)) {
            throw new IllegalArgumentException("no " + type.getSimpleName() + " with id 0x" + Long.toHexString(id)
                    + (d == null ? "" : " (it is " + d.getClass().getSimpleName() + " " + d.qualifiedName() + ")"));
        }
        return type.cast(d);
    }
}
