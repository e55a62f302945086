// Command k6 is k6 with k6-llm's streaming extension (k6/x/llmstream) built in.
// scripts/k6.mjs builds it once per machine and caches the binary.
package main

import (
	"go.k6.io/k6/v2/cmd"

	_ "k6-llm/k6/llmstream"
)

func main() {
	cmd.Execute()
}
