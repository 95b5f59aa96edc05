package testkit

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"time"
)

// capture collects what a program writes to stdout and stderr, both through
// one pipe so that their lines stay in order, and reports the port of the
// first line that matches its pattern, if it has one.
type capture struct {
	reader  *os.File
	done    chan struct{}
	pattern *regexp.Regexp
	found   chan string

	mu        sync.Mutex
	buf       bytes.Buffer
	seen      bool
	wineNoise bool // take dropped a line of Wine's own
}

// startCapture starts cmd with its output going to a new capture.
func startCapture(cmd *exec.Cmd, pattern *regexp.Regexp) (*capture, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = w, w
	err = cmd.Start()
	w.Close() // the program holds its own copy now
	if err != nil {
		r.Close()
		return nil, err
	}
	c := &capture{reader: r, done: make(chan struct{}), pattern: pattern, found: make(chan string, 1)}
	go c.copy()
	return c, nil
}

func (c *capture) copy() {
	defer close(c.done)
	chunk := make([]byte, 4096)
	for {
		n, err := c.reader.Read(chunk)
		c.mu.Lock()
		c.buf.Write(chunk[:n])
		if c.pattern != nil && !c.seen {
			if m := c.pattern.FindSubmatch(c.buf.Bytes()); m != nil {
				c.seen = true
				c.found <- string(m[1])
			}
		}
		c.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// wineClientError is a line Wine itself writes, not the Windows program:
// under load a thread of a process that is exiting may find its channel to
// the Wine server gone, and Wine says so on stderr after the program's last
// line ("wine client error:534: sendmsg: Socket operation on non-socket"),
// seen in about one full test run of the course in four, each time with the
// program's whole output and its exit status intact. Wine writes it in two
// parts (server_protocol_perror in Wine's ntdll: fprintf of "wine client
// error:%x: ", then perror of "sendmsg"), and the process writing it may
// be a child of the program, sharing its stderr. So a line may be
// half written when the program's exit is seen (the part counts too), and
// another writer's line may come between the two parts: once (in about 30
// full test runs) "sendmsg: Socket operation on non-socket" came out as a
// line of its own, and once 04's server lost a trace line
// ("closesocket(sock 12) = 0") as its child exited, most likely written
// after Wine's first part, on the same line, which was then dropped whole. So the first part is removed
// from the start of a line and the rest of that line kept; the second part,
// alone on a line, is removed. It is the emulator's noise, no part of a
// transcript. perror's part names what sendmsg(2) failed with: ENOTSOCK
// mostly, and EBADF once (03's usage transcript under Wine, in a full run
// of .ci/run) when the channel was already closed.
const wineSecondPart = `sendmsg: (Socket operation on non-socket|Bad file descriptor)`

var (
	wineClientError = regexp.MustCompile(`(?m)^wine client error:[0-9a-f]+: ?(` + wineSecondPart + `(\n|\z)|\z)|^` + wineSecondPart + `(\n|\z)|^wine client error:[0-9a-f]*:?\z`)
	wineFirstPart   = regexp.MustCompile(`(?m)^wine client error:[0-9a-f]+: `)
)

// WithoutWineNoise returns a copy of a program's output without Wine's own
// client-error lines, and without the first part of one where another
// line was written after it. Every output testkit captures has them
// removed; a test that runs a program by itself under Wine calls this.
func WithoutWineNoise(out []byte) []byte {
	return wineFirstPart.ReplaceAll(wineClientError.ReplaceAll(out, nil), nil)
}

// take returns what was written since the last take, without Wine's own
// client errors.
func (c *capture) take() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wineNoise = c.wineNoise || wineClientError.Match(c.buf.Bytes()) || wineFirstPart.Match(c.buf.Bytes())
	out := WithoutWineNoise(c.buf.Bytes())
	c.buf.Reset()
	return out
}

// finish returns the rest of the output, once the program has exited.
// Wine's helper processes may inherit the pipe and keep it open, so we do
// not wait for end-of-file: the program is gone, so whatever it wrote is in
// the pipe already. We stop the copy and read what is left without waiting.
func (c *capture) finish() []byte {
	c.reader.SetReadDeadline(time.Now())
	<-c.done
	c.reader.SetReadDeadline(time.Time{}) // so that drain may read
	rest := drain(c.reader)
	c.reader.Close()
	c.mu.Lock()
	c.buf.Write(rest)
	c.mu.Unlock()
	return c.take()
}

// sawWineNoise tells whether take has dropped a line of Wine's own.
func (c *capture) sawWineNoise() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wineNoise
}
