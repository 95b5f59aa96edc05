//go:build !solution && !mutant_continueonstop && !mutant_fromone && !mutant_growpast && !mutant_lockedserve && !mutant_mainserves && !mutant_noloop && !mutant_nowait && !mutant_offbyone && !mutant_plaingoroutines && !mutant_respawn && !mutant_samenumber && !mutant_semaphore

package main

import "runtime"

// serve is the chapter's model: the calling thread, thread 1, waits in
// accept, and every client it accepts gets a new thread that serves it and
// ends. With 20 clients connected there are 20 serving threads.
//
// TODO: make this the prethreaded server of Stevens' UNP, chapter 30.
//   - Start the threads here, when the server starts: `threads` of them,
//     numbered 2, 3, ... (thread 1 is the main thread), each made as below.
//   - Each thread loops: s.accept() a client, s.serveClient(n, client), and
//     back to accept. Every thread waits in accept itself, with no lock
//     around it. A thread whose accept returns false returns, and its OS
//     thread ends with it.
//   - serve then returns at once: nothing is created per client. A client
//     that comes while every thread is busy waits in the listen queue until
//     a thread is back in accept.
//
// Grading tests that fail on this code: TestEveryClientIsAnswered,
// TestThirdClientWaits, TestThreadNumbers, TestThreadsAreReused,
// TestThreadsDoNotGrow, TestThreadsWaitInAccept.
func (s *server) serve(threads int) {
	for n := 2; ; n++ {
		client, ok := s.accept()
		if !ok {
			return // the server is stopping
		}
		s.threads.Add(1)
		go func() {
			defer s.threads.Done()
			// We lock the goroutine to its OS thread and never unlock it:
			// no other goroutine runs there, and the thread exits when
			// this goroutine returns, as a thread of CreateThread or
			// pthread_create does when its function returns.
			runtime.LockOSThread()
			s.serveClient(n, client)
		}()
	}
}
