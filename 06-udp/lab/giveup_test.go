package main

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// TestClientGivesUp sends to a socket that never answers: the client must
// send message 1 once, then -retries more times, each a -timeout apart,
// then say so in one line and exit 1.
func TestClientGivesUp(t *testing.T) { eachClient(t, clientGivesUp) }

func clientGivesUp(t *testing.T, client *testkit.Program) {
	wantTries := 1 + silentRetries
	stop, cancel := context.WithCancel(context.Background())
	defer cancel()
	silent := startSilentServer(t, wantTries, cancel)
	addr := silent.conn.LocalAddr().String()
	out := runClientProgram(t, stop, client, "-addr", addr, "-n", "2",
		"-timeout", silentTimeout.String(), "-retries", fmt.Sprint(silentRetries))
	silent.finish()

	if strings.Contains(out.stdout, "echoed") {
		t.Errorf("the client printed %q though nothing answered", out.stdout)
	}
	if !checkGaveUp(t, out, silent.tries, wantTries) {
		return
	}
	example := fmt.Sprintf("no echo of message 1 from %s after %d tries", addr, wantTries)
	if line := strings.TrimSuffix(out.stderr, "\n"); line == "" || strings.Contains(line, "\n") ||
		!strings.Contains(line, "message 1 ") || !strings.Contains(line, addr) {
		t.Errorf("the client wrote to stderr %q; want one line that names message 1 and the server, such as %q",
			out.stderr, example)
	}
	for i := 1; i < len(silent.arrivals); i++ {
		if gap := silent.arrivals[i].Sub(silent.arrivals[i-1]); gap < silentTimeout/2 {
			t.Errorf("the client sent datagram %d %v after datagram %d: it should wait -timeout %v for the echo "+
				"before it sends again", i+1, gap.Round(time.Millisecond), i, silentTimeout)
		}
	}
}

// checkGaveUp checks that a client that never got the echo of message 1
// sent it wantTries times, then gave up and exited 1. It returns false
// when the client did not give up, so that what it printed says nothing.
func checkGaveUp(t *testing.T, out output, tries []int64, wantTries int) bool {
	t.Helper()
	if out.stopped && len(tries) > wantTries {
		t.Errorf("the client sent %d datagrams, and went on (the test stopped it); want %d: message 1, "+
			"then -retries %d more tries, then give up (TODO 2)", len(tries), wantTries, wantTries-1)
		return false
	}
	if out.status != 1 {
		t.Errorf("the client exited %d though nothing answered, want 1: after its last try it should give up "+
			"with an error (TODO 2).%s", out.status, crash(out.stderr))
	}
	if len(tries) != wantTries {
		t.Errorf("the client sent %d datagrams, want %d: message 1, then %d more tries (-retries %d), then give up",
			len(tries), wantTries, wantTries-1, wantTries-1)
	}
	for i, seq := range tries {
		hint := numberHint(seq)
		if seq == 2 {
			hint = "it went on to message 2: after the last try of message 1 it should give up (TODO 2)"
		}
		if seq != 1 {
			t.Errorf("datagram %d of the client %s, want 1: %s", i+1, startsWith(seq), hint)
			break
		}
	}
	return true
}

// silentServer stands in for the server, and never echoes. It notes what
// the client sends it, and stops the client once it has sent more than
// maxTries datagrams, so that a client that never gives up fails at once.
type silentServer struct {
	conn     *net.UDPConn
	client   chan *net.UDPAddr // the client's address, once it has sent
	tries    []int64           // the number each datagram starts with
	arrivals []time.Time
	done     chan struct{}
}

func startSilentServer(t *testing.T, maxTries int, stopClient func()) *silentServer {
	s := &silentServer{conn: listenLoopback(t), client: make(chan *net.UDPAddr, 1), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		buf := make([]byte, maxDatagram)
		for {
			n, from, at, err := readStamped(s.conn, buf)
			if err != nil {
				return
			}
			if len(s.tries) == 0 {
				s.client <- from
			}
			s.arrivals = append(s.arrivals, at)
			s.tries = append(s.tries, sequence(buf[:n]))
			if len(s.tries) > maxTries {
				stopClient()
			}
		}
	}()
	return s
}

// finish reads what the client sent before it exited, which is in the
// socket's buffer by now, and waits for the reader to return.
func (s *silentServer) finish() {
	s.conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	<-s.done
}
