package dev.mpjava.examples.mining;

import dev.mpjava.ConnectionEvents;
import dev.mpjava.EventLoop;
import dev.mpjava.LogLevel;
import dev.mpjava.LogOptions;
import dev.mpjava.Implementation;
import dev.mpjava.Peer;
import dev.mpjava.StructValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for bitcoin-node's IPC socket, with the dynamic API: serves Bitcoin Core's Init
 * interface; makeMining gives each connection a Mining whose block templates build on a
 * {@link FakeChain}. Each connection keeps its own registry of live templates, so the
 * listener makes one Init per connection (an ImplementationFactory).
 *
 * <p>Usage: {@code FakeNode SOCKET [BLOCK_INTERVAL_MS]}: a new block every interval (10 s by default).
 */
public final class FakeNode implements AutoCloseable {
    final FakeChain chain = new FakeChain();
    /** Live templates by connection id, then template number. */
    final Map<Long, Map<Integer, FakeChain.Block>> templates = new ConcurrentHashMap<>();
    private final AtomicInteger numbers = new AtomicInteger();
    private final MiningSchema types = new MiningSchema();
    private final EventLoop loop = EventLoop.start("fake-node", LogOptions.defaults().minLevel(LogLevel.WARNING));

    FakeNode(Path socket) {
        loop.listen(socket, this::init).watchConnections(new ConnectionEvents() {
            @Override
            public void disconnected(Peer peer, int active) {
                templates.remove(peer.connectionId());
            }
        });
    }

    public static void main(String[] args) throws Exception {
        try (FakeNode node = new FakeNode(Path.of(args[0]))) {
            System.out.println("fake node: serving Init on " + args[0]);
            while (true) {
                Thread.sleep(args.length > 1 ? Long.parseLong(args[1]) : 10_000);
                node.chain.advance();
                System.out.println("fake node: new tip at height " + node.chain.tip().height());
            }
        }
    }

    private Implementation init(Peer peer) {
        Map<Integer, FakeChain.Block> live = new ConcurrentHashMap<>();
        templates.put(peer.connectionId(), live);
        Implementation mining = Implementation.of(types.mining)
                .on("isTestChain", (p, r) -> r.set("result", true))
                .on("isInitialBlockDownload", (p, r) -> r.set("result", false))
                .on("getTip", (p, r) -> r.set("result", FakeChain.ref(chain.tip())).set("hasResult", true))
                .on("waitTipChanged", (p, r) -> r.set("result",
                        chain.waitTipChanged(p.getBytes("currentTip"), p.getDouble("timeout"))))
                .on("createNewBlock", (p, r) -> r.set("result", template(peer, live, p.getStruct("options"))))
                .on("interrupt", (p, r) -> chain.interrupt());
        return Implementation.of(types.init).on("makeMining", (p, r) -> r.set("result", mining));
    }

    private Implementation template(Peer peer, Map<Integer, FakeChain.Block> live, StructValue options) {
        FakeChain.Block parent = chain.tip();
        int number = numbers.incrementAndGet();
        live.put(number, parent);
        System.out.printf("fake node: template %d for pid %d on height %d (reserved weight %s), %d live%n", number,
                peer.pid(), parent.height(), options == null ? "default" : options.get("blockReservedWeight"), live.size());
        return Implementation.of(types.blockTemplate)
                .on("getBlockHeader", (p, r) -> r.set("result", FakeChain.header(parent)))
                .on("getCoinbaseTx", (p, r) -> r.set("result", FakeChain.coinbase(parent.height() + 1)))
                .on("getCoinbaseMerklePath", (p, r) -> r.set("result",
                        List.of(FakeChain.sha256("tx 1"), FakeChain.sha256("tx 2"))))
                .on("getTxFees", (p, r) -> r.set("result", List.of(1_000L, 2_500L)))
                .on("submitSolution", (p, r) -> {
                    boolean accepted = p.getBytes("coinbase").length > 0 && chain.extend(parent);
                    r.set("result", accepted).set("reason", accepted ? "" : "inconclusive-not-best-prevblk");
                })
                .onClose(() -> live.remove(number));
    }

    @Override
    public void close() {
        loop.close();
        types.close();
    }
}
