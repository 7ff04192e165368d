package dev.mpjava;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Schemas read from the class path (or a stream) for a {@link Schema}: Cap'n Proto's parser
 * reads files, so each schema and everything it imports or embeds is copied, under its
 * class-path name, into a private directory that is the load's import path; the directory
 * is deleted when the schema closes (the parser reads an imported file when a name first
 * reaches it, not at load). Absolute imports ({@code /a/b.capnp}) are class-path
 * names; relative ones are relative to the importing file. The bundled
 * {@code /mp/proxy.capnp} and {@code /capnp/c++.capnp} need not be on the class path.
 */
final class ClassPathSchemas implements AutoCloseable {
    private static final Set<String> BUNDLED = Set.of("mp/proxy.capnp", "capnp/c++.capnp");

    private final ClassLoader loader;
    private final Path root;
    private final Set<String> copied = new HashSet<>();
    private final Deque<String> pending = new ArrayDeque<>();

    ClassPathSchemas(ClassLoader loader) {
        this.loader = loader != null ? loader : ClassLoader.getSystemClassLoader();
        try {
            this.root = Files.createTempDirectory("mpjava-classpath-schemas");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for class-path schemas", e);
        }
    }

    Path root() {
        return root;
    }

    /** Copies a class-path schema and what it imports; returns its copy. */
    Path add(String resource) {
        String name = normalize(resource);
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) throw new SchemaException("schema resource not found on the class path: " + name);
            return add(in, name);
        } catch (IOException e) {
            throw new SchemaException("cannot read schema resource " + name + ": " + e.getMessage());
        }
    }

    /** Copies a schema read from {@code in} as {@code name}, and what it imports; returns its copy. */
    Path add(InputStream in, String name) {
        String normalized = normalize(name);
        try {
            write(normalized, in.readAllBytes());
            copyImports();
        } catch (IOException e) {
            throw new SchemaException("cannot read schema " + normalized + ": " + e.getMessage());
        }
        return root.resolve(normalized);
    }

    /** A parser message with the private directory replaced by the class path it mirrors. */
    String describe(String message) {
        String dir = root.toAbsolutePath() + "/";
        return message.replace(dir, "classpath:/").replace(dir.substring(1), "classpath:/");
    }

    private void write(String name, byte[] content) throws IOException {
        if (!copied.add(name)) return;
        Path target = root.resolve(name);
        Files.createDirectories(target.getParent());
        Files.write(target, content);
        String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/') + 1) : "";
        for (String ref : references(new String(content, StandardCharsets.UTF_8))) {
            String resolved = ref.startsWith("/") ? normalize(ref) : normalize(parent + ref);
            if (!BUNDLED.contains(resolved) && !copied.contains(resolved)) pending.add(resolved);
        }
    }

    /** Copies every referenced file found on the class path; a missing one is the parser's to report. */
    private void copyImports() throws IOException {
        while (!pending.isEmpty()) {
            String name = pending.poll();
            if (copied.contains(name)) continue;
            try (InputStream in = loader.getResourceAsStream(name)) {
                if (in != null) write(name, in.readAllBytes());
            }
        }
    }

    /** The files named by {@code import "..."} and {@code embed "..."}, outside comments. */
    static List<String> references(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder code = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!inString && c == '#') {
                while (i < text.length() && text.charAt(i) != '\n') i++;
                code.append('\n');
                continue;
            }
            if (c == '"' && (i == 0 || text.charAt(i - 1) != '\\')) inString = !inString;
            code.append(c);
        }
        var matcher = java.util.regex.Pattern.compile("\\b(?:import|embed)\\s+\"([^\"]+)\"").matcher(code);
        while (matcher.find()) out.add(matcher.group(1));
        return out;
    }

    private static String normalize(String name) {
        Path p = Path.of(name.startsWith("/") ? name.substring(1) : name).normalize();
        if (p.startsWith("..") || p.toString().isEmpty()) {
            throw new SchemaException("schema name outside the class path: " + name);
        }
        return p.toString().replace('\\', '/');
    }

    @Override
    public void close() {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
