package main

import (
	"encoding/binary"
	"net"
	"time"

	"golang.org/x/sys/unix"
)

// The tests time the client's datagrams by when the kernel queued them on
// our socket (SO_TIMESTAMPNS, socket(7)), not by when our goroutine got
// round to reading them: on a busy machine that can be a tenth of a
// second later, for one datagram and not the next.

// stampArrivals asks the kernel to stamp each datagram conn receives.
func stampArrivals(conn *net.UDPConn) error {
	raw, err := conn.SyscallConn()
	if err != nil {
		return err
	}
	var sockErr error
	err = raw.Control(func(fd uintptr) {
		sockErr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1)
	})
	if err != nil {
		return err
	}
	return sockErr
}

// readStamped reads one datagram into buf and returns its length, its
// sender and when it arrived: the kernel's stamp, or now if it has none.
func readStamped(conn *net.UDPConn, buf []byte) (int, *net.UDPAddr, time.Time, error) {
	oob := make([]byte, unix.CmsgSpace(16))
	n, oobn, _, from, err := conn.ReadMsgUDP(buf, oob)
	if err != nil {
		return n, from, time.Time{}, err
	}
	messages, _ := unix.ParseSocketControlMessage(oob[:oobn])
	for _, m := range messages {
		// A struct timespec: two 64-bit words on the 64-bit systems we test on.
		if m.Header.Level == unix.SOL_SOCKET && m.Header.Type == unix.SCM_TIMESTAMPNS && len(m.Data) == 16 {
			sec := int64(binary.NativeEndian.Uint64(m.Data))
			nsec := int64(binary.NativeEndian.Uint64(m.Data[8:]))
			return n, from, time.Unix(sec, nsec), nil
		}
	}
	return n, from, time.Now(), nil
}
