package dev.mpjava.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The platform check before Loader.load: the supported platform passes, any other fails with
 * both names in the message. (ci/check-consumer.sh checks the same end to end, with
 * -Dorg.bytedeco.javacpp.platform=linux-arm64 against the packaged jar.)
 */
class NativePlatformTest {
    @Test
    void supportedPlatformPasses() {
        assertDoesNotThrow(() -> NativePlatform.check("linux-x86_64"));
        assertDoesNotThrow(() -> NativePlatform.check());
    }

    @Test
    void otherPlatformsFailNamingBoth() {
        for (String platform : new String[] {"linux-arm64", "macosx-arm64", "windows-x86_64"}) {
            UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> NativePlatform.check(platform));
            assertTrue(e.getMessage().contains("built for linux-x86_64 only"), e.getMessage());
            assertTrue(e.getMessage().contains("platform is " + platform), e.getMessage());
        }
    }
}
