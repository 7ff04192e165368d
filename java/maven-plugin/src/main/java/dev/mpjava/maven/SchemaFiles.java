package dev.mpjava.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The schema files of a directory chosen by Ant-style patterns, as Maven's own includes and
 * excludes work: {@code **} any number of directories, {@code *} any characters but
 * {@code /}, {@code ?} one of them; a pattern ending in {@code /} means everything below.
 */
final class SchemaFiles {
    private SchemaFiles() {}

    /**
     * The regular files under {@code root} that match an include and no exclude, sorted by
     * their path relative to {@code root} (so the generator sees them in a stable order).
     */
    static List<Path> select(Path root, List<String> includes, List<String> excludes) throws IOException {
        List<Pattern> in = compile(includes);
        List<Pattern> out = compile(excludes);
        List<Path> selected = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : (Iterable<Path>) walk.sorted()::iterator) {
                if (!Files.isRegularFile(file)) continue;
                String relative = relative(root, file);
                if (matchesAny(in, relative) && !matchesAny(out, relative)) selected.add(file);
            }
        }
        return selected;
    }

    /** Every regular file under {@code root} (for an import directory, whose files a schema may import). */
    static List<Path> all(Path root) throws IOException {
        return select(root, List.of("**"), List.of());
    }

    /** An Ant-style pattern as a regular expression over '/'-separated relative paths. */
    static Pattern toRegex(String antPattern) {
        String pattern = antPattern.replace('\\', '/');
        if (pattern.endsWith("/")) pattern += "**";
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (pattern.startsWith("**/", i)) {
                regex.append("(?:.*/)?");
                i += 2;
            } else if (pattern.startsWith("**", i)) {
                regex.append(".*");
                i += 1;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static List<Pattern> compile(List<String> patterns) {
        List<Pattern> compiled = new ArrayList<>();
        for (String p : patterns) compiled.add(toRegex(p.trim()));
        return compiled;
    }

    private static boolean matchesAny(List<Pattern> patterns, String relative) {
        for (Pattern p : patterns) {
            if (p.matcher(relative).matches()) return true;
        }
        return false;
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }
}
