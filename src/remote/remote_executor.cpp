#include "msrf/remote/remote_executor.h"

#include <utility>

#include "grpc_log.h"
#include "node_client.h"
#include "scheduler.h"

namespace msrf::remote {

struct RemoteLevelExecutor::Impl {
  explicit Impl(RemoteOptions options, std::vector<std::unique_ptr<NodeClient>> clients)
      : scheduler(std::move(options), std::move(clients)) {}
  LevelScheduler scheduler;
};

RemoteLevelExecutor::RemoteLevelExecutor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RemoteLevelExecutor::~RemoteLevelExecutor() = default;

Result<std::unique_ptr<RemoteLevelExecutor>> RemoteLevelExecutor::Create(RemoteOptions options) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  RouteGrpcLog();
  std::vector<std::unique_ptr<NodeClient>> clients;
  for (const NodeEndpoint& endpoint : options.nodes) {
    clients.push_back(MakeGrpcNodeClient(endpoint, options));
  }
  auto impl = std::make_unique<Impl>(std::move(options), std::move(clients));
  return std::unique_ptr<RemoteLevelExecutor>(new RemoteLevelExecutor(std::move(impl)));
}

Result<std::vector<LevelOutput>> RemoteLevelExecutor::Run(const std::vector<LevelJob>& jobs) {
  return impl_->scheduler.Run(jobs);
}

LevelExecutorReport RemoteLevelExecutor::Report() const { return impl_->scheduler.Report(); }

std::vector<NodeStats> RemoteLevelExecutor::stats() const { return impl_->scheduler.stats(); }

int RemoteLevelExecutor::local_levels() const { return impl_->scheduler.local_levels(); }

int RemoteLevelExecutor::local_tiles() const { return impl_->scheduler.local_tiles(); }

RunReport RemoteLevelExecutor::last_run() const { return impl_->scheduler.last_run(); }

}  // namespace msrf::remote
