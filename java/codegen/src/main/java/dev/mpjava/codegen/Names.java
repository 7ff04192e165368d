package dev.mpjava.codegen;

import java.util.Locale;
import java.util.Set;

/** Java spellings of Cap'n Proto names: keywords escaped, enum constants in UPPER_SNAKE. */
final class Names {
    /** Java keywords and literals, which capnp allows as names. */
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits",
            "_");

    /** Members every generated class has (java.lang.Object's and the records' own). */
    static final Set<String> OBJECT_MEMBERS = Set.of("equals", "hashCode", "toString", "getClass", "notify",
            "notifyAll", "wait", "clone", "finalize");

    private Names() {}

    /**
     * A member name: the capnp name, with {@code _} appended while it is a keyword or taken.
     *
     * @param capnp the schema's name
     * @param taken names this one must differ from
     * @return a legal, unused Java identifier
     */
    static String member(String capnp, Set<String> taken) {
        String name = capnp;
        while (KEYWORDS.contains(name) || taken.contains(name)) name = name + "_";
        return name;
    }

    /**
     * A type name: capnp type names are already UpperCamel; groups' field names are capitalized.
     *
     * @param capnp the name
     * @param taken names in the same scope
     * @return an unused type name
     */
    static String type(String capnp, Set<String> taken) {
        String name = capitalize(capnp);
        while (KEYWORDS.contains(name) || taken.contains(name)) name = name + "_";
        return name;
    }

    /** "fooBar" → "FooBar". */
    static String capitalize(String name) {
        return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** "fooBar" → "FOO_BAR", "http2Thing" → "HTTP2_THING"; an enum constant or a union member. */
    static String constant(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(name.charAt(i - 1))
                    && name.charAt(i - 1) != '_') {
                out.append('_');
            }
            out.append(Character.toUpperCase(c));
        }
        String result = out.toString().toUpperCase(Locale.ROOT);
        return KEYWORDS.contains(result) ? result + "_" : result;
    }
}
