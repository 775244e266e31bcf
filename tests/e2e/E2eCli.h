#pragma once
// What the end-to-end tests share when they drive the real ssh client and `bastionless-cli tunnel`: the ssh
// options every run gets (no user configuration, only the test key, a private known_hosts) and waiting for the
// tunnel's "Listening on 127.0.0.1:<port>" line.

#include <QStringList>

class CliRunner;

// configFile: ssh's -F (default: none); hostKeyAlias: empty leaves HostKeyAlias to the config.
QStringList e2eSshOptions(const QString& key, const QString& knownHosts, const QString& hostKeyAlias,
                          const QString& configFile = QStringLiteral("/dev/null"));

// Starts runner with args and returns the port it listens on; 0 when it did not say so within timeoutMs or ended
// first (then *why has its output).
quint16 startCliTunnel(CliRunner& runner, const QStringList& args, QString* why, int timeoutMs = 30000);
