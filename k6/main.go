// Command k6 is k6 with k6-llm's streaming extension (k6/x/llmstream) built in.
// scripts/k6.mjs builds it once per machine and caches the binary.
package main

import (
	"os"
	"runtime"

	"go.k6.io/k6/v2/cmd"

	_ "k6-llm/k6/llmstream"
)

func main() {
	runtime.GOMAXPROCS(processors(runtime.GOMAXPROCS(0), os.Getenv("GOMAXPROCS") != ""))
	cmd.Execute()
}

// processors is how many Go processors (Ps) the load generator runs with. Go's default, one per CPU, suits
// throughput, but a load generator stamps arrivals: when every P is busy running VUs' JavaScript, a goroutine whose
// read is ready waits in the run queue, for up to tens of milliseconds, before it can stamp it. With more Ps than
// CPUs the kernel schedules the threads instead, and it runs a thread that wakes from I/O promptly. On 2 CPUs,
// 8 Ps took TTFT error p99 at 100 streams from ~150-190 ms to ~10-15 ms for the same CPU (docs/benchmarks.md).
// A GOMAXPROCS set by the user wins.
func processors(current int, userSet bool) int {
	if userSet {
		return current
	}
	return min(4*current, current+16)
}
