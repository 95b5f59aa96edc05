//go:build unix

package main

// explainTimeWait introduces the restart, in the words of the system that
// runs it: POSIX's SO_REUSEADDR.
const explainTimeWait = `
Child 1 closed A's connection first, because the server was stopping. The
side that closes first keeps the connection in TIME_WAIT for a while (60
seconds on Linux), so that a late packet of it cannot be taken for part of
a new one; and that connection's address is 127.0.0.1:PORT. Restart the
server on the same port at once: without SO_REUSEADDR, bind refuses while
the old connection waits; with it (the default here, as in the seed), bind
succeeds.
`
