// An independent libmultiprocess peer for mpjava's tests: plain Cap'n Proto RPC over
// code generated from the test schema, no mpjava core. It plays upstream's roles by
// the spec (wire-protocol.md §2-§7):
//   mpjava_test_peer server <fd>   serves Hub; enforces the thread rules of §3
//   mpjava_test_peer client <fd>   calls a Hub the way a C++ libmultiprocess client does
//   mpjava_test_peer pool-client <socket> <n>   n times: connect, makePool(2), a Context
//                                  call with a null thread (served on a pool thread),
//                                  then leave, every other time without waiting
// and prints "PEER OK" (exit 0) or "PEER FAIL: <why>" (exit 1) on stderr.
#include "callbacks.capnp.h"

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>
#include <kj/debug.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

namespace {

[[noreturn]] void Fail(const std::string& why)
{
    std::fprintf(stderr, "PEER FAIL: %s\n", why.c_str());
    std::_Exit(1);
}

kj::Exception Failed(const char* text) { return kj::Exception(kj::Exception::Type::FAILED, __FILE__, __LINE__, kj::str(text)); }

class ThreadImpl final : public mp::Thread::Server {
public:
    explicit ThreadImpl(std::string name) : m_name(std::move(name)) {}
    kj::Promise<void> getName(GetNameContext context) override
    {
        context.getResults().setResult(m_name);
        return kj::READY_NOW;
    }

private:
    std::string m_name;
};

// Threads this peer created on its one connection (§3: the only valid context.thread).
struct Threads {
    capnp::CapabilityServerSet<mp::Thread> set;
    kj::Maybe<mp::ThreadMap::Client> peer_map;
    int made = 0;

    // Resolves a context.thread the way upstream's server does.
    kj::Promise<void> check(mp::Context::Reader context)
    {
        if (!context.hasThread()) return Failed("std::exception: no thread specified and no pool configured");
        mp::Thread::Client thread = context.getThread();
        return set.getLocalServer(thread).then([](kj::Maybe<mp::Thread::Server&> server) -> kj::Promise<void> {
            if (server == nullptr) return Failed("std::exception: invalid thread handle");
            return kj::READY_NOW;
        });
    }
};

class ThreadMapImpl final : public mp::ThreadMap::Server {
public:
    explicit ThreadMapImpl(Threads& threads) : m_threads(threads) {}
    kj::Promise<void> makeThread(MakeThreadContext context) override
    {
        ++m_threads.made;
        std::string name = std::string("test-peer (from ") + context.getParams().getName().cStr() + ")";
        context.getResults().setResult(m_threads.set.add(kj::heap<ThreadImpl>(name)));
        return kj::READY_NOW;
    }
    kj::Promise<void> makePool(MakePoolContext) override { return Failed("std::exception: no pool in the test peer"); }

private:
    Threads& m_threads;
};

// ---- server role ---------------------------------------------------------------

class ServerPrinter final : public Printer::Server {
public:
    explicit ServerPrinter(Threads& threads) : m_threads(threads) {}
    kj::Promise<void> print(PrintContext context) override
    {
        std::string text = context.getParams().getText();
        return m_threads.check(context.getParams().getContext()).then([text] { std::fprintf(stderr, "printed: %s\n", text.c_str()); });
    }
    kj::Promise<void> destroy(DestroyContext context) override { return m_threads.check(context.getParams().getContext()); }

private:
    Threads& m_threads;
};

class ServerCalculator final : public Calculator::Server {
public:
    ServerCalculator(Threads& threads, Printer::Client printer) : m_threads(threads), m_printer(kj::mv(printer)) {}
    kj::Promise<void> solve(SolveContext context) override
    {
        auto params = context.getParams();
        int64_t a = params.getA(), b = params.getB();
        // The callback goes to the caller's callbackThread (§5).
        auto callback_thread = params.getContext().getCallbackThread();
        return m_threads.check(params.getContext()).then([this, context, a, b, callback_thread]() mutable {
            auto request = m_printer.printRequest();
            request.initContext().setThread(callback_thread);
            request.setText(kj::str(a, "+", b, " = ", a + b));
            return request.send().then([context, a, b](auto&&) mutable { context.getResults().setResult(a + b); });
        });
    }
    kj::Promise<void> destroy(DestroyContext context) override { return m_threads.check(context.getParams().getContext()); }

private:
    Threads& m_threads;
    Printer::Client m_printer;
};

class ServerHub final : public Hub::Server {
public:
    explicit ServerHub(Threads& threads) : m_threads(threads) {}
    kj::Promise<void> construct(ConstructContext context) override
    {
        if (context.getParams().hasThreadMap()) m_threads.peer_map = context.getParams().getThreadMap();
        context.getResults().setThreadMap(kj::heap<ThreadMapImpl>(m_threads));
        return kj::READY_NOW;
    }
    kj::Promise<void> makeCalculator(MakeCalculatorContext context) override
    {
        return m_threads.check(context.getParams().getContext()).then([this, context]() mutable {
            context.getResults().setResult(kj::heap<ServerCalculator>(m_threads, context.getParams().getPrinter()));
        });
    }
    kj::Promise<void> makePrinter(MakePrinterContext context) override
    {
        return m_threads.check(context.getParams().getContext()).then([this, context]() mutable {
            context.getResults().setResult(kj::heap<ServerPrinter>(m_threads));
        });
    }
    kj::Promise<void> callback(CallbackContext context) override
    {
        auto params = context.getParams();
        auto callback_thread = params.getContext().getCallbackThread();
        return m_threads.check(params.getContext()).then([context, callback_thread]() mutable {
            auto request = context.getParams().getCb().callRequest();
            request.initContext().setThread(callback_thread);
            request.setArg(context.getParams().getArg());
            return request.send().then([context](auto&& response) mutable {
                context.getResults().setResult(response.getResult() + 1);
            });
        });
    }
    kj::Promise<void> raise(RaiseContext context) override
    {
        auto name = context.getParams().getName();
        return m_threads.check(context.getParams().getContext()).then([context, name]() mutable {
            if (name.size() > 0) {
                auto error = context.getResults().initError();
                error.setName(name);
                error.setCode(7);
            }
        });
    }

private:
    Threads& m_threads;
};

// ---- client role ---------------------------------------------------------------

// A callback / printer hosted by this peer: calls must name our callbackThread.
class ClientCallback final : public Callback::Server {
public:
    ClientCallback(Threads& threads, int& destroyed) : m_threads(threads), m_destroyed(destroyed) {}
    kj::Promise<void> call(CallContext context) override
    {
        int arg = context.getParams().getArg();
        return m_threads.check(context.getParams().getContext()).then([context, arg]() mutable {
            context.getResults().setResult(arg * 10);
        });
    }
    kj::Promise<void> destroy(DestroyContext context) override
    {
        ++m_destroyed;
        return m_threads.check(context.getParams().getContext());
    }

private:
    Threads& m_threads;
    int& m_destroyed;
};

class ClientPrinter final : public Printer::Server {
public:
    ClientPrinter(Threads& threads, std::string& printed, int& destroyed)
        : m_threads(threads), m_printed(printed), m_destroyed(destroyed) {}
    kj::Promise<void> print(PrintContext context) override
    {
        std::string text = context.getParams().getText();
        return m_threads.check(context.getParams().getContext()).then([this, text] { m_printed += text; });
    }
    kj::Promise<void> destroy(DestroyContext context) override
    {
        ++m_destroyed;
        return m_threads.check(context.getParams().getContext());
    }

private:
    Threads& m_threads;
    std::string& m_printed;
    int& m_destroyed;
};

// The server's bootstrap capability of a two-party client connection.
Hub::Client BootstrapHub(capnp::RpcSystem<capnp::rpc::twoparty::VatId>& rpc)
{
    capnp::word scratch[4] = {};
    capnp::MallocMessageBuilder vat(scratch);
    vat.getRoot<capnp::rpc::twoparty::VatId>().setSide(capnp::rpc::twoparty::Side::SERVER);
    return rpc.bootstrap(vat.getRoot<capnp::rpc::twoparty::VatId>()).castAs<Hub>();
}

void RunClient(kj::AsyncIoContext& io, capnp::TwoPartyVatNetwork& network, Threads& threads)
{
    auto& ws = io.waitScope;
    auto rpc = capnp::makeRpcClient(network);
    auto hub = BootstrapHub(rpc);

    // As upstream's client: construct first, our map in, theirs back (pipelined).
    auto construct = hub.constructRequest();
    construct.setThreadMap(kj::heap<ThreadMapImpl>(threads));
    auto their_map = construct.send().getThreadMap();
    // First Context call: thread = pipelined makeThread (receiverAnswer), callbackThread = ours.
    auto make_thread = their_map.makeThreadRequest();
    make_thread.setName("test-peer-main");
    mp::Thread::Client thread = make_thread.send().getResult();
    mp::Thread::Client callback_thread = threads.set.add(kj::heap<ThreadImpl>("test-peer-main"));
    auto fill = [&](mp::Context::Builder context) {
        context.setThread(thread);
        context.setCallbackThread(callback_thread);
    };

    int callbacks_destroyed = 0, printers_destroyed = 0;
    std::string printed;

    auto callback = hub.callbackRequest();
    fill(callback.initContext());
    callback.setCb(kj::heap<ClientCallback>(threads, callbacks_destroyed));
    callback.setArg(4);
    int result = callback.send().wait(ws).getResult();
    if (result != 41) Fail("callback returned " + std::to_string(result) + ", expected 41");

    auto make_calculator = hub.makeCalculatorRequest();
    fill(make_calculator.initContext());
    make_calculator.setPrinter(kj::heap<ClientPrinter>(threads, printed, printers_destroyed));
    auto calculator = make_calculator.send().wait(ws).getResult();
    auto solve = calculator.solveRequest();
    fill(solve.initContext());
    solve.setA(2);
    solve.setB(3);
    if (solve.send().wait(ws).getResult() != 5) Fail("solve returned the wrong sum");
    if (printed != "2+3 = 5") Fail("printer got '" + printed + "'");
    auto destroy = calculator.destroyRequest();
    fill(destroy.initContext());
    destroy.send().wait(ws);

    auto raise = hub.raiseRequest();
    fill(raise.initContext());
    raise.setName("boom");
    auto raised = raise.send().wait(ws);
    if (!raised.hasError() || raised.getError().getName() != "boom") Fail("raise did not fill the error field");

    // A null context.thread must be refused by a server without a pool.
    auto unnamed = hub.makePrinterRequest();
    unnamed.initContext();
    bool refused = false;
    unnamed.send().then([](auto&&) {}, [&](kj::Exception&& e) {
        refused = std::string(e.getDescription().cStr()).find("no thread specified and no pool configured") != std::string::npos;
    }).wait(ws);
    if (!refused) Fail("a null context.thread was not refused");

    // destroy callbacks arrive asynchronously after the calls that used them.
    for (int i = 0; i < 200 && (callbacks_destroyed < 1 || printers_destroyed < 1); ++i) {
        io.provider->getTimer().afterDelay(10 * kj::MILLISECONDS).wait(ws);
    }
    if (callbacks_destroyed != 1) Fail("callback destroyed " + std::to_string(callbacks_destroyed) + " times");
    if (printers_destroyed != 1) Fail("printer destroyed " + std::to_string(printers_destroyed) + " times");
    if (threads.made != 0) Fail("the server made threads on our ThreadMap, unexpected here");
}

// Connections that leave while (or right after) a pool thread serves their call.
void RunPoolClient(kj::AsyncIoContext& io, const std::string& socket, int count)
{
    auto& ws = io.waitScope;
    auto address = io.provider->getNetwork().parseAddress(kj::str("unix:", socket.c_str())).wait(ws);
    for (int i = 0; i < count; ++i) {
        auto stream = address->connect().wait(ws);
        capnp::TwoPartyVatNetwork network(*stream, capnp::rpc::twoparty::Side::CLIENT);
        auto rpc = capnp::makeRpcClient(network);
        auto hub = BootstrapHub(rpc);
        auto construct = hub.constructRequest();
        auto their_map = construct.send().getThreadMap();
        auto pool = their_map.makePoolRequest();
        pool.setCount(2);
        pool.send().wait(ws);
        auto call = hub.makePrinterRequest();
        call.initContext();  // no thread: a pool thread serves it
        auto sent = call.send();
        if (i % 2 == 0) sent.wait(ws);
    }
}

} // namespace

int main(int argc, char** argv)
{
    // (A trailing argument is the unused socketpair fd a spawning parent appends.)
    if (argc >= 4 && std::string(argv[1]) == "pool-client") {
        auto io = kj::setupAsyncIo();
        try {
            RunPoolClient(io, argv[2], std::atoi(argv[3]));
        } catch (const kj::Exception& e) {
            Fail(e.getDescription().cStr());
        }
        std::fprintf(stderr, "PEER OK\n");
        return 0;
    }
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s server|client <fd> | pool-client <socket> <n>\n", argv[0]);
        return 2;
    }
    std::string role = argv[1];
    int fd = std::atoi(argv[2]);
    auto io = kj::setupAsyncIo();
    auto stream = io.lowLevelProvider->wrapSocketFd(fd, kj::LowLevelAsyncIoProvider::TAKE_OWNERSHIP);
    Threads threads;
    try {
        if (role == "server") {
            capnp::TwoPartyVatNetwork network(*stream, capnp::rpc::twoparty::Side::SERVER);
            auto rpc = capnp::makeRpcServer(network, kj::heap<ServerHub>(threads));
            network.onDisconnect().wait(io.waitScope);
        } else {
            capnp::TwoPartyVatNetwork network(*stream, capnp::rpc::twoparty::Side::CLIENT);
            RunClient(io, network, threads);
        }
    } catch (const kj::Exception& e) {
        Fail(e.getDescription().cStr());
    }
    std::fprintf(stderr, "PEER OK\n");
    return 0;
}
