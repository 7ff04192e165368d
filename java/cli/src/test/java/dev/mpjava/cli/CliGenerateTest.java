package dev.mpjava.cli;

import static dev.mpjava.cli.TestServers.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpjava.cli.TestServers.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mpjava generate}: source that compiles, schema copies where the class path finds them, and its errors. */
class CliGenerateTest {
    @Test
    void generateCalculatorWritesSourceThatCompilesAndTheSchemaCopy(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        Path res = dir.resolve("res");

        Run run = cli("generate", "--package", "test.calc", "--out", src, "--resources", res, TestServers.CALCULATOR);

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());
        List<Path> java = files(src, ".java");
        assertFalse(java.isEmpty(), "no Java source under " + src);
        for (Path file : java) assertTrue(file.startsWith(src.resolve("test/calc")), file.toString());
        assertTrue(Files.isRegularFile(res.resolve("calculator.capnp")), "schema copy missing: " + files(res, ""));
        for (Path file : java) assertTrue(run.out().contains(file.toString()), "not listed: " + file + "\n" + run.out());
        assertCompiles(java, dir.resolve("classes"));
    }

    @Test
    void generateResolvesImportsFromImportDirectoriesAndKeepsPathsBelowTheSourceRoot(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve("shared.capnp"), "@0xe1a6b2c3d4e5f611;\nstruct Thing { id @0 :UInt64; }\n");
        Path schemas = Files.createDirectories(dir.resolve("capnp/store"));
        Path main = schemas.resolve("store.capnp");
        Files.writeString(main, "@0xe1a6b2c3d4e5f612;\nusing S = import \"/shared.capnp\";\n"
                + "interface Store { get @0 (id :UInt64) -> (thing :S.Thing); }\n");
        Path src = dir.resolve("src");
        Path res = dir.resolve("res");

        Run run = cli("generate", "-I", lib, "--package", "test.store", "--out", src, "--resources", res,
                "--source-root", dir.resolve("capnp"), main);

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Files.isRegularFile(res.resolve("store/store.capnp")), "schema copies: " + files(res, ""));
        assertTrue(Files.isRegularFile(res.resolve("shared.capnp")), "schema copies: " + files(res, ""));
        assertCompiles(files(src, ".java"), dir.resolve("classes"));
    }

    @Test
    void generateABrokenSchemaFailsWithUsageErrorAndTheParsersLineAndColumn(@TempDir Path dir) {
        Path broken = TestServers.SCHEMAS.resolve("bad_syntax.capnp");

        Run run = cli("generate", "--package", "test.bad", "--out", dir, broken);

        assertEquals(Main.USAGE, run.exitCode());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("mpjava generate: schema error: "), run.err());
        assertTrue(run.err().contains("bad_syntax.capnp:9:27: "), run.err());
    }

    @Test
    void generateWithoutPackageOrOutIsAUsageError(@TempDir Path dir) {
        Run noPackage = cli("generate", "--out", dir, TestServers.CALCULATOR);
        Run noOut = cli("generate", "--package", "p", TestServers.CALCULATOR);

        assertEquals(Main.USAGE, noPackage.exitCode());
        assertTrue(noPackage.err().contains("Missing required option: '--package=P'"), noPackage.err());
        assertEquals(Main.USAGE, noOut.exitCode());
        assertTrue(noOut.err().contains("Missing required option: '--out=DIR'"), noOut.err());
    }

    @Test
    void generateRejectsAPackageNameJavaCannotCompile(@TempDir Path dir) {
        Run digit = cli("generate", "--package", "1bad.pkg", "--out", dir.resolve("out"), TestServers.CALCULATOR);
        Run keyword = cli("generate", "--package", "com.class", "--out", dir.resolve("out"), TestServers.CALCULATOR);

        assertEquals(Main.USAGE, digit.exitCode());
        assertEquals("mpjava generate: not a Java package name: '1bad.pkg'\n", digit.err());
        assertEquals(Main.USAGE, keyword.exitCode());
        assertFalse(Files.exists(dir.resolve("out")), "nothing is written on a usage error");
    }

    @Test
    void generateAMissingFileOrImportDirectoryIsAUsageErrorNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("missing.capnp");
        Path noDir = dir.resolve("no-such-dir");

        Run file = cli("generate", "--package", "p", "--out", dir.resolve("out"), missing);
        Run imports = cli("generate", "-I", noDir, "--package", "p", "--out", dir.resolve("out"), TestServers.CALCULATOR);

        assertEquals(Main.USAGE, file.exitCode());
        assertEquals("mpjava generate: no schema file " + missing + "\n", file.err());
        assertEquals(Main.USAGE, imports.exitCode());
        assertEquals("mpjava generate: no import directory " + noDir + "\n", imports.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing is written on a usage error");
    }

    /** Compiles {@code sources} against this test's class path (the library) with every lint warning an error. */
    static void assertCompiles(List<Path> sources, Path classes) throws IOException {
        assertFalse(sources.isEmpty(), "nothing to compile");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-Xlint:all", "-Werror", "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path")));
        for (Path source : sources) args.add(source.toString());
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        assertEquals(0, rc, () -> "generated source does not compile:\n" + diagnostics);
    }

    private static List<Path> files(Path root, String suffix) throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
