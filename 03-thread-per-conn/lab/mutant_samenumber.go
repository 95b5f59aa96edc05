//go:build mutant_samenumber

// Mutant samenumber: the thread number is one variable, declared before
// the loop and counted up after each go statement, so every goroutine
// reads the same n: by the time they serve, it is threads+2 for all.
//
// Grading tests that fail on this code: TestEveryClientIsAnswered, TestThreadNumbers, TestThreadsAreReused.

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
	n := 2
	for range threads {
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
		n++
	}
}
