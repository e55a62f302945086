// The streaming ground truth and the Go reference client of the race bench (bench/race): Go's standard library
// only, no k6 code.
module k6-llm/bench/truth

go 1.22
