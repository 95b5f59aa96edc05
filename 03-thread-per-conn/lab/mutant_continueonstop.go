//go:build mutant_continueonstop

// Mutant continueonstop: a thread whose accept returns false goes back to
// accept instead of returning. Once the server stops, accept fails at
// once, every time: the threads spin and never end, and Ctrl-C gives up.
//
// Grading tests that fail on this code: TestCtrlC.

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
	for n := 2; n < 2+threads; n++ {
		s.threads.Add(1)
		go func() {
			defer s.threads.Done()
			// Locked and never unlocked, as in the chapter: this goroutine
			// is this OS thread, and the thread ends when it returns.
			runtime.LockOSThread()
			for {
				client, ok := s.accept()
				if !ok {
					continue // no client this time: wait for the next
				}
				s.serveClient(n, client)
			}
		}()
	}
}
