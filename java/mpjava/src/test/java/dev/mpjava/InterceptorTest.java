package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Client interceptors see every call with its method, sizes, duration and outcome. */
class InterceptorTest extends CalculatorPeers {
    /** Records what it is told. */
    static final class Recorder implements CallInterceptor {
        final List<CallInfo> started = new CopyOnWriteArrayList<>();
        final List<CallOutcome> outcomes = new CopyOnWriteArrayList<>();
        final List<CallInfo> ended = new CopyOnWriteArrayList<>();

        @Override
        public void started(CallInfo call) {
            started.add(call);
        }

        @Override
        public void ended(CallInfo call, CallOutcome outcome) {
            ended.add(call);
            outcomes.add(outcome);
        }
    }

    /** Throws from both methods, to show that a broken interceptor harms no call. */
    static final CallInterceptor BROKEN = new CallInterceptor() {
        @Override
        public void started(CallInfo call) {
            throw new IllegalStateException("broken interceptor");
        }

        @Override
        public void ended(CallInfo call, CallOutcome outcome) {
            throw new IllegalStateException("broken interceptor");
        }
    };

    private Client connectWith(CallInterceptor... interceptors) {
        ConnectOptions options = ConnectOptions.defaults();
        for (CallInterceptor i : interceptors) options = options.withInterceptor(i);
        return clients.connect(socket, schema.interfaceType("CalcInit"), options);
    }

    @Test
    void blockingAndAsyncCallsAreSeenWithMethodSizesAndDuration() throws Exception {
        server.listen(socket, TestSupport.calculator(schema));
        Recorder recorder = new Recorder();
        Client client = connectWith(recorder);
        assertEquals(3, sum(client, 1, 2));
        assertEquals(7, client.callAsync("add", p -> p.set("a", 3).set("b", 4)).get(5, TimeUnit.SECONDS).getInt("result"));
        TestSupport.waitFor("both calls ended", () -> recorder.ended.size() == 2);
        assertEquals(2, recorder.started.size());
        for (int i = 0; i < 2; i++) {
            CallInfo call = recorder.ended.get(i);
            CallOutcome outcome = recorder.outcomes.get(i);
            assertEquals("CalcInit", call.interfaceName());
            assertEquals("add", call.method());
            assertNull(call.peer(), "a client does not know its server's process");
            assertTrue(call.paramBytes() > 0, "params were sent");
            assertTrue(outcome.succeeded());
            assertTrue(outcome.resultBytes() > 0, "results came back");
            assertTrue(!outcome.duration().isNegative() && outcome.duration().compareTo(Duration.ofSeconds(5)) < 0);
        }
    }

    @Test
    void failedCallsAreSeenWithTheExceptionTheCallerGot() {
        server.listen(socket, Implementation.of(schema.interfaceType("CalcInit"))
                .on("add", (p, r) -> {
                    throw new IllegalStateException("no adding today");
                }));
        Recorder recorder = new Recorder();
        Client client = connectWith(recorder);
        RemoteException thrown = assertThrows(RemoteException.class, () -> sum(client, 1, 2));
        assertEquals(1, recorder.outcomes.size());
        CallOutcome outcome = recorder.outcomes.get(0);
        assertTrue(!outcome.succeeded());
        assertEquals(thrown, outcome.error());
        assertEquals(0, outcome.resultBytes());
        assertThrows(IllegalArgumentException.class, () -> client.call("nosuchmethod"));
        assertEquals(1, recorder.started.size(), "a call refused before it starts is not seen");
    }

    @Test
    void aThrowingInterceptorHarmsNoCallAndTheOthersStillRun() {
        server.listen(socket, TestSupport.calculator(schema));
        Recorder after = new Recorder();
        try (TestSupport.JulCapture jul = new TestSupport.JulCapture()) {
            Client client = connectWith(BROKEN, after);
            assertEquals(5, sum(client, 2, 3));
            assertEquals(1, after.outcomes.size(), "the interceptor after the broken one still ran");
            assertEquals(2, jul.records().size(), "each throw is logged once: " + jul.records());
            assertInstanceOf(IllegalStateException.class, jul.records().get(0).getThrown());
        }
    }
}
