#pragma once
// Part B of the tunnel benchmark: wall time from start to exit of `bastionless-cli ssh INSTANCE --os-user root
// -- true` against a real sshd, with options.latencyMs on every AWS call and with none, beside plain `ssh` to
// the same sshd with a prepared key; interleaved runs, medians, the sequential round trips they imply and
// fakeaws's count of requests per action. Skipped with a message without root or /usr/sbin/sshd.

struct BenchContext;

void runLatencyBench(BenchContext& b);
