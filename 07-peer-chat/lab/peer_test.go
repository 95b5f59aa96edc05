package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// peer is one of the test's peers: a connection and what it reads.
type peer struct {
	n     int // its number in the room
	conn  *net.TCPConn
	lines *bufio.Reader
}

// enter connects peer n to the room.
func enter(t *testing.T, port string, n int) *peer {
	t.Helper()
	conn, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatalf("peer %d could not connect: %v", n, err)
	}
	t.Cleanup(func() { conn.Close() })
	return &peer{n: n, conn: conn.(*net.TCPConn), lines: bufio.NewReader(conn)}
}

// enterAll connects peers 1 to count, one at a time: as each joins,
// every peer already in the room must hear it.
func enterAll(t *testing.T, port string, count int) []*peer {
	t.Helper()
	var peers []*peer
	for n := 1; n <= count; n++ {
		newcomer := enter(t, port, n)
		for _, p := range peers {
			p.expect(t, fmt.Sprintf("peer %d joined", n), "tell every peer in the room when a new one joins, and only the others")
		}
		peers = append(peers, newcomer)
	}
	return peers
}

// What next returns when no line came within wait, and when the room
// closed the connection (or reset it) instead of sending a line.
var (
	errSilent = fmt.Errorf("no line within %v", wait)
	errClosed = errors.New("the end of its connection: the room closed it")
)

// next reads one line, without its newline, waiting at most wait.
func (p *peer) next() (string, error) {
	p.conn.SetReadDeadline(time.Now().Add(wait))
	line, err := p.lines.ReadString('\n')
	switch {
	case err == nil:
		return strings.TrimSuffix(line, "\n"), nil
	case line != "" && err == io.EOF:
		return line, nil // a last line with no newline
	case errors.Is(err, os.ErrDeadlineExceeded):
		return line, errSilent
	case err == io.EOF || errors.Is(err, syscall.ECONNRESET):
		return line, errClosed
	}
	return line, err
}

// expect reads the next line and fails the test unless it is want.
func (p *peer) expect(t *testing.T, want, hint string) {
	t.Helper()
	line, err := p.next()
	if err != nil {
		t.Fatalf("peer %d waited for %q and got %v: %s", p.n, want, err, hint)
	}
	if m := chatLine.FindStringSubmatch(line); m != nil && m[1] == strconv.Itoa(p.n) {
		hint = "a peer's lines go to every other peer, never back to itself"
	}
	if line != want {
		t.Fatalf("peer %d got %q, want %q: %s", p.n, line, want, hint)
	}
}

// say sends lines, each with its newline, waiting at most wait.
func (p *peer) say(lines ...string) error {
	return p.write(strings.Join(lines, "\n") + "\n")
}

// write sends text, waiting at most wait.
func (p *peer) write(text string) error {
	p.conn.SetWriteDeadline(time.Now().Add(wait))
	if _, err := io.WriteString(p.conn, text); err != nil {
		return fmt.Errorf("peer %d could not send: %w", p.n, err)
	}
	return nil
}

// talkerHint says why a peer that talks, and reads nothing meanwhile,
// could not send: the room closed its connection, or stopped reading it.
func talkerHint(err error, slow int) string {
	if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return "the room closed peer 1's connection while it talked. Peer 1 reads nothing meanwhile, and the room has nothing to send it but announcements: does it send a peer its own lines?"
	}
	return fmt.Sprintf("the room stopped reading peer 1 while peer %d read nothing: does a send to peer %d hold up the room (made from peer 1's flow, or with the room's mutex held)?", slow, slow)
}

func (p *peer) mustSay(t *testing.T, line string) {
	t.Helper()
	if err := p.say(line); err != nil {
		t.Fatal(err)
	}
}

// The lines a peer may get: "peer K: LINE", "peer K joined", "peer K left".
var (
	chatLine     = regexp.MustCompile(`^peer (\d+): (.*)$`)
	announcement = regexp.MustCompile(`^peer \d+ (joined|left)$`)
)

// hearAll reads until the peer has heard every line the others sent, and
// checks that each comes once, in its sender's order, and that none of
// its own comes back.
func (p *peer) hearAll(sent map[int][]string) error {
	heard := map[int]int{} // by sender: how many of its lines came
	left := 0
	for n, lines := range sent {
		if n != p.n {
			left += len(lines)
		}
	}
	for ; left > 0; left-- {
		line, err := p.next()
		if err == errClosed {
			return fmt.Errorf("peer %d waited for %d more lines and got %v, though it reads every line as it comes: if your room drops a peer whose queue is full, the bound is too small for a burst of 150 short lines", p.n, left, err)
		}
		if err != nil {
			return fmt.Errorf("peer %d waited for %d more lines and got %v", p.n, left, err)
		}
		m := chatLine.FindStringSubmatch(line)
		if announcement.MatchString(line) {
			return fmt.Errorf("peer %d got %q while the others talked: announce a join or a leave once, to the others only", p.n, line)
		}
		if m == nil {
			return fmt.Errorf("peer %d got %q while the others talked, want their lines as \"peer K: LINE\"", p.n, line)
		}
		from, _ := strconv.Atoi(m[1])
		if from == p.n {
			return fmt.Errorf("peer %d got its own line back: %q: a peer's lines go to every other peer, never back to itself", p.n, line)
		}
		i := heard[from]
		if i >= len(sent[from]) || m[2] != sent[from][i] {
			want := "no more"
			if i < len(sent[from]) {
				want = fmt.Sprintf("%q", sent[from][i])
			}
			return fmt.Errorf("peer %d got %q from peer %d, want %s next: each line reaches each other peer once, in order", p.n, m[2], from, want)
		}
		heard[from]++
	}
	return nil
}
