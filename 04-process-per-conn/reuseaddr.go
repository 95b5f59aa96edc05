// SO_REUSEADDR: the option a server sets before bind, so that it can restart
// on its port while connections of its last run wait in TIME_WAIT. Chapters
// 04 and 07 carry this file; the twins are reuseaddr_unix.go and
// reuseaddr_windows.go.
package main

// setReuseAddr sets SO_REUSEADDR (SO_EXCLUSIVEADDRUSE on Winsock): see
// the twins for what each means.
func (s *sock) setReuseAddr() error {
	err := setReuseAddr(s.h)
	s.table.tracef("0", err, "setsockopt(%v, SOL_SOCKET, %s, 1)", s, nameReuse)
	return s.fail("setsockopt "+nameReuse, err)
}
