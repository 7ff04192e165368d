package dev.mpjava.internal;

import org.bytedeco.javacpp.Loader;

/**
 * The platform check that runs before JavaCPP loads the native libraries: the jar carries
 * them for {@value #SUPPORTED} only, and anywhere else Loader would fail with a bare
 * "no jniNativeApi in java.library.path".
 */
public final class NativePlatform {
    /** The one platform the bundled libraries are built for (JavaCPP's platform name). */
    public static final String SUPPORTED = "linux-x86_64";

    private NativePlatform() {}

    /** Throws {@link UnsatisfiedLinkError} unless JavaCPP's platform is {@value #SUPPORTED}. */
    public static void check() {
        check(Loader.getPlatform());
    }

    static void check(String platform) {
        if (!SUPPORTED.equals(platform)) {
            throw new UnsatisfiedLinkError("mpjava's native libraries are built for " + SUPPORTED
                    + " only; this JVM's platform is " + platform + " (os.name=" + System.getProperty("os.name")
                    + ", os.arch=" + System.getProperty("os.arch") + ")");
        }
    }
}
