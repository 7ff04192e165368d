package dev.mpjava.codegen;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The generator writes exactly the committed sources under src/test/golden (which the build
 * compiles and the live tests use). After an intended change, regenerate them with
 * {@code mvn -pl java/codegen test -Dtest=GoldenTest -Dmpjava.updateGolden=true} and review
 * the diff.
 */
class GoldenTest {
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    static final Path GOLDEN = Path.of("src/test/golden").toAbsolutePath();

    /** The repo's schemas, one package per set loaded together. */
    enum SchemaSet {
        NATIVE_TEST("gen.nativetest", "native/test/schemas",
                "calculator.capnp", "callbacks.capnp", "echo.capnp", "threads.capnp", "types.capnp"),
        EXAMPLES("gen.examples", "java/examples/src/main/resources/dev/mpjava/examples/schemas", "init.capnp"),
        CLI_DEMO("gen.demo", "java/cli/src/main/resources/dev/mpjava/cli", "demo.capnp"),
        CASES("gen.cases", "java/codegen/src/test/capnp/cases",
                "generics.capnp", "inheritance.capnp", "shapes.capnp", "keywords.capnp", "clashes.capnp"),
        IMPORTS("gen.imports", "java/codegen/src/test/capnp/cases/imports", "service.capnp");

        final String javaPackage;
        final Path dir;
        final List<String> files;

        SchemaSet(String javaPackage, String dir, String... files) {
            this.javaPackage = javaPackage;
            this.dir = ROOT.resolve(dir);
            this.files = List.of(files);
        }

        List<Path> generate(Path sources, Path resources) throws IOException {
            // Source root: the repo, so each schema's class-path name is its path in the repo.
            GeneratorOptions options = new GeneratorOptions(sources, resources, javaPackage, ROOT, List.of());
            return new Generator(options).generate(files.stream().map(dir::resolve).toList());
        }
    }

    @TempDir
    Path out;

    @ParameterizedTest
    @EnumSource(SchemaSet.class)
    void generatedSourceMatchesTheCommittedGolden(SchemaSet set) throws IOException {
        set.generate(out.resolve("java"), out.resolve("resources"));
        Path packageDir = Path.of(set.javaPackage.replace('.', '/'));
        Map<String, String> actual = read(out.resolve("java").resolve(packageDir));
        Path goldenDir = GOLDEN.resolve(packageDir);
        if (Boolean.getBoolean("mpjava.updateGolden")) {
            write(goldenDir, actual);
            return;
        }
        Map<String, String> expected = read(goldenDir);
        List<String> problems = new ArrayList<>();
        for (String name : expected.keySet()) {
            if (!actual.containsKey(name)) problems.add(name + ": no longer generated");
        }
        for (Map.Entry<String, String> e : actual.entrySet()) {
            String want = expected.get(e.getKey());
            if (want == null) problems.add(e.getKey() + ": generated, but not in the golden");
            else if (!want.equals(e.getValue())) problems.add(e.getKey() + ":\n" + diff(want, e.getValue()));
        }
        if (!problems.isEmpty()) {
            fail("generated code of " + set + " differs from " + goldenDir
                    + " (regenerate with -Dmpjava.updateGolden=true if intended):\n" + String.join("\n", problems));
        }
    }

    private static Map<String, String> read(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) return files;
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                try {
                    files.put(p.getFileName().toString(), Files.readString(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return files;
    }

    private static void write(Path dir, Map<String, String> files) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.toList()) Files.delete(p);
            }
        }
        Files.createDirectories(dir);
        for (Map.Entry<String, String> e : files.entrySet()) Files.writeString(dir.resolve(e.getKey()), e.getValue());
    }

    /** The first differing lines with three lines of context, numbered. */
    static String diff(String expected, String actual) {
        String[] want = expected.split("\n", -1);
        String[] got = actual.split("\n", -1);
        int first = 0;
        while (first < want.length && first < got.length && want[first].equals(got[first])) first++;
        int endWant = want.length - 1;
        int endGot = got.length - 1;
        while (endWant > first && endGot > first && want[endWant].equals(got[endGot])) {
            endWant--;
            endGot--;
        }
        StringBuilder out = new StringBuilder();
        for (int i = Math.max(0, first - 3); i < first; i++) out.append(String.format("  %4d   %s%n", i + 1, want[i]));
        for (int i = first; i <= Math.min(endWant, first + 20); i++) out.append(String.format("  %4d - %s%n", i + 1, want[i]));
        for (int i = first; i <= Math.min(endGot, first + 20); i++) out.append(String.format("  %4d + %s%n", i + 1, got[i]));
        return out.toString();
    }
}
