package main

// explainTimeWait introduces the restart, in the words of the system that
// runs it: Winsock's SO_EXCLUSIVEADDRUSE.
const explainTimeWait = `
The server's side closed A's connection first, because the server was
stopping. The side that closes first keeps the connection in TIME_WAIT for
a while, so that a late packet of it cannot be taken for part of a new one;
and that connection's address is 127.0.0.1:PORT. Restart the server on the
same port at once, without and with -reuseaddr. On Windows that option is
SO_EXCLUSIVEADDRUSE: Windows' own SO_REUSEADDR would let another program
bind our port, even while we listen, and take our clients. Linux refuses
the first restart while the old connection waits; what this system says,
the lines below show.
`
