package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for the bench binary when the
// runner starts its Go net servers with os.Executable.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "netserver" {
		os.Exit(serveNet(os.Args[2:]))
	}
	os.Exit(m.Run())
}

// listen serves each connection with serve on a loopback port.
func listen(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go serve(conn)
		}
	}()
	return l.Addr().String()
}

func TestLoadCountsRoundTrips(t *testing.T) {
	for _, tc := range []struct {
		name  string
		proto protocol
		serve func(net.Conn)
		sh    shape
	}{
		{"echo", echo, echoConn, shape{conns: 4, size: 64, window: 1}},
		{"echo pipelined", echo, echoConn, shape{conns: 2, size: 16 << 10, window: 8}},
		{"line", line, lineConn, shape{conns: 4, size: 64, window: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snaps := 0
			res := runLoad(context.Background(), listen(t, tc.serve), tc.proto, tc.sh, 200*time.Millisecond, func() { snaps++ })
			if res.errors != 0 || res.roundTrips == 0 || snaps != 2 {
				t.Fatalf("errors %d (%v), round trips %d, snapshots %d; want 0 errors, some round trips, 2 snapshots",
					res.errors, res.firstError, res.roundTrips, snaps)
			}
			if int64(len(res.latencies)) != res.roundTrips {
				t.Errorf("%d latencies for %d round trips", len(res.latencies), res.roundTrips)
			}
		})
	}
}

// A server that changes one byte of a reply in a thousand must be caught.
func TestLoadCatchesACorruptedReply(t *testing.T) {
	corrupting := func(conn net.Conn) {
		defer conn.Close()
		buf := make([]byte, 4096)
		for n := 0; ; n++ {
			k, err := conn.Read(buf)
			if err != nil {
				return
			}
			if n == 1000 {
				buf[k/2] ^= 0x20
			}
			if _, err := conn.Write(buf[:k]); err != nil {
				return
			}
		}
	}
	res := runLoad(context.Background(), listen(t, corrupting), echo, shape{conns: 1, size: 64, window: 1}, 2*time.Second, func() {})
	if res.errors != 1 || !strings.Contains(res.firstError.Error(), "differs") {
		t.Fatalf("errors %d (%v), want 1: the reply that differs", res.errors, res.firstError)
	}
}

// TestQuickRun runs the runner as CI does, on every server, and reads the
// report it writes.
func TestQuickRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs servers")
	}
	out := t.TempDir()
	if code := run([]string{"-quick", "-write", "-out", out}); code != 0 {
		t.Fatalf("bench -quick exited %d", code)
	}
	report, err := os.ReadFile(filepath.Join(out, "benchmarks.md"))
	if err != nil {
		t.Fatal(err)
	}
	wants := []string{"| go-net echo | 1 x 64 B |", "| 01-blocking | 1 x 64 B |", "| 01-blocking at 1 x 64 B:",
		"written by `go run ./bench -quick -write`"}
	if _, err := exec.LookPath("cc"); err == nil && runtime.GOOS == "linux" {
		wants = append(wants, "| c-epoll echo | 1 x 64 B |") // the C yardstick builds where there is a compiler
	}
	for _, want := range wants {
		if !strings.Contains(string(report), want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
	// Every server of the course starts with the arguments targets.go gives
	// it and serves the quick loads without an error.
	for _, row := range strings.Split(string(report), "\n") {
		cells := strings.Split(row, " | ")
		if strings.HasPrefix(row, "| ") && len(cells) == 11 && strings.Contains(cells[1], " x ") &&
			strings.TrimSuffix(cells[10], " |") != "0" {
			t.Errorf("a row with errors: %s", row)
		}
	}
	if svg, err := os.ReadFile(filepath.Join(out, "benchmarks.svg")); err != nil || !strings.Contains(string(svg), "<svg") {
		t.Errorf("no chart: %v", err)
	}
}

// Without -write the runner prints and writes nothing: a short run never
// replaces the committed page.
func TestPrintsWithoutWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a server")
	}
	out := t.TempDir()
	if code := run([]string{"-quick", "-only", "go-net echo", "-out", out}); code != 0 {
		t.Fatalf("bench -quick exited %d", code)
	}
	if files, _ := os.ReadDir(out); len(files) != 0 {
		t.Errorf("bench -quick without -write wrote %v into -out", files)
	}
}
