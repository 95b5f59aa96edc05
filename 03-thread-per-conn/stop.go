// How the server stops: Ctrl-C wakes every blocked thread, and thread 1
// waits for them all, as a C program would join its threads.
package main

import "time"

// isStopping says whether stop has been called.
func (s *server) isStopping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopping
}

// joinEnded waits, at most wait, for the threads whose goroutines have
// returned to be gone, and closes their handles: what the seed should have
// done with CreateThread's handle. The OS thread ends a moment after its
// goroutine; a process that exits in that moment is killed outright under
// Wine now and then (2 exits in 180 here), and a handle not closed keeps
// a dead thread's kernel object. On POSIX there is nothing to join.
func (s *server) joinEnded(wait time.Duration) {
	s.mu.Lock()
	ended := s.ended
	s.ended = nil
	s.mu.Unlock()
	var running []threadHandle
	for _, h := range ended {
		if !joinThread(h, wait) {
			running = append(running, h)
		}
	}
	s.mu.Lock()
	s.ended = append(s.ended, running...)
	s.mu.Unlock()
}

// stop is what Ctrl-C does: it closes the listener, so that accept returns
// and no client is let in, and shuts down every client's socket, so that
// each thread blocked in recv returns and ends. On POSIX each thread then
// closes its own socket, holding mu as stop does, so no socket is closed
// under a thread that still uses it; Winsock needs the close to wake the
// thread (closeToWake), and the thread finds its socket closed already.
func (s *server) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopping = true
	if !closeToWake {
		s.listener.shutdownBoth() // Linux's accept returns only then
	}
	s.listener.close()
	for _, c := range s.serving {
		c.shutdownBoth()
		if closeToWake {
			c.close()
		}
	}
}

// wait waits until every serving thread has ended, at most grace, and says
// whether they all did. A thread that did not has its socket closed.
func (s *server) wait(grace time.Duration) bool {
	done := make(chan struct{})
	go func() {
		s.threads.Wait()
		close(done)
	}()
	select {
	case <-done:
		s.joinEnded(grace)
		return true
	case <-time.After(grace):
		s.socks.closeAll()
		return false
	}
}
