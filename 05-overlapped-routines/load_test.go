package main

import (
	"bytes"
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

// holdClients connects n clients and keeps every one connected until all
// are; then each sends size bytes of its own while reading the echo, and
// checks every byte; then all close. It returns how long connecting and
// echoing took, and the first failure.
// whileHeld, if not nil, runs once all are connected, before any sends.
func holdClients(port string, n, size int, whileHeld func()) (connect, exchange time.Duration, err error) {
	start := time.Now()
	conns := make([]*net.TCPConn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := range n {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+port, 30*time.Second)
		if err != nil {
			return 0, 0, fmt.Errorf("client %d of %d: %v", i+1, n, err)
		}
		c.SetDeadline(time.Now().Add(120 * time.Second))
		conns = append(conns, c.(*net.TCPConn))
	}
	connect = time.Since(start)
	if whileHeld != nil {
		whileHeld()
	}

	start = time.Now()
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Go(func() {
			sent := testkit.Bytes(size + i%256)[i%256:]
			go func() { c.Write(sent); c.CloseWrite() }()
			got, err := io.ReadAll(c)
			if err == nil && !bytes.Equal(got, sent) {
				err = fmt.Errorf("client %d: %d bytes came back of %d, equal=%v", i+1, len(got), size, bytes.Equal(got, sent))
			}
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	exchange = time.Since(start)
	close(errs)
	return connect, exchange, <-errs
}

// TestTwoThousandClients holds 2,000 clients connected to the one thread at
// once, each echoing 3000 bytes, and checks every byte, with the seed's
// accept and with -accept=posted, natively and under Wine (where it takes
// about 5 s a run, since each of Wine's socket calls goes through its
// wineserver process).
func TestTwoThousandClients(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, n int) {
		for _, accept := range []string{"poll", "posted"} {
			t.Run("accept="+accept, func(t *testing.T) { runClients(t, program, n, accept) })
		}
	}
	for _, backend := range nativeBackends() {
		t.Run(backend, func(t *testing.T) { run(t, nativeProgram(backend), 2000) })
	}
	t.Run("wine", func(t *testing.T) { run(t, chapter.Wine(t), 2000) })
}

// runClients runs holdClients against a server that stops after them.
func runClients(t *testing.T, program *testkit.Program, n int, accept string) {
	const size = 3000
	server := program.StartServer(t, "server", "-quiet", "-accept", accept,
		"-clients", fmt.Sprint(n), "-addr", "127.0.0.1:0")
	connect, exchange, err := holdClients(server.Port, n, size, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d clients connected in %v, echoed in %v", n, connect, exchange)
	server.ExpectExit(t, 0, fmt.Sprintf("served %d clients, echoed %d bytes", n, n*size))
}

// TestMeasure holds 10,000 connections on the one thread of each Linux
// backend, and reports how long they took and the server's threads and
// memory. It runs only when asked:
//
//	IOMODELS_MEASURE=1 go test -run TestMeasure -v -count=3 .
func TestMeasure(t *testing.T) {
	if os.Getenv("IOMODELS_MEASURE") == "" {
		t.Skip("set IOMODELS_MEASURE=1 to hold 10,000 connections")
	}
	if runtime.GOOS != "linux" {
		t.Skip("measured on Linux only")
	}
	const n, size = 10000, 1000
	for _, run := range []struct{ backend, accept string }{
		{"uring", "poll"}, {"uring", "posted"}, {"poll", "poll"}, {"poll", "posted"},
	} {
		backend := run.backend
		t.Run(backend+"/accept="+run.accept, func(t *testing.T) {
			server := nativeProgram(backend).StartServer(t, "server", "-quiet", "-accept", run.accept,
				"-clients", fmt.Sprint(n), "-max-clients", fmt.Sprint(n), "-addr", "127.0.0.1:0")
			var usage string
			connect, exchange, err := holdClients(server.Port, n, size, func() { usage = serverUsage(server.Port) })
			if err != nil {
				t.Fatal(err)
			}
			out := server.ExpectExit(t, 0, fmt.Sprintf("served %d clients, echoed %d bytes", n, n*size))
			t.Logf("%s: %d connections held at once; connected in %v, then %d bytes each echoed in %v; "+
				"server while all were held: %s; %s", backend+" -accept="+run.accept, n, connect.Round(time.Millisecond), size,
				exchange.Round(time.Millisecond), usage, out)
		})
	}
}
