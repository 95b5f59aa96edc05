//go:build mutant_semaphore

// Mutant semaphore: thread 1 still accepts, and makes a thread per client,
// but only when one of -threads numbers is free. At most -threads clients
// are served at once, by threads numbered 2 to threads+1, but each on a
// new OS thread: nothing is started with the server, and no thread is kept.
//
// Grading tests that fail on this code: TestThreadsAreReused,
// TestThreadsWaitInAccept.

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
	free := make(chan int, threads) // the numbers of the threads not serving
	for n := 2; n < 2+threads; n++ {
		free <- n
	}
	for {
		client, ok := s.accept()
		if !ok {
			return // the server is stopping
		}
		n := <-free // wait until fewer than `threads` clients are served
		s.threads.Add(1)
		go func() {
			defer s.threads.Done()
			// Locked and never unlocked, as in the chapter: this goroutine
			// is this OS thread, and the thread ends when it returns.
			runtime.LockOSThread()
			s.serveClient(n, client)
			free <- n
		}()
	}
}
