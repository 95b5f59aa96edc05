//go:build mutant_respawn

// Mutant respawn: each thread serves one client, starts a new thread to
// take its place, and returns. There are never more than -threads, but
// each client gets a new OS thread, numbered past threads+1: a thread per
// client with a cap, not a pool.
//
// Grading tests that fail on this code: TestEveryClientIsAnswered,
// TestThreadNumbers, TestThreadsAreReused.

package main

import (
	"runtime"
	"sync/atomic"
)

// serve starts the prethreaded server of Stevens' UNP, chapter 30
// (serv07.c, pthread07.c): `threads` threads, numbered from 2, each of
// which waits in accept on the one listening socket, serves the client it
// gets, and goes back to accept. It returns at once; nothing is created
// per client.
//
// UNP wraps the accept in a mutex, so that one thread at a time waits in
// it. We do not: Linux and Windows let every thread wait in accept on the
// same socket, and give each new connection to one of them.
func (s *server) serve(threads int) {
	var next atomic.Int64 // the number of the next thread started
	next.Store(int64(2 + threads))
	var start func(n int)
	start = func(n int) {
		s.threads.Add(1)
		go func() {
			defer s.threads.Done()
			// Locked and never unlocked, as in the chapter: this goroutine
			// is this OS thread, and the thread ends when it returns.
			runtime.LockOSThread()
			client, ok := s.accept()
			if !ok {
				return // the server is stopping
			}
			s.serveClient(n, client)
			start(int(next.Add(1) - 1)) // a fresh thread for the next client
		}()
	}
	for n := 2; n < 2+threads; n++ {
		start(n)
	}
}
