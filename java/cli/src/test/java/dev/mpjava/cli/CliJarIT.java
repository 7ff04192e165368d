package dev.mpjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code mpjava-cli-*-all.jar} run with {@code java -jar} as its own process,
 * against servers of this test: the jar alone (natives included) is the tool.
 */
class CliJarIT {
    private static final Path JAR = Path.of(System.getProperty("mpjava.cliJar", "target/mpjava-cli-all.jar"));
    private static TestServers servers;
    private static Path calc;
    private static Path echo;

    /** What the process returned and printed. */
    record Exit(int code, String out, String err) {}

    @BeforeAll
    static void startServers() {
        assertTrue(Files.isRegularFile(JAR), "no packaged jar at " + JAR);
        servers = new TestServers();
        calc = servers.calculator();
        echo = servers.echo();
    }

    @AfterAll
    static void stopServers() throws Exception {
        servers.close();
    }

    private static Exit java(Object... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // The jar's own extraction cache: what it loads comes out of the jar.
                "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("mpjava.cliCache", "target/javacpp-cache-jar"),
                "-jar", JAR.toString()));
        for (Object a : args) command.add(String.valueOf(a));
        Path out = Files.createTempFile("mpjava-cli-out", ".txt");
        Path err = Files.createTempFile("mpjava-cli-err", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("mpjava " + String.join(" ", command) + " still running after 60 s");
            }
            return new Exit(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void theJarCallsARunningServerAndPrintsJson() throws Exception {
        Exit exit = java("call", calc, TestServers.CALCULATOR, "CalcInit", "add", "a=20", "b=22", "--json");

        assertEquals(0, exit.code(), exit.err());
        assertEquals("{\n  \"result\": 42\n}\n", exit.out());
        assertEquals("", exit.err());
        Exit version = java("--version");
        assertEquals("mpjava " + System.getProperty("mpjava.version", "0.1.0-SNAPSHOT") + "\n", version.out());
    }

    @Test
    void theJarGeneratesTypedSourceThatCompiles() throws Exception {
        Path dir = Files.createTempDirectory("mpjava-cli-generate");
        try {
            Exit exit = java("generate", "--package", "jar.calc", "--out", dir.resolve("src"), TestServers.CALCULATOR);

            assertEquals(0, exit.code(), exit.err());
            assertEquals("", exit.err());
            assertTrue(Files.isRegularFile(dir.resolve("src/calculator.capnp")), exit.out());
            try (var walk = Files.walk(dir.resolve("src"))) {
                CliGenerateTest.assertCompiles(walk.filter(p -> p.toString().endsWith(".java")).toList(),
                        dir.resolve("classes"));
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    @Test
    void theJarChainsCallsExitsOneOnARemoteFailureAndTwoOnAUsageError() throws Exception {
        Exit ok = java("call", echo, TestServers.ECHO, "Init", "makeEcho", "--then", "echo", "echo=hi");
        Exit usage = java("call", echo, TestServers.ECHO, "Init", "nothing");
        Exit failed = java("call", calc, TestServers.CALCULATOR, "CalcInit", "fail", "message=no");

        assertEquals("result = \"hi\"\n", ok.out(), ok.err());
        assertEquals(0, ok.code());
        assertEquals(Main.USAGE, usage.code(), usage.err());
        assertTrue(usage.err().contains("no method 'nothing' in interface Init"), usage.err());
        assertEquals(Main.FAILED, failed.code(), failed.err());
        assertTrue(failed.err().startsWith("mpjava call: CalcInit.fail: remote error (FAILED): "), failed.err());
    }
}
