import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.Loader;

/**
 * Loads mpjava's native libraries from the class path (the packaged jar) and lists where the
 * kj / capnp / mpjava shared objects were mapped from. Exits 1 if any came from a system dir.
 * Run by ci/check-standalone-jar.sh with the system copies hidden.
 */
public class BundleCheck {
  public static void main(String[] args) throws Exception {
    Class<?> api = Class.forName("dev.mpjava.internal.NativeApi");
    String jni = Loader.load(api);
    System.out.println("BundleCheck: JNI library " + jni);
    List<String> libs =
        Files.readAllLines(Path.of("/proc/self/maps")).stream()
            .map(l -> l.trim().split("\\s+", 6))
            .filter(f -> f.length == 6 && f[5].matches(".*/lib(kj|capnp|mpjava)[^/]*\\.so[^/]*"))
            .map(f -> f[5])
            .distinct()
            .sorted()
            .collect(Collectors.toList());
    boolean ok = libs.size() >= 6;
    for (String l : libs) {
      boolean system = l.startsWith("/usr/") || l.startsWith("/lib");
      ok &= !system;
      System.out.println("BundleCheck: " + (system ? "SYSTEM " : "bundled ") + l);
    }
    if (!ok) {
      System.out.println("BundleCheck: FAILED");
      System.exit(1);
    }
    System.out.println("BundleCheck: OK, " + libs.size() + " libraries from the jar");
  }
}
