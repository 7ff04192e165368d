package dev.mpjava.cli;

import static dev.mpjava.cli.TestServers.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mpjava.cli.TestServers.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code mpjava call} against Java servers on real Unix sockets. */
class CliCallTest {
    private static TestServers servers;
    private static Path calc;
    private static Path echo;
    private static Path hub;

    @BeforeAll
    static void startServers() {
        servers = new TestServers();
        calc = servers.calculator();
        echo = servers.echo();
        hub = servers.hub();
    }

    @AfterAll
    static void stopServers() throws Exception {
        servers.close();
    }

    private static Run call(Path socket, Path schema, String iface, Object... rest) {
        Object[] args = new Object[4 + rest.length];
        args[0] = "call";
        args[1] = socket;
        args[2] = schema;
        args[3] = iface;
        System.arraycopy(rest, 0, args, 4, rest.length);
        return cli(args);
    }

    @Test
    void callAddWithNameValueParamsPrintsTheResultAsJson() {
        Run run = call(calc, TestServers.CALCULATOR, "CalcInit", "add", "a=2", "b=40", "--json");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());
        JsonObject results = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals(42, results.get("result").getAsInt());
        assertEquals(1, results.size());
    }

    @Test
    void callAsAnotherInterfaceThanTheServersFailsNamingBoth() {
        Run run = call(calc, TestServers.ECHO, "Init", "makeEcho");

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("mpjava call: cannot connect to " + calc + ": the peer does not serve Init but CalcInit"),
                run.err());
        assertEquals("", run.out());
    }

    @Test
    void callAddWithAJsonObjectPrintsReadableText() {
        Run run = call(calc, TestServers.CALCULATOR, "CalcInit", "add", "{\"a\": -5, \"b\": 3}");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("result = -2\n", run.out());
    }

    @Test
    void nameValueOverridesTheJsonObject() {
        Run run = call(calc, TestServers.CALCULATOR, "CalcInit", "add", "{\"a\": 1, \"b\": 1}", "b=10");

        assertEquals("result = 11\n", run.out(), run.err());
    }

    @Test
    void aTextParamThatLooksLikeANumberStaysText() {
        Run run = call(calc, TestServers.CALCULATOR, "CalcInit", "echo", "text=007", "--json");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("007", JsonParser.parseString(run.out()).getAsJsonObject().get("result").getAsString());
    }

    @Test
    void aJsonNumberForATextFieldIsSentAsText() {
        Run run = call(calc, TestServers.CALCULATOR, "CalcInit", "echo", "{\"text\": 7}");

        assertEquals("result = \"7\"\n", run.out(), run.err());
    }

    @Test
    void unsetParamsKeepTheirDefaultsAndAnUnsetStructResultIsNull() {
        Run run = call(calc, TestServers.CALCULATOR, "CalcInit", "add");

        assertEquals("result = 0\n", run.out(), run.err());  // unset params keep their defaults
        Run none = call(hub, TestServers.CALLBACKS, "Hub", "raise", "name=");
        assertEquals(0, none.exitCode(), none.err());
        assertEquals("error = null\n", none.out());
    }

    @Test
    void aRemoteFailureExitsOneWithTheServersMessageOnStderr() {
        Run run = call(calc, TestServers.CALCULATOR, "CalcInit", "fail", "message=out of cheese");

        assertEquals(Main.FAILED, run.exitCode());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("mpjava call: CalcInit.fail: remote error (FAILED): "), run.err());
        assertTrue(run.err().contains("out of cheese"), run.err());
    }

    @Test
    void aProxyExceptionResultExitsOneWithTheRaisedValue() {
        Run run = call(hub, TestServers.CALLBACKS, "Hub", "raise", "name=boom");

        assertEquals(Main.FAILED, run.exitCode());
        assertEquals("mpjava call: Hub.raise: raised error = {\"name\":\"boom\",\"code\":7}\n", run.err());
    }

    @Test
    void thenCallsTheReturnedCapabilityWithContextParamsFilledByMpjava() {
        Run run = call(echo, TestServers.ECHO, "Init", "makeEcho", "--then", "echo", "echo=hello there", "--json");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("hello there", JsonParser.parseString(run.out()).getAsJsonObject().get("result").getAsString());
    }

    @Test
    void aReturnedCapabilityIsShownAsAHandle() {
        Run json = call(echo, TestServers.ECHO, "Init", "makeEcho", "--json");
        Run text = call(echo, TestServers.ECHO, "Init", "makeEcho");

        assertEquals(0, json.exitCode(), json.err());
        assertEquals("Echo", JsonParser.parseString(json.out()).getAsJsonObject()
                .getAsJsonObject("result").get("$capability").getAsString());
        assertEquals("result = <capability Echo>\n", text.out());
    }

    @Test
    void everyReceivedCapabilityIsDestroyedBeforeTheCliReturns() {
        int before = servers.echoesDestroyed.get();

        Run shown = call(echo, TestServers.ECHO, "Init", "makeEcho");
        Run used = call(echo, TestServers.ECHO, "Init", "makeEcho", "--then", "result.echo", "echo=x");

        assertEquals(0, shown.exitCode(), shown.err());
        assertEquals("result = \"x\"\n", used.out(), used.err());
        assertEquals(before + 2, servers.echoesDestroyed.get());
    }

    @Test
    void thenWithAFieldThatHoldsNoCapabilityIsAUsageError() {
        Run run = call(calc, TestServers.CALCULATOR, "CalcInit", "add", "a=1", "--then", "result.add");

        assertEquals(Main.USAGE, run.exitCode());
        assertTrue(run.err().contains("no capability in result field 'result'"), run.err());
    }

    @Test
    void anUnknownMethodIsAUsageErrorListingTheMethods() {
        Run run = call(calc, TestServers.CALCULATOR, "CalcInit", "multiply", "a=1");

        assertEquals(Main.USAGE, run.exitCode());
        assertEquals("mpjava call: no method 'multiply' in interface CalcInit (methods: construct, add, echo, fail, slow)\n",
                run.err());
    }

    @Test
    void anUnknownParamIsAUsageErrorNamingIt() {
        Run run = call(calc, TestServers.CALCULATOR, "CalcInit", "add", "c=1");

        assertEquals(Main.USAGE, run.exitCode());
        assertTrue(run.err().startsWith("mpjava call: CalcInit.add: "), run.err());
        assertTrue(run.err().contains("c"), run.err());
    }

    @Test
    void anOutOfRangeNumberIsAUsageError() {
        Run run = call(calc, TestServers.CALCULATOR, "CalcInit", "add", "a=3000000000");

        assertEquals(Main.USAGE, run.exitCode(), run.err());
    }

    @Test
    void aContextParamCannotBeGiven() {
        Run run = call(echo, TestServers.ECHO, "Init", "makeEcho", "context=1");

        assertEquals(Main.USAGE, run.exitCode());
        assertTrue(run.err().contains("param 'context' is a Proxy.Context: mpjava fills it itself"), run.err());
    }

    @Test
    void aSocketWithoutServerIsAUsageErrorNamingThePath() {
        Run run = call(servers.nowhere(), TestServers.CALCULATOR, "CalcInit", "add", "a=1");

        assertEquals(Main.USAGE, run.exitCode());
        assertTrue(run.err().startsWith("mpjava call: cannot connect to "), run.err());
        assertTrue(run.err().contains(servers.nowhere().toString()), run.err());
    }

    @Test
    void aCallPastItsTimeoutExitsOne() {
        long start = System.nanoTime();
        Run run = call(calc, TestServers.CALCULATOR, "CalcInit", "slow", "millis=1500", "--timeout", "200ms");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(Main.FAILED, run.exitCode());
        assertEquals("mpjava call: CalcInit.slow: no answer within 200 ms\n", run.err());
        assertTrue(millis < 1400, "took " + millis + " ms");  // not the handler's 1500 ms
    }

    @Test
    void aBadTimeoutIsAUsageError() {
        Run run = call(calc, TestServers.CALCULATOR, "CalcInit", "add", "--timeout", "soon");

        assertEquals(Main.USAGE, run.exitCode());
        assertTrue(run.err().contains("'soon' is not a duration"), run.err());
    }

    @Test
    void badParamSyntaxIsAUsageError() {
        Run run = call(calc, TestServers.CALCULATOR, "CalcInit", "add", "a");

        assertEquals(Main.USAGE, run.exitCode());
        assertTrue(run.err().contains("bad param 'a': expected name=value"), run.err());
    }

    @Test
    void pingReportsALiveSocketAndFailsForAMissingOne() {
        Run live = cli("ping", calc, "-c", "2");
        Run dead = cli("ping", servers.nowhere());

        assertEquals(0, live.exitCode(), live.err());
        assertEquals(2, live.out().lines().filter(l -> l.startsWith(calc + " accepts connections: ")).count(), live.out());
        assertEquals(Main.FAILED, dead.exitCode());
        assertTrue(dead.err().startsWith("mpjava ping: no server at "), dead.err());
    }
}
