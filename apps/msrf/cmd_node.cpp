// msrf node serve: an edge node that runs pyramid levels for `msrf detect --nodes`.
#include <CLI/CLI.hpp>

#include <pthread.h>
#include <csignal>
#include <memory>

#include "msrf/cli.h"
#include "msrf/common.h"
#include "msrf/core/build_info.h"
#include "msrf/core/parallel.h"
#include "msrf/remote/credentials.h"
#include "msrf/remote/node.h"

namespace msrf::cli {
namespace {

constexpr const char* kCommand = "node serve";

struct NodeArgs {
  std::string listen;
  std::string cert;
  std::string key;
  std::string ca;
  std::string token_file;
  int threads = 0;
  bool insecure = false;
  int max_message_mb = 64;
  int delay_ms = 0;
  double slowdown = 1.0;
  int slowdown_after = 0;
  std::string fault;
};

int RunNode(const NodeArgs& args, Context& ctx) {
  remote::NodeOptions options;
  options.listen = args.listen;
  options.insecure = args.insecure;
  options.max_message_bytes = int64_t{args.max_message_mb} << 20;
  options.delay_ms = args.delay_ms;
  options.slowdown = args.slowdown;
  options.slowdown_after = args.slowdown_after;
  options.fault_garbage = args.fault == "garbage";
  if (args.insecure) {
    if (!remote::IsLoopbackAddress(args.listen)) {
      return ctx.Fail(kCommand, InvalidArgumentError("--insecure is only allowed on a loopback "
                                                     "--listen address, not '" +
                                                     args.listen + "'"));
    }
  } else {
    if (args.cert.empty() || args.key.empty() || args.ca.empty()) {
      return ctx.Fail(kCommand, InvalidArgumentError("--cert, --key and --ca are required (mutual "
                                                     "TLS), or --insecure on loopback"));
    }
    Result<std::string> cert = remote::ReadPemFile(args.cert, "--cert");
    if (!cert.ok()) return ctx.Fail(kCommand, cert.status());
    Result<std::string> key = remote::ReadPemFile(args.key, "--key");
    if (!key.ok()) return ctx.Fail(kCommand, key.status());
    Result<std::string> ca = remote::ReadPemFile(args.ca, "--ca");
    if (!ca.ok()) return ctx.Fail(kCommand, ca.status());
    options.cert_pem = *cert;
    options.key_pem = *key;
    options.ca_pem = *ca;
  }
  Result<std::string> token = remote::ReadTokenFile(args.token_file);
  if (!token.ok()) return ctx.Fail(kCommand, token.status().WithContext("--token-file"));
  options.token = *token;

  if (args.insecure) {
    ctx.err << "msrf node serve: warning: --insecure: no TLS and no client certificates; "
               "loopback only, for testing"
            << std::endl;
  }
  const ThreadLimit thread_limit(args.threads);
  // SIGINT and SIGTERM are taken by sigwait below: block them before gRPC starts its threads,
  // which inherit the mask.
  sigset_t stop_signals, previous;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);
  Result<std::unique_ptr<remote::NodeServer>> server = remote::NodeServer::Start(options);
  if (!server.ok()) {
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return ctx.Fail(kCommand, server.status());
  }
  const std::string host = args.listen.substr(0, args.listen.rfind(':'));
  ctx.out << "msrf node: listening on " << host << ":" << (*server)->port() << " (build "
          << BuildId() << (args.insecure ? ", insecure" : ", mutual TLS") << ", " << MaxThreads()
          << " threads)" << std::endl;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  (*server)->Shutdown();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  ctx.out << "msrf node: stopped" << std::endl;
  return kExitOk;
}

}  // namespace

void AddNodeCommand(CLI::App& app, Context& context) {
  CLI::App* node = app.add_subcommand("node",
                                      "Edge node: run pyramid levels for other msrf "
                                      "processes (`msrf detect --nodes`)");
  node->require_subcommand(1);
  auto args = std::make_shared<NodeArgs>();
  CLI::App* serve = node->add_subcommand(
      "serve",
      "Serve level work over gRPC with mutual TLS and a bearer token until SIGINT or "
      "SIGTERM. Prints the address it listens on (port 0 picks a free port).");
  serve->add_option("--listen", args->listen, "HOST:PORT to listen on (port 0: a free port)")
      ->check(HostAndPort(true))
      ->required();
  serve->add_option("--cert", args->cert, "This node's certificate chain (PEM)");
  serve->add_option("--key", args->key, "This node's private key (PEM)");
  serve->add_option("--ca", args->ca, "CA that signs the clients' certificates (PEM)");
  serve
      ->add_option("--token-file", args->token_file,
                   "File holding the bearer token clients "
                   "must send")
      ->required();
  serve->add_option("--threads", args->threads, "Worker threads per level (0: all cores)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  serve->add_flag("--insecure", args->insecure,
                  "No TLS and no client certificates: loopback addresses only, for testing");
  serve->add_option("--max-message-mb", args->max_message_mb, "Largest message, MiB")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  serve->add_option("--delay-ms", args->delay_ms, "Delay every answer (to emulate a slow link)")
      ->check(CLI::Range(0, 600000))
      ->capture_default_str();
  serve
      ->add_option("--slowdown", args->slowdown,
                   "Act as a device this many times slower than this machine (answers after this "
                   "many times the CPU time of the work)")
      ->check(FiniteNumber())
      ->check(CLI::Range(1.0, 1000.0))
      ->capture_default_str();
  serve
      ->add_option("--slowdown-after", args->slowdown_after,
                   "Apply --slowdown from this level call on (a device that slows down)")
      ->check(CLI::Range(0, 1 << 30))
      ->capture_default_str();
  serve->add_option("--fault", args->fault, "Testing only: 'garbage' answers malformed levels")
      ->check(CLI::IsMember({"garbage"}))
      ->group("");
  serve->callback(
      [args, &context] { context.action = [args, &context] { return RunNode(*args, context); }; });
}

}  // namespace msrf::cli
