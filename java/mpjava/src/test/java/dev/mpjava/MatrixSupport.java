package dev.mpjava;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Reflection and leak accounting for {@link HandleMisuseMatrixTest}. */
final class MatrixSupport {
    private MatrixSupport() {}

    /** Public, non-static methods declared by {@code type} itself, without Object's; sorted. */
    static List<Method> publicMethods(Class<?> type) {
        List<Method> out = new ArrayList<>();
        for (Method m : type.getDeclaredMethods()) {
            int mod = m.getModifiers();
            if (!Modifier.isPublic(mod) || Modifier.isStatic(mod) || m.isSynthetic() || m.isBridge()) continue;
            try {
                Object.class.getMethod(m.getName(), m.getParameterTypes());  // equals, hashCode, toString
            } catch (NoSuchMethodException notObjects) {
                out.add(m);
            }
        }
        out.sort(Comparator.comparing(MatrixSupport::signature));
        return out;
    }

    /** Public classes of package dev.mpjava (as compiled to target/classes) with a public instance close(). */
    static List<String> closeableClasses() throws Exception {
        Path classes = Path.of(EventLoop.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(classes.resolve("dev/mpjava"))) {
            for (String file : files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class")).toList()) {
                Class<?> c = Class.forName("dev.mpjava." + file.substring(0, file.length() - 6), false,
                        EventLoop.class.getClassLoader());
                if (!Modifier.isPublic(c.getModifiers()) || c.isInterface()) continue;
                try {
                    if (!Modifier.isStatic(c.getMethod("close").getModifiers())) out.add(c.getName());
                } catch (NoSuchMethodException notAHandle) {
                    // no close()
                }
            }
        }
        if (!out.contains(EventLoop.class.getName())) throw new AssertionError("class scan of " + classes + " found " + out);
        return out;
    }

    static String signature(Method m) {
        List<String> params = new ArrayList<>();
        for (Class<?> p : m.getParameterTypes()) params.add(p.getSimpleName());
        return m.getName() + "(" + String.join(", ", params) + ")";
    }

    /** What mpjava holds: native counts, dispatcher registrations, and this process's open socket fds. */
    record Footprint(Map<String, Long> counts, int registrations, long sockets) {
        static Footprint now() {
            NativeStats stats = NativeStats.snapshot();
            return new Footprint(stats.counts(), stats.dispatcherRegistrations(), openSockets());
        }

        /** After earlier tests' Cleaner releases and closes have finished. */
        static Footprint settled() throws InterruptedException {
            Footprint last = now();
            for (int i = 0; i < 40; i++) {
                System.gc();
                Thread.sleep(25);
                Footprint next = now();
                if (i >= 2 && next.equals(last)) break;
                last = next;
            }
            return last;
        }

        /** Waits (collecting garbage) until back at {@code base}; returns what is not, or "". */
        static String awaitBack(Footprint base, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                System.gc();  // received capabilities nobody closed go with the Cleaner
                String left = now().differenceFrom(base);
                if (left.isEmpty() || System.nanoTime() > deadline) return left;
                Thread.sleep(20);
            }
        }

        /** What grew since {@code base} (a leak); something made earlier may be released later, which is not. */
        String differenceFrom(Footprint base) {
            StringBuilder out = new StringBuilder();
            for (String key : new TreeSet<>(counts.keySet())) {
                long was = base.counts.getOrDefault(key, 0L);
                if (counts.get(key) > was) out.append(key).append(' ').append(was).append(" -> ").append(counts.get(key)).append("; ");
            }
            if (registrations > base.registrations) {
                out.append("dispatcherRegistrations ").append(base.registrations).append(" -> ").append(registrations).append("; ");
            }
            if (sockets > base.sockets) out.append("socket fds ").append(base.sockets).append(" -> ").append(sockets).append("; ");
            return out.toString();
        }

        private static long openSockets() {
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                return fds.filter(fd -> {
                    try {
                        return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                    } catch (IOException gone) {
                        return false;  // the listing's own fd, or one closed meanwhile
                    }
                }).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
