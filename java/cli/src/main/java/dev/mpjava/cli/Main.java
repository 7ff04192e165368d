package dev.mpjava.cli;

import dev.mpjava.ClosedException;
import dev.mpjava.DisconnectedException;
import dev.mpjava.RemoteException;
import dev.mpjava.SchemaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code mpjava} command: list a {@code schema}, {@code call} a method of a
 * running server, {@code ping} a socket, {@code serve-demo} a server to try them on,
 * {@code generate} the typed Java API of schemas. Exit codes: {@value #OK} success,
 * {@value #FAILED} the call failed (remote error, disconnect, timeout),
 * {@value #USAGE} usage or local error (arguments, schema, socket).
 */
@Command(name = "mpjava",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        subcommands = {DescribeCommand.class, CallCommand.class, PingCommand.class, ServeDemoCommand.class,
            GenerateCommand.class,
            CommandLine.HelpCommand.class},
        description = {"Describe Cap'n Proto schemas and call libmultiprocess / mpjava servers over Unix sockets;",
            "generate the typed Java API of schemas."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the call failed (remote error, disconnect, timeout)",
            "2:usage or local error (arguments, schema, socket, writing generated files)"})
public final class Main implements Runnable {
    /** Exit code of success. */
    public static final int OK = 0;
    /** Exit code of a failed call: a remote error, a disconnect or a timeout. */
    public static final int FAILED = 1;
    /** Exit code of a usage or local error: arguments, schema, socket. */
    public static final int USAGE = 2;

    @Spec
    private CommandSpec spec;

    /** For picocli, which instantiates the command; use {@link #commandLine()}. */
    public Main() {}

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: schema, call, ping, serve-demo or generate");
    }

    /**
     * The command line of {@code mpjava}, with its exit codes and error printing set up;
     * {@code execute(args)} runs a command and returns its exit code. Tests set its
     * out and err writers to capture them.
     *
     * @return a new command line
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(Main::exitCode);
        cl.setExecutionExceptionHandler((e, failed, parseResult) -> {
            failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + message(e));
            failed.getErr().flush();
            return exitCode(e);
        });
        return cl;
    }

    /**
     * Runs {@code mpjava} with {@code args} and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** What a failure of a command means for its exit code. */
    static int exitCode(Throwable e) {
        if (e instanceof CliException cli) return cli.exitCode();
        if (e instanceof RemoteException || e instanceof DisconnectedException || e instanceof ClosedException) {
            return FAILED;
        }
        return USAGE;  // schema errors, bad params, and anything unexpected on this side
    }

    /** The text printed for a failure, without the exception's class for the library's own exceptions. */
    static String message(Throwable e) {
        if (e instanceof DisconnectedException) return "disconnected: " + e.getMessage();
        if (e instanceof RemoteException remote) return "remote error (" + remote.type() + "): " + remote.reason();
        if (e instanceof SchemaException) return "schema error: " + e.getMessage();
        if (e instanceof CliException) return e.getMessage();
        String text = e.getMessage();
        return text == null ? e.toString() : text;
    }

    /** A failure with the exit code it stands for and a message for stderr. */
    static final class CliException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int exitCode;

        CliException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        CliException(int exitCode, String message, Throwable cause) {
            super(message, cause);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }

    /** {@code --version}: the jar's Implementation-Version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mpjava " + (version == null ? "(development build)" : version)};
        }
    }
}
