package llmstream

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/grafana/sobek"
)

// maxJSONDepth bounds the recursion of the fast parser; deeper input goes to JSON.parse.
const maxJSONDepth = 256

// parseJSON is a fast path for JSON.parse of the small objects a streamed LLM response sends once per token.
// Sobek's JSON.parse reads through encoding/json's token decoder, which costs ~50 µs for a 250-byte chunk; this
// builds the same JavaScript values in one pass, several times faster.
//
// It returns undefined when it does not handle the input: anything that is not strict JSON, and the few valid
// inputs whose JavaScript value it could not build identically (a lone surrogate escape, a `__proto__` key,
// nesting deeper than maxJSONDepth, a text that held lone surrogates before it reached Go). Undefined is never the
// result of a successful parse, so the caller falls back to JSON.parse, which then either builds the value or
// throws its own SyntaxError: errors and edge cases stay exactly JSON.parse's.
func (mi *ModuleInstance) parseJSON(call sobek.FunctionCall) sobek.Value {
	text := call.Argument(0)
	if !isString(text) {
		return sobek.Undefined()
	}
	s := text.String()
	// A JavaScript string with a lone surrogate reaches Go with U+FFFD in its place: let JSON.parse see the original.
	if strings.ContainsRune(s, utf8.RuneError) {
		return sobek.Undefined()
	}
	p := jsonParser{rt: mi.vu.Runtime(), s: s}
	p.skipSpace()
	v, ok := p.value(0)
	if !ok {
		return sobek.Undefined()
	}
	p.skipSpace()
	if p.i != len(p.s) {
		return sobek.Undefined()
	}
	return v
}

func isString(v sobek.Value) bool {
	_, ok := v.Export().(string)
	return ok
}

type jsonParser struct {
	rt *sobek.Runtime
	s  string
	i  int
}

func (p *jsonParser) skipSpace() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (sobek.Value, bool) {
	if p.i >= len(p.s) || depth > maxJSONDepth {
		return nil, false
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, ok := p.str()
		if !ok {
			return nil, false
		}
		return p.rt.ToValue(s), true
	case c == 't':
		return p.literal("true", p.rt.ToValue(true))
	case c == 'f':
		return p.literal("false", p.rt.ToValue(false))
	case c == 'n':
		return p.literal("null", sobek.Null())
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return nil, false
}

func (p *jsonParser) literal(word string, v sobek.Value) (sobek.Value, bool) {
	if !strings.HasPrefix(p.s[p.i:], word) {
		return nil, false
	}
	p.i += len(word)
	return v, true
}

func (p *jsonParser) object(depth int) (sobek.Value, bool) {
	p.i++ // {
	obj := p.rt.NewObject()
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return obj, true
	}
	for {
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return nil, false
		}
		key, ok := p.str()
		// Setting __proto__ would change the prototype where JSON.parse creates an own property.
		if !ok || key == "__proto__" {
			return nil, false
		}
		p.skipSpace()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, false
		}
		p.i++
		p.skipSpace()
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		if obj.Set(key, v) != nil {
			return nil, false
		}
		more, ok := p.after('}')
		if !ok {
			return nil, false
		}
		if !more {
			return obj, true
		}
	}
}

func (p *jsonParser) array(depth int) (sobek.Value, bool) {
	p.i++ // [
	var items []any
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return p.rt.NewArray(), true
	}
	for {
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		items = append(items, v)
		more, ok := p.after(']')
		if !ok {
			return nil, false
		}
		if !more {
			return p.rt.NewArray(items...), true
		}
	}
}

// after reads what follows a member or an element: a comma (more to come) or the closer (done); anything else is
// not JSON.
func (p *jsonParser) after(closer byte) (more, ok bool) {
	p.skipSpace()
	if p.i >= len(p.s) {
		return false, false
	}
	switch p.s[p.i] {
	case ',':
		p.i++
		p.skipSpace()
		return true, true
	case closer:
		p.i++
		return false, true
	}
	return false, false
}

// number reads the JSON number grammar exactly: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jsonParser) number() (sobek.Value, bool) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	if p.i >= len(p.s) {
		return nil, false
	}
	if p.s[p.i] == '0' {
		p.i++
	} else if !p.digits() {
		return nil, false
	}
	integer := true
	if p.i < len(p.s) && p.s[p.i] == '.' {
		integer = false
		p.i++
		if !p.digits() {
			return nil, false
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		integer = false
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if !p.digits() {
			return nil, false
		}
	}
	text := p.s[start:p.i]
	if integer && len(text) <= 15 && text != "-0" {
		n, err := strconv.ParseInt(text, 10, 64)
		if err == nil {
			return p.rt.ToValue(n), true
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	// Out of range (1e400): k6's JSON.parse throws where the ECMAScript one returns Infinity; leave it to JSON.parse.
	if err != nil {
		return nil, false
	}
	return p.rt.ToValue(f), true
}

func (p *jsonParser) digits() bool {
	start := p.i
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	return p.i > start
}

// str reads a string literal. Without escapes the result is a slice of the input; raw control characters are
// invalid JSON, and a lone surrogate escape is left to JSON.parse.
func (p *jsonParser) str() (string, bool) {
	p.i++ // opening quote
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '"' {
			s := p.s[start:p.i]
			p.i++
			return s, true
		}
		if c == '\\' {
			return p.escaped(start)
		}
		if c < 0x20 {
			return "", false
		}
		p.i++
	}
	return "", false
}

func (p *jsonParser) escaped(start int) (string, bool) {
	var b strings.Builder
	b.WriteString(p.s[start:p.i])
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String(), true
		case c < 0x20:
			return "", false
		case c != '\\':
			b.WriteByte(c)
			p.i++
			continue
		}
		p.i++ // backslash
		if p.i >= len(p.s) {
			return "", false
		}
		e := p.s[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", false
			}
			if utf16.IsSurrogate(r) {
				// Only a high surrogate followed by an escaped low one makes a character.
				if r >= 0xDC00 || !strings.HasPrefix(p.s[p.i:], `\u`) {
					return "", false
				}
				p.i += 2
				low, ok := p.hex4()
				if !ok || low < 0xDC00 || low > 0xDFFF {
					return "", false
				}
				r = utf16.DecodeRune(r, low)
			}
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	return "", false
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.i+4 > len(p.s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(p.s[p.i : p.i+4]) {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c-'a') + 10
		case c >= 'A' && c <= 'F':
			r |= rune(c-'A') + 10
		default:
			return 0, false
		}
	}
	p.i += 4
	return r, true
}
