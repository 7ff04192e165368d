package dev.mpjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text reader behind describe and typed params, on the shapes real schemas use. */
class CapnpSourceTest {
    @TempDir
    Path dir;

    private CapnpSource read(String text) throws Exception {
        Path file = dir.resolve("t.capnp");
        Files.writeString(file, text);
        return CapnpSource.read(file);
    }

    @Test
    void readsNestedInterfacesSuperclassesDefaultsAnnotationsAndStructParams() throws Exception {
        CapnpSource source = read("""
                @0xbf5147cbbecf40c1;
                using Proxy = import "/mp/proxy.capnp";   # a comment with interface Fake { }
                const limit :UInt32 = 5;
                interface Base @0x9b2b0d7a5a6e0b1c {
                  ping @0 () -> ();
                }
                interface Outer extends(Base) $Proxy.wrap("x::Outer") {
                  interface Inner { get @0 (key :Text = "a,b") -> (values :List(Data)); }
                  put @1 (context :Proxy.Context, items :List(List(Int64)) $Proxy.name("x")) -> (ok :Bool);
                  whole @2 Request -> Response;
                  done @3 (flag :Bool);
                }
                struct Request { id @0 :UInt64 = 7; pair :group { a @1 :Int8; } color @2 :Color; }
                enum Color { red @0; green @1; }
                """);

        assertEquals(List.of("Base", "Outer", "Outer.Inner"), List.copyOf(source.interfaces().keySet()));
        assertEquals("0x9b2b0d7a5a6e0b1c", source.interfaces().get("Base").id());
        CapnpSource.Interface outer = source.interfaces().get("Outer");
        assertEquals(List.of("Base"), outer.superclasses());
        assertEquals(List.of(new CapnpSource.Field("context", "Proxy.Context"),
                new CapnpSource.Field("items", "List(List(Int64))")), outer.method("put").params());
        assertEquals(List.of(new CapnpSource.Field("ok", "Bool")), outer.method("put").results());
        assertEquals("Request", outer.method("whole").paramsType());
        assertEquals("Response", outer.method("whole").resultsType());
        assertEquals(List.of(), outer.method("done").results());
        assertEquals(3, outer.method("done").ordinal());

        CapnpSource.Interface inner = source.find("Inner");
        assertEquals(List.of(new CapnpSource.Field("key", "Text")), inner.method("get").params());
        assertEquals(List.of(new CapnpSource.Field("values", "List(Data)")), inner.method("get").results());

        assertEquals(2, source.types().size());
        CapnpSource.Type request = source.types().get(0);
        assertEquals(List.of(new CapnpSource.Field("id", "UInt64"), new CapnpSource.Field("color", "Color")), request.fields());
        assertEquals(List.of(new CapnpSource.Field("red", null), new CapnpSource.Field("green", null)),
                source.types().get(1).fields());
        assertNull(source.find("Fake"));
    }
}
