package dev.mpjava.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The declarations of one .capnp file, read from its text. The library's {@code Schema}
 * checks the file and names an interface's methods, but it neither lists a file's
 * interfaces nor exposes field types; this reader fills that gap for display and for
 * turning command-line text into typed params. It is lenient: whatever it does not
 * understand it skips, since Cap'n Proto's own parser has already accepted the file.
 */
final class CapnpSource {
    /** A param, result or struct field: its name and its type as written. */
    record Field(String name, String type) {}

    /** A method; {@code params}/{@code results} are empty when a struct type is named instead. */
    record Method(String name, int ordinal, List<Field> params, List<Field> results, String paramsType,
            String resultsType) {}

    /** An interface; {@code name} is dotted for nested ones ("Outer.Inner"). */
    record Interface(String name, String id, List<String> superclasses, List<Method> methods) {
        Method method(String method) {
            for (Method m : methods) {
                if (m.name().equals(method)) return m;
            }
            return null;
        }
    }

    /** A struct or enum (the fields of an enum are its enumerants, with no type). */
    record Type(String kind, String name, String id, List<Field> fields) {}

    private final Map<String, Interface> interfaces = new LinkedHashMap<>();
    private final List<Type> types = new ArrayList<>();
    private final List<String> tokens;
    private int pos;

    private CapnpSource(List<String> tokens) {
        this.tokens = tokens;
    }

    /** Reads the declarations of {@code file}. */
    static CapnpSource read(Path file) throws IOException {
        CapnpSource source = new CapnpSource(tokenize(Files.readString(file)));
        source.scope("");
        return source;
    }

    /** Interfaces in declaration order, keyed by dotted name. */
    Map<String, Interface> interfaces() {
        return interfaces;
    }

    /** Structs and enums in declaration order. */
    List<Type> types() {
        return types;
    }

    /**
     * The interface named {@code name}, also by the short name a received capability
     * reports ("Inner" for "Outer.Inner"), or null.
     */
    Interface find(String name) {
        Interface exact = interfaces.get(name);
        if (exact != null) return exact;
        for (Interface i : interfaces.values()) {
            if (i.name().endsWith("." + name)) return i;
        }
        return null;
    }

    // ---- tokens: identifiers, numbers, @ids, strings, "->" and single punctuation ----

    private static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < n && text.charAt(i) != '\n') i++;
            } else if (c == '"') {
                int start = i++;
                while (i < n && text.charAt(i) != '"') i += text.charAt(i) == '\\' ? 2 : 1;
                out.add(text.substring(start, Math.min(n, ++i)));
            } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '>') {
                out.add("->");
                i += 2;
            } else if (c == '@' || Character.isLetterOrDigit(c) || c == '_') {
                int start = i++;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) i++;
                out.add(text.substring(start, i));
            } else {
                out.add(String.valueOf(c));
                i++;
            }
        }
        return out;
    }

    private String peek() {
        return pos < tokens.size() ? tokens.get(pos) : "";
    }

    private String next() {
        return pos < tokens.size() ? tokens.get(pos++) : "";
    }

    private boolean at(String token) {
        return peek().equals(token);
    }

    // Skips one balanced (...), [...] or {...}; pos is on the opening token.
    private void skipBalanced() {
        int depth = 0;
        do {
            String t = next();
            if (t.equals("(") || t.equals("[") || t.equals("{")) depth++;
            else if (t.equals(")") || t.equals("]") || t.equals("}")) depth--;
        } while (depth > 0 && pos < tokens.size());
    }

    // Skips a statement up to its ';', or up to and including its {...} body.
    private void skipStatement() {
        while (pos < tokens.size() && !at(";") && !at("}")) {
            if (at("{")) {
                skipBalanced();
                return;
            }
            if (at("(") || at("[")) skipBalanced();
            else next();
        }
        if (at(";")) next();
    }

    private static String id(String token) {
        return token.startsWith("@0x") ? token.substring(1) : null;
    }

    // ---- declarations ----

    /** Reads declarations until the closing '}' of the scope (or the end of the file). */
    private void scope(String prefix) {
        while (pos < tokens.size() && !at("}")) {
            String t = peek();
            if (t.equals("interface") || t.equals("struct") || t.equals("enum")) {
                next();
                declaration(t, prefix + next());
            } else {
                skipStatement();
            }
        }
    }

    private void declaration(String kind, String name) {
        String id = null;
        List<String> superclasses = new ArrayList<>();
        while (pos < tokens.size() && !at("{")) {
            if (peek().startsWith("@0x")) {
                id = id(next());
            } else if (at("extends")) {
                next();
                int close = pos;
                skipBalanced();
                superclasses.addAll(splitTopLevel(close + 1, pos - 1).stream().map(this::join).toList());
            } else if (at("(")) {
                skipBalanced();  // generic parameters, annotation arguments
            } else {
                next();
            }
        }
        next();  // '{'
        if (kind.equals("interface")) interfaceBody(name, id, superclasses);
        else typeBody(kind, name, id);
        next();  // '}'
    }

    private void interfaceBody(String name, String id, List<String> superclasses) {
        List<Method> methods = new ArrayList<>();
        interfaces.put(name, null);  // keeps declaration order ahead of nested interfaces
        while (pos < tokens.size() && !at("}")) {
            String t = peek();
            if (t.equals("interface") || t.equals("struct") || t.equals("enum")) {
                next();
                declaration(t, name + "." + next());
            } else if (pos + 1 < tokens.size() && tokens.get(pos + 1).matches("@\\d+")) {
                methods.add(method());
            } else {
                skipStatement();
            }
        }
        interfaces.put(name, new Interface(name, id, List.copyOf(superclasses), List.copyOf(methods)));
    }

    private Method method() {
        String name = next();
        int ordinal = Integer.parseInt(next().substring(1));
        List<Field> params = List.of();
        List<Field> results = List.of();
        String paramsType = null;
        String resultsType = null;
        if (at("(")) params = fieldList();
        else paramsType = typeText();
        if (at("->")) {
            next();
            if (at("(")) results = fieldList();
            else resultsType = typeText();
        }
        skipStatement();  // annotations, ';'
        return new Method(name, ordinal, params, results, paramsType, resultsType);
    }

    /** "(a :T, b :U = 1 $ann)" with pos on '('. */
    private List<Field> fieldList() {
        int open = pos;
        skipBalanced();
        List<Field> fields = new ArrayList<>();
        for (int[] range : splitTopLevel(open + 1, pos - 1)) {
            if (range[1] - range[0] >= 3 && tokens.get(range[0] + 1).equals(":")) {
                fields.add(new Field(tokens.get(range[0]), join(new int[] {range[0] + 2, typeEnd(range[0] + 2, range[1])})));
            }
        }
        return fields;
    }

    private void typeBody(String kind, String name, String id) {
        List<Field> fields = new ArrayList<>();
        int index = types.size();
        types.add(null);  // keeps declaration order ahead of nested types
        while (pos < tokens.size() && !at("}")) {
            String t = peek();
            if (t.equals("interface") || t.equals("struct") || t.equals("enum")) {
                next();
                declaration(t, name + "." + next());
            } else if (kind.equals("enum") && pos + 1 < tokens.size() && tokens.get(pos + 1).matches("@\\d+")) {
                fields.add(new Field(next(), null));
                skipStatement();
            } else if (pos + 2 < tokens.size() && tokens.get(pos + 1).matches("@\\d+") && tokens.get(pos + 2).equals(":")) {
                String field = next();
                pos += 2;
                fields.add(new Field(field, typeText()));
                skipStatement();
            } else {
                skipStatement();  // unions, groups, annotations: not listed
            }
        }
        types.set(index, new Type(kind, name, id, List.copyOf(fields)));
    }

    /** A type as written, from pos up to '=', '$', ';', ',', ')' or '{' at depth 0. */
    private String typeText() {
        int start = pos;
        int end = typeEnd(start, tokens.size());
        pos = end;
        return join(new int[] {start, end});
    }

    private int typeEnd(int from, int limit) {
        int depth = 0;
        int i = from;
        for (; i < limit; i++) {
            String t = tokens.get(i);
            if (t.equals("(")) depth++;
            else if (t.equals(")") && depth > 0) depth--;
            else if (depth == 0 && (t.equals("=") || t.equals("$") || t.equals(";") || t.equals(",")
                    || t.equals(")") || t.equals("{") || t.equals("->"))) break;
        }
        return i;
    }

    /** Token ranges [start, end) between top-level commas of tokens[from, to). */
    private List<int[]> splitTopLevel(int from, int to) {
        List<int[]> out = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            String t = tokens.get(i);
            if (t.equals("(") || t.equals("[")) depth++;
            else if (t.equals(")") || t.equals("]")) depth--;
            else if (t.equals(",") && depth == 0) {
                out.add(new int[] {start, i});
                start = i + 1;
            }
        }
        if (to > start) out.add(new int[] {start, to});
        return out;
    }

    private String join(int[] range) {
        StringBuilder out = new StringBuilder();
        for (int i = range[0]; i < range[1]; i++) {
            out.append(tokens.get(i));
            if (tokens.get(i).equals(",")) out.append(' ');
        }
        return out.toString();
    }
}
