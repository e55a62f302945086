// The loopback floor: the write and read pattern of the mock and fidelity benches with no HTTP, no JSON and no
// JavaScript, in Go. `floor serve` plays the mock: per request line, it waits the TTFT and writes TOKENS frames of
// the mock's size, one per ITL, each write timed against its plan. `floor drive` plays the load generator: STREAMS
// connections, each sending a request line and reading its frames, back to back. What this pair cannot do on a
// machine, no mock and load generator on the same machine can: it is the cost of the writes and reads themselves.
//
//	floor serve -ttft-ms 500 -itl-ms 20 -tokens 50 -warmup-ms 1500 -window-ms 4020
//	  prints "listening on 127.0.0.1:PORT", then, on SIGINT or SIGTERM, one JSON line: the send error (actual −
//	  planned, ms) of every write of the requests received in [first + warmup, first + warmup + window], and the
//	  process's CPU seconds. With -cpu-from-ms A -cpu-to-ms B it also gives the CPU seconds it used, and the writes it
//	  made, between A and B ms after the first request (the steady state, without start-up).
//	floor drive -addr 127.0.0.1:PORT -streams 2000 -duration-ms 7000 -stagger-ms 1480 -bytes N
//	  prints one JSON line at the end: requests completed and the process's CPU seconds.
//	floor drive -addr 127.0.0.1:PORT -streams 2000 -duration-ms 7000 -stagger-ms 1480 -http-path /v1/chat/completions -http-body JSON
//	  drives an HTTP server (the mock) the same way: each connection POSTs the body, reads the whole response
//	  (chunked or not) and sends the next request on the same kept-alive connection; -ids FILE receives the
//	  x-mock-request-id of every answer, so the mock's ground truth can be fetched.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// frameBytes is the size of one of the mock's OpenAI chat chunks with HTTP chunked framing (about 180 bytes).
const frameBytes = 180

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: floor serve|drive [flags]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		serve(os.Args[2:])
	case "drive":
		drive(os.Args[2:])
	default:
		fmt.Fprintf(os.Stderr, "floor: unknown command %q: expected serve or drive\n", os.Args[1])
		os.Exit(2)
	}
}

func cpuSeconds() (user, sys float64) {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()) / 1e9, float64(ru.Stime.Nano()) / 1e9
}

type request struct {
	received time.Time
	late     []float64
}

func serve(args []string) {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	ttft := fs.Int("ttft-ms", 500, "time to the first frame")
	itl := fs.Int("itl-ms", 20, "gap between frames")
	tokens := fs.Int("tokens", 50, "frames per request")
	warmup := fs.Int("warmup-ms", 1500, "requests received before first + warmup do not count")
	window := fs.Int("window-ms", 4000, "requests received after first + warmup + window do not count")
	cpuFrom := fs.Int("cpu-from-ms", 0, "measure CPU and writes from this long after the first request")
	cpuTo := fs.Int("cpu-to-ms", 0, "... until this long after it (0: do not)")
	_ = fs.Parse(args)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor serve:", err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", ln.Addr())

	frame := make([]byte, frameBytes)
	for i := range frame {
		frame[i] = 'x'
	}
	frame[len(frame)-2], frame[len(frame)-1] = '\n', '\n'

	var mu sync.Mutex
	var requests []*request
	var writes atomic.Int64
	var firstOnce sync.Once
	var steady struct{ cpu, user, writes float64 }
	windowDone := make(chan struct{})
	sampleWindow := func() {
		if *cpuTo <= *cpuFrom {
			close(windowDone)
			return
		}
		time.Sleep(time.Duration(*cpuFrom) * time.Millisecond)
		u0, s0 := cpuSeconds()
		w0 := writes.Load()
		time.Sleep(time.Duration(*cpuTo-*cpuFrom) * time.Millisecond)
		u1, s1 := cpuSeconds()
		steady.cpu = u1 + s1 - u0 - s0
		steady.user = u1 - u0
		steady.writes = float64(writes.Load() - w0)
		close(windowDone)
	}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func(conn net.Conn) {
				defer conn.Close()
				r := bufio.NewReader(conn)
				for {
					if _, err := r.ReadString('\n'); err != nil {
						return
					}
					req := &request{received: time.Now(), late: make([]float64, 0, *tokens)}
					firstOnce.Do(func() { go sampleWindow() })
					mu.Lock()
					requests = append(requests, req)
					mu.Unlock()
					first := req.received.Add(time.Duration(*ttft) * time.Millisecond)
					for k := 0; k < *tokens; k++ {
						planned := first.Add(time.Duration(k**itl) * time.Millisecond)
						if wait := time.Until(planned); wait > 0 {
							time.Sleep(wait)
						}
						if _, err := conn.Write(frame); err != nil {
							return
						}
						writes.Add(1)
						late := float64(time.Since(planned).Nanoseconds()) / 1e6
						mu.Lock()
						req.late = append(req.late, late)
						mu.Unlock()
					}
				}
			}(conn)
		}
	}()

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	user, sys := cpuSeconds()
	select {
	case <-windowDone:
	default:
		steady.cpu, steady.user, steady.writes = -1, -1, -1
	}
	mu.Lock()
	defer mu.Unlock()
	var t0 time.Time
	for _, r := range requests {
		if t0.IsZero() || r.received.Before(t0) {
			t0 = r.received
		}
	}
	from := t0.Add(time.Duration(*warmup) * time.Millisecond)
	to := from.Add(time.Duration(*window) * time.Millisecond)
	var late []float64
	counted, incomplete, totalWrites := 0, 0, 0
	for _, r := range requests {
		totalWrites += len(r.late)
	}
	for _, r := range requests {
		if r.received.Before(from) || r.received.After(to) {
			continue
		}
		counted++
		if len(r.late) != *tokens {
			incomplete++
		}
		late = append(late, r.late...)
	}
	sort.Float64s(late)
	pct := func(q float64) float64 {
		if len(late) == 0 {
			return -1
		}
		return late[int(q*float64(len(late)-1)+0.5)]
	}
	out := map[string]any{
		"requests": counted, "incomplete": incomplete, "writes": len(late), "totalWrites": totalWrites,
		"p50": pct(0.5), "p99": pct(0.99), "max": pct(1), "cpuUser": user, "cpuSys": sys,
		"windowCpu": steady.cpu, "windowUser": steady.user, "windowWrites": steady.writes,
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}

func drive(args []string) {
	fs := flag.NewFlagSet("drive", flag.ExitOnError)
	addr := fs.String("addr", "", "the server's address")
	streams := fs.Int("streams", 100, "concurrent streams")
	duration := fs.Int("duration-ms", 7000, "send requests for this long")
	stagger := fs.Int("stagger-ms", 0, "each stream starts after a random wait up to this")
	bytes := fs.Int("bytes", 50*frameBytes, "bytes in one answer")
	httpPath := fs.String("http-path", "", "POST this path over HTTP/1.1 instead of sending request lines")
	httpBody := fs.String("http-body", "{}", "the JSON body of each POST")
	idsFile := fs.String("ids", "", "with -http-path, write the x-mock-request-id of every answer to this file, one a line")
	_ = fs.Parse(args)
	if *addr == "" {
		fmt.Fprintln(os.Stderr, "floor drive: -addr is required")
		os.Exit(2)
	}
	var request []byte
	if *httpPath != "" {
		request = []byte(fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer floor-drive\r\n"+
			"Content-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: %d\r\n\r\n%s",
			*httpPath, *addr, len(*httpBody), *httpBody))
	}
	deadline := time.Now().Add(time.Duration(*duration) * time.Millisecond)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done, failed := 0, 0
	ids := []string{}
	for i := 0; i < *streams; i++ {
		wg.Add(1)
		go func(seed int64) {
			defer wg.Done()
			fail := func() {
				mu.Lock()
				failed++
				mu.Unlock()
			}
			rng := rand.New(rand.NewSource(seed))
			if *stagger > 0 {
				time.Sleep(time.Duration(rng.Int63n(int64(*stagger) * int64(time.Millisecond))))
			}
			conn, err := net.Dial("tcp", *addr)
			if err != nil {
				fail()
				return
			}
			defer conn.Close()
			buf := make([]byte, 4096)
			reader := bufio.NewReaderSize(conn, 4096)
			for time.Now().Before(deadline) {
				if request != nil {
					if _, err := conn.Write(request); err != nil {
						fail()
						return
					}
					resp, err := http.ReadResponse(reader, nil)
					if err != nil {
						fail()
						return
					}
					_, err = io.CopyBuffer(io.Discard, resp.Body, buf)
					resp.Body.Close()
					if err != nil || resp.StatusCode != http.StatusOK {
						fail()
						return
					}
					mu.Lock()
					done++
					ids = append(ids, resp.Header.Get("X-Mock-Request-Id"))
					mu.Unlock()
					if resp.Close {
						return
					}
					continue
				}
				if _, err := conn.Write([]byte("GET\n")); err != nil {
					break
				}
				got := 0
				for got < *bytes {
					n, err := conn.Read(buf)
					got += n
					if err != nil {
						if err != io.EOF {
							fail()
						}
						return
					}
				}
				mu.Lock()
				done++
				mu.Unlock()
			}
		}(int64(i) + 1)
	}
	wg.Wait()
	user, sys := cpuSeconds()
	if *idsFile != "" {
		if err := os.WriteFile(*idsFile, []byte(strings.Join(ids, "\n")+"\n"), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "floor drive:", err)
			os.Exit(1)
		}
	}
	_ = json.NewEncoder(os.Stdout).Encode(map[string]any{"requests": done, "failed": failed, "cpuUser": user, "cpuSys": sys})
}
