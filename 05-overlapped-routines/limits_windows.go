package main

// raiseFileLimit wraps setrlimit(2) on POSIX: it raises the soft limit on
// open descriptors (RLIMIT_NOFILE) to the hard limit, since every client is
// one. Winsock has no such limit. It returns the limit now in force.
func raiseFileLimit() (uint64, error) { return 0, nil }
