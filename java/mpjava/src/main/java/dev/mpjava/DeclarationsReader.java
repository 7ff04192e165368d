package dev.mpjava;

import dev.mpjava.schema.AnnotationDecl;
import dev.mpjava.schema.AnnotationUse;
import dev.mpjava.schema.ConstDecl;
import dev.mpjava.schema.Declaration;
import dev.mpjava.schema.Declarations;
import dev.mpjava.schema.EnumDecl;
import dev.mpjava.schema.Enumerant;
import dev.mpjava.schema.FieldDecl;
import dev.mpjava.schema.InterfaceDecl;
import dev.mpjava.schema.MethodDecl;
import dev.mpjava.schema.SchemaFile;
import dev.mpjava.schema.StructDecl;
import dev.mpjava.schema.TypeRef;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads the declaration lines native code writes (format: native/include/mpjava/values/declarations.h)
 * into {@link Declarations}. Two passes: collect every node's facts, then link nesting.
 */
final class DeclarationsReader {
    private static final HexFormat HEX = HexFormat.of();

    /** A node's facts before its nested declarations are linked. */
    private static final class Node {
        String kind;
        long id;
        long fileId;
        long scopeId;
        String name;
        String qualifiedName;
        List<String> params = List.of();
        boolean group;
        int discriminants;
        final List<AnnotationUse> annotations = new ArrayList<>();
        final List<Long> nested = new ArrayList<>();
        // Built after the lines that follow them (their annotations) are read.
        final List<Supplier<FieldDecl>> fields = new ArrayList<>();
        final List<Supplier<Enumerant>> enumerants = new ArrayList<>();
        final List<Supplier<MethodDecl>> methods = new ArrayList<>();
        final List<TypeRef> superclasses = new ArrayList<>();
        TypeRef constType;
        Object constValue;
    }

    /** A file's facts before its declarations are linked. */
    private record FileLine(long id, boolean loaded, String path, List<Long> nested) {}

    private DeclarationsReader() {}

    static Declarations read(String text, List<String> loadOrder) {
        Map<Long, Node> nodes = new LinkedHashMap<>();
        List<FileLine> files = new ArrayList<>();
        List<Long> nestedTarget = null;
        List<AnnotationUse> annotationTarget = null;
        Node node = null;
        for (String line : text.split("\n")) {
            if (line.isEmpty()) continue;
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "F" -> {
                    FileLine file = new FileLine(id(f[1]), f[2].equals("1"), hexText(f[3]), new ArrayList<>());
                    files.add(file);
                    nestedTarget = file.nested();
                    node = null;
                }
                case "N" -> {
                    node = new Node();
                    node.id = id(f[1]);
                    node.kind = f[2];
                    node.fileId = id(f[3]);
                    node.scopeId = id(f[4]);
                    node.name = hexText(f[5]);
                    node.qualifiedName = hexText(f[6]);
                    if (!f[7].equals("-")) {
                        List<String> params = new ArrayList<>();
                        for (String p : f[7].split(",")) params.add(hexText(p));
                        node.params = params;
                    }
                    node.group = f[8].equals("1");
                    node.discriminants = Integer.parseInt(f[9]);
                    nodes.put(node.id, node);
                    nestedTarget = node.nested;
                    annotationTarget = node.annotations;
                }
                case "n" -> nestedTarget.add(id(f[1]));
                case "A" -> annotationTarget.add(new AnnotationUse(id(f[1]), hexText(f[2]), value(f[3])));
                case "D" -> {
                    List<AnnotationUse> annotations = new ArrayList<>();
                    FieldDecl partial = new FieldDecl(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                            Integer.parseInt(f[4]), type(f[6]), f[5].equals("1"), value(f[7]), List.of());
                    node.fields.add(() -> new FieldDecl(partial.name(), partial.codeOrder(), partial.ordinal(),
                            partial.discriminant(), partial.type(), partial.group(), partial.defaultValue(),
                            annotations));
                    annotationTarget = annotations;
                }
                case "E" -> {
                    List<AnnotationUse> annotations = new ArrayList<>();
                    String name = f[1];
                    int ordinal = Integer.parseInt(f[2]);
                    node.enumerants.add(() -> new Enumerant(name, ordinal, annotations));
                    annotationTarget = annotations;
                }
                case "M" -> {
                    List<AnnotationUse> annotations = new ArrayList<>();
                    String name = f[1];
                    int ordinal = Integer.parseInt(f[2]);
                    TypeRef params = type(f[3]);
                    TypeRef results = type(f[4]);
                    node.methods.add(() -> new MethodDecl(name, ordinal, params, results, annotations));
                    annotationTarget = annotations;
                }
                case "S" -> node.superclasses.add(type(f[1]));
                case "C" -> {
                    node.constType = type(f[1]);
                    node.constValue = value(f[2]);
                }
                default -> throw new IllegalStateException("unknown declaration line: " + line);
            }
        }
        return link(nodes, files, loadOrder);
    }

    /** Builds records bottom-up (a record's nested list is immutable), files in load order. */
    private static Declarations link(Map<Long, Node> nodes, List<FileLine> files, List<String> loadOrder) {
        Map<Long, Declaration> built = new HashMap<>();
        for (Long id : nodes.keySet()) build(id, nodes, built);
        List<SchemaFile> out = new ArrayList<>();
        for (FileLine file : files) {
            List<Declaration> top = new ArrayList<>();
            for (Long id : file.nested()) {
                Declaration d = built.get(id);
                if (d != null) top.add(d);
            }
            out.add(new SchemaFile(file.id(), file.path(), file.loaded(), top));
        }
        out.sort(Comparator.comparing((SchemaFile f) -> !f.loaded())
                .thenComparing(f -> f.loaded() ? loadIndex(f.path(), loadOrder) : 0)
                .thenComparing(SchemaFile::path));
        return new Declarations(out, new ArrayList<>(built.values()));
    }

    private static int loadIndex(String path, List<String> loadOrder) {
        for (int i = 0; i < loadOrder.size(); i++) {
            if (loadOrder.get(i).endsWith(path) || path.endsWith(loadOrder.get(i))) return i;
        }
        return loadOrder.size();
    }

    private static Declaration build(long id, Map<Long, Node> nodes, Map<Long, Declaration> built) {
        Declaration done = built.get(id);
        if (done != null) return done;
        Node n = nodes.get(id);
        if (n == null) return null;  // a nested node the parser never compiled
        List<Declaration> nested = new ArrayList<>();
        for (Long child : n.nested) {
            Declaration d = build(child, nodes, built);
            if (d != null) nested.add(d);
        }
        Declaration.Common common = new Declaration.Common(n.id, n.name, n.qualifiedName, n.scopeId, n.fileId,
                n.params, n.annotations, nested);
        Declaration d = switch (n.kind) {
            case "struct" -> new StructDecl(common, n.group, n.discriminants, built(n.fields));
            case "enum" -> new EnumDecl(common, built(n.enumerants));
            case "interface" -> new InterfaceDecl(common, built(n.methods), n.superclasses);
            case "const" -> new ConstDecl(common, n.constType, n.constValue);
            case "annotation" -> new AnnotationDecl(common, n.constType);
            default -> throw new IllegalStateException("unknown declaration kind " + n.kind);
        };
        built.put(id, d);
        return d;
    }

    private static <T> List<T> built(List<Supplier<T>> suppliers) {
        return suppliers.stream().map(Supplier::get).toList();
    }

    private static long id(String hex) {
        return Long.parseUnsignedLong(hex, 16);
    }

    private static String hexText(String hex) {
        return new String(HEX.parseHex(hex), StandardCharsets.UTF_8);
    }

    static Object value(String v) {
        if (v.equals("-")) return null;
        String rest = v.substring(1);
        return switch (v.charAt(0)) {
            case 'b' -> rest.equals("1");
            case 'i' -> Long.parseLong(rest);
            case 'u' -> {
                long bits = Long.parseUnsignedLong(rest);
                yield bits >= 0 ? (Object) bits : new BigInteger(rest);
            }
            case 'f' -> parseDouble(rest);
            case 't', 'x' -> hexText(rest);
            case 'd' -> HEX.parseHex(rest);
            case 'e' -> rest;
            default -> throw new IllegalStateException("unknown value " + v);
        };
    }

    private static double parseDouble(String text) {
        return switch (text) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    static TypeRef type(String text) {
        int[] pos = {0};
        TypeRef t = parseType(text, pos);
        if (pos[0] != text.length()) throw new IllegalStateException("bad type text " + text);
        return t;
    }

    private static TypeRef parseType(String s, int[] pos) {
        char c = s.charAt(pos[0]);
        if (c == '*') {
            pos[0]++;
            return new TypeRef(TypeRef.Kind.ANY_POINTER, 0, null, List.of(), -1);
        }
        if (s.startsWith("L(", pos[0])) {
            pos[0] += 2;
            TypeRef element = parseType(s, pos);
            pos[0]++;  // ')'
            return new TypeRef(TypeRef.Kind.LIST, 0, element, List.of(), -1);
        }
        if (c == 'p') {
            int end = scan(s, pos[0] + 1);
            String[] parts = s.substring(pos[0] + 1, end).split("\\.");
            pos[0] = end;
            return new TypeRef(TypeRef.Kind.PARAMETER, id(parts[0]), null, List.of(), Integer.parseInt(parts[1]));
        }
        if (c == 's' || c == 'e' || c == 'i') {
            int end = scanHex(s, pos[0] + 1);
            long id = id(s.substring(pos[0] + 1, end));
            pos[0] = end;
            List<TypeRef> args = new ArrayList<>();
            if (pos[0] < s.length() && s.charAt(pos[0]) == '<') {
                do {
                    pos[0]++;  // '<' or ','
                    args.add(parseType(s, pos));
                } while (s.charAt(pos[0]) == ',');
                pos[0]++;  // '>'
            }
            TypeRef.Kind kind = c == 's' ? TypeRef.Kind.STRUCT : c == 'e' ? TypeRef.Kind.ENUM : TypeRef.Kind.INTERFACE;
            return new TypeRef(kind, id, null, args, -1);
        }
        int end = scan(s, pos[0]);
        String name = s.substring(pos[0], end);
        pos[0] = end;
        return new TypeRef(primitive(name), 0, null, List.of(), -1);
    }

    private static TypeRef.Kind primitive(String name) {
        return switch (name) {
            case "Void" -> TypeRef.Kind.VOID;
            case "Bool" -> TypeRef.Kind.BOOL;
            case "Text" -> TypeRef.Kind.TEXT;
            case "Data" -> TypeRef.Kind.DATA;
            default -> TypeRef.Kind.valueOf(name.toUpperCase());
        };
    }

    private static int scan(String s, int from) {
        int i = from;
        while (i < s.length() && "<>,()".indexOf(s.charAt(i)) < 0) i++;
        return i;
    }

    private static int scanHex(String s, int from) {
        int i = from;
        while (i < s.length() && Character.digit(s.charAt(i), 16) >= 0) i++;
        return i;
    }
}
