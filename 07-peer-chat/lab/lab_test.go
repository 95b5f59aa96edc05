package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"iomodels/testkit"
)

// The grading test: it runs the room as you would, and joins it with
// peers of Go's net package, which send and read lines as nc would.

// wait bounds every wait for a line. The room answers within
// milliseconds; 5 seconds leaves room for a busy machine.
const wait = 5 * time.Second

// The room built for this system, and the Windows build for Wine.
var (
	native        *testkit.Program
	windowsBinary string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "07-peer-chat-lab")
	binary := ""
	if err == nil {
		binary, err = testkit.Build(dir, "room", runtime.GOOS)
	}
	if err == nil {
		windowsBinary, err = testkit.Build(dir, "room", "windows")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	native = testkit.NativeProgram("room", binary)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// The checks, each a test of its own against the native build, and all
// of them, in this order, against the Windows build under Wine.
var checks = []struct {
	name string
	run  func(t *testing.T, program *testkit.Program)
}{
	{"Relay", checkRelay},
	{"Reset", checkReset},
	{"Full", checkFull},
	{"LongLine", checkLongLine},
	{"SlowPeer", checkSlowPeer},
	{"Interrupt", checkInterrupt},
}

func TestRelay(t *testing.T)     { t.Parallel(); checkRelay(t, native) }
func TestReset(t *testing.T)     { t.Parallel(); checkReset(t, native) }
func TestFull(t *testing.T)      { t.Parallel(); checkFull(t, native) }
func TestLongLine(t *testing.T)  { t.Parallel(); checkLongLine(t, native) }
func TestSlowPeer(t *testing.T)  { t.Parallel(); checkSlowPeer(t, native) }
func TestInterrupt(t *testing.T) { t.Parallel(); checkInterrupt(t, native) }

// TestWine runs the checks against the Windows build under Wine, and
// stops at the first that fails: fix what the native tests say first.
// It skips where Wine is not installed.
func TestWine(t *testing.T) {
	t.Parallel()
	wine := testkit.WineProgram(t, "room", windowsBinary)
	for _, check := range checks {
		if !t.Run(check.name, func(t *testing.T) { check.run(t, wine) }) {
			return
		}
	}
}

// checkRelay: four peers talk at once; each line reaches every other peer
// once, in order, and never comes back to its sender. Then one leaves.
func checkRelay(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "-addr", "127.0.0.1:0", "-max", "4")
	peers := enterAll(t, server.Port, 4)

	const count = 50
	sent := map[int][]string{}
	for _, p := range peers {
		for i := range count {
			sent[p.n] = append(sent[p.n], fmt.Sprintf("line %d of peer %d", i, p.n))
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(peers))
	for _, p := range peers {
		wg.Go(func() { errs <- p.say(sent[p.n]...) })
		wg.Go(func() { errs <- p.hearAll(sent) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if t.Failed() {
		return
	}

	// Peer 4 leaves; the next line each other peer reads must say so.
	peers[3].conn.Close()
	for _, p := range peers[:3] {
		p.expect(t, "peer 4 left", "when a peer closes its connection, tell each other peer once")
	}
}

// checkReset: a peer that resets its connection (SO_LINGER 0) does not
// stop the room: the others hear that it left, go on talking, and a new
// peer may join.
func checkReset(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "-addr", "127.0.0.1:0", "-max", "3")
	peers := enterAll(t, server.Port, 3)
	peers[2].conn.SetLinger(0)
	peers[2].conn.Close()
	for _, p := range peers[:2] {
		p.expect(t, "peer 3 left", "a peer that resets is gone too: recv fails instead of returning 0")
	}
	peers[0].mustSay(t, "still here?")
	peers[1].expect(t, "peer 1: still here?", "after a peer resets, the room must go on relaying")

	fourth := enter(t, server.Port, 4)
	for _, p := range peers[:2] {
		p.expect(t, "peer 4 joined", "after a peer resets, the room must go on accepting peers")
	}
	fourth.mustSay(t, "hello")
	for _, p := range peers[:2] {
		p.expect(t, "peer 4: hello", "the room relays the lines of a peer that joined after a reset")
	}
}

// checkFull: with -max 2, a third peer gets one line and is closed, and
// the two in the room hear nothing of it; once one leaves, a new peer
// gets in.
func checkFull(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "-addr", "127.0.0.1:0", "-max", "2")
	peers := enterAll(t, server.Port, 2)

	third := enter(t, server.Port, 3)
	line, err := third.next()
	if err != nil || strings.TrimSpace(line) == "" {
		t.Fatalf("with -max 2, a third peer got %q (%v), want one line saying the room is full", line, err)
	}
	if rest, err := third.next(); err != io.EOF {
		t.Fatalf("with -max 2, after %q a third peer got %q (%v), want the connection closed", line, rest, err)
	}
	peers[0].mustSay(t, "are we still two?")
	peers[1].expect(t, "peer 1: are we still two?", "a refused peer never joined: announce nothing")

	peers[0].conn.Close()
	peers[1].expect(t, "peer 1 left", "when a peer closes its connection, tell each other peer once")
	enter(t, server.Port, 3)
	if line, err := peers[1].next(); err != nil || !strings.HasSuffix(line, " joined") || !announcement.MatchString(line) {
		t.Fatalf("a peer joined once one of two had left; peer 2 got %q (%v), want \"peer K joined\": a peer that leaves frees its place", line, err)
	}
}

// checkLongLine: of a line of 1 MiB, the others get the first maxLine
// bytes, and the next line whole.
func checkLongLine(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "-addr", "127.0.0.1:0", "-max", "2")
	peers := enterAll(t, server.Port, 2)
	long := strings.Repeat("x", 1<<20)
	go peers[0].say(long, "after")

	line, err := peers[1].next()
	if err != nil {
		t.Fatalf("peer 1 sent a line of 1 MiB; peer 2 got %v, want its first %d bytes", err, maxLine)
	}
	if want := "peer 1: " + long[:maxLine]; line != want {
		t.Fatalf("peer 1 sent a line of 1 MiB; peer 2 got %.40q... (%d bytes), want \"peer 1: \" and the line's first %d bytes (maxLine): keep at most maxLine bytes of a line, drop the rest",
			line, len(line), maxLine)
	}
	peers[1].expect(t, "peer 1: after", "after a long line, drop its rest up to its newline, then relay the next line whole")
}

// checkSlowPeer: peer 3 reads nothing while peer 1 sends 8 MiB, more than
// the kernel buffers between the room and peer 3 hold. Peer 2 must get
// every line, each within 5 seconds: a send to peer 3 that blocks must
// not hold up the room.
func checkSlowPeer(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "-addr", "127.0.0.1:0", "-max", "3")
	peers := enterAll(t, server.Port, 3)
	fast, listener := peers[0], peers[1]

	// Peer 1 sends in rounds of 32 lines of 4000 bytes and waits for
	// peer 2 to hear each round, so that peer 2, which does read, is
	// never more than 128 KiB behind.
	const rounds, perRound = 64, 32
	slowLeft := false
	for round := range rounds {
		var lines []string
		for i := range perRound {
			lines = append(lines, fmt.Sprintf("%06d %s", round*perRound+i, strings.Repeat("-", 3993)))
		}
		if err := fast.say(lines...); err != nil {
			t.Fatalf("%v: does the room read peer 1 while peer 3 reads nothing?", err)
		}
		for i := 0; i < len(lines); {
			line, err := listener.next()
			switch {
			case line == "peer 3 left" && !slowLeft:
				slowLeft = true // the room may drop a peer that reads nothing
				continue
			case err != nil:
				t.Fatalf("peer 2 heard %d of peer 1's lines, then %v, while peer 3 read nothing: does a send to peer 3 hold up the room?",
					round*perRound+i, err)
			case line != "peer 1: "+lines[i]:
				t.Fatalf("peer 2 got %.40q..., want line %d of peer 1: every line, once, in order", line, round*perRound+i)
			}
			i++
		}
	}
	t.Logf("after 8 MiB, peer 3, which read nothing, was dropped: %v", slowLeft)

	listener.mustSay(t, "done")
	for {
		line, err := fast.next()
		if line == "peer 3 left" {
			continue
		}
		if err != nil || line != "peer 2: done" {
			t.Fatalf("peer 1 got %q (%v), want \"peer 2: done\": the room must go on relaying", line, err)
		}
		break
	}
}

// checkInterrupt: Ctrl-C stops the room with exit status 0, and its peers
// read the end of their connection.
func checkInterrupt(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "-addr", "127.0.0.1:0", "-max", "3")
	peers := enterAll(t, server.Port, 2)
	out, status := server.InterruptAndWait(t)
	// Wine may kill the program as it exits after Ctrl-C (see the chapter).
	if status == testkit.KilledBySignal && program != native {
		status = 0
	}
	if status != 0 || !strings.Contains(out, "interrupt: server stopped\n") {
		t.Errorf("after Ctrl-C the room exited %d, want 0 and \"interrupt: server stopped\"; it printed:\n%s", status, out)
	}
	// A peer may still hear that another left before its own end comes.
	for _, p := range peers {
		var err error
		for lines := 0; err == nil && lines < len(peers); lines++ {
			_, err = p.next()
		}
		if err == nil || err == errSilent {
			t.Errorf("after Ctrl-C peer %d got %v, want the end of its connection: Ctrl-C closes every socket; the room printed:\n%s", p.n, err, out)
		}
	}
}

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
			p.expect(t, fmt.Sprintf("peer %d joined", n), "tell every peer in the room when a new one joins")
		}
		peers = append(peers, newcomer)
	}
	return peers
}

// errSilent is what next returns when no line came within wait.
var errSilent = fmt.Errorf("no line within %v", wait)

// next reads one line, without its newline, waiting at most wait.
func (p *peer) next() (string, error) {
	p.conn.SetReadDeadline(time.Now().Add(wait))
	line, err := p.lines.ReadString('\n')
	if err == nil {
		return strings.TrimSuffix(line, "\n"), nil
	}
	if line != "" && err == io.EOF {
		return line, nil // a last line with no newline
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		err = errSilent
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
	if line != want {
		t.Fatalf("peer %d got %q, want %q: %s", p.n, line, want, hint)
	}
}

// say sends lines, each with its newline, waiting at most wait.
func (p *peer) say(lines ...string) error {
	p.conn.SetWriteDeadline(time.Now().Add(wait))
	_, err := io.WriteString(p.conn, strings.Join(lines, "\n")+"\n")
	if err != nil {
		return fmt.Errorf("peer %d could not send: %v", p.n, err)
	}
	return nil
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
