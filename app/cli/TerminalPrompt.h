#pragma once
// Asks the person at the terminal for an MFA code without blocking the event loop: the prompt goes to
// /dev/tty (so it works while stdout is piped) and the answer is read when the tty becomes readable.

#include "core/aws/credentials/CredentialsProvider.h"

namespace bl::cli {

class TerminalPrompt
{
public:
    static MfaPrompt mfaPrompt();
};

} // namespace bl::cli
