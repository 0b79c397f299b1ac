#include "msrf/cli.h"

#include <CLI/CLI.hpp>

#include <exception>
#include <new>

#include "msrf/core/build_info.h"

namespace msrf::cli {

int Context::Fail(const std::string& command, const Status& status) const {
  std::string message = status.message();
  for (char& c : message) {
    if (c == '\n') c = ' ';
  }
  err << "msrf " << command << ": error: " << message << "\n";
  return ExitCodeFor(status);
}

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kIoError:
    case StatusCode::kInternal:
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
    case StatusCode::kCancelled: return kExitFailure;
    default: return kExitUsage;
  }
}

int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app(
      "msrf: find the contours of a target shape in cluttered images with multiscale "
      "random fields.",
      "msrf");
  app.require_subcommand(1);
  app.set_version_flag("--version", "msrf " + Version() + " (build " + BuildId() + ")");
  app.footer("Run `msrf COMMAND --help` for a command's options.");

  Context context{out, err, {}};
  AddBenchCommand(app, context);
  AddDetectCommand(app, context);
  AddEdgesCommand(app, context);
  AddFragmentsCommand(app, context);
  AddModelCommand(app, context);
#if MSRF_WITH_REMOTE
  AddNodeCommand(app, context);
#endif
  AddSynthCommand(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();  // the selected subcommand's help, if one was given
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    out << e.what() << "\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    for (char& c : what) {
      if (c == '\n') c = ' ';
    }
    // "msrf node serve", not "msrf node": the whole chain of chosen subcommands.
    std::string command = "msrf";
    for (const CLI::App* sub = &app; !sub->get_subcommands().empty();) {
      sub = sub->get_subcommands().front();
      command += " " + sub->get_name();
    }
    err << command << ": error: " << what << " (see --help)\n";
    return kExitUsage;
  }

  if (!context.action) return kExitUsage;
  try {
    return context.action();
  } catch (const std::bad_alloc&) {
    err << "msrf: error: out of memory\n";
  } catch (const std::exception& e) {
    err << "msrf: internal error: " << e.what() << "\n";
  }
  return kExitFailure;
}

}  // namespace msrf::cli
