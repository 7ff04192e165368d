package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SchemaDeclarationsTest {
    static final Path DIR = Path.of("src/test/capnp/decl");
    static Schema schema;
    static Declarations decls;

    @BeforeAll
    static void load() {
        schema = Schema.load(DIR.resolve("shapes.capnp"));
        decls = schema.declarations();
    }

    @AfterAll
    static void close() {
        schema.close();
    }

    static StructDecl struct(String name) {
        return (StructDecl) decls.find(name).orElseThrow(() -> new AssertionError("no " + name));
    }

    static FieldDecl field(StructDecl s, String name) {
        return s.fields().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void loadedFileComesFirstAndListsItsTopLevelDeclarationsInOrder() {
        SchemaFile file = decls.files().get(0);
        assertTrue(file.loaded());
        assertTrue(file.path().endsWith("shapes.capnp"), file.path());
        assertEquals(0xc4a1d2e3f4051627L, file.id());
        assertEquals(List.of("note", "maxSides", "greeting", "origin", "Kind", "Point", "Box", "Shape", "Drawer",
                "FancyDrawer"), file.declarations().stream().map(Declaration::name).toList());
        assertEquals(List.of(file), decls.loadedFiles());
    }

    @Test
    void importedFilesAreListedWithTheDeclarationsTheLoadedFileUses() {
        SchemaFile units = decls.files().stream().filter(f -> f.path().endsWith("units.capnp")).findFirst()
                .orElseThrow();
        assertFalse(units.loaded());
        StructDecl length = (StructDecl) decls.find("Length").orElseThrow();
        assertSame(units, decls.fileOf(length));
        assertEquals(TypeRef.Kind.FLOAT64, length.fields().get(0).type().kind());
        StructDecl context = (StructDecl) decls.find("Context").orElseThrow();
        assertTrue(decls.fileOf(context).path().endsWith("mp/proxy.capnp"), decls.fileOf(context).path());
    }

    @Test
    void fieldsCarryOrdinalsTypesAndDefaults() {
        StructDecl shape = struct("Shape");
        FieldDecl kind = field(shape, "kind");
        assertEquals(0, kind.ordinal());
        assertEquals(TypeRef.Kind.ENUM, kind.type().kind());
        assertEquals("square", kind.defaultValue());
        assertEquals(new BigInteger("18446744073709551615"), field(shape, "big").defaultValue());
        assertEquals(0.5, field(shape, "ratio").defaultValue());
        assertArrayEquals(new byte[] {0x0a, (byte) 0xff}, (byte[]) field(shape, "blob").defaultValue());
        assertEquals(7L, field(struct("Point"), "x").defaultValue());
        assertEquals(0L, field(struct("Point"), "y").defaultValue());
        FieldDecl corners = field(shape, "corners");
        assertEquals(TypeRef.Kind.LIST, corners.type().kind());
        assertEquals(struct("Point").id(), corners.type().element().id());
        assertEquals("[(x = 1, y = 0), (x = 7, y = 2)]", corners.defaultValue());
        assertEquals(decls.struct(decls.find("Length").orElseThrow().id()).id(), field(shape, "size").type().id());
    }

    @Test
    void unionMembersHaveDiscriminantsAndGroupsTheirOwnStruct() {
        StructDecl shape = struct("Shape");
        assertEquals(2, shape.discriminantCount());
        assertEquals(0, field(shape, "plain").discriminant());
        assertEquals(1, field(shape, "tagged").discriminant());
        assertFalse(field(shape, "kind").inUnion());
        FieldDecl style = field(shape, "style");
        assertTrue(style.group());
        assertEquals(-1, style.ordinal());
        StructDecl group = decls.struct(style.type().id());
        assertTrue(group.group());
        assertEquals(3L, field(group, "color").defaultValue());
        assertEquals(true, field(group, "thick").defaultValue());
        assertEquals(List.of("Nested"), shape.common().nested().stream().map(Declaration::name).toList());
        assertEquals("Shape.Nested", shape.common().nested().get(0).qualifiedName());
    }

    @Test
    void genericsKeepTheirParametersAndBoundArguments() {
        StructDecl box = struct("Box");
        assertEquals(List.of("T"), box.common().typeParameters());
        TypeRef value = field(box, "value").type();
        assertEquals(TypeRef.Kind.PARAMETER, value.kind());
        assertEquals(box.id(), value.id());
        assertEquals(0, value.parameterIndex());
        TypeRef boxed = field(struct("Shape"), "boxed").type();
        assertEquals(box.id(), boxed.id());
        assertEquals(List.of(TypeRef.Kind.TEXT), boxed.arguments().stream().map(TypeRef::kind).toList());
    }

    @Test
    void interfacesListMethodsSuperclassesAndAnnotations() {
        InterfaceDecl drawer = (InterfaceDecl) decls.find("Drawer").orElseThrow();
        InterfaceDecl fancy = (InterfaceDecl) decls.find("FancyDrawer").orElseThrow();
        assertEquals(List.of(drawer.id()), fancy.superclasses().stream().map(TypeRef::id).toList());
        MethodDecl draw = drawer.methods().get(0);
        assertEquals("draw", draw.name());
        StructDecl params = decls.struct(draw.params().id());
        assertEquals("draw$Params", params.name());
        assertEquals(List.of("context", "shape"), params.fields().stream().map(FieldDecl::name).toList());
        MethodDecl fancyMethod = fancy.methods().get(0);
        FieldDecl result = decls.struct(fancyMethod.results().id()).fields().get(0);
        assertEquals("answer", result.annotations().get(0).value());
        assertEquals("note", result.annotations().get(0).name());
        TypeRef boxes = decls.struct(fancyMethod.params().id()).fields().get(0).type();
        assertEquals(struct("Point").id(), boxes.element().arguments().get(0).id());
    }

    @Test
    void constsEnumsAndAnnotationDeclarationsCarryTheirValues() {
        assertEquals(12L, ((ConstDecl) decls.find("maxSides").orElseThrow()).value());
        assertEquals("hi\tthere", ((ConstDecl) decls.find("greeting").orElseThrow()).value());
        assertEquals("(x = 1, y = -2)", ((ConstDecl) decls.find("origin").orElseThrow()).value());
        EnumDecl kind = (EnumDecl) decls.find("Kind").orElseThrow();
        assertEquals(List.of("circle", "square"), kind.enumerants().stream().map(e -> e.name()).toList());
        assertEquals("box", kind.enumerants().get(1).annotations().get(0).value());
    }

    @Test
    void declarationsStayReadableAfterCloseButCannotBeFirstReadThen() {
        Schema other = Schema.load(DIR.resolve("units.capnp"));
        other.close();
        assertThrows(ClosedException.class, other::declarations);
        Schema again = Schema.load(DIR.resolve("units.capnp"));
        Declarations read = again.declarations();
        again.close();
        assertEquals(List.of("Length", "Unused", "Ruler"),
                read.files().get(0).declarations().stream().map(Declaration::name).toList());
    }
}
