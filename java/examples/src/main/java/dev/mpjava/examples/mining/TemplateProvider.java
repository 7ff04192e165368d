package dev.mpjava.examples.mining;

import dev.mpjava.Client;
import dev.mpjava.EventLoop;
import dev.mpjava.LogLevel;
import dev.mpjava.LogOptions;
import dev.mpjava.StructValue;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A template provider on Bitcoin Core's Mining interface, with the dynamic API: gets a block
 * template, reads its header, coinbase fields and merkle path, submits a solution and
 * destroys the template, while another thread waits for the tip to change.
 *
 * <p>Usage: {@code TemplateProvider SOCKET} (a bitcoin-node -ipcbind socket, or a {@link FakeNode}'s).
 */
public final class TemplateProvider {
    private TemplateProvider() {}

    public static void main(String[] args) throws Exception {
        run(Path.of(args[0]), System.out);
    }

    /** One round against the node at {@code socket}; returns the height of the tip it saw change. */
    static long run(Path socket, PrintStream out) throws Exception {
        HexFormat hex = HexFormat.of();
        LogOptions quiet = LogOptions.defaults().minLevel(LogLevel.WARNING);
        try (MiningSchema types = new MiningSchema(); EventLoop loop = EventLoop.start("template-provider", quiet);
                Client init = loop.connect(socket, types.init);
                Client mining = init.call("makeMining").getClient("result")) {
            StructValue tip = mining.call("getTip").getStruct("result");
            out.printf("tip: height %d, hash %s%n", tip.getLong("height"), hex.formatHex(tip.getBytes("hash")));
            // Another thread: the node serves each calling thread on a thread of its own.
            CompletableFuture<StructValue> changed = CompletableFuture.supplyAsync(() -> mining.call("waitTipChanged",
                    p -> p.set("currentTip", tip.getBytes("hash")).set("timeout", 60_000.0)).getStruct("result"));
            try (Client template = mining.call("createNewBlock", p -> p.setStruct("options",
                    o -> o.set("useMempool", true).set("blockReservedWeight", 4000))).getClient("result")) {
                byte[] header = template.call("getBlockHeader").getBytes("result");
                StructValue coinbase = template.call("getCoinbaseTx").getStruct("result");
                List<Object> path = template.call("getCoinbaseMerklePath").getList("result");
                out.printf("template: header %s..., coinbase version %d, reward %d sat, %d required outputs, "
                        + "merkle path of %d%n", hex.formatHex(header, 0, 8), coinbase.getLong("version"),
                        coinbase.getLong("blockRewardRemaining"), coinbase.getList("requiredOutputs").size(), path.size());
                // A real provider serializes its coinbase from these fields and grinds the nonce.
                StructValue submitted = template.call("submitSolution", p -> p.set("version", 0x20000000)
                        .set("timestamp", System.currentTimeMillis() / 1000).set("nonce", 42)
                        .set("coinbase", coinbase.getBytes("scriptSigPrefix")));
                out.printf("submitSolution: %s %s%n", submitted.getBoolean("result"), submitted.getString("reason"));
            }  // close(): BlockTemplate.destroy
            StructValue next = changed.get(60, TimeUnit.SECONDS);
            out.printf("tip changed: height %d, hash %s%n", next.getLong("height"), hex.formatHex(next.getBytes("hash")));
            return next.getLong("height");
        }
    }
}
