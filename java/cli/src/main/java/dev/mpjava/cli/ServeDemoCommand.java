package dev.mpjava.cli;

import dev.mpjava.EventLoop;
import dev.mpjava.Implementation;
import dev.mpjava.InterfaceType;
import dev.mpjava.IpcException;
import dev.mpjava.Schema;
import dev.mpjava.cli.Main.CliException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mpjava serve-demo}: a small server to try the other commands on, serving
 * {@code DemoInit} of the bundled demo.capnp on a Unix socket until stopped.
 */
@Command(name = "serve-demo", mixinStandardHelpOptions = true,
        description = {"Serves DemoInit (add, echo, fail, makeCounter) of the bundled demo.capnp on SOCKET",
            "until interrupted (Ctrl-C) or --for has passed. Writes the schema to --schema-out first."})
final class ServeDemoCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOCKET", description = "the Unix socket to listen on")
    private Path socket;

    @Option(names = "--schema-out", paramLabel = "FILE", defaultValue = "demo.capnp",
            description = "where to write the demo schema for schema and call (default: ${DEFAULT-VALUE})")
    private Path schemaOut;

    @Option(names = "--for", paramLabel = "DURATION", converter = Durations.class,
            description = "stop after this long, e.g. 30s (default: run until interrupted)")
    private Duration duration;

    @Override
    public Integer call() {
        writeSchema();
        boolean interrupted = false;
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "mpjava-serve-demo-stop");
        try (Schema schema = Schema.load(schemaOut);
             EventLoop loop = EventLoop.start("serve-demo", Logs.options(spec.commandLine().getErr(), false))) {
            try {
                loop.listen(socket, demo(schema));
            } catch (IpcException e) {
                throw new CliException(Main.USAGE, "cannot listen on " + socket + ": " + e.getMessage(), e);
            }
            out.println("serving DemoInit on " + socket + " (schema: " + schemaOut + ")");
            out.println("try: mpjava call " + socket + " " + schemaOut + " DemoInit add a=1 b=2");
            out.flush();
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                if (duration == null) stop.await();
                else stop.await(duration.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;  // a stop like any other; the flag is set again once closed
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNotAdded) {
                // the JVM is exiting (Ctrl-C) or we never got that far
            }
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                // a socket file left behind is replaced by the next listen
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return Main.OK;
    }

    private void writeSchema() {
        try (InputStream in = ServeDemoCommand.class.getResourceAsStream("demo.capnp")) {
            if (in == null) throw new CliException(Main.USAGE, "demo.capnp is missing from the jar");
            Files.copy(in, schemaOut, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new CliException(Main.USAGE, "cannot write " + schemaOut + ": " + e.getMessage(), e);
        }
    }

    private static Implementation demo(Schema schema) {
        InterfaceType counter = schema.interfaceType("Counter");
        return Implementation.of(schema.interfaceType("DemoInit"))
                .on("add", (p, r) -> r.set("result", p.getLong("a") + p.getLong("b")))
                .on("echo", (p, r) -> r.set("result", p.getString("text")))
                .on("fail", (p, r) -> {
                    throw new IllegalStateException(p.getString("message"));
                })
                .on("makeCounter", (p, r) -> {
                    AtomicLong next = new AtomicLong(p.getLong("start"));
                    r.set("result", Implementation.of(counter).on("next", (q, s) -> s.set("value", next.getAndIncrement())));
                });
    }
}
