package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mpjava.internal.NativeApi;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;

/**
 * Proves that the Cap'n Proto libraries used at run time are the copies bundled next to the JNI
 * library (in the jar, or in target/classes during an in-tree test run), never the system copies
 * under /usr/lib or /lib. A build whose bundling or preload order is broken still passes the
 * functional tests on a machine with libcapnp-dev installed, because the dynamic linker then falls
 * back to the system copies; this test fails instead.
 *
 * <p>When the classes come from a jar (failsafe runs this test against the packaged jar), the
 * bundle directory must additionally lie under JavaCPP's cache directory
 * ({@code -Dorg.bytedeco.javacpp.cachedir}), i.e. the libraries were extracted from the jar. With
 * {@code -Dmpjava.expectJar=true} the test also fails if the classes did not come from a jar.
 */
class NativeLibrariesBundledTest {

  /** Debian's Cap'n Proto libraries, in the order JavaCPP preloads them. */
  private static final List<String> BUNDLED =
      List.of(
          "libkj-0.9.2.so",
          "libkj-async-0.9.2.so",
          "libcapnp-0.9.2.so",
          "libcapnp-rpc-0.9.2.so",
          "libcapnpc-0.9.2.so",
          "libmpjava.so");

  /** File names of kj / capnp / mpjava shared objects, whatever their version suffix. */
  private static final Pattern WATCHED = Pattern.compile("lib(kj|capnp|mpjava)[^/]*\\.so[^/]*");

  private static final List<String> SYSTEM_DIRS = List.of("/usr/lib", "/lib", "/usr/local/lib");

  @Test
  void capnpLibrariesAreLoadedFromTheBundle() throws IOException {
    Path maps = Path.of("/proc/self/maps");
    assumeTrue(Files.isReadable(maps), "needs Linux /proc/self/maps");

    String jniLib = Loader.load(NativeApi.class);
    assertNotNull(jniLib, "Loader.load returned null (org.bytedeco.javacpp.loadLibraries=false?)");
    Path jniPath = Path.of(jniLib);
    assertTrue(
        jniPath.isAbsolute(),
        "JNI library was not loaded from a bundled file but via the system: " + jniLib);
    // /proc/self/maps shows paths with symlinks resolved: compare real paths.
    Path bundleDir = jniPath.toRealPath().getParent();

    Map<String, Path> mapped = mappedLibraries(maps);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Path> e : mapped.entrySet()) {
      Path p = e.getValue();
      for (String sys : SYSTEM_DIRS) {
        if (p.startsWith(sys)) {
          problems.add(p + " is a system copy");
        }
      }
      if (!bundleDir.equals(p.getParent())) {
        problems.add(p + " is not in the bundle directory " + bundleDir);
      }
    }
    for (String name : BUNDLED) {
      if (mapped.keySet().stream().noneMatch(k -> Path.of(k).getFileName().toString().equals(name))) {
        problems.add(name + " is not mapped at all");
      }
    }
    assertEquals(List.of(), problems, "mapped kj/capnp/mpjava libraries: " + mapped.values());

    URL classUrl = NativeApi.class.getResource("NativeApi.class");
    assertNotNull(classUrl);
    if (Boolean.getBoolean("mpjava.expectJar")) {
      assertEquals("jar", classUrl.getProtocol(), "expected to run against the packaged jar: " + classUrl);
    }
    if ("jar".equals(classUrl.getProtocol())) {
      Path cacheDir = Loader.getCacheDir().toPath().toRealPath();
      assertTrue(
          bundleDir.startsWith(cacheDir),
          "loaded from a jar, so the bundle dir " + bundleDir + " must lie under the JavaCPP cache "
              + cacheDir);
      String requested = System.getProperty("org.bytedeco.javacpp.cachedir");
      if (requested != null) {
        assertTrue(
            cacheDir.startsWith(Path.of(requested).toAbsolutePath().normalize()),
            "JavaCPP cache " + cacheDir + " is not the requested " + requested);
      }
    } else {
      assertFalse(bundleDir.startsWith("/usr"), "bundle dir " + bundleDir);
    }
  }

  /** Path of every mapped file whose name looks like a kj / capnp / mpjava library, by path. */
  private static Map<String, Path> mappedLibraries(Path maps) throws IOException {
    Map<String, Path> result = new TreeMap<>();
    for (String line : Files.readAllLines(maps)) {
      // address perms offset dev inode [pathname]; the pathname may contain spaces.
      String[] f = line.trim().split("\\s+", 6);
      if (f.length < 6 || !f[5].startsWith("/")) {
        continue;
      }
      String path = f[5].endsWith(" (deleted)") ? f[5].substring(0, f[5].length() - 10) : f[5];
      Path p = Path.of(path);
      if (WATCHED.matcher(p.getFileName().toString()).matches()) {
        result.put(path, p);
      }
    }
    return result;
  }
}
