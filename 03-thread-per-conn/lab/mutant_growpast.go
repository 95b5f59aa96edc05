//go:build mutant_growpast

// Mutant growpast: the pool grows when it is busy. A thread that takes a
// client when no other thread is left waiting in accept starts one more,
// so that no client waits: but then -threads bounds nothing, and the pool
// grows with the clients, as a thread per client does.
//
// Grading tests that fail on this code: TestEveryClientIsAnswered,
// TestThirdClientWaits, TestThreadsDoNotGrow.

package main

import (
	"runtime"
	"sync"
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
	var mu sync.Mutex
	waiting, next := threads, 2+threads // threads in accept, the next one's number
	var start func(n int)
	start = func(n int) {
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
				mu.Lock()
				if waiting--; waiting == 0 { // we were the last in accept
					waiting++
					start(next)
					next++
				}
				mu.Unlock()
				s.serveClient(n, client)
				mu.Lock()
				waiting++
				mu.Unlock()
			}
		}()
	}
	for n := 2; n < 2+threads; n++ {
		start(n)
	}
}
