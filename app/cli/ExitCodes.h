#pragma once
// bastionless-cli's exit codes: scripts can tell a usage mistake from a login problem from AWS saying no.

#include "core/util/Result.h"

namespace bl::cli {

enum ExitCode : int {
    ExitOk = 0,
    ExitFailure = 1, // anything else (I/O, internal)
    ExitUsage = 2, // bad arguments
    ExitCredentials = 3, // no/expired/invalid credentials, broken AWS configuration, login needed
    ExitNotFound = 4, // instance, profile or endpoint not found, ambiguous name
    ExitService = 5, // AWS answered with an error (permissions, throttling, ...)
    ExitNetwork = 6, // cannot reach AWS (DNS, TLS, proxy, timeout)
    ExitInterrupted = 130,
};

inline int exitCodeFor(const Error& e)
{
    switch (e.kind) {
    case ErrorKind::Usage:
        return ExitUsage;
    case ErrorKind::Config:
    case ErrorKind::Credentials:
        return ExitCredentials;
    case ErrorKind::NotFound:
        return ExitNotFound;
    case ErrorKind::Service:
    case ErrorKind::Parse:
        return ExitService;
    case ErrorKind::Network:
    case ErrorKind::Timeout:
        return ExitNetwork;
    case ErrorKind::Cancelled:
        return ExitInterrupted;
    case ErrorKind::Io:
    case ErrorKind::Internal:
        return ExitFailure;
    }
    return ExitFailure;
}

} // namespace bl::cli
