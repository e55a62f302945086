// Package llmstream is a k6 extension (k6/x/llmstream) that sends one HTTP
// request and hands the response body to JavaScript chunk by chunk as it
// arrives, each chunk stamped with a sub-millisecond arrival time.
//
// k6/http buffers the whole body, so it cannot see when each token of a
// streamed LLM response arrives. This module blocks the VU, as k6/http does,
// while a goroutine of its own reads the body and stamps each read as it
// returns; the VU calls back into JS for every read, in order. Framing (SSE, NDJSON) is left to the JavaScript parsers of
// k6-llm, so a streamed and a buffered test of the same server are parsed by
// the same code.
package llmstream

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/grafana/sobek"

	"go.k6.io/k6/v2/js/modules"
	"go.k6.io/k6/v2/metrics"
)

func init() {
	modules.Register("k6/x/llmstream", new(RootModule))
}

// Version of the module's JavaScript API; k6-llm checks it.
const Version = "1"

// origin anchors a monotonic clock to the wall clock once per process, so
// every timestamp is comparable with Date.now() yet immune to wall-clock steps.
var (
	origin   = time.Now()
	originMs = float64(origin.UnixNano()) / 1e6
)

func nowMs() float64 {
	return originMs + float64(time.Since(origin).Nanoseconds())/1e6
}

type RootModule struct{}

type ModuleInstance struct {
	vu modules.VU
}

var (
	_ modules.Module   = &RootModule{}
	_ modules.Instance = &ModuleInstance{}
)

func (*RootModule) NewModuleInstance(vu modules.VU) modules.Instance {
	return &ModuleInstance{vu: vu}
}

func (mi *ModuleInstance) Exports() modules.Exports {
	return modules.Exports{Named: map[string]any{
		"request":   mi.request,
		"now":       nowMs,
		"parseJSON": mi.parseJSON,
		"version":   Version,
	}}
}

type requestOptions struct {
	method         string
	url            string
	body           string
	headers        map[string]string
	timeout        time.Duration
	stallTimeout   time.Duration
	tags           map[string]string
	expectedStatus map[int]bool
}

func (mi *ModuleInstance) parseOptions(v sobek.Value) (*requestOptions, error) {
	rt := mi.vu.Runtime()
	if v == nil || sobek.IsUndefined(v) || sobek.IsNull(v) {
		return nil, errors.New("invalid request: expected an options object, got nothing")
	}
	obj := v.ToObject(rt)
	o := &requestOptions{
		method:         "GET",
		headers:        map[string]string{},
		tags:           map[string]string{},
		timeout:        120 * time.Second,
		expectedStatus: map[int]bool{},
	}
	get := func(name string) sobek.Value {
		x := obj.Get(name)
		if x == nil || sobek.IsUndefined(x) || sobek.IsNull(x) {
			return nil
		}
		return x
	}
	if x := get("method"); x != nil {
		o.method = strings.ToUpper(x.String())
	}
	if x := get("url"); x != nil {
		o.url = x.String()
	}
	if o.url == "" {
		return nil, errors.New("invalid request: expected a url, got none")
	}
	if x := get("body"); x != nil {
		o.body = x.String()
	}
	for _, field := range []struct {
		name string
		dst  map[string]string
	}{{"headers", o.headers}, {"tags", o.tags}} {
		if x := get(field.name); x != nil {
			m := x.ToObject(rt)
			for _, k := range m.Keys() {
				if val := m.Get(k); val != nil && !sobek.IsUndefined(val) && !sobek.IsNull(val) {
					field.dst[k] = val.String()
				}
			}
		}
	}
	if x := get("timeoutMs"); x != nil {
		if ms := x.ToFloat(); ms > 0 {
			o.timeout = time.Duration(ms * float64(time.Millisecond))
		}
	}
	if x := get("stallTimeoutMs"); x != nil {
		if ms := x.ToFloat(); ms > 0 {
			o.stallTimeout = time.Duration(ms * float64(time.Millisecond))
		}
	}
	if x := get("expectedStatuses"); x != nil {
		var list []int
		if err := rt.ExportTo(x, &list); err != nil {
			return nil, fmt.Errorf("invalid expectedStatuses: expected an array of numbers, got %s", x.String())
		}
		for _, s := range list {
			o.expectedStatus[s] = true
		}
	}
	return o, nil
}

// request sends the request and calls onChunk(text, atMs, status, contentType) for every
// body read; status and content type let the caller decide at the first chunk whether the
// body is a stream to parse or an error body to keep whole.
// When onChunk returns true, reading stops and the connection is closed.
// Failures never throw: they come back as `error` and `errorCode`.
func (mi *ModuleInstance) request(optsValue sobek.Value, onChunk sobek.Value) (*sobek.Object, error) {
	state := mi.vu.State()
	if state == nil {
		return nil, errors.New("llmstream.request can't be called in the init context")
	}
	opts, err := mi.parseOptions(optsValue)
	if err != nil {
		return nil, err
	}
	var callback sobek.Callable
	if onChunk != nil && !sobek.IsUndefined(onChunk) && !sobek.IsNull(onChunk) {
		cb, ok := sobek.AssertFunction(onChunk)
		if !ok {
			return nil, errors.New("invalid onChunk: expected a function")
		}
		callback = cb
	}
	rt := mi.vu.Runtime()
	res := &result{headers: map[string]string{}}
	mi.do(opts, callback, res)
	mi.emitMetrics(opts, res)
	return res.toObject(rt), nil
}

type result struct {
	status    int
	proto     string
	headers   map[string]string
	errMsg    string
	errCode   string
	startMs   float64
	sentMs    float64
	headMs    float64
	endMs     float64
	bytes     int64
	chunks    int
	stopped   bool
	callbackE error
}

func (r *result) toObject(rt *sobek.Runtime) *sobek.Object {
	o := rt.NewObject()
	set := func(k string, v any) { _ = o.Set(k, v) }
	set("status", r.status)
	set("proto", r.proto)
	h := rt.NewObject()
	for k, v := range r.headers {
		_ = h.Set(k, v)
	}
	set("headers", h)
	set("error", r.errMsg)
	set("errorCode", r.errCode)
	set("startMs", r.startMs)
	set("sentMs", r.sentMs)
	set("headMs", r.headMs)
	set("endMs", r.endMs)
	set("bytes", r.bytes)
	set("chunks", r.chunks)
	set("stopped", r.stopped)
	return o
}

func (mi *ModuleInstance) do(opts *requestOptions, callback sobek.Callable, res *result) {
	state := mi.vu.State()
	rt := mi.vu.Runtime()
	res.startMs = nowMs()
	defer func() { res.endMs = nowMs() }()

	ctx, cancel := context.WithTimeout(mi.vu.Context(), opts.timeout)
	defer cancel()
	var stalled atomic.Bool

	var bodyReader io.Reader
	if opts.body != "" {
		bodyReader = strings.NewReader(opts.body)
	}
	trace := &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { res.sentMs = nowMs() },
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), opts.method, opts.url, bodyReader)
	if err != nil {
		res.errMsg, res.errCode = err.Error(), "invalid_request"
		return
	}
	for k, v := range opts.headers {
		if strings.EqualFold(k, "host") {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", state.Options.UserAgent.String)
	}

	resp, err := state.Transport.RoundTrip(req)
	if err != nil {
		res.errMsg, res.errCode = err.Error(), classify(ctx, mi.vu.Context(), err, false)
		return
	}
	defer func() { _ = resp.Body.Close() }()
	res.headMs = nowMs()
	res.status = resp.StatusCode
	res.proto = resp.Proto
	for k, v := range resp.Header {
		res.headers[k] = strings.Join(v, ", ")
	}

	var stallTimer *time.Timer
	if opts.stallTimeout > 0 {
		stallTimer = time.AfterFunc(opts.stallTimeout, func() {
			stalled.Store(true)
			cancel()
		})
		defer stallTimer.Stop()
	}

	statusValue := rt.ToValue(res.status)
	typeValue := rt.ToValue(resp.Header.Get("Content-Type"))
	onRead := func() {
		if stallTimer != nil {
			stallTimer.Reset(opts.stallTimeout)
		}
	}
	var next func() (bodyRead, bool)
	if callback != nil {
		reads, stop := readAhead(resp.Body, onRead)
		// Stop the reader before the deferred Body.Close above unblocks its last Read.
		defer close(stop)
		next = func() (bodyRead, bool) {
			item, ok := <-reads
			return item, ok
		}
	} else {
		// Nothing runs between reads, so they are stamped as well on this goroutine, without a hand-off.
		next = readInline(resp.Body, onRead)
	}
	var carry []byte
	for {
		item, ok := next()
		if !ok {
			return
		}
		if len(item.data) > 0 {
			res.bytes += int64(len(item.data))
			res.chunks++
		}
		if len(item.data) > 0 && callback != nil {
			var text string
			text, carry = decodeUTF8(carry, item.data)
			if text != "" {
				ret, cbErr := callback(sobek.Undefined(), rt.ToValue(text), rt.ToValue(item.at), statusValue, typeValue)
				if cbErr != nil {
					res.errMsg, res.errCode = cbErr.Error(), "callback"
					return
				}
				if ret != nil && ret.ToBoolean() {
					res.stopped = true
					return
				}
			}
		}
		if item.err == nil {
			continue
		}
		if len(carry) > 0 && callback != nil {
			// A stream that ends inside a multi-byte sequence: hand over what is left, replaced.
			_, _ = callback(sobek.Undefined(), rt.ToValue(strings.ToValidUTF8(string(carry), "\uFFFD")), rt.ToValue(item.at), statusValue, typeValue)
		}
		if errors.Is(item.err, io.EOF) {
			return
		}
		res.errMsg = item.err.Error()
		if stalled.Load() {
			res.errCode = "stall"
			res.errMsg = fmt.Sprintf("no data for %s", opts.stallTimeout)
		} else {
			res.errCode = classify(ctx, mi.vu.Context(), item.err, true)
		}
		return
	}
}

// bodyRead is one Read of the body: the bytes, when they arrived, and the error that ended the body, if any.
type bodyRead struct {
	data []byte
	at   float64
	err  error
}

// readInline reads the body on the caller's goroutine, one Read per call, until the Read that returns an error.
func readInline(body io.Reader, onRead func()) func() (bodyRead, bool) {
	buf := make([]byte, 32*1024)
	done := false
	return func() (bodyRead, bool) {
		for !done {
			n, err := body.Read(buf)
			if n == 0 && err == nil {
				continue
			}
			if n > 0 {
				onRead()
			}
			done = err != nil
			// The callback-less caller only counts the bytes: the buffer is reused, not copied.
			return bodyRead{data: buf[:n], at: nowMs(), err: err}, true
		}
		return bodyRead{}, false
	}
}

// readAhead reads the body on its own goroutine and stamps every read the moment it returns, so the arrival
// time of a chunk never includes the time the VU spent in JavaScript on the chunks before it: a slow callback
// delays when a chunk is handled, not when it is said to have arrived. The last item carries the error (io.EOF at
// the end). Closing stop releases the goroutine; closing the body ends a Read it is blocked in.
func readAhead(body io.Reader, onRead func()) (<-chan bodyRead, chan struct{}) {
	// The queue only fills when JavaScript falls this many reads behind; the reader then waits for it.
	reads := make(chan bodyRead, 256)
	stop := make(chan struct{})
	go func() {
		defer close(reads)
		buf := make([]byte, 32*1024)
		for {
			n, err := body.Read(buf)
			item := bodyRead{at: nowMs(), err: err}
			if n > 0 {
				onRead()
				item.data = append([]byte(nil), buf[:n]...)
			}
			if n == 0 && err == nil {
				continue
			}
			select {
			case reads <- item:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return reads, stop
}

// decodeUTF8 turns bytes into a string, holding back a multi-byte sequence
// that the read cut in two so it is decoded whole with the next read.
func decodeUTF8(carry, data []byte) (string, []byte) {
	if len(carry) > 0 {
		data = append(carry, data...)
	}
	cut := len(data)
	for i := len(data) - 1; i >= 0 && i >= len(data)-utf8.UTFMax; i-- {
		if utf8.RuneStart(data[i]) {
			if !utf8.FullRune(data[i:]) {
				cut = i
			}
			break
		}
	}
	rest := append([]byte(nil), data[cut:]...)
	s := string(data[:cut])
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s, rest
}

// classify names a failure the way k6-llm's metrics tag it.
func classify(ctx, vuCtx context.Context, err error, midBody bool) string {
	switch {
	case vuCtx.Err() != nil:
		return "aborted"
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || os.IsTimeout(err):
		return "timeout"
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || strings.Contains(err.Error(), "connection reset"):
		return "reset"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected EOF"):
		if midBody {
			return "truncated"
		}
		return "reset"
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return "dns"
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return "network"
	}
	if midBody {
		return "truncated"
	}
	return "network"
}

func (mi *ModuleInstance) emitMetrics(opts *requestOptions, res *result) {
	state := mi.vu.State()
	if state == nil || state.Samples == nil {
		return
	}
	ctm := state.Tags.GetCurrentValues()
	tags := ctm.Tags.With("method", opts.method).With("status", strconv.Itoa(res.status))
	if state.Options.SystemTags != nil && state.Options.SystemTags.Has(metrics.TagURL) {
		tags = tags.With("url", opts.url)
	}
	name := opts.url
	if n, ok := opts.tags["name"]; ok {
		name = n
	}
	tags = tags.With("name", name)
	if res.proto != "" {
		tags = tags.With("proto", res.proto)
	}
	if res.errCode != "" {
		tags = tags.With("error_code", res.errCode)
	}
	for k, v := range opts.tags {
		tags = tags.With(k, v)
	}
	expected := res.errCode == "" && ((res.status >= 200 && res.status < 400) || opts.expectedStatus[res.status])
	tags = tags.With("expected_response", strconv.FormatBool(expected))

	end := time.Now()
	bm := state.BuiltinMetrics
	samples := []metrics.Sample{
		{TimeSeries: metrics.TimeSeries{Metric: bm.HTTPReqs, Tags: tags}, Time: end, Value: 1, Metadata: ctm.Metadata},
		{TimeSeries: metrics.TimeSeries{Metric: bm.HTTPReqFailed, Tags: tags}, Time: end, Value: boolValue(!expected), Metadata: ctm.Metadata},
		{TimeSeries: metrics.TimeSeries{Metric: bm.HTTPReqDuration, Tags: tags}, Time: end, Value: res.endMs - res.startMs, Metadata: ctm.Metadata},
	}
	if res.headMs > 0 {
		sent := res.sentMs
		if sent == 0 {
			sent = res.startMs
		}
		samples = append(samples, metrics.Sample{TimeSeries: metrics.TimeSeries{Metric: bm.HTTPReqWaiting, Tags: tags}, Time: end, Value: res.headMs - sent, Metadata: ctm.Metadata})
	}
	metrics.PushIfNotDone(mi.vu.Context(), state.Samples, metrics.ConnectedSamples{Samples: samples, Tags: tags, Time: end})
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
