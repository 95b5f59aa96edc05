//go:build mutant_mainserves

// Mutant mainserves: serve starts threads-1 threads and serves as thread 2
// itself, on the calling thread, which is thread 1, the main thread: it
// never returns while the server runs, and "thread 2" is thread 1.
//
// Grading tests that fail on this code: TestThreadsWaitInAccept.

package main

import "runtime"

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
	for n := 3; n < 2+threads; n++ { // thread 2 is this one: see below
		s.threads.Add(1)
		go func() {
			defer s.threads.Done()
			// Locked and never unlocked, as in the chapter: this goroutine
			// is this OS thread, and the thread ends when it returns.
			runtime.LockOSThread()
			for {
				client, ok := s.accept()
				if !ok {
					return // the server is stopping
				}
				s.serveClient(n, client)
			}
		}()
	}
	for { // thread 2: the calling thread serves too, rather than wait idle
		client, ok := s.accept()
		if !ok {
			return // the server is stopping
		}
		s.serveClient(2, client)
	}
}
