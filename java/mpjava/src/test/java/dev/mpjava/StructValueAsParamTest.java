package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A StructValue received from one call is a param of the next as it is (no copying into a
 * StructBuilder): the server sees the same fields, union members and lists of structs, and
 * a capability inside one goes on as the capability it is.
 */
class StructValueAsParamTest {
    private Schema schema;
    private EventLoop server;
    private EventLoop clients;
    private Client client;
    private volatile StructValue received;

    @BeforeEach
    void setUp() {
        schema = Schema.load(TestSupport.SCHEMAS.resolve("types.capnp"));
        server = EventLoop.start("sv-server");
        clients = EventLoop.start("sv-clients");
        Path socket = TestSupport.tempSocket("sv.sock");
        server.listen(socket, Implementation.of(schema.interfaceType("TypesTest")).on("roundTrip", (p, r) -> {
            received = p.getStruct("value");
            r.set("result", received);
        }));
        client = clients.connect(socket, schema.interfaceType("TypesTest"));
    }

    @AfterEach
    void tearDown() {
        clients.close();
        server.close();
        schema.close();
    }

    private StructValue roundTrip(Object value) {
        return client.call("roundTrip", p -> p.set("value", value)).getStruct("result");
    }

    @Test
    void receivedStructWithUnionsGroupAndListsOfStructsIsSentOnUnchanged() {
        StructValue first = roundTrip(new StructBuilder()
                .set("word", "wörd").setStruct("choice", c -> c.set("b", 2.5))
                .setStruct("point", p -> p.set("x", -3).set("y", 4))
                .setStruct("inner", i -> i.set("id", 7).set("name", "seven"))
                .setList("innerList", new StructBuilder().set("id", 1).set("name", "one"),
                        new StructBuilder().set("id", 4000000000L).set("name", "big"))
                .setList("nestedList", List.of(1, 2), List.of())
                .set("data", new byte[] {0, 1, 2}).set("color", "green").setUnsigned("u64", -1L));
        StructValue firstSeen = received;

        StructValue second = roundTrip(first);  // the received value itself is the param
        assertSameFields(firstSeen, received);
        assertSameFields(first, second);
        assertEquals("word", received.which());
        assertEquals("b", received.getStruct("choice").which());
        List<Object> inner = received.getList("innerList");
        assertEquals(2, inner.size());
        assertEquals("big", ((StructValue) inner.get(1)).getString("name"));
    }

    @Test
    void listOfReceivedStructsAndAVoidUnionMemberAreAccepted() {
        StructValue voidMember = roundTrip(new StructBuilder().setVoid("none")
                .setList("innerList", new StructBuilder().set("id", 5)));
        // A List of received structs, set as a param list field.
        List<Object> structs = voidMember.getList("innerList");
        StructValue again = roundTrip(new StructBuilder().set("innerList", List.of(structs.get(0), structs.get(0)))
                .set("inner", structs.get(0)));
        assertEquals(2, again.getList("innerList").size());
        assertEquals(5, again.getStruct("inner").getLong("id"));
        assertEquals("none", roundTrip(voidMember).which(), "the Void member stays the active one");
    }

    @Test
    void aReceivedCapabilityInsideAStructPassesOnAsAHeldCapability() {
        List<String> printed = new CopyOnWriteArrayList<>();
        try (Schema hub = Schema.load(TestSupport.SCHEMAS.resolve("keeper.capnp"))) {
            Implementation printer = Implementation.of(hub.interfaceType("Callbacks.Printer"))
                    .on("print", (p, r) -> printed.add(p.getString("text")));
            Path socket = TestSupport.tempSocket("keeper.sock");
            // Keeper gives a holder without a printer the server's printer; one with a printer goes back as received.
            server.listen(socket, Implementation.of(hub.interfaceType("Keeper")).on("keep", (p, r) -> {
                StructValue holder = p.getStruct("holder");
                r.set("result", holder.has("printer") ? holder
                        : new StructBuilder().set("name", holder.getString("name")).set("printer", printer));
            }));
            try (Client keeper = clients.connect(socket, hub.interfaceType("Keeper"))) {
                StructValue kept = keeper.call("keep", p -> p.setStruct("holder", h -> h.set("name", "first")))
                        .getStruct("result");
                // The received struct, with the capability it holds, is the next call's param.
                StructValue again = keeper.call("keep", p -> p.set("holder", kept)).getStruct("result");
                assertEquals("first", again.getString("name"));
                try (Client back = again.getClient("printer"); Client first = kept.getClient("printer")) {
                    back.call("print", p -> p.set("text", "through two hops"));
                }
            }
        }
        assertEquals(List.of("through two hops"), printed);
    }

    /** Equal field by field, Data compared by content, nested structs and lists deeply. */
    private static void assertSameFields(StructValue expected, StructValue actual) {
        assertNotNull(actual);
        assertEquals(expected.which(), actual.which());
        assertEquals(expected.toMap().keySet(), actual.toMap().keySet());
        for (Map.Entry<String, Object> field : expected.toMap().entrySet()) {
            assertSameValue(field.getKey(), field.getValue(), actual.get(field.getKey()));
        }
    }

    private static void assertSameValue(String where, Object expected, Object actual) {
        if (expected instanceof StructValue s) {
            assertSameFields(s, assertInstanceOf(StructValue.class, actual, where));
        } else if (expected instanceof byte[] b) {
            assertArrayEquals(b, assertInstanceOf(byte[].class, actual, where), where);
        } else if (expected instanceof List<?> l) {
            List<?> other = assertInstanceOf(List.class, actual, where);
            assertEquals(l.size(), other.size(), where);
            for (int i = 0; i < l.size(); i++) assertSameValue(where + "[" + i + "]", l.get(i), other.get(i));
        } else {
            assertEquals(expected, actual, where);
        }
    }
}
