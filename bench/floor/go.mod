module k6-llm/bench/floor

go 1.22
