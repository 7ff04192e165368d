package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** How a Cap'n Proto exception description becomes RemoteException's fields. */
class RemoteExceptionTest {
    @Test
    void anErrorThatCrossedTwoHopsLosesBothRemotePrefixes() {
        RemoteException e = new RemoteException(RemoteException.Type.FAILED,
                "remote exception: remote exception: std::exception: no thread specified");
        assertEquals("std::exception: no thread specified", e.reason());
        assertEquals("FAILED: std::exception: no thread specified", e.getMessage());
        assertEquals("std::exception", e.remoteType());
        assertEquals("no thread specified", e.remoteMessage());
    }

    @Test
    void aReasonWithoutATypeNameKeepsItWhole() {
        RemoteException e = new RemoteException(RemoteException.Type.DISCONNECTED, "Peer disconnected.");
        assertNull(e.remoteType());
        assertEquals("Peer disconnected.", e.remoteMessage());
        RemoteException spaced = new RemoteException(RemoteException.Type.FAILED, "called after destroy: Foo.bar");
        assertNull(spaced.remoteType(), "a sentence before the colon is not a type name");
        assertEquals("called after destroy: Foo.bar", spaced.remoteMessage());
    }
}
