// The Windows half of the lab: an echo server on an I/O completion port.
// The accept loop (conn_windows.go) associates each client's socket with
// the port and posts its first recv; a fixed pool of worker threads
// (starter_windows.go) takes every completion from the port and posts
// what comes next. Ctrl-C stops it (stop_windows.go).
package main

import (
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/windows"
)

// The sizes of things, all fixed when the server starts.
const (
	bufferSize = 1024 // the seed's BUF_SIZE: one client's buffer
	maxClients = 512  // clients served at once; one more is closed at once
)

// server is the port, the listener, the clients' records, and the pool.
type server struct {
	port     windows.Handle
	listener windows.Handle
	addr     string
	workers  int            // -workers: how many threads startWorkers starts
	sndbuf   int            // -sndbuf: each client's SO_SNDBUF, if not 0
	running  sync.WaitGroup // the workers that have not returned
	stderr   io.Writer
	conns    []conn         // by slot, which is each one's completion key
	pinner   runtime.Pinner // keeps conns where the kernel writes into them

	mu        sync.Mutex    // guards what follows, and every conn's sock
	free      []int         // the slots not in use, oldest first
	open      int           // clients admitted and not yet released
	stopping  bool          // Ctrl-C came, -clients were served, or accept failed
	limit     int           // -clients; 0: no limit
	left      int           // clients released
	failure   error         // what stopped the server from inside
	stopNow   chan struct{} // closed once stopping: serve stops the server
	allClosed chan struct{} // closed once stopping and no client is open
	closedAll bool          // allClosed is closed

	// What the program reports as it exits.
	clients         int // under mu
	threads         sync.Map
	threadCount     atomic.Int64
	echoed          atomic.Int64
	recvCompletions atomic.Int64
}

// serve starts the port, the listener and the pool, says "listening on",
// and serves until stop is closed or -clients have been served; then it
// stops and prints its counts.
func serve(cfg config, stdout, stderr io.Writer, stop <-chan struct{}) error {
	if err := startup(); err != nil {
		return failed("WSAStartup", "", err)
	}
	defer windows.WSACleanup()
	srv, err := newServer(cfg, stderr)
	if err != nil {
		return err
	}
	listener, addr, err := listenOn(cfg.at)
	if err != nil {
		windows.CloseHandle(srv.port)
		return err
	}
	srv.listener, srv.addr = listener, addr.String()

	startWorkers(srv)
	fmt.Fprintf(stdout, "listening on %v\n", addr)
	accepting := srv.acceptInBackground()
	select {
	case <-stop:
	case <-srv.stopNow:
	}
	err = srv.shutDown(accepting)
	fmt.Fprintf(stdout, "clients: %d, bytes echoed: %d, recv completions: %d, workers: %d, threads that waited on the port: %d\n",
		srv.clients, srv.echoed.Load(), srv.recvCompletions.Load(), srv.workers, srv.threadCount.Load())
	return err
}

// newServer makes the port and the clients' records, and pins the records:
// the kernel writes into a record's OVERLAPPED and buffer after the call
// that named them has returned.
func newServer(cfg config, stderr io.Writer) (*server, error) {
	port, err := createIoCompletionPort()
	if err != nil {
		return nil, failed("CreateIoCompletionPort", "", err)
	}
	srv := &server{port: port, workers: cfg.workers, sndbuf: cfg.sndbuf, stderr: stderr, limit: cfg.clients,
		conns: make([]conn, maxClients), stopNow: make(chan struct{}), allClosed: make(chan struct{})}
	srv.pinner.Pin(&srv.conns[0])
	for slot := range srv.conns {
		c := &srv.conns[slot]
		c.slot, c.sock = slot, windows.InvalidHandle
		c.recv.op, c.send.op = opRecv, opSend
		srv.free = append(srv.free, slot)
	}
	return srv, nil
}

// conn returns the client whose completion key is key.
func (srv *server) conn(key uintptr) *conn { return &srv.conns[key] }

// noteThread counts the threads that wait on the port, by their ids.
func (srv *server) noteThread(id uint32) {
	if _, seen := srv.threads.LoadOrStore(id, true); !seen {
		srv.threadCount.Add(1)
	}
}

// noteCompletion counts what a completion brought: a recv's, and the bytes
// a send sent back.
func (srv *server) noteCompletion(op int, bytes uint32, err error) {
	switch {
	case op == opRecv:
		srv.recvCompletions.Add(1)
	case op == opSend && err == nil:
		srv.echoed.Add(int64(bytes))
	}
}
