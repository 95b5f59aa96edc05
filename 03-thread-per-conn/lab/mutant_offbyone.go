//go:build mutant_offbyone

// Mutant offbyone: the loop runs from 2 to threads+2 inclusive, so the
// server starts threads+1 threads, and serves one client too many at once.
//
// Grading tests that fail on this code: TestThirdClientWaits.

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
	for n := 2; n <= 2+threads; n++ {
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
}
