package dev.mpjava.cli;

import dev.mpjava.IpcException;
import dev.mpjava.NativeStats;
import dev.mpjava.Sockets;
import dev.mpjava.cli.Main.CliException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mpjava ping}: whether something accepts connections on a Unix socket, and how
 * fast. It connects and hangs up without speaking Cap'n Proto (the library cannot
 * bootstrap without knowing the interface); {@code call} checks a real answer.
 */
@Command(name = "ping", mixinStandardHelpOptions = true,
        description = {"Connects to SOCKET COUNT times and reports the connect latency.",
            "Proves a listener accepts connections; use call for an RPC answer."})
final class PingCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOCKET", description = "the server's Unix socket")
    private Path socket;

    @Option(names = {"-c", "--count"}, paramLabel = "COUNT", defaultValue = "1", description = "connects (default: ${DEFAULT-VALUE})")
    private int count;

    @Override
    public Integer call() {
        if (count < 1) throw new CliException(Main.USAGE, "--count must be at least 1");
        PrintWriter out = spec.commandLine().getOut();
        NativeStats.snapshot();  // loads the native library now, so the first connect is not slower
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            int fd;
            try {
                fd = Sockets.connect(socket);
            } catch (IpcException e) {
                throw new CliException(Main.FAILED, "no server at " + socket + ": " + e.getMessage(), e);
            }
            long nanos = System.nanoTime() - start;
            Sockets.close(fd);
            out.println(String.format(Locale.ROOT, "%s accepts connections: %.3f ms", socket, nanos / 1e6));
        }
        out.flush();
        return Main.OK;
    }
}
