package main

// The grading tests. They build the lab (starter.go, or solution.go with
// -tags solution), run it as you would, and drive it with clients of Go's
// net package. Run them with: go test ./05-overlapped-routines/lab

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"iomodels/testkit"
)

// program is the lab, built once.
var program *testkit.Program

func TestMain(m *testing.M) {
	if runtime.GOOS != "linux" {
		os.Exit(m.Run()) // every test skips: see needLinux
	}
	dir, err := os.MkdirTemp("", "05-lab-test")
	binary := ""
	if err == nil {
		binary, err = testkit.Build(dir, "lab", runtime.GOOS)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	program = testkit.NativeProgram("lab", binary)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func needLinux(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the lab runs on Linux only: it is about io_uring")
	}
}

// deadline bounds every wait for the server: a dial, an echo, an exit.
const deadline = 5 * time.Second

// Fifty clients at once, each sending 100 messages one after the other and
// reading each echo before it sends the next. Every echo must come back
// intact; and since each message is received on its own, the server sees at
// least 5,000 recv completions, yet should submit about one recv request
// per connection: at most 2 each, which leaves room for a kernel that ends
// a few multishot recvs early.
func TestManyClientsOneRecvEach(t *testing.T) {
	needLinux(t)
	const clients, messages = 50, 100
	server := program.StartServer(t, "-addr", "127.0.0.1:0")
	failed := runClients(t, server.Port, clients, func(conn net.Conn, client int) error {
		for m := range messages {
			msg := pattern(client*messages+m, 1+(client*37+m*11)%300)
			if err := echoOnce(conn, msg); err != nil {
				return fmt.Errorf("client %d, message %d of %d: %w", client+1, m+1, messages, err)
			}
		}
		return nil
	})
	got := stop(t, server, failed)
	if got.clients != clients {
		t.Errorf("the server counted %d clients, want %d", got.clients, clients)
	}
	if got.completions < clients*messages {
		t.Errorf("%d recv completions for %d messages received one at a time: want one at least for each",
			got.completions, clients*messages)
	}
	if got.requests > 2*clients {
		t.Errorf("the server submitted %d recv requests for %d connections (and got %d completions); want at most %d.\n"+
			"A multishot recv is submitted once per connection and stays armed while its completions carry "+
			"IORING_CQE_F_MORE: post it again only after a completion without that flag.",
			got.requests, clients, got.completions, 2*clients)
	}
}

// A ring of only 2 buffers, and 5 clients that each send 64 KiB at once
// while they read the echo. The ring runs dry again and again; each time,
// the kernel ends a multishot recv with ENOBUFS, and the server must post it
// again once a buffer is back, or that client's echo stops. Counted
// honestly, the recv requests are then one per connection plus one per
// time the ring ran dry (and, again, one more per connection for the
// kernel's own reasons).
func TestBuffersRunOut(t *testing.T) {
	needLinux(t)
	const clients, size = 5, 64 << 10
	server := program.StartServer(t, "-addr", "127.0.0.1:0", "-buffers", "2")
	failed := runClients(t, server.Port, clients, func(conn net.Conn, client int) error {
		msg := pattern(client, size)
		if err := echoOnce(conn, msg); err != nil {
			return fmt.Errorf("client %d (64 KiB): %w", client+1, err)
		}
		return nil
	})
	got := stop(t, server, failed)
	if got.outOfBuffers == 0 {
		t.Fatalf("no recv completed with ENOBUFS, so the 2 provided buffers never ran out while %d clients sent 64 KiB each: "+
			"does the recv take its buffers from the ring (IOSQE_BUFFER_SELECT, bufGroup)?", clients)
	}
	if most := 2*clients + got.outOfBuffers; got.requests > most {
		t.Errorf("the server submitted %d recv requests for %d connections, and the ring ran dry %d times; want at most %d: "+
			"post the recv again only after a completion without IORING_CQE_F_MORE.",
			got.requests, clients, got.outOfBuffers, most)
	}
}

// Ctrl-C while a client is connected: the server ends that client, prints
// its counts and exits 0.
func TestCtrlCWithAClient(t *testing.T) {
	needLinux(t)
	server := program.StartServer(t, "-addr", "127.0.0.1:0")
	conn := dial(t, server.Port)
	if err := echoOnce(conn, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	stop(t, server, nil)
	conn.SetReadDeadline(time.Now().Add(deadline))
	if n, err := conn.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("after Ctrl-C the client read %d bytes, %v; want end-of-stream: the server should close it", n, err)
	}
}

// counts is the line the server prints as it exits.
type counts struct{ clients, echoed, requests, completions, outOfBuffers int }

var countsLine = regexp.MustCompile(`clients: (\d+), bytes echoed: (\d+), recv requests: (\d+), recv completions: (\d+), out of buffers: (\d+)`)

// stop sends the server Ctrl-C, checks that it exits 0 within a few
// seconds, and returns the counts it printed. If the clients failed, it
// says so first, with what the server printed.
func stop(t *testing.T, server *testkit.Server, clientsFailed error) counts {
	t.Helper()
	out, status := server.InterruptAndWait(t)
	if clientsFailed != nil {
		t.Fatalf("%v\nThe server printed:\n%s", clientsFailed, out)
	}
	if status != 0 {
		t.Fatalf("after Ctrl-C the server exited with status %d, want 0; it printed:\n%s"+
			"A server that does not stop keeps something in flight: is a recv posted again after "+
			"end-of-stream (res 0) or an error?", status, out)
	}
	m := countsLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("the server printed no line of counts as it exited; it printed:\n%s", out)
	}
	t.Log(m[0])
	n := make([]int, len(m))
	for i := 1; i < len(m); i++ {
		n[i], _ = strconv.Atoi(m[i])
	}
	return counts{n[1], n[2], n[3], n[4], n[5]}
}

// runClients runs n clients at once, each on its own connection, and
// returns the first error (and how many clients had one), if any.
func runClients(t *testing.T, port string, n int, client func(conn net.Conn, i int) error) error {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		conn := dial(t, port)
		wg.Go(func() {
			errs[i] = client(conn, i)
			conn.Close()
		})
	}
	wg.Wait()
	failed := 0
	for _, err := range errs {
		if err != nil {
			failed++
		}
	}
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("%d of %d clients did not get their echo; the first: %w", failed, n, err)
		}
	}
	return nil
}

// echoOnce sends msg, writing while it reads, and reads until as many bytes
// have come back, within the deadline; it says what went wrong in words
// that point at the likely mistake.
func echoOnce(conn net.Conn, msg []byte) error {
	conn.SetDeadline(time.Now().Add(deadline))
	wrote := make(chan error, 1)
	go func() {
		_, err := conn.Write(msg)
		wrote <- err
	}()
	got := make([]byte, len(msg))
	n, err := io.ReadFull(conn, got)
	var timeout net.Error
	switch {
	case errors.As(err, &timeout) && timeout.Timeout():
		return fmt.Errorf("only %d of %d bytes came back within %v: does the server post the recv again when a "+
			"completion comes without IORING_CQE_F_MORE, and give every buffer back once its echo is sent?", n, len(msg), deadline)
	case err != nil:
		return fmt.Errorf("%d of %d bytes came back, then %v: the server closed the connection", n, len(msg), err)
	}
	if i := mismatch(got, msg); i >= 0 {
		return fmt.Errorf("the echo differs from what was sent from byte %d on: is a buffer given back "+
			"(or refilled) before the send that reads it has completed?", i)
	}
	return <-wrote
}

// mismatch is the first index where got and want differ, or -1.
func mismatch(got, want []byte) int {
	if bytes.Equal(got, want) {
		return -1
	}
	for i := range got {
		if got[i] != want[i] {
			return i
		}
	}
	return len(got)
}

// pattern is n bytes of every value, starting at a value of seed's: each
// message differs from the others, so a chunk echoed twice or out of place
// shows.
func pattern(seed, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(seed*7 + i + i/251)
	}
	return b
}

func dial(t *testing.T, port string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+port, deadline)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
