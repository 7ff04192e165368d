package dev.mpjava.cli;

import com.google.gson.JsonObject;
import dev.mpjava.Client;
import dev.mpjava.ConnectOptions;
import dev.mpjava.DeadlineExceededException;
import dev.mpjava.EventLoop;
import dev.mpjava.InterfaceType;
import dev.mpjava.IpcException;
import dev.mpjava.RaisedException;
import dev.mpjava.StructValue;
import dev.mpjava.cli.Main.CliException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mpjava call}: connects to a Unix socket, bootstraps the init capability as the
 * given interface, calls one method and prints its results. The library does the
 * libmultiprocess handshake: {@code construct} (ThreadMap exchange) on connect when the
 * interface declares it, and the {@code Proxy.Context} of every call.
 */
@Command(name = "call", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Calls METHOD of the INTERFACE served at SOCKET and prints its results.",
            "PARAMs: an optional JSON object first, then name=value (value: JSON or text; Data in base64).",
            "Examples:",
            "  mpjava call /tmp/calc.sock calculator.capnp CalcInit add a=1 b=2",
            "  mpjava call /tmp/calc.sock calculator.capnp CalcInit add '{\"a\": 1, \"b\": 2}' --json",
            "  mpjava call /tmp/echo.sock echo.capnp Init makeEcho --then echo echo=hi"})
final class CallCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOCKET", description = "the server's Unix socket")
    private Path socket;

    @Parameters(index = "1", paramLabel = "SCHEMA", description = "the .capnp file declaring INTERFACE")
    private Path schemaFile;

    @Parameters(index = "2", paramLabel = "INTERFACE", description = "the interface of the init capability")
    private String interfaceName;

    @Parameters(index = "3", paramLabel = "METHOD", description = "the method to call")
    private String method;

    @Parameters(index = "4..*", paramLabel = "PARAM", description = "the params")
    private List<String> params = new ArrayList<>();

    @Option(names = "--then", paramLabel = "[FIELD.]METHOD [PARAM...]", parameterConsumer = StepConsumer.class,
            description = {"then call METHOD on the capability the previous call returned (in FIELD, or its only one);",
                "repeatable"})
    private List<Step> then = new ArrayList<>();

    @Option(names = {"-I", "--import"}, paramLabel = "DIR",
            description = "a directory searched for absolute imports (/x.capnp); repeatable")
    private List<Path> imports = new ArrayList<>();

    @Option(names = "--json", description = "print the results as a JSON object")
    private boolean json;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "fail (exit 1) when a call takes longer, e.g. 500ms, 5s, 1m")
    private Duration timeout;

    @Option(names = {"-v", "--verbose"}, description = "print mpjava's trace log (every message) to stderr")
    private boolean verbose;

    /** One {@code --then}: the field holding the capability (or null), the method, its params. */
    record Step(String field, String method, List<String> params) {}

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try (SchemaFile file = SchemaFile.load(schemaFile, imports)) {
            InterfaceType type = file.interfaceType(interfaceName);
            checkMethod(type, method);
            Values values = new Values(file);
            Map<String, Object> first = values.params(params, file.params(type.name(), method));
            try (EventLoop loop = EventLoop.start("cli", Logs.options(err, verbose))) {
                Client client = connect(loop, type);
                Deque<Client> received = new ArrayDeque<>();
                try {
                    StructValue results = call(client, method, first);
                    collectClients(results, received);
                    for (Step step : then) {
                        Client next = capability(results, step);
                        checkMethod(next.type(), step.method());
                        Map<String, Object> p = values.params(step.params(), file.params(next.type().name(), step.method()));
                        results = call(next, step.method(), p);
                        collectClients(results, received);
                    }
                    print(Values.toJson(results));
                } finally {
                    while (!received.isEmpty()) received.pop().close();  // destroy, as upstream's clients do
                    client.close();
                }
            }
        }
        return Main.OK;
    }

    // Connect waits for the peer's answer to construct (a server of another interface fails
    // it): --timeout bounds that wait too.
    private Client connect(EventLoop loop, InterfaceType type) {
        ConnectOptions checked = ConnectOptions.defaults().withInterfaceCheck();
        ConnectOptions options = timeout == null ? checked : checked.withCallTimeout(timeout);
        try {
            return loop.connect(socket, type, options);
        } catch (DeadlineExceededException e) {
            throw new CliException(Main.FAILED, "cannot connect to " + socket + ": no answer to construct within "
                    + Durations.format(timeout), e);
        } catch (IpcException e) {
            String why = String.valueOf(e.getMessage());
            throw new CliException(Main.USAGE, why.contains(socket.toString()) ? why : "cannot connect to " + socket + ": " + why, e);
        }
    }

    private static void checkMethod(InterfaceType type, String method) {
        if (!type.methods().contains(method)) {
            throw new CliException(Main.USAGE, "no method '" + method + "' in interface " + type.name()
                    + " (methods: " + String.join(", ", type.methods()) + ")");
        }
    }

    /** One call, waited for at most --timeout; a failure names the method and keeps its exit code. */
    private StructValue call(Client client, String name, Map<String, Object> p) {
        String what = client.type().name() + "." + name;
        CompletableFuture<StructValue> future = client.callAsync(name, q -> p.forEach(q::set));
        try {
            return timeout == null ? future.get() : future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new CliException(Main.FAILED, what + ": no answer within " + Durations.format(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(Main.FAILED, what + ": interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DeadlineExceededException) {  // the client's deadline, the same as --timeout
                throw new CliException(Main.FAILED, what + ": no answer within " + Durations.format(timeout));
            }
            if (cause instanceof RaisedException raised) {
                Object error = raised.error();
                String shown = error instanceof StructValue s ? Values.compact(Values.toJson(s)) : String.valueOf(error);
                throw new CliException(Main.FAILED, what + ": raised " + raised.field() + " = " + shown, cause);
            }
            throw new CliException(Main.exitCode(cause), what + ": " + Main.message(cause), cause);
        }
    }

    /** Every capability received in {@code value}, to close (and destroy) at the end. */
    private static void collectClients(Object value, Deque<Client> into) {
        if (value instanceof Client c) into.push(c);
        else if (value instanceof StructValue s) s.toMap().values().forEach(v -> collectClients(v, into));
        else if (value instanceof List<?> list) list.forEach(v -> collectClients(v, into));
    }

    /** The capability a --then step calls: in its field, or the only one in {@code results}. */
    private static Client capability(StructValue results, Step step) {
        if (step.field() != null) {
            if (!results.has(step.field()) || !(results.get(step.field()) instanceof Client c)) {
                throw new CliException(Main.USAGE, "--then " + step.field() + "." + step.method()
                        + ": no capability in result field '" + step.field() + "' (results: " + results + ")");
            }
            return c;
        }
        List<Client> found = new ArrayList<>();
        results.toMap().values().forEach(v -> {
            if (v instanceof Client c) found.add(c);
        });
        if (found.size() != 1) {
            throw new CliException(Main.USAGE, "--then " + step.method() + ": the results hold " + found.size()
                    + " capabilities; name one as FIELD." + step.method() + " (results: " + results + ")");
        }
        return found.get(0);
    }

    private void print(JsonObject results) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? Values.json(results) : Values.text(results));
        out.flush();
    }

    /** Takes {@code [FIELD.]METHOD} and the PARAMs after it, up to the next option. */
    static final class StepConsumer implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            if (args.isEmpty() || args.peek().startsWith("-")) {
                throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(),
                        "--then needs a METHOD (or FIELD.METHOD)");
            }
            String target = args.pop();
            int dot = target.lastIndexOf('.');
            List<String> stepParams = new ArrayList<>();
            while (!args.isEmpty() && !args.peek().startsWith("-")) stepParams.add(args.pop());
            List<Step> steps = argSpec.getValue();
            steps.add(new Step(dot < 0 ? null : target.substring(0, dot), target.substring(dot + 1), stepParams));
        }
    }
}
