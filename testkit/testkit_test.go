package testkit

import (
	"testing"
)

func TestBytesHoldEveryValueInEachBlock(t *testing.T) {
	b := Bytes(4 * 256)
	for block := 0; block < 4; block++ {
		var seen [256]bool
		for _, v := range b[block*256 : (block+1)*256] {
			seen[v] = true
		}
		for v, ok := range seen {
			if !ok {
				t.Fatalf("block %d lacks the byte %d", block, v)
			}
		}
	}
	if string(b[:256]) == string(b[256:512]) {
		t.Error("two blocks are the same: a repeated or lost block would go unseen")
	}
}

func TestScrubWritesPortsAsVariable(t *testing.T) {
	p := &Program{ports: []string{"40123"}}
	got := string(p.scrub([]byte(`listening on 127.0.0.1:40123
getaddrinfo("127.0.0.1", "40123", AF_UNSPEC, 0)
Bytes received: 40123
connect 127.0.0.1:401234
`)))
	want := `listening on 127.0.0.1:${PORT}
getaddrinfo("127.0.0.1", "${PORT}", AF_UNSPEC, 0)
Bytes received: 40123
connect 127.0.0.1:401234
`
	if got != want {
		t.Errorf("scrub:\ngot  %q\nwant %q", got, want)
	}
}

func TestTakeDropsWineClientErrors(t *testing.T) {
	var c capture
	c.buf.WriteString("usage: 03-thread-per-conn ...\n" +
		"wine client error:534: sendmsg: Socket operation on non-socket\n" +
		"a line that mentions wine client error: stays\n")
	want := "usage: 03-thread-per-conn ...\na line that mentions wine client error: stays\n"
	if got := string(c.take()); got != want {
		t.Errorf("take() = %q, want %q", got, want)
	}
	c.buf.WriteString("measure [-runs N] [-conns N]\nwine client error:4b4:")
	if got, want := string(c.take()), "measure [-runs N] [-conns N]\n"; got != want {
		t.Errorf("take() of a half-written Wine line = %q, want %q", got, want)
	}
}
