package dev.mpjava.examples.mining;

import dev.mpjava.EventLoop;
import dev.mpjava.LogLevel;
import dev.mpjava.LogOptions;
import dev.mpjava.examples.mining.schema.BlockCreateOptions;
import dev.mpjava.examples.mining.schema.BlockRef;
import dev.mpjava.examples.mining.schema.BlockTemplate;
import dev.mpjava.examples.mining.schema.CoinbaseTx;
import dev.mpjava.examples.mining.schema.Init;
import dev.mpjava.examples.mining.schema.Mining;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A template provider on Bitcoin Core's Mining interface: gets a block template, reads its
 * header, coinbase fields and merkle path, submits a solution and destroys the template,
 * while a call waiting for the tip to change is outstanding.
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
        try (EventLoop loop = EventLoop.start("template-provider", LogOptions.defaults().minLevel(LogLevel.WARNING));
                Init.Client init = Init.connect(loop, socket); Mining.Client mining = init.makeMining()) {
            BlockRef tip = mining.getTip().orElseThrow();
            out.printf("tip: height %d, hash %s%n", tip.height(), hex.formatHex(tip.hash()));
            CompletableFuture<BlockRef> changed = mining.waitTipChangedAsync(tip.hash(), 60_000.0);
            BlockCreateOptions options = BlockCreateOptions.builder().useMempool(true).blockReservedWeight(4000).build();
            try (BlockTemplate.Client template = mining.createNewBlock(options)) {
                byte[] header = template.getBlockHeader();
                CoinbaseTx coinbase = template.getCoinbaseTx();
                List<byte[]> path = template.getCoinbaseMerklePath();
                out.printf("template: header %s..., coinbase version %d, reward %d sat, %d required outputs, "
                        + "merkle path of %d%n", hex.formatHex(header, 0, 8), coinbase.version(),
                        coinbase.blockRewardRemaining(), coinbase.requiredOutputs().size(), path.size());
                // A real provider serializes its coinbase from these fields and grinds the nonce.
                BlockTemplate.SubmitSolutionResults submitted = template.submitSolution(0x20000000,
                        System.currentTimeMillis() / 1000, 42, coinbase.scriptSigPrefix(), false);
                out.printf("submitSolution: %s %s%n", submitted.result(), submitted.reason());
            }  // close(): BlockTemplate.destroy
            BlockRef next = changed.get(60, TimeUnit.SECONDS);
            out.printf("tip changed: height %d, hash %s%n", next.height(), hex.formatHex(next.hash()));
            return next.height();
        }
    }
}
