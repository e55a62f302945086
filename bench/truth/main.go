// The race bench's ground truth and its reference client, in Go with the standard library only.
//
// `truth serve` is an OpenAI Chat Completions streaming server whose every write is recorded: per request, when its
// body had arrived and when each content event's write returned. It sends the role chunk with the head, the first
// token TTFT after the body arrived, then one token every ITL, then the finish, usage and [DONE] events, each event
// its own write and flush, as real servers do. GET /truth returns the records; GET /stats the streams open now and
// the mean number open over a window. Its CPU per write is a fraction of the tools' per read, so on a shared machine
// the CPU goes to the tools under test.
//
//	truth serve -ttft-ms 250 -itl-ms 20 -tokens 200      prints "listening on http://127.0.0.1:PORT"
//
// `truth drive` is the reference client: STREAMS goroutines posting the same request back to back and timing each
// SSE event as it is read (time.Now, monotonic), with no k6, no k6-llm and no Node. One JSON line per request on
// stdout: the server's request id, TTFT and inter-token gaps in ms. What it cannot reach on a machine, no client on it
// can: it is the fidelity floor.
//
//	truth drive -url http://127.0.0.1:PORT -streams 100 -duration-s 25 -stagger-ms 4230
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: truth serve|drive [flags]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		serve(os.Args[2:])
	case "drive":
		drive(os.Args[2:])
	default:
		fmt.Fprintf(os.Stderr, "truth: unknown command %q: expected serve or drive\n", os.Args[1])
		os.Exit(2)
	}
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// record is one request as the server saw it; times are ms since the server started (monotonic).
type record struct {
	ID       string    `json:"id"`
	Received float64   `json:"received"`
	Writes   []float64 `json:"writes"`
	End      float64   `json:"end"`
	Complete bool      `json:"complete"`
}

type server struct {
	start  time.Time
	ttft   time.Duration
	itl    time.Duration
	tokens int

	mu      sync.Mutex
	records map[string]*record
	next    int
	open    int
	// Streams open, sampled every 50 ms: [ms since start, open].
	samples [][2]float64
}

func (s *server) ms(t time.Time) float64 { return float64(t.Sub(s.start).Nanoseconds()) / 1e6 }

func chunk(delta string, finish string) []byte {
	fr := "null"
	if finish != "" {
		fr = strconv.Quote(finish)
	}
	return []byte(`data: {"id":"chatcmpl-truth","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":` + delta + `,"finish_reason":` + fr + "}]}\n\n")
}

func (s *server) chat(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	received := time.Now()
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "no flusher", 500)
		return
	}
	s.mu.Lock()
	s.next++
	id := strconv.Itoa(s.next)
	rec := &record{ID: id, Received: s.ms(received), Writes: make([]float64, 0, s.tokens)}
	s.records[id] = rec
	s.open++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.open--
		s.mu.Unlock()
	}()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Truth-Id", id)
	w.WriteHeader(200)
	if _, err := w.Write(chunk(`{"role":"assistant","content":""}`, "")); err != nil {
		return
	}
	flusher.Flush()
	token := chunk(`{"content":"tok "}`, "")
	for i := 0; i < s.tokens; i++ {
		plan := received.Add(s.ttft + time.Duration(i)*s.itl)
		if d := time.Until(plan); d > 0 {
			time.Sleep(d)
		}
		if _, err := w.Write(token); err != nil {
			return
		}
		flusher.Flush()
		at := s.ms(time.Now())
		s.mu.Lock()
		rec.Writes = append(rec.Writes, at)
		s.mu.Unlock()
	}
	tail := append(chunk(`{}`, "stop"), []byte(`data: {"id":"chatcmpl-truth","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":`+strconv.Itoa(s.tokens)+`,"total_tokens":`+strconv.Itoa(12+s.tokens)+"}}\n\ndata: [DONE]\n\n")...)
	if _, err := w.Write(tail); err != nil {
		return
	}
	flusher.Flush()
	s.mu.Lock()
	rec.End = s.ms(time.Now())
	rec.Complete = true
	s.mu.Unlock()
}

func (s *server) truth(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	out := make([]*record, 0, len(s.records))
	for _, rec := range s.records {
		out = append(out, rec)
	}
	body, _ := json.Marshal(out)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

func (s *server) stats(w http.ResponseWriter, r *http.Request) {
	from, _ := strconv.ParseFloat(r.URL.Query().Get("from"), 64)
	to, _ := strconv.ParseFloat(r.URL.Query().Get("to"), 64)
	s.mu.Lock()
	sum, n := 0.0, 0
	for _, sm := range s.samples {
		if sm[0] >= from && (to == 0 || sm[0] <= to) {
			sum += sm[1]
			n++
		}
	}
	open, requests := s.open, s.next
	s.mu.Unlock()
	mean := 0.0
	if n > 0 {
		mean = sum / float64(n)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"open": open, "requests": requests, "meanOpen": mean, "nowMs": s.ms(time.Now()), "cpuS": cpuSeconds()})
}

func serve(args []string) {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	ttft := fs.Int("ttft-ms", 250, "time to first token after the request body arrived")
	itl := fs.Int("itl-ms", 20, "gap between tokens")
	tokens := fs.Int("tokens", 200, "content events per answer")
	_ = fs.Parse(args)
	s := &server{start: time.Now(), ttft: time.Duration(*ttft) * time.Millisecond, itl: time.Duration(*itl) * time.Millisecond, tokens: *tokens, records: map[string]*record{}}
	go func() {
		for range time.Tick(50 * time.Millisecond) {
			s.mu.Lock()
			s.samples = append(s.samples, [2]float64{s.ms(time.Now()), float64(s.open)})
			s.mu.Unlock()
		}
	}()
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/chat/completions", s.chat)
	mux.HandleFunc("/truth", s.truth)
	mux.HandleFunc("/stats", s.stats)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	srv := &http.Server{Handler: mux, IdleTimeout: 120 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
}

type measured struct {
	ID   string    `json:"id"`
	OK   bool      `json:"ok"`
	TTFT *float64  `json:"ttft"`
	ITL  []float64 `json:"itl"`
	Iter int       `json:"iter"`
}

func drive(args []string) {
	fs := flag.NewFlagSet("drive", flag.ExitOnError)
	url := fs.String("url", "", "the truth server")
	streams := fs.Int("streams", 10, "concurrent streams")
	durationS := fs.Float64("duration-s", 25, "how long to start requests")
	staggerMs := fs.Float64("stagger-ms", 0, "each stream first waits a random part of this")
	tokens := fs.Int("tokens", 200, "max_tokens to ask for")
	_ = fs.Parse(args)
	body := []byte(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Stream ` + strconv.Itoa(*tokens) + ` tokens, please."}],"max_tokens":` + strconv.Itoa(*tokens) + `,"stream":true,"stream_options":{"include_usage":true}}`)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *streams, MaxConnsPerHost: 0, DisableCompression: true}}
	deadline := time.Now().Add(time.Duration(*durationS * float64(time.Second)))
	out := make(chan measured, 1024)
	var wg sync.WaitGroup
	for i := 0; i < *streams; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(rand.Float64() * *staggerMs * float64(time.Millisecond)))
			for iter := 0; time.Now().Before(deadline); iter++ {
				out <- one(client, *url, body, iter)
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	for m := range out {
		_ = enc.Encode(m)
	}
	_ = w.Flush()
	fmt.Fprintf(os.Stderr, "{\"cpuS\":%.3f}\n", cpuSeconds())
}

var contentMarker = []byte(`"content":"`)

func one(client *http.Client, url string, body []byte, iter int) measured {
	start := time.Now()
	m := measured{Iter: iter}
	res, err := client.Post(url+"/v1/chat/completions", "application/json", bytes.NewReader(body))
	if err != nil {
		return m
	}
	defer res.Body.Close()
	m.ID = res.Header.Get("X-Truth-Id")
	reader := bufio.NewReaderSize(res.Body, 16*1024)
	var last time.Time
	for {
		line, err := reader.ReadSlice('\n')
		if len(line) > 6 && bytes.HasPrefix(line, []byte("data: ")) {
			now := time.Now()
			// A content event carries a non-empty "content" (the role chunk's is empty).
			if i := bytes.Index(line, contentMarker); i >= 0 && line[i+len(contentMarker)] != '"' {
				if m.TTFT == nil {
					t := float64(now.Sub(start).Nanoseconds()) / 1e6
					m.TTFT = &t
				} else {
					m.ITL = append(m.ITL, float64(now.Sub(last).Nanoseconds())/1e6)
				}
				last = now
			}
			if strings.HasPrefix(string(line), "data: [DONE]") {
				m.OK = m.TTFT != nil
			}
		}
		if err != nil {
			break
		}
	}
	return m
}
