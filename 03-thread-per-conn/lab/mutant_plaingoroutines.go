//go:build mutant_plaingoroutines

// Mutant plaingoroutines: the pool's threads are plain goroutines, with no
// runtime.LockOSThread and no s.threads.Add and Done. Go runs a goroutine
// on whichever OS thread is free, so `thread 2` is no one OS thread, and
// Ctrl-C does not wait for the threads to return.
//
// Grading tests that fail on this code: TestCtrlC, TestThreadsAreReused.

package main

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
		go func() {
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
