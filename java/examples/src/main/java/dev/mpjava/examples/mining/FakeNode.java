package dev.mpjava.examples.mining;

import dev.mpjava.ConnectionEvents;
import dev.mpjava.EventLoop;
import dev.mpjava.LogLevel;
import dev.mpjava.LogOptions;
import dev.mpjava.Peer;
import dev.mpjava.examples.mining.schema.BlockCreateOptions;
import dev.mpjava.examples.mining.schema.BlockRef;
import dev.mpjava.examples.mining.schema.BlockTemplate;
import dev.mpjava.examples.mining.schema.CoinbaseTx;
import dev.mpjava.examples.mining.schema.Init;
import dev.mpjava.examples.mining.schema.Mining;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for bitcoin-node's IPC socket: serves Bitcoin Core's Init interface; makeMining
 * gives each connection a Mining whose block templates build on a {@link FakeChain}. Each
 * connection keeps its own registry of live templates, so the listener makes one Init per
 * connection. Methods a template provider does not need are left out: calls to them fail
 * with UnsupportedOperationException (the generated interfaces' default).
 *
 * <p>Usage: {@code FakeNode SOCKET [BLOCK_INTERVAL_MS]}: a new block every interval (10 s by default).
 */
public final class FakeNode implements AutoCloseable {
    final FakeChain chain = new FakeChain();
    /** Live templates by connection id, then template number. */
    final Map<Long, Map<Integer, BlockRef>> templates = new ConcurrentHashMap<>();
    private final AtomicInteger numbers = new AtomicInteger();
    private final EventLoop loop;

    FakeNode(Path socket, LogOptions log) {
        loop = EventLoop.start("fake-node", log);
        loop.listen(socket, peer -> Init.implementation(new Connection(peer))).watchConnections(new ConnectionEvents() {
            @Override
            public void disconnected(Peer peer, int active) {
                templates.remove(peer.connectionId());
            }
        });
    }

    public static void main(String[] args) throws Exception {
        try (FakeNode node = new FakeNode(Path.of(args[0]), LogOptions.defaults().minLevel(LogLevel.WARNING))) {
            System.out.println("fake node: serving Init on " + args[0]);
            while (true) {
                Thread.sleep(args.length > 1 ? Long.parseLong(args[1]) : 10_000);
                node.chain.advance();
                System.out.println("fake node: new tip at height " + node.chain.tip().height());
            }
        }
    }

    @Override
    public void close() {
        loop.close();
    }

    /** One connection's Init, and the Mining it makes (the same object: both share its templates). */
    private final class Connection implements Init, Mining {
        private final Peer peer;
        private final Map<Integer, BlockRef> live = new ConcurrentHashMap<>();

        Connection(Peer peer) {
            this.peer = peer;
            templates.put(peer.connectionId(), live);
        }

        @Override
        public Mining makeMining() {
            return this;
        }

        @Override
        public boolean isTestChain() {
            return true;
        }

        @Override
        public boolean isInitialBlockDownload() {
            return false;
        }

        @Override
        public Optional<BlockRef> getTip() {
            return Optional.of(chain.tip());
        }

        @Override
        public BlockRef waitTipChanged(byte[] currentTip, double timeout) throws InterruptedException {
            return chain.waitTipChanged(currentTip, timeout);
        }

        @Override
        public BlockTemplate createNewBlock(BlockCreateOptions options, boolean cooldown) {
            Template template = new Template(chain.tip());
            System.out.printf("fake node: template %d for pid %d on height %d (reserved weight %d), %d live%n",
                    template.number, peer.pid(), template.parent.height(), options.blockReservedWeight(), live.size());
            return template;
        }

        @Override
        public void interrupt() {
            chain.interrupt();
        }

        /** A block template on {@code parent}; closed (destroyed or released by the client), it leaves the registry. */
        private final class Template implements BlockTemplate, AutoCloseable {
            final int number = numbers.incrementAndGet();
            final BlockRef parent;

            Template(BlockRef parent) {
                this.parent = parent;
                live.put(number, parent);
            }

            @Override
            public byte[] getBlockHeader() {
                return FakeChain.header(parent);
            }

            @Override
            public CoinbaseTx getCoinbaseTx() {
                return FakeChain.coinbase(parent.height() + 1);
            }

            @Override
            public List<byte[]> getCoinbaseMerklePath() {
                return List.of(FakeChain.sha256("tx 1"), FakeChain.sha256("tx 2"));
            }

            @Override
            public List<Long> getTxFees() {
                return List.of(1_000L, 2_500L);
            }

            @Override
            public SubmitSolutionResults submitSolution(long version, long timestamp, long nonce, byte[] coinbase,
                    boolean precious) {
                boolean accepted = coinbase.length > 0 && chain.extend(parent);
                return new SubmitSolutionResults(accepted ? "" : "inconclusive-not-best-prevblk", "", accepted);
            }

            @Override
            public void close() {
                live.remove(number);
            }
        }
    }
}
