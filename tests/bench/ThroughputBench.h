#pragma once
// Part A of the tunnel benchmark: bulk throughput, upload and download, 1 and 8 streams, to the sink server
// directly, through a plain TCP relay (socat), a TLS relay (two socats with a TLS hop) and the EICE tunnel
// (`bastionless-cli tunnel`). All four paths stay up for the series; each case runs over the four back to
// back, for options.rounds rounds, and the table shows the medians and the EICE ratios.

struct BenchContext;

void runThroughputBench(BenchContext& b);
