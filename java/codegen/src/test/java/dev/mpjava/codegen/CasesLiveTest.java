package dev.mpjava.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gen.cases.Counter;
import gen.cases.Factory;
import gen.cases.Holder;
import gen.cases.IntFn;
import gen.cases.Keyworded;
import gen.cases.Keywords;
import gen.cases.Labelled;
import gen.cases.Named;
import gen.cases.Pair;
import gen.cases.Pairs;
import gen.cases.Point;
import gen.cases.Shape;
import gen.cases.Shapes;
import gen.cases.ShapesConsts;
import gen.imports.Kind;
import gen.imports.Store;
import gen.imports.Thing;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The generator cases (src/test/capnp/cases), typed server and typed client over a real Unix socket. */
class CasesLiveTest {
    Live live;

    @BeforeEach
    void start() throws Exception {
        live = new Live();
    }

    @AfterEach
    void stop() throws Exception {
        live.close();
    }

    @Test
    void genericStructsRoundTripWithTheirBoundTypes() throws Exception {
        Path socket = live.serve(Pairs.implementation(new Pairs() {
            @Override
            public Pair<String, String> swap(Pair<String, String> pair) {
                return new Pair<>(pair.second(), pair.first());
            }

            @Override
            public Labelled label(Labelled value) {
                return value;
            }
        }));
        try (Pairs.Client pairs = Pairs.connect(live.clients, socket, Live.OPTIONS)) {
            assertEquals(new Pair<>("b", "a"), pairs.swap(new Pair<>("a", "b")));
            Labelled labelled = Labelled.builder().names(new Pair<>("x", "y")).where(new Pair<>("here", new Point(1, 2)))
                    .history(List.of(new Pair<>("then", new Point(3, 4)))).build();
            assertEquals(labelled, pairs.label(labelled));
            assertEquals(new Pair<>("", Point.DEFAULT), pairs.label(Labelled.DEFAULT).where(),
                    "an absent generic struct reads as its bound types' defaults");
        }
    }

    /** A Counter server: inherits name() from Named. */
    record NamedCounter(String name, AtomicLong value) implements Counter {
        @Override
        public long next() {
            return value.getAndIncrement();
        }
    }

    @Test
    void inheritedMethodsLambdasAndCapabilitiesOfASubinterfaceWork() throws Exception {
        Path socket = live.serve(Factory.implementation(new Factory() {
            @Override
            public Counter makeCounter(String name, long start) {
                return new NamedCounter(name, new AtomicLong(start));
            }

            @Override
            public int apply(IntFn fn, int arg) throws Exception {
                return fn.call(arg);
            }

            @Override
            public String nameOf(Named named) throws Exception {
                return named.name();
            }
        }));
        try (Factory.Client factory = Factory.connect(live.clients, socket, Live.OPTIONS);
                Counter.Client counter = factory.makeCounter("c", 10)) {
            assertEquals(10, counter.next());
            assertEquals(11, counter.nextAsync().join());
            assertEquals("c", counter.name(), "a method of the superinterface");
            assertEquals(42, factory.apply(arg -> arg * 6, 7), "a lambda is an IntFn");
            Named named = () -> "local";
            assertEquals("local", factory.nameOf(named));
            Counter other = new NamedCounter("other", new AtomicLong());
            assertEquals("other", factory.nameOf(other), "a Counter passes where a Named is expected");
        }
    }

    @Test
    void unionsGroupsOptionalsDefaultsAndConstsMapAsDocumented() throws Exception {
        Shape square = Shape.builder().name("square").polygon(new Shape.Polygon(4, 2.0))
                .style(Shape.Style.builder().color(0xff0000).build()).weight(Optional.of(-1L)).build();
        Path socket = live.serve(Shapes.implementation(new Shapes() {
            @Override
            public Optional<Shape> largest() {
                return Optional.of(square);
            }

            @Override
            public double area(Shape shape) {
                return switch (shape.which()) {
                    case CIRCLE -> Math.PI * shape.circle().radius() * shape.circle().radius();
                    case POLYGON -> shape.polygon().side() * shape.polygon().side();
                    case EMPTY -> 0;
                };
            }

            @Override
            public DescribeResults describe(Shape shape) {
                return new DescribeResults(shape.name(), shape.polygon().sides(), shape.fill());
            }
        }));
        try (Shapes.Client shapes = Shapes.connect(live.clients, socket, Live.OPTIONS)) {
            Shape back = shapes.largest().orElseThrow();
            assertEquals(square, back);
            assertEquals(Shape.Which.POLYGON, back.which());
            assertEquals(Shape.Style.Which.COLOR, back.style().which());
            assertEquals("18446744073709551615", Long.toUnsignedString(back.weight().orElseThrow()));
            assertEquals(4.0, shapes.area(square));
            assertEquals(0.0, shapes.area(Shape.builder().empty().build()));
            assertEquals(new Shapes.DescribeResults("shape", 0, Shape.Fill.SOLID), shapes.describe(Shape.DEFAULT),
                    "defaults of the schema: name \"shape\", fill solid");
            assertEquals(Shape.Which.CIRCLE, Shape.DEFAULT.which());
            assertEquals(Optional.empty(), Shape.DEFAULT.weight());
            assertEquals(12L, ShapesConsts.MAX_SIDES);
            assertEquals("hello", ShapesConsts.GREETING);
            assertEquals(1.0, Shape.UNIT_RADIUS);
        }
    }

    @Test
    void keywordsAndClashingNamesAreEscapedAndStillReachTheirFields() throws Exception {
        Path socket = live.serve(Keyworded.implementation(new Keyworded() {
            @Override
            public void close_() {}

            @Override
            public int connect_(int for_) {
                return for_ + 1;
            }

            @Override
            public String do_(String wait, String impl) {
                return wait + impl;
            }

            @Override
            public void run() {}

            @Override
            public int runAsync() {
                return 5;
            }
        }));
        try (Keyworded.Client client = Keyworded.connect(live.clients, socket, Live.OPTIONS)) {
            client.close_();
            assertEquals(2, client.connect_(1));
            assertEquals("ab", client.do_("a", "b"));
            client.runAsync_().join();
            assertEquals(5, client.runAsync());
            assertEquals(5, client.runAsyncAsync().join());
        }
        Keywords k = Keywords.builder().class_("c").new_(1).toString_("t").builder_(2).default_(true).hashCode_(255).build();
        assertEquals(k, Keywords.fromWire(null).toBuilder().class_("c").new_(1).toString_("t").builder_(2).default_(true)
                .hashCode_(255).build());
        assertEquals(new Keywords.Builder_(3), Keywords.Builder_.builder().value(3).build());
    }

    @Test
    void typesNamedLikeLibraryAndJavaLangTypesWork() throws Exception {
        Path socket = live.serve(Holder.implementation((client, label) ->
                new Holder.WrapResults(new Holder.Client_(client.name() + "!"), label.text())));
        try (Holder.Client holder = Holder.connect(live.clients, socket, Live.OPTIONS)) {
            Holder.WrapResults r = holder.wrap(new Holder.Client_("n"), new gen.cases.String("label"));
            assertEquals("n!", r.result().name());
            assertEquals("label", r.text());
        }
        assertEquals(7, new gen.cases.Client(7).id());
    }

    @Test
    void typesOfAnImportedFileAreGeneratedInTheSamePackage() throws Exception {
        Path socket = live.serve(Store.implementation(new Store() {
            @Override
            public Thing put(Thing thing) {
                return thing.toBuilder().label(thing.label() + "+").build();
            }

            @Override
            public Kind kind(Kind kind) {
                return kind == Kind.SMALL ? Kind.LARGE : Kind.SMALL;
            }
        }));
        try (Store.Client store = Store.connect(live.clients, socket, Live.OPTIONS)) {
            Thing thing = store.put(Thing.builder().label("t").payload(new byte[] {4, 5}).build());
            assertEquals("t+", thing.label());
            assertEquals(Kind.LARGE, thing.kind(), "the schema's default");
            assertArrayEquals(new byte[] {4, 5}, thing.payload());
            assertEquals(Kind.LARGE, store.kind(Kind.SMALL));
            assertEquals(1, Kind.LARGE.wireOrdinal());
            assertTrue(store.toString().startsWith("Store.Client"));
        }
    }
}
