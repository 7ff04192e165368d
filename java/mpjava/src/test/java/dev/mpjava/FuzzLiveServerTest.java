package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * native/test/fuzz (mpjava_fuzz) against a live Java Listener: 2,000 seeded cases of random
 * bytes, lying framing, mutated real messages and nonsensical RPC; afterwards the server
 * answers an ordinary call and its fds, mpjava threads and native objects are back where
 * they were. A failure names the seed and case (-Dmpjava.fuzzSeed picks another seed).
 */
class FuzzLiveServerTest {
    static final String FUZZ = System.getProperty("mpjava.fuzz", "target/native/mpjava_fuzz");
    private static final String SEED = System.getProperty("mpjava.fuzzSeed", "1");

    /** What a finished mpjava_fuzz process printed, and its exit code. */
    record Run(int exit, String output) {}

    /** Runs mpjava_fuzz with {@code args}; stdin stays open until it exits. */
    static Run runFuzz(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(FUZZ));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = process.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output lost: " + e + ")";
            }
        });
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("mpjava_fuzz " + args[0] + " did not finish within " + timeout + ": " + output.getNow(""));
        }
        return new Run(process.exitValue(), output.join());
    }

    @Test
    void javaServerSurvivesTwoThousandFuzzCasesAndStillAnswers() throws Exception {
        Path socket = TestSupport.tempSocket("fuzz.sock");
        // The cases provoke errors on purpose: keep their log lines quiet.
        TestSupport.LogCapture log = TestSupport.LogCapture.expecting("IPC server");
        try (Schema schema = TestSupport.calculatorSchema();
                EventLoop server = EventLoop.start("fuzz-server", log.options(LogLevel.WARNING));
                EventLoop clients = EventLoop.start("fuzz-clients")) {
            Listener listener = server.listen(socket, TestSupport.calculator(schema));
            Client warm = clients.connect(socket, schema.interfaceType("CalcInit"));
            assertEquals(3, CalculatorPeers.sum(warm, 1, 2));
            warm.close();
            assertTrue(listener.awaitNoConnections(Duration.ofSeconds(10)));
            ResourceLeakTest.Counters before = ResourceLeakTest.Counters.now();

            Run run = runFuzz(Duration.ofSeconds(180), "run", socket.toString(), "2000", SEED);
            System.out.print(run.output());
            assertEquals(0, run.exit(), run.output());
            assertTrue(run.output().contains("FUZZ OK"), run.output());

            assertTrue(listener.awaitNoConnections(Duration.ofSeconds(10)), "every fuzz connection ended");
            Client after = clients.connect(socket, schema.interfaceType("CalcInit"));
            assertEquals(42, CalculatorPeers.sum(after, 40, 2));
            after.close();
            assertTrue(listener.awaitNoConnections(Duration.ofSeconds(10)));
            ResourceLeakTest.assertBackToBaseline(before, "2,000 fuzz cases");
            listener.close();
        }
    }
}
