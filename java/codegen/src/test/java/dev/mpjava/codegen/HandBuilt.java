package dev.mpjava.codegen;

import dev.mpjava.schema.AnnotationUse;
import dev.mpjava.schema.Declaration;
import dev.mpjava.schema.Declaration.Common;
import dev.mpjava.schema.Declarations;
import dev.mpjava.schema.EnumDecl;
import dev.mpjava.schema.Enumerant;
import dev.mpjava.schema.FieldDecl;
import dev.mpjava.schema.InterfaceDecl;
import dev.mpjava.schema.MethodDecl;
import dev.mpjava.schema.SchemaFile;
import dev.mpjava.schema.StructDecl;
import dev.mpjava.schema.TypeRef;
import dev.mpjava.schema.TypeRef.Kind;
import java.util.ArrayList;
import java.util.List;

/** Declarations built by hand, to test naming and mapping without the schema loader. */
final class HandBuilt {
    static final long FILE = 0x100, PROXY = 0x200;
    final List<Declaration> all = new ArrayList<>();

    static TypeRef of(Kind kind) {
        return new TypeRef(kind, 0, null, List.of(), -1);
    }

    static TypeRef ref(Kind kind, long id) {
        return new TypeRef(kind, id, null, List.of(), -1);
    }

    static TypeRef list(TypeRef element) {
        return new TypeRef(Kind.LIST, 0, element, List.of(), -1);
    }

    static FieldDecl field(String name, int ordinal, TypeRef type) {
        return new FieldDecl(name, ordinal, ordinal, -1, type, false, null, List.of());
    }

    static FieldDecl field(String name, int ordinal, TypeRef type, Object dflt, AnnotationUse... annotations) {
        return new FieldDecl(name, ordinal, ordinal, -1, type, false, dflt, List.of(annotations));
    }

    static FieldDecl member(String name, int ordinal, int discriminant, TypeRef type) {
        return new FieldDecl(name, ordinal, ordinal, discriminant, type, false, null, List.of());
    }

    static FieldDecl group(String name, int codeOrder, long groupId) {
        return new FieldDecl(name, codeOrder, -1, -1, ref(Kind.STRUCT, groupId), true, null, List.of());
    }

    static Common common(long id, String name, String qualified, long scope, long file, List<Declaration> nested) {
        return new Common(id, name, qualified, scope, file, List.of(), List.of(), nested);
    }

    StructDecl struct(long id, String qualified, long file, int discriminants, List<Declaration> nested, FieldDecl... fields) {
        StructDecl s = new StructDecl(common(id, qualified.replaceAll(".*\\.", ""), qualified, file, file, nested), false,
                discriminants, List.of(fields));
        all.add(s);
        return s;
    }

    StructDecl groupDecl(long id, String qualified, int discriminants, FieldDecl... fields) {
        StructDecl s = new StructDecl(common(id, qualified.replaceAll(".*\\.", ""), qualified, FILE, FILE, List.of()), true,
                discriminants, List.of(fields));
        all.add(s);
        return s;
    }

    MethodDecl method(long ifaceId, String name, int ordinal, List<FieldDecl> params, List<FieldDecl> results) {
        long p = ifaceId * 100 + ordinal * 2, r = p + 1;
        all.add(new StructDecl(common(p, name + "$Params", name + "$Params", ifaceId, FILE, List.of()), false, 0, params));
        all.add(new StructDecl(common(r, name + "$Results", name + "$Results", ifaceId, FILE, List.of()), false, 0, results));
        return new MethodDecl(name, ordinal, ref(Kind.STRUCT, p), ref(Kind.STRUCT, r), List.of());
    }

    InterfaceDecl iface(long id, String name, List<TypeRef> supers, MethodDecl... methods) {
        InterfaceDecl i = new InterfaceDecl(common(id, name, name, FILE, FILE, List.of()), List.of(methods), supers);
        all.add(i);
        return i;
    }

    /** A callbacks.capnp-like schema: a hub with capabilities, a $Proxy.exception result, a union struct and an enum. */
    static Declarations sample() {
        HandBuilt b = new HandBuilt();
        StructDecl context = b.struct(0x201, "Context", PROXY, 0, List.of());
        InterfaceDecl threadMap = new InterfaceDecl(common(0x202, "ThreadMap", "ThreadMap", PROXY, PROXY, List.of()),
                List.of(), List.of());
        b.all.add(threadMap);
        FieldDecl ctx = field("context", 0, ref(Kind.STRUCT, context.id()));
        EnumDecl color = new EnumDecl(common(0x10, "Color", "Color", FILE, FILE, List.of()),
                List.of(new Enumerant("red", 0, List.of()), new Enumerant("darkGreen", 1, List.of())));
        b.all.add(color);
        StructDecl point = b.groupDecl(0x12, "Shape.point", 0, field("x", 1, of(Kind.INT32)), field("y", 2, of(Kind.UINT32)));
        StructDecl shape = b.struct(0x11, "Shape", FILE, 2, List.of(),
                field("color", 0, ref(Kind.ENUM, color.id()), "darkGreen"), group("point", 1, point.id()),
                member("circle", 3, 0, of(Kind.VOID)), member("radius", 4, 1, of(Kind.FLOAT64)),
                field("class", 5, of(Kind.TEXT), "hi"), field("tags", 6, list(of(Kind.TEXT))),
                field("big", 7, of(Kind.UINT64), new java.math.BigInteger("18446744073709551615")),
                field("hasBig", 8, of(Kind.BOOL)), field("blob", 9, of(Kind.DATA)));
        StructDecl failure = b.struct(0x13, "Failure", FILE, 0, List.of(), field("name", 0, of(Kind.TEXT)),
                field("code", 1, of(Kind.INT32)));
        InterfaceDecl callback = b.iface(0x20, "Callback", List.of(),
                b.method(0x20, "destroy", 0, List.of(ctx), List.of()),
                b.method(0x20, "call", 1, List.of(ctx, field("arg", 1, of(Kind.INT32))),
                        List.of(field("result", 0, of(Kind.INT32)))));
        b.iface(0x21, "Hub", List.of(),
                b.method(0x21, "construct", 0, List.of(field("threadMap", 0, ref(Kind.INTERFACE, threadMap.id()))),
                        List.of(field("threadMap", 0, ref(Kind.INTERFACE, threadMap.id())))),
                b.method(0x21, "callback", 1, List.of(ctx, field("cb", 1, ref(Kind.INTERFACE, callback.id())),
                        field("arg", 2, of(Kind.INT32))), List.of(field("result", 0, of(Kind.INT32)))),
                b.method(0x21, "raise", 2, List.of(ctx, field("name", 1, of(Kind.TEXT))),
                        List.of(field("error", 0, ref(Kind.STRUCT, failure.id()), null,
                                new AnnotationUse(0x300, "exception", "Failure")))),
                b.method(0x21, "getTip", 3, List.of(ctx), List.of(field("result", 0, ref(Kind.STRUCT, shape.id())),
                        field("hasResult", 1, of(Kind.BOOL)))),
                b.method(0x21, "slow", 4, List.of(field("millis", 0, of(Kind.UINT32))),
                        List.of(field("start", 0, of(Kind.INT64)), field("end", 1, of(Kind.INT64)))),
                b.method(0x21, "close", 5, List.of(), List.of()),
                b.method(0x21, "makeCallback", 6, List.of(), List.of(field("result", 0, ref(Kind.INTERFACE, callback.id())))));
        List<Declaration> top = b.all.stream().filter(d -> d.common().scopeId() == FILE && d.common().fileId() == FILE
                && !(d instanceof StructDecl s && (s.group() || s.name().contains("$")))).toList();
        SchemaFile file = new SchemaFile(FILE, "tmp/sample.capnp", true, top);
        SchemaFile proxy = new SchemaFile(PROXY, "mp/proxy.capnp", false, List.of(context, threadMap));
        return new Declarations(List.of(file, proxy), b.all);
    }
}
