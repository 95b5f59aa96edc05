package main

// The grading tests. They build the lab twice: for Linux, where it serves
// on io_uring (starter_linux.go, or solution_linux.go with -tags
// solution), and for Windows, where it serves on an I/O completion port
// (starter_windows.go, or solution_windows.go), which they run under Wine.
// Each test runs the lab as you would, drives it with clients of Go's net
// package, and runs against each half it is about (eachBuild). Run them
// with:
//
//	go test ./05-overlapped-routines/lab
//
// They run on Linux, and skip elsewhere: the io_uring half needs Linux,
// and both halves are watched through Linux's /proc (proc_test.go). Where
// Wine is missing, the Windows half's tests skip (testkit.WineProgram).

import (
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"iomodels/testkit"
)

// The lab, built once for Linux and once for Windows.
var nativeBinary, windowsBinary string

func TestMain(m *testing.M) {
	if runtime.GOOS != "linux" {
		os.Exit(m.Run()) // every test skips: see needLinux
	}
	dir, err := os.MkdirTemp("", "05-lab-test")
	if err == nil {
		err = buildBoth(dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildBoth builds the two halves at once, into dir.
func buildBoth(dir string) error {
	var wg sync.WaitGroup
	var nativeErr, windowsErr error
	wg.Go(func() { nativeBinary, nativeErr = testkit.Build(dir, "lab", runtime.GOOS) })
	wg.Go(func() { windowsBinary, windowsErr = testkit.Build(dir, "lab", "windows") })
	wg.Wait()
	if nativeErr != nil {
		return nativeErr
	}
	return windowsErr
}

// build is one half of the lab as the tests run it, and the words its
// failure messages use.
type build struct {
	*testkit.Program
	wine  bool  // the Windows build, under Wine
	hints hints // the likely mistakes behind each symptom, in this half's words
	// slowReader is the flags with which a client that does not read soon
	// makes the server wait: on Linux, -buffers 16, so that 16 KiB held
	// by waiting sends leave the ring dry; on Windows, -sndbuf 4096, so
	// that a send waits after a few KiB instead of the megabytes a
	// socket's send buffer grows to on loopback.
	slowReader []string
	// maxUnread is the most a server that stops receiving from a client
	// that does not read takes from it, with slowReader.
	maxUnread int
}

// lateBuffers is the Linux half's ring with slowReader: 16 KiB.
const lateBuffers = "16"

// uringBuild is the Linux build, run natively: the io_uring half.
func uringBuild(t *testing.T) *build {
	needLinux(t)
	return &build{Program: testkit.NativeProgram("lab", nativeBinary), hints: uringHints,
		slowReader: []string{"-buffers", lateBuffers}, maxUnread: 64 << 20}
}

// portBuild is the Windows build under Wine: the completion port half.
func portBuild(t *testing.T) *build {
	needLinux(t)
	return &build{Program: testkit.WineProgram(t, "lab", windowsBinary), wine: true, hints: portHints,
		slowReader: []string{"-sndbuf", "4096"}, maxUnread: 8 << 20}
}

func needLinux(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the lab's grading tests run on Linux: its io_uring half needs Linux, and both halves " +
			"are watched through /proc")
	}
}

// eachBuild runs test against both halves: the Linux build, then the
// Windows build under Wine.
func eachBuild(t *testing.T, test func(t *testing.T, b *build)) {
	uringOnly(t, test)
	portOnly(t, test)
}

// uringOnly runs test against the Linux build alone, for what only
// io_uring has.
func uringOnly(t *testing.T, test func(t *testing.T, b *build)) {
	t.Run("linux", func(t *testing.T) { test(t, uringBuild(t)) })
}

// portOnly runs test against the Windows build alone, for what only the
// completion port has.
func portOnly(t *testing.T, test func(t *testing.T, b *build)) {
	t.Run("wine", func(t *testing.T) { test(t, portBuild(t)) })
}

// Many clients at once, each sending messages (1 to 300 bytes) one after
// the other and reading each echo before it sends the next: 50 clients of
// 100 messages on Linux, 20 of 25 under Wine, whose round trips are
// slower. Every echo must come back intact, and since each message is
// received on its own, the server counts a recv completion for each at
// least. Then each half's own check: on io_uring, about one recv request
// per connection (oneRecvEach); on Windows, the threads that waited on the
// port are the 2 workers of -workers 2 (samePool).
func TestManyClients(t *testing.T) { eachBuild(t, testManyClients) }

func testManyClients(t *testing.T, b *build) {
	clients, messages := 50, 100
	if b.wine {
		clients, messages = 20, 25
	}
	const workers = 2 // the Windows half's; the Linux half has one thread
	server := b.StartServer(t, "-addr", "127.0.0.1:0", "-workers", fmt.Sprint(workers))
	failed := runClients(t, server.Port, clients, func(conn net.Conn, client int) error {
		for m := range messages {
			msg := pattern(client*messages+m, 1+(client*37+m*11)%300)
			if err := echoOnce(conn, msg, b.hints); err != nil {
				return fmt.Errorf("client %d, message %d of %d: %w", client+1, m+1, messages, err)
			}
		}
		return nil
	})
	got := stop(t, b, server, failed)
	if got["clients"] != clients {
		t.Errorf("the server counted %d clients, want %d", got["clients"], clients)
	}
	if got["recv completions"] < clients*messages {
		t.Errorf("%d recv completions for %d messages received one at a time: want one at least for each",
			got["recv completions"], clients*messages)
	}
	if b.wine {
		samePool(t, got, workers)
	} else {
		oneRecvEach(t, got, clients)
	}
}

// Ctrl-C while a client is connected: the server ends that client, prints
// its counts and exits 0.
func TestCtrlCWithAClient(t *testing.T) { eachBuild(t, testCtrlCWithAClient) }

func testCtrlCWithAClient(t *testing.T, b *build) {
	server := b.StartServer(t, "-addr", "127.0.0.1:0")
	conn := dial(t, server.Port)
	stop(t, b, server, echoOnce(conn, []byte("hello"), b.hints))
	conn.SetReadDeadline(time.Now().Add(deadline))
	if n, err := conn.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("after Ctrl-C the client read %d bytes, %v; want end-of-stream: the server should close it", n, err)
	}
}
