package dev.mpjava.examples.mining;

import dev.mpjava.examples.mining.schema.BlockRef;
import dev.mpjava.examples.mining.schema.CoinbaseTx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fake node's chain: only a tip that grows by one block when told to or when a
 * solution for the tip arrives, and the made-up block data templates hand out.
 */
final class FakeChain {
    private BlockRef tip = block(0);
    private int interrupts;

    synchronized BlockRef tip() {
        return tip;
    }

    /** A new block on the tip; waitTipChanged callers wake. */
    synchronized void advance() {
        tip = block(tip.height() + 1);
        notifyAll();
    }

    /** Accepts a solution if its template was built on the current tip. */
    synchronized boolean extend(BlockRef parent) {
        if (!parent.equals(tip)) return false;
        advance();
        return true;
    }

    /** Wakes every waitTipChanged call (Mining.interrupt). */
    synchronized void interrupt() {
        interrupts++;
        notifyAll();
    }

    /** The tip once it is not {@code current} any more, or at the timeout (ms) or an interrupt. */
    synchronized BlockRef waitTipChanged(byte[] current, double timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (Math.min(timeoutMillis, 86_400_000.0) * 1e6);
        int seen = interrupts;
        while (Arrays.equals(tip.hash(), current) && interrupts == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return tip;
    }

    /** An 80-byte block header on {@code parent} (version, previous hash, merkle root, time, bits, nonce). */
    static byte[] header(BlockRef parent) {
        return ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN).putInt(0x20000000).put(parent.hash())
                .put(sha256("merkle root on " + parent.height())).putInt((int) (System.currentTimeMillis() / 1000))
                .putInt(0x207fffff).putInt(0).array();
    }

    /** The fields a client builds the coinbase of a block at {@code height} from. */
    static CoinbaseTx coinbase(int height) {
        byte[] heightPush = {3, (byte) height, (byte) (height >> 8), (byte) (height >> 16)};  // BIP34
        byte[] witnessCommitment = ByteBuffer.allocate(38).put(new byte[] {0x6a, 0x24, (byte) 0xaa, 0x21, (byte) 0xa9,
                (byte) 0xed}).put(sha256("witness root " + height)).array();
        return CoinbaseTx.builder().version(2).sequence(0xffffffffL).scriptSigPrefix(heightPush).witness(new byte[32])
                .blockRewardRemaining(312_500_000L).requiredOutputs(List.of(witnessCommitment)).build();
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BlockRef block(int height) {
        return new BlockRef(sha256("fake block " + height), height);
    }
}
